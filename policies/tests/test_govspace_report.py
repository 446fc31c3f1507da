"""The budget and payout report (issue 11 point 9): by policy and year, by zone and by industry, checked against
figures worked out by hand from the records below."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import DomainEvent
from enterprises.models import Enterprise, IndustryCategory
from leasing.models import Lease
from policies import selectors
from policies.choices import ApplicationStatus, AwardStatus, LedgerKind, PolicyCategory, TrancheStatus
from policies.models import Application, Award, Budget, LedgerEntry, Policy, Tranche
from spaces.models import Building, Floor, Park, Zone
from yuanqu.generic_tests import credit_code

YEAR = datetime.date.today().year
WAN = 1_000_000  # 10,000 yuan in fen


class Books:
    """Two policies' budgets of this year (and one of last year), awards to three enterprises in two zones:

    | award | policy | enterprise (zone, division) | amount | ledger | status |
    |---|---|---|---|---|---|
    | A1 | rent | A (河套, 65) | 300万 | reserve 300万, pay 100万, pay 50万, recover 20万 | active |
    | A2 | rent | C (香蜜湖, 73) | 150万 | reserve 150万, pay 150万 | completed |
    | A3 | rent | B (河套, none) | 80万 | reserve 80万, release 80万 | cancelled |
    | B1 | credit | A (河套, 65) | 50万 | reserve 50万 | active |

    Tranches: A1 paid 100万 and 50万, 150万 scheduled; A2 paid 150万; A3 80万 cancelled; B1 50万 scheduled.
    """

    def __init__(self, world):
        self.rent = Policy.objects.create(code="rent-test", name="投资推广租金支持", category=PolicyCategory.RENT,
                                          valid_from=datetime.date(2024, 1, 1))
        self.credit = Policy.objects.create(code="credit-test", name="征信机构租金支持", category=PolicyCategory.RENT,
                                            valid_from=datetime.date(2024, 1, 1))
        self.rent_budget = Budget.objects.create(policy=self.rent, year=YEAR, total=1000 * WAN, committed=450 * WAN,
                                                 paid=300 * WAN)
        self.rent_last_year = Budget.objects.create(policy=self.rent, year=YEAR - 1, total=500 * WAN)
        self.credit_budget = Budget.objects.create(policy=self.credit, year=YEAR, total=200 * WAN, committed=50 * WAN)
        self.xiangmihu = Zone.objects.create(code="xiangmihu", name="香蜜湖片区", kind="area")
        park = Park.objects.create(code="park-x", name="香蜜湖国际金融中心", zone=self.xiangmihu)
        building = Building.objects.create(park=park, code="x-1", name="金融大厦")
        self.tenant_c = Enterprise.objects.create(name="深圳研发中心有限公司", credit_code=credit_code(7301),
                                                  industry=IndustryCategory.objects.get(pk="7320"))
        lease_c = Lease.objects.create(enterprise=self.tenant_c, park=park, start_date=datetime.date(YEAR, 1, 1),
                                       end_date=datetime.date(YEAR + 2, 12, 31), monthly_rent=Decimal("200.00"))
        floor = Floor.objects.create(building=building, number=8)
        lease_c.units.add(building.units.create(floor=floor, code="801", area=Decimal("500.00")))
        a1 = self.award(self.rent_budget, world.tenant_a, 300, AwardStatus.ACTIVE, paid=150, recovered=20)
        self.ledger(a1, (LedgerKind.RESERVE, 300), (LedgerKind.PAY, 100), (LedgerKind.PAY, 50), (LedgerKind.RECOVER, 20))
        a2 = self.award(self.rent_budget, self.tenant_c, 150, AwardStatus.COMPLETED, paid=150, lease=lease_c)
        self.ledger(a2, (LedgerKind.RESERVE, 150), (LedgerKind.PAY, 150))
        a3 = self.award(self.rent_budget, world.tenant_b, 80, AwardStatus.CANCELLED)
        self.ledger(a3, (LedgerKind.RESERVE, 80), (LedgerKind.RELEASE, 80))
        b1 = self.award(self.credit_budget, world.tenant_a, 50, AwardStatus.ACTIVE)
        self.ledger(b1, (LedgerKind.RESERVE, 50))
        self.tranches(a1, (100, TrancheStatus.PAID), (50, TrancheStatus.PAID), (150, TrancheStatus.SCHEDULED))
        self.tranches(a2, (150, TrancheStatus.PAID))
        self.tranches(a3, (80, TrancheStatus.CANCELLED))
        self.tranches(b1, (50, TrancheStatus.SCHEDULED))

    serial = 0

    def award(self, budget, enterprise, wan, status, *, paid=0, recovered=0, lease=None):
        Books.serial += 1
        start, end = datetime.date(budget.year, 1, 1), datetime.date(budget.year, 12, 31)
        application = Application.objects.create(
            number=f"ZC-T-{Books.serial:04d}", policy=budget.policy, enterprise=enterprise, lease=lease,
            year=budget.year, period_start=start, period_end=end, status=ApplicationStatus.SUBMITTED)
        return Award.objects.create(application=application, policy=budget.policy, enterprise=enterprise,
                                    budget=budget, year=budget.year, amount=wan * WAN, paid=paid * WAN,
                                    recovered=recovered * WAN, status=status, period_start=start, period_end=end)

    def tranches(self, award, *tranches):
        for number, (wan, status) in enumerate(tranches, start=1):
            paid_on = datetime.date(award.year, 6, 30) if status == TrancheStatus.PAID else None
            Tranche.objects.create(award=award, number=number, amount=wan * WAN, status=status, paid_on=paid_on,
                                   due_on=datetime.date(award.year, 6 + number, 1))

    def ledger(self, award, *movements):
        for kind, wan in movements:
            LedgerEntry.objects.create(budget=award.budget, award=award, kind=kind, amount=wan * WAN)


@pytest.fixture
def books(world):
    return Books(world)


def by_budget(report):
    return {(row.budget.policy.code, row.budget.year): row for row in report.budgets}


@pytest.mark.django_db
def test_budget_and_payout_by_policy_and_year(world, books):
    report = selectors.funds_report(user=world.users["officer"])
    rows = by_budget(report)
    rent = rows[("rent-test", YEAR)]
    assert (rent.committed, rent.paid, rent.recovered, rent.available, rent.enterprises) == (
        450 * WAN, 300 * WAN, 20 * WAN, 550 * WAN, 2)
    assert (rent.net_paid, rent.unpaid, rent.scheduled) == (280 * WAN, 150 * WAN, 150 * WAN)
    # The ledger agrees with the budget's own columns, which the awards' conditional updates keep.
    assert (rent.committed, rent.paid) == (books.rent_budget.committed, books.rent_budget.paid)
    credit = rows[("credit-test", YEAR)]
    assert (credit.committed, credit.paid, credit.recovered, credit.available, credit.enterprises, credit.scheduled) == (
        50 * WAN, 0, 0, 150 * WAN, 1, 50 * WAN)
    last = rows[("rent-test", YEAR - 1)]
    assert (last.committed, last.available, last.enterprises) == (0, 500 * WAN, 0)
    assert (report.total.committed, report.total.paid, report.total.recovered, report.total.enterprises,
            report.total.scheduled) == (500 * WAN, 300 * WAN, 20 * WAN, 2, 200 * WAN)
    assert rent.yuan["available"] == Decimal("5500000.00")


@pytest.mark.django_db
def test_by_zone_and_by_industry(world, books):
    report = selectors.funds_report(user=world.users["officer"], year=YEAR)
    assert len(report.budgets) == 2
    zones = {row.label: (row.committed, row.paid, row.recovered, row.scheduled, row.enterprises)
             for row in report.zones}
    assert zones == {world.area.name: (350 * WAN, 150 * WAN, 20 * WAN, 200 * WAN, 1),
                     "香蜜湖片区": (150 * WAN, 150 * WAN, 0, 0, 1)}
    divisions = {row.key: (row.committed, row.paid, row.recovered, row.scheduled, row.enterprises)
                 for row in report.divisions}
    assert divisions == {"65": (350 * WAN, 150 * WAN, 20 * WAN, 200 * WAN, 1), "73": (150 * WAN, 150 * WAN, 0, 0, 1),
                         None: (0, 0, 0, 0, 0)}
    assert {row.key: row.label for row in report.divisions}["65"] == "65 软件和信息技术服务业"


@pytest.mark.django_db
def test_a_zone_narrows_the_money_to_its_awards_and_keeps_the_budget_whole(world, books):
    report = selectors.funds_report(user=world.users["officer"], year=YEAR, zone=books.xiangmihu)
    rent = by_budget(report)[("rent-test", YEAR)]
    assert report.sliced
    assert (rent.committed, rent.paid, rent.enterprises, rent.available, rent.scheduled) == (
        150 * WAN, 150 * WAN, 1, 550 * WAN, 0)
    assert by_budget(report)[("credit-test", YEAR)].committed == 0
    # A zone takes in the zones within it: 三大新引擎 holds 河套.
    engine = selectors.funds_report(user=world.users["officer"], year=YEAR, zone=world.zone)
    assert engine.total.committed == 350 * WAN
    industry = selectors.funds_report(user=world.users["officer"], policy=books.rent, division="65")
    assert [(row.budget.year, row.committed, row.paid, row.recovered, row.scheduled) for row in industry.budgets] == [
        (YEAR, 300 * WAN, 150 * WAN, 20 * WAN, 150 * WAN), (YEAR - 1, 0, 0, 0, 0)]


@pytest.mark.django_db
def test_the_report_page_and_its_xlsx(world, books, client_for):
    client = client_for(world.users["leader"])
    page = client.get(reverse("policies:funds_report"), {"year": YEAR}).content.decode()
    assert "投资推广租金支持" in page and "5,500,000.00" in page and "4,500,000.00" in page
    assert "香蜜湖片区" in page and "73 研究和试验发展" in page
    response = client.get(reverse("policies:funds_report_export"), {"year": YEAR})
    assert response.status_code == 200 and "xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["按政策和年度", "按区域", "按行业"]
    rows = list(book["按政策和年度"].iter_rows(values_only=True))
    assert rows[0][:4] == ("政策", "年度", "预算（元）", "已占用（元）")
    rent = next(row for row in rows[1:] if row[0] == "投资推广租金支持")
    assert rent[1:4] == (YEAR, 10_000_000, 4_500_000) and rent[-1] == 5_500_000
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)
    assert DomainEvent.objects.filter(name="core.export", data__report="预算与兑付报表").exists()


@pytest.mark.django_db
def test_a_policy_name_that_looks_like_a_formula_stays_text(world, books, client_for):
    Policy.objects.filter(pk=books.credit.pk).update(name="=HYPERLINK(\"http://x\")")
    response = client_for(world.users["officer"]).get(reverse("policies:funds_report_export"))
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for row in book["按政策和年度"].iter_rows() for cell in row if str(cell.value).startswith("=")]
    assert cells and all(cell.data_type == "s" for cell in cells)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["operator", "enterprise", "expert"])
def test_the_bureaus_books_are_not_shown_to_others(world, books, client_for, role):
    client = client_for(world.users[role])
    assert client.get(reverse("policies:funds_report")).status_code == 403
    assert client.get(reverse("policies:funds_report_export")).status_code == 403


def queries_of(client, path):
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    caches["counts"].clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_report_and_the_allocations_make_as_many_queries_for_more_rows(world, books, client_for):
    from .generic_govspace import TestSpaceAllocation

    client = client_for(world.users["officer"])
    pages = [reverse("policies:funds_report"), reverse("policies:spaceallocation_list")]
    made = TestSpaceAllocation()
    made.sample(world, "a")
    before = [queries_of(client, page) for page in pages]
    for n in range(5):
        budget = Budget.objects.create(policy=books.credit, year=YEAR - 2 - n, total=100 * WAN)
        award = books.award(budget, world.tenant_b, 10, AwardStatus.ACTIVE)
        books.ledger(award, (LedgerKind.RESERVE, 10))
        books.tranches(award, (10, TrancheStatus.SCHEDULED))
        made.sample(world, "b")
    assert [queries_of(client, page) for page in pages] == before
