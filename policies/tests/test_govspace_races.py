"""Two allocations of one government-owned unit decided at the same moment (PostgreSQL: real threads, real
transactions): the units' locks that leasing's services take make one lease, or one approval, and refuse the other
with the reason."""

import pytest
from django.core.exceptions import ValidationError

from leasing.choices import HOLDING_STATUSES
from leasing.models import Lease
from policies import services
from policies.choices import AllocationStatus
from policies.models import SpaceAllocation
from yuanqu.racing import postgres_only, race

from . import generic_govspace
from .generic_govspace import government_unit

ROUNDS = 10

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def pairs(world, status):
    """ROUNDS pairs of allocations, the two of a pair of one unit and overlapping periods, to two enterprises."""
    made = generic_govspace.TestSpaceAllocation()
    result = []
    for _ in range(ROUNDS):
        unit = government_unit(world.building_a, world.floor_a)
        first = made.sample(world, "a", units=[unit], status=status)
        second = made.sample(world, "b", units=[unit], status=status, start_date=first.start_date,
                             end_date=first.end_date)
        result.append((unit, first, second))
    return result


def test_two_leases_of_one_unit_signed_at_once_make_one(world):
    """Both approved (the guard of approval bypassed): leasing's overlap guard, under the units' locks, holds."""
    made = pairs(world, AllocationStatus.APPROVED)

    def signer(user, side):
        return lambda number: services.spaceallocation_lease(user=user, instance=made[number][side],
                                                              contract_number=f"ZFYF-{number}-{side}")

    outcomes = race([signer(world.users["officer"], 1), signer(world.users["admin"], 2)], rounds=ROUNDS)
    for number, results in enumerate(outcomes):
        unit = made[number][0]
        refused = [r for r in results if isinstance(r, ValidationError)]
        signed = [r for r in results if isinstance(r, SpaceAllocation)]
        assert len(refused) == 1 and len(signed) == 1, results
        assert unit.code in str(refused[0]) and "重叠" in str(refused[0])
        assert Lease.objects.filter(units=unit, status__in=HOLDING_STATUSES).count() == 1
        statuses = sorted(SpaceAllocation.objects.filter(units=unit).values_list("status", flat=True))
        assert statuses == [AllocationStatus.APPROVED, AllocationStatus.LEASED]


def test_two_approvals_of_one_unit_at_once_approve_one(world):
    made = pairs(world, AllocationStatus.PROPOSED)

    def approver(user, side):
        return lambda number: services.spaceallocation_approve(user=user, instance=made[number][side])

    outcomes = race([approver(world.users["officer"], 1), approver(world.users["admin"], 2)], rounds=ROUNDS)
    for number, results in enumerate(outcomes):
        unit = made[number][0]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1 and len(results) - len(refused) == 1, results
        assert "已批准配置" in str(refused[0])
        statuses = sorted(SpaceAllocation.objects.filter(units=unit).values_list("status", flat=True))
        assert statuses == [AllocationStatus.APPROVED, AllocationStatus.PROPOSED]
