"""Two people record rent paid for overlapping periods of one lease at the same moment (PostgreSQL: real threads,
real transactions): the lease's row lock lets exactly one of them in, the other is refused in words."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from leasing import services
from leasing.models import Lease, RentPayment
from spaces.choices import UnitStatus
from spaces.models import Unit
from yuanqu.racing import postgres_only, race

DAY = datetime.timedelta(days=1)
ROUNDS = 100

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def periods(start, number: int) -> tuple[tuple, tuple]:
    """Round ``number``'s two periods: they share five days; no other round's periods come near."""
    first = start + 20 * number * DAY
    return (first, first + 9 * DAY), (first + 5 * DAY, first + 14 * DAY)


def test_two_writers_never_store_overlapping_payments_of_one_lease(world):
    unit = Unit.objects.create(building=world.building_a, floor=world.floor_a, code="1299", area=Decimal("100"),
                               status=UnitStatus.VACANT)
    start = datetime.date(2020, 1, 1)
    lease = services.lease_create(user=world.users["officer"], data={
        "enterprise": world.tenant_a, "units": [unit], "start_date": start,
        "end_date": start + (20 * ROUNDS + 30) * DAY, "monthly_rent": Decimal("100.00"), "contract_number": "RACE"})

    def writer(user, which):
        def create(number):
            first, last = periods(start, number)[which]
            return services.rent_payment_create(user=user, data={
                "lease": Lease.objects.get(pk=lease.pk), "period_start": first, "period_end": last,
                "amount": Decimal("1000.00")})
        return create

    outcomes = race([writer(world.users["enterprise"], 0), writer(world.users["operator"], 1)], rounds=ROUNDS)

    spans = sorted(RentPayment.objects.filter(lease=lease).values_list("period_start", "period_end"))
    assert all(later[0] > earlier[1] for earlier, later in zip(spans, spans[1:], strict=False)), "overlap stored"
    for number, pair in enumerate(outcomes):
        stored = [o for o in pair if isinstance(o, RentPayment)]
        refused = [o for o in pair if isinstance(o, ValidationError)]
        assert len(stored) == 1 and len(refused) == 1, (number, pair)  # never a database error, never both
        assert "重叠" in " ".join(refused[0].message_dict["period_start"])
    assert len(spans) == ROUNDS
