"""Two PPP projects that each fit the affordability cap alone but not together go to procurement at the same
moment, many times: exactly one is procured each time, and the committed spending never exceeds the cap."""

import datetime
from decimal import Decimal

import pytest

from core.actions import Refused
from core.models import Department
from projects import services
from projects.choices import PppStage
from projects.models import FiscalYear, PppPayment, PppProject, PppRule
from yuanqu.racing import postgres_only, race

ROUNDS = 20
pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_procurements_at_once_never_exceed_the_cap(world):
    PppRule.objects.get_or_create(effective_from=datetime.date(2019, 3, 7),
                                  defaults={"cap_bp": 1000, "new_government_pay_cap_bp": 500})
    FiscalYear.objects.create(year=2027, expenditure=Decimal("1000000000.00"))
    officer = world.users["officer"]
    for number in range(ROUNDS):
        pair = []
        for side in ("a", "b"):  # 6% each: either alone fits under 10%, both do not
            project = PppProject.objects.create(
                code=f"R{number}{side}", name=f"并发项目{number}{side}", zone=world.area, stage=PppStage.PREPARATION,
                department=Department.objects.get(code="fgj"), mechanism="viability_gap", contract_years=10,
                psc=Decimal("100"), ppp_cost=Decimal("90"))
            PppPayment.objects.create(project=project, year=2027, amount=Decimal("60000000.00"))
            pair.append(project)

        def procurer(project):
            return lambda _round: services.pppproject_procure(user=officer, instance=project)

        outcome = race([procurer(pair[0]), procurer(pair[1])])[0]
        assert sorted(type(o).__name__ for o in outcome) == ["PppProject", "Refused"], (number, outcome)
        refused = next(o for o in outcome if isinstance(o, Refused))
        assert "超过 10.00%" in refused.message
        committed = sum(PppPayment.objects.filter(project__stage=PppStage.PROCUREMENT, year=2027)
                        .values_list("amount", flat=True))
        assert committed == Decimal("60000000.00"), number
        # Take the winner out of the committed ones before the next round (its contract ended, say).
        PppPayment.objects.filter(project__in=pair).delete()
