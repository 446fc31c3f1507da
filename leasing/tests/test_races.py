"""Two people record leases of one unit at the same moment (PostgreSQL: real threads, real transactions).

Each round gives two writers overlapping periods of the same vacant unit; rounds use periods far apart, so
each round is a race of its own on a unit whose earlier leases are not in the way.
"""

import datetime
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.accounts.tokens import token_create
from leasing import services
from leasing.choices import HOLDING_STATUSES
from leasing.models import Lease
from spaces.choices import UnitStatus
from spaces.models import Unit
from yuanqu.racing import call_api, postgres_only, race

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
ROUNDS = 200
OVERLAP_WORDS = "与本租期重叠"

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def periods(number: int) -> tuple[tuple, tuple]:
    """Round ``number``'s two periods: they share five days; no other round's periods come near."""
    start = TODAY + (30 + 20 * number) * DAY
    return (start, start + 9 * DAY), (start + 5 * DAY, start + 14 * DAY)


def overlapping_pairs(unit) -> list:
    """Pairs of holding leases of ``unit`` whose periods meet, read from the stored rows."""
    spans = sorted(Lease.objects.filter(units=unit, status__in=HOLDING_STATUSES).values_list("start_date", "end_date"))
    return [(a, b) for a, b in zip(spans, spans[1:], strict=False) if b[0] <= a[1]]


def test_two_writers_never_store_overlapping_leases_of_one_unit(world):
    officer, operator = world.users["officer"], world.users["operator"]
    unit = world.unit_a2

    def writer(user, which):
        def create(number):
            start, end = periods(number)[which]
            return services.lease_create(user=user, data={
                "enterprise": world.tenant_a, "units": [unit], "start_date": start, "end_date": end,
                "monthly_rent": Decimal("100.00"), "contract_number": f"R{number}-{which}"})
        return create

    outcomes = race([writer(officer, 0), writer(operator, 1)], rounds=ROUNDS)

    assert overlapping_pairs(unit) == []
    for number, pair in enumerate(outcomes):
        leases = [o for o in pair if isinstance(o, Lease)]
        refusals = [o for o in pair if isinstance(o, ValidationError)]
        assert len(leases) == 1 and len(refusals) == 1, (number, pair)  # never a database error, never both
        assert OVERLAP_WORDS in " ".join(refusals[0].message_dict["units"]) and "1202" in str(refusals[0])
    assert Lease.objects.filter(units=unit).count() == ROUNDS
    unit.refresh_from_db()
    assert unit.status == UnitStatus.RESERVED  # every lease begins in the future


def test_two_api_clients_never_store_overlapping_leases_of_one_unit(world, live_server):
    unit = world.unit_a2
    keys = [token_create(user=world.users[name], name="race")[1] for name in ("officer", "operator")]

    def client(which):
        def post(number):
            start, end = periods(number)[which]
            return call_api(live_server.url, "/api/leasing/leases", {
                "enterprise": world.tenant_a.pk, "units": [unit.pk], "start_date": start.isoformat(),
                "end_date": end.isoformat(), "monthly_rent": "100", "contract_number": f"A{number}"}, key=keys[which])
        return post

    outcomes = race([client(0), client(1)], rounds=ROUNDS)

    assert overlapping_pairs(unit) == []
    for number, pair in enumerate(outcomes):
        statuses = sorted(status for status, _body in pair)
        assert statuses == [201, 400], (number, pair)  # one lease, one refusal in Chinese; never a 500
        refused = next(body for status, body in pair if status == 400)
        (error,) = refused["errors"]
        assert error["field"] == "units" and OVERLAP_WORDS in error["message"] and "1202" in error["message"]
    assert Lease.objects.filter(units=unit).count() == ROUNDS
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.RESERVED


def fresh_units(world, count: int, status=UnitStatus.VACANT) -> list[Unit]:
    return [Unit.objects.create(building=world.building_a, floor=world.floor_a, code=f"R{n:03d}", area=Decimal("100"),
                                status=status) for n in range(count)]


