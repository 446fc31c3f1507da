"""Renewals, moves and follow-ups at the same moment as other writers (PostgreSQL: real threads, real
transactions). Each round races on a lease and units of its own."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.accounts.tokens import token_create
from core.actions import Refused
from leasing import services
from leasing.choices import HOLDING_STATUSES, FollowUpStatus, LeaseStatus
from leasing.models import Lease
from spaces.choices import UnitStatus
from spaces.models import Unit
from yuanqu.racing import call_api, postgres_only, race

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
ROUNDS = 40

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def leases_on_fresh_units(world, count: int, prefix: str) -> list[Lease]:
    """``count`` active leases of tenant A, each on a unit of its own, ending in 30 days."""
    leases = []
    for n in range(count):
        unit = Unit.objects.create(building=world.building_a, floor=world.floor_a, code=f"{prefix}{n:03d}",
                                   area=Decimal("100"), status=UnitStatus.LEASED)
        lease = Lease.objects.create(enterprise=world.tenant_a, park=world.park_a, start_date=TODAY - 300 * DAY,
                                     end_date=TODAY + 30 * DAY, monthly_rent=Decimal("120"), leased_area=Decimal("100"),
                                     contract_number=f"{prefix}-{n}")
        lease.units.add(unit)
        leases.append(lease)
    return leases


def holding_overlaps(unit) -> list:
    spans = sorted(Lease.objects.filter(units=unit, status__in=HOLDING_STATUSES).values_list("start_date", "end_date"))
    return [(a, b) for a, b in zip(spans, spans[1:], strict=False) if b[0] <= a[1]]


def test_two_renewals_of_one_lease_make_one_new_lease(world):
    leases = leases_on_fresh_units(world, ROUNDS, "RN")

    def renewer(user, contract):
        def renew(number):
            return services.lease_renew(user=user, instance=leases[number], end_date=TODAY + 800 * DAY,
                                        monthly_rent=Decimal("130"), contract_number=f"{contract}-{number}")
        return renew

    outcomes = race([renewer(world.users["officer"], "O"), renewer(world.users["operator"], "P")], rounds=ROUNDS)

    for number, pair in enumerate(outcomes):
        made = [o for o in pair if isinstance(o, Lease)]
        refused = [o for o in pair if isinstance(o, Refused)]
        assert len(made) == 1 and len(refused) == 1, (number, pair)  # never both, never a database error
        assert "已续约" in refused[0].message and "不能续约" in refused[0].message
        assert Lease.objects.filter(predecessor=leases[number]).count() == 1
        lease = Lease.objects.get(pk=leases[number].pk)
        assert lease.status == LeaseStatus.RENEWED and lease.follow_ups.count() == 1


def test_two_api_clients_renewing_one_lease_get_one_lease_and_one_409(world, live_server):
    leases = leases_on_fresh_units(world, ROUNDS, "RA")
    keys = [token_create(user=world.users[name], name="race")[1] for name in ("officer", "operator")]

    def client(which):
        def post(number):
            return call_api(live_server.url, f"/api/leasing/leases/{leases[number].pk}/renew", {
                "end_date": (TODAY + 800 * DAY).isoformat(), "monthly_rent": "130", "contract_number": f"A{which}"},
                key=keys[which])
        return post

    outcomes = race([client(0), client(1)], rounds=ROUNDS)

    for number, pair in enumerate(outcomes):
        assert sorted(status for status, _body in pair) == [200, 409], (number, pair)
        refused = next(body for status, body in pair if status == 409)
        assert "不能续约" in refused["detail"]
        assert Lease.objects.filter(predecessor=leases[number]).count() == 1


def test_a_renewal_and_a_new_lease_of_the_same_unit_store_no_overlap(world):
    """One renews a lease while another records the unit's next tenant from the day after the old end: one of
    them is refused in words, never both stored."""
    leases = leases_on_fresh_units(world, ROUNDS, "RC")

    def renew(number):
        return services.lease_renew(user=world.users["operator"], instance=leases[number], end_date=TODAY + 700 * DAY,
                                    monthly_rent=Decimal("130"))

    def next_tenant(number):
        unit = leases[number].units.get()
        return services.lease_create(user=world.users["officer"], data={
            "enterprise": world.tenant_b, "units": [unit], "start_date": TODAY + 31 * DAY,
            "end_date": TODAY + 400 * DAY, "monthly_rent": Decimal("90"), "contract_number": f"N{number}"})

    outcomes = race([renew, next_tenant], rounds=ROUNDS)

    for number, (renewed, created) in enumerate(outcomes):
        unit = leases[number].units.get()
        assert holding_overlaps(unit) == [], number
        results = [o for o in (renewed, created) if isinstance(o, Lease)]
        refusals = [o for o in (renewed, created) if isinstance(o, ValidationError)]
        assert len(results) == 1 and len(refusals) == 1, (number, renewed, created)
        assert "重叠" in str(refusals[0])
        status = Lease.objects.get(pk=leases[number].pk).status
        assert status == (LeaseStatus.RENEWED if isinstance(renewed, Lease) else LeaseStatus.ACTIVE)


def test_a_move_and_a_new_lease_of_its_target_unit_never_deadlock_nor_overlap(world):
    """A move locks the units it leaves and the units it moves to in one pass, in id order, before the lease's
    row. Another writer locks the same two units (the target's id is the lower one), so a move that locked its
    own unit first and the target afterwards would deadlock with it; here one waits for the other. The other
    lease always overlaps something: the moving tenant's unit before the move, the target after it."""
    targets = [Unit.objects.create(building=world.building_a, floor=world.floor_a, code=f"MT{n:03d}",
                                   area=Decimal("50")) for n in range(ROUNDS)]
    leases = leases_on_fresh_units(world, ROUNDS, "MV")

    def move(number):
        return services.lease_move(user=world.users["operator"], instance=leases[number], units=[targets[number]],
                                   moved_on=TODAY + 5 * DAY)

    def other_tenant(number):
        return services.lease_create(user=world.users["officer"], data={
            "enterprise": world.tenant_b, "units": [targets[number], leases[number].units.get()],
            "start_date": TODAY + 20 * DAY, "end_date": TODAY + 50 * DAY, "monthly_rent": Decimal("90"),
            "contract_number": f"T{number}"})

    outcomes = race([move, other_tenant], rounds=ROUNDS)

    for number, (moved, created) in enumerate(outcomes):
        assert isinstance(moved, Lease), (number, moved)  # never a deadlock or another database error
        assert isinstance(created, ValidationError) and "重叠" in str(created), (number, created)
        assert holding_overlaps(targets[number]) == [] and holding_overlaps(leases[number].units.get()) == []
        assert Unit.objects.get(pk=targets[number].pk).status == UnitStatus.RESERVED


def test_a_follow_up_and_a_renewal_at_once_leave_the_follow_up_renewed(world):
    """Whichever comes first, the lease's stored follow-up is its latest entry's: 已续约."""
    leases = leases_on_fresh_units(world, ROUNDS, "FU")

    def note(number):
        return services.lease_follow_up(user=world.users["officer"], instance=leases[number],
                                        status=FollowUpStatus.TALKING, note="再谈", next_contact_on=TODAY + 3 * DAY)

    def renew(number):
        return services.lease_renew(user=world.users["operator"], instance=leases[number], end_date=TODAY + 700 * DAY,
                                    monthly_rent=Decimal("130"))

    outcomes = race([note, renew], rounds=ROUNDS)

    for number, (noted, renewed) in enumerate(outcomes):
        assert isinstance(renewed, Lease), (number, renewed)
        assert isinstance(noted, (Lease, Refused)), (number, noted)
        lease = Lease.objects.get(pk=leases[number].pk)
        latest = lease.follow_ups.order_by("-pk").first()
        assert lease.follow_up == latest.status == FollowUpStatus.RENEWED and lease.next_contact_on is None
