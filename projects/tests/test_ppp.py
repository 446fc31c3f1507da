"""PPP projects: the lifecycle, value for money, and the fiscal affordability caps checked when a project goes to
procurement (all PPP spending ≤ 10% of the general public budget expenditure each year; above 5% no new
government-pay project), with the caps read as data; the year-by-year page."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.actions import Refused
from core.models import Department
from projects import services
from projects.choices import PppStage
from projects.models import FiscalYear, PppPayment, PppProject, PppRule

BUDGET = Decimal("1000000000.00")  # 10亿元 a year, so 1% is 1,000万元


def rules():
    PppRule.objects.get_or_create(effective_from=datetime.date(2015, 4, 7),
                                  defaults={"cap_bp": 1000, "new_government_pay_cap_bp": 1000, "source": "财金〔2015〕21号"})
    PppRule.objects.get_or_create(effective_from=datetime.date(2019, 3, 7),
                                  defaults={"cap_bp": 1000, "new_government_pay_cap_bp": 500, "source": "财金〔2019〕10号"})


def ppp(world, code, *, mechanism="viability_gap", stage=PppStage.PREPARATION, yearly=(), psc="900000000",
        cost="800000000"):
    project = PppProject.objects.create(code=code, name=f"{code}项目", zone=world.area, stage=stage,
                                        department=Department.objects.get(code="fgj"), mechanism=mechanism,
                                        contract_years=15, psc=Decimal(psc) if psc else None,
                                        ppp_cost=Decimal(cost) if cost else None)
    for year, amount in yearly:
        PppPayment.objects.create(project=project, year=year, amount=Decimal(amount))
    return project


@pytest.fixture
def years(world):
    rules()
    for year in (2027, 2028):
        FiscalYear.objects.create(year=year, expenditure=BUDGET)


def procure(world, project):
    return services.pppproject_procure(user=world.users["officer"], instance=project)


@pytest.mark.django_db
def test_the_cap_holds_at_ten_per_cent_and_refuses_a_fen_over(world, years):
    ppp(world, "OLD", stage=PppStage.EXECUTION, yearly=[(2027, "60000000"), (2028, "60000000")])  # 6% committed
    exactly = ppp(world, "AT", yearly=[(2027, "40000000")])  # 6% + 4% = 10.00%: allowed
    procure(world, exactly)
    exactly.refresh_from_db()
    assert exactly.stage == PppStage.PROCUREMENT
    over = ppp(world, "OVER", yearly=[(2027, "0.01"), (2028, "1000000")])
    with pytest.raises(Refused) as refusal:
        procure(world, over)
    assert "2027年PPP支出将占一般公共预算支出 10.00%，超过 10.00%" in refusal.value.message  # 10.000001%
    over.refresh_from_db()
    assert over.stage == PppStage.PREPARATION


@pytest.mark.django_db
def test_above_five_per_cent_no_new_government_pay_project(world, years):
    ppp(world, "OLD", stage=PppStage.EXECUTION, yearly=[(2027, "50000000")])  # 5.00% committed
    government = ppp(world, "GOV", mechanism="government_pay", yearly=[(2027, "1000000")])  # → 5.10%
    with pytest.raises(Refused) as refusal:
        procure(world, government)
    assert "5.10%，超过 5.00%：不得新上政府付费项目" in refusal.value.message
    gap = ppp(world, "GAP", mechanism="viability_gap", yearly=[(2027, "1000000")])  # the same, not government pay
    procure(world, gap)
    assert PppProject.objects.get(code="GAP").stage == PppStage.PROCUREMENT


@pytest.mark.django_db
def test_procurement_needs_value_for_money_and_every_years_budget(world, years):
    costly = ppp(world, "VFM", psc="800000000", cost="800000000.01", yearly=[(2027, "1000")])
    with pytest.raises(Refused, match="未通过物有所值评价"):
        procure(world, costly)
    unevaluated = ppp(world, "NOVFM", psc=None, cost=None)
    with pytest.raises(Refused, match="缺少物有所值评价"):
        procure(world, unevaluated)
    long = ppp(world, "LONG", yearly=[(2027, "1000"), (2029, "1000"), (2030, "1000")])
    with pytest.raises(Refused, match="2029、2030 年的一般公共预算支出尚未录入"):
        procure(world, long)
    equal = ppp(world, "EQ", psc="800000000", cost="800000000", yearly=[(2027, "1000")])  # equal passes
    procure(world, equal)


@pytest.mark.django_db
def test_a_procured_projects_expenditure_stays_as_checked(world, years):
    project = ppp(world, "FIX", yearly=[(2027, "1000000")])
    procure(world, project)
    payment = project.payments.get()
    with pytest.raises(ValidationError) as error:
        services.ppppayment_update(user=world.users["officer"], instance=payment, data={"amount": Decimal("90000000")})
    assert "不能再更改" in str(error.value)
    with pytest.raises(ValidationError):
        services.ppppayment_create(user=world.users["officer"], data={"project": project, "year": 2028,
                                                                      "amount": Decimal("1")})
    assert PppPayment.objects.get(pk=payment.pk).amount == Decimal("1000000.00")


@pytest.mark.django_db
def test_the_affordability_page_shows_each_year_against_the_caps(world, years, client_for):
    ppp(world, "OLD", stage=PppStage.EXECUTION, yearly=[(2027, "60000000"), (2028, "30000000")])
    ppp(world, "NEXT", stage=PppStage.PREPARATION, yearly=[(2027, "50000000")])
    page = client_for(world.users["leader"]).get("/projects/ppp/affordability/").content.decode()
    rows = page.split('data-testid="ppp-year"')[1:]
    assert len(rows) == 2
    assert "6.00%" in rows[0] and "11.00%" in rows[0] and "不允许" in rows[0]  # 6% committed; 11% with NEXT
    assert "3.00%" in rows[1] and "允许" in rows[1]
    assert '"committed": [6.0, 3.0]' in page and '"cap": 10.0' in page and '"new_cap": 5.0' in page
    assert client_for(world.users["operator"]).get("/projects/ppp/affordability/").status_code == 403