def test_a_unit_marked_unavailable_while_it_is_leased_ends_one_way_or_the_other(world):
    """The status a person sets and the status a lease sets are decided under the unit's lock: either the
    lease comes first (the unit is leased, and the hand-set status is refused) or the mark does (and the lease
    of an unavailable unit is refused)."""
    units = fresh_units(world, 30)

    def lease(number):
        return services.lease_create(user=world.users["officer"], data={
            "enterprise": world.tenant_a, "units": [units[number]], "start_date": TODAY - DAY,
            "end_date": TODAY + 100 * DAY, "monthly_rent": Decimal("90.00"), "contract_number": f"S{number}"})

    def mark_unavailable(number):
        from spaces.services import unit_update

        time.sleep(number % 10 * 0.004)  # a lease takes longer to record: meet it at each of its steps
        return unit_update(user=world.users["operator"], instance=units[number],
                           data={"status": UnitStatus.UNAVAILABLE})

    outcomes = race([lease, mark_unavailable], rounds=len(units))

    for number, (leased, marked) in enumerate(outcomes):
        unit = Unit.objects.get(pk=units[number].pk)
        if isinstance(leased, Lease):
            assert isinstance(marked, ValidationError) and "status" in marked.message_dict, (number, marked)
            assert unit.status == UnitStatus.LEASED
        else:
            assert isinstance(leased, ValidationError) and "不可租" in str(leased), (number, leased)
            assert isinstance(marked, Unit) and unit.status == UnitStatus.UNAVAILABLE


def test_a_unit_status_follows_leases_written_at_the_same_moment(world):
    """One officer ends a unit's lease while another records its next one: whichever commits last recomputes
    the status from both, so the unit ends reserved (for the next lease), never vacant or still leased."""
    units = fresh_units(world, 30, status=UnitStatus.LEASED)
    current = []
    for number, unit in enumerate(units):
        lease = Lease.objects.create(enterprise=world.tenant_b, park=world.park_a, start_date=TODAY - 50 * DAY,
                                     end_date=TODAY + 100 * DAY, monthly_rent=Decimal("80"), contract_number=f"C{number}")
        lease.units.add(unit)
        current.append(lease)

    def terminate(number):
        return services.lease_terminate(user=world.users["officer"], instance=current[number], terminated_on=TODAY - DAY)

    def next_lease(number):
        return services.lease_create(user=world.users["admin"], data={
            "enterprise": world.tenant_a, "units": [units[number]], "start_date": TODAY + 200 * DAY,
            "end_date": TODAY + 500 * DAY, "monthly_rent": Decimal("90.00"), "contract_number": f"N{number}"})

    outcomes = race([terminate, next_lease], rounds=len(units))

    for number, pair in enumerate(outcomes):
        assert all(isinstance(o, Lease) for o in pair), (number, pair)
    statuses = list(Unit.objects.filter(pk__in=[u.pk for u in units]).values_list("status", flat=True))
    assert statuses == [UnitStatus.RESERVED] * len(units)


def test_a_tenant_deleted_while_its_lease_is_recorded_is_a_message_either_way(world):
    """The database checks a lease's enterprise while the lease is saved (not at commit, where it would be a
    500): deleting the enterprise and recording its lease at once ends with one of them refused in words."""
    from core.services import object_delete
    from enterprises.models import Enterprise

    tenants = [Enterprise.objects.create(name=f"将注销企业{n}", credit_code=f"91440300MA5RACE{n:02d}X",
                                         credit_code_exception=True) for n in range(20)]
    units = fresh_units(world, 20)

    def record(number):
        return services.lease_create(user=world.users["officer"], data={
            "enterprise": tenants[number], "units": [units[number]], "start_date": TODAY, "end_date": TODAY + 99 * DAY,
            "monthly_rent": Decimal("70.00"), "contract_number": f"D{number}"})

    def delete(number):
        time.sleep(number % 5 * 0.004)
        return object_delete(user=world.users["admin"], instance=tenants[number])

    outcomes = race([record, delete], rounds=len(tenants))

    for number, (lease, deleted) in enumerate(outcomes):
        exists = Enterprise.objects.filter(pk=tenants[number].pk).exists()
        if isinstance(lease, Lease):
            assert isinstance(deleted, ValidationError) and exists, (number, deleted)
        else:
            assert isinstance(lease, ValidationError) and deleted is None and not exists, (number, lease)
            assert Unit.objects.get(pk=units[number].pk).status == UnitStatus.VACANT
