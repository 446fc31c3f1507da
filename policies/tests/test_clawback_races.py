"""Clawback under concurrency, on PostgreSQL: checks that run at the same moment raise one case per award and
obligation (the partial unique constraint), and repayments recorded at once never take more than is due."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leasing.choices import LeaseStatus
from leasing.models import Lease
from policies import services
from policies.choices import ClawbackStatus
from policies.models import Award, ClawbackCase, LedgerEntry
from policies.tests.generic_clawback import sample_award, sample_policy
from yuanqu.racing import postgres_only, race

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

D = datetime.date
ROUNDS = 20


def ended_lease(world, enterprise, number):
    Lease.objects.create(enterprise=enterprise, park=world.park_a, start_date=D(2024, 1, 1), end_date=D(2025, 6, 30),
                         terminated_on=D(2025, 6, 30), status=LeaseStatus.TERMINATED,
                         monthly_rent=Decimal("100.00"), leased_area=Decimal("100.00"), contract_number=number)


def test_checks_at_the_same_moment_raise_one_case_per_obligation(world):
    policy = sample_policy("race", obligations=[{"kind": "lease_kept", "recover": "all"}])
    ended_lease(world, world.tenant_a, "HT-RACE")
    sample_award(world.tenant_a, policy=policy)

    def check(number):
        return services.clawback_scan(on=D(2026, 3, 1) + datetime.timedelta(days=number))["raised"]

    outcomes = race([check, check, check], rounds=ROUNDS)
    assert all(not isinstance(o, Exception) for row in outcomes for o in row), outcomes
    assert sum(sum(row) for row in outcomes) == 1
    assert ClawbackCase.objects.count() == 1


def test_repayments_at_the_same_moment_never_exceed_what_is_due(world):
    officer, admin = world.users["officer"], world.users["admin"]
    policy = sample_policy("race-repay", obligations=[{"kind": "lease_kept", "recover": "all"}])
    ended_lease(world, world.tenant_a, "HT-RACE-2")
    award = sample_award(world.tenant_a, policy=policy, amount=1_000_00, paid=1_000_00)
    services.clawback_scan(on=D(2026, 3, 1))
    case = services.clawbackcase_confirm(user=officer, instance=ClawbackCase.objects.get())
    due = case.amount_due
    assert due == 1_000_00

    def repay(user):
        def call(number):
            return services.clawbackcase_repay(user=user, instance=case, amount=600_00, repaid_on=D(2026, 3, 10))
        return call

    outcomes = race([repay(officer), repay(admin)])[0]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1 and "amount" in refused[0].message_dict, outcomes
    case.refresh_from_db()
    award.refresh_from_db()
    assert (case.repaid, award.recovered, case.status) == (600_00, 600_00, ClawbackStatus.CONFIRMED)
    assert list(LedgerEntry.objects.filter(clawback=case).values_list("amount", flat=True)) == [600_00]
    assert Award.objects.filter(pk=award.pk, recovered__lte=award.paid).exists()
