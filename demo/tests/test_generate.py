"""``manage.py generate``: counts, valid and unique codes, leases consistent with units, determinism.

Everything runs at ``--scale small`` (20 buildings, about 2,000 units, 5,000 enterprises), about a
second a run.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Exists, F, Max, OuterRef, Sum

from core.models import DomainEvent
from core.reference.search import search_key
from core.reference.validators import check_credit_code
from demo import generate
from enterprises.models import Enterprise
from leasing.choices import HOLDING_STATUSES
from leasing.models import Lease
from spaces.models import Building, Operator, Park, Unit, Zone
from spaces.selectors import occupancy_of

TODAY = datetime.date(2025, 6, 30)
LeaseUnit = Lease.units.through


def run(*args):
    out = io.StringIO()
    call_command("generate", "--scale", "small", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def covering(today):
    return LeaseUnit.objects.filter(
        unit_id=OuterRef("pk"), lease__status__in=HOLDING_STATUSES,
        lease__start_date__lte=today, lease__end_date__gte=today,
    )


def future(today):
    return LeaseUnit.objects.filter(unit_id=OuterRef("pk"), lease__status__in=HOLDING_STATUSES,
                                    lease__start_date__gt=today)


@pytest.mark.django_db
def test_small_scale_is_valid_and_realistic():
    out = run("--seed", "5")
    assert "已生成 Generated" in out

    # Counts in the expected ranges.
    assert Building.objects.count() == 20
    assert 2 <= Park.objects.count() <= 10
    assert Operator.objects.count() >= 1
    assert Zone.objects.count() == 16  # created as the demo does: the database had none
    assert 1_500 <= Unit.objects.count() <= 3_000
    assert Enterprise.objects.count() == 5_000
    assert 4_500 <= Lease.objects.count() <= 9_000
    assert DomainEvent.objects.filter(name=generate.GENERATE).count() == 1

    # Credit codes: all valid, all different.
    codes = list(Enterprise.objects.values_list("credit_code", flat=True))
    assert all(check_credit_code(code).ok for code in codes)
    assert len(set(codes)) == len(codes)
    assert all(check_credit_code(code).ok for code in Operator.objects.values_list("credit_code", flat=True))

    # No unit carries two leases that overlap (holding or not, the generator never overlaps them).
    # Read in order and compared with the unit's previous lease: a correlated EXISTS over every pair can be
    # planned as a nested loop over all of them on a freshly loaded PostgreSQL (minutes, not milliseconds).
    periods = LeaseUnit.objects.order_by("unit_id", "lease__start_date", "lease_id").values_list(
        "unit_id", "lease__start_date", "lease__end_date")
    previous_unit, previous_end, overlaps = None, None, []
    for unit_id, start, end in periods.iterator(chunk_size=5000):
        if unit_id == previous_unit and start <= previous_end:
            overlaps.append(unit_id)
        if unit_id != previous_unit or end > previous_end:
            previous_end = end
        previous_unit = unit_id
    assert overlaps == []

    # Unit status follows the leases, as leasing.services.units_refresh_status would set it.
    now, later = Exists(covering(TODAY)), Exists(future(TODAY))
    assert not Unit.objects.filter(status="leased").exclude(now).exists()
    assert not Unit.objects.filter(now).exclude(status="leased").exists()
    assert not Unit.objects.filter(later).exclude(status="reserved").exists()
    assert not Unit.objects.filter(status="vacant", vacant_since__isnull=True).exists()
    assert not Unit.objects.exclude(status="vacant").filter(vacant_since__isnull=False).exists()
    assert not Unit.objects.filter(vacant_since__gt=TODAY).exists()
    freed = Unit.objects.filter(status="vacant", leases__isnull=False).annotate(last=Max("leases__end_date"))
    assert freed.count() > 0
    assert all(u.vacant_since == u.last + datetime.timedelta(days=1) for u in freed)
    statuses = dict(Unit.objects.values_list("status").annotate(n=Max("pk")))
    assert set(statuses) == {"leased", "vacant", "reserved", "unavailable"}
    assert not Lease.objects.filter(status="terminated", terminated_on__isnull=True).exists()
    assert not Lease.objects.filter(status__in=["expired", "terminated"], end_date__gte=TODAY).exists()

    # The stored leased area is the sum of the units' areas.
    sample = Lease.objects.order_by("pk").annotate(total=Sum("units__area"))[:300]
    assert all(lease.leased_area == lease.total for lease in sample)
    assert all(lease.leased_area.as_tuple().exponent == -2 for lease in sample)

    # Area-weighted vacancy within 5–30 %; unit areas within 60–3,000 m².
    assert Decimal("5") <= occupancy_of(Unit.objects.all()).vacancy_rate <= Decimal("30")
    assert not Unit.objects.filter(area__lt=60).exists()
    assert not Unit.objects.filter(area__gt=3000).exists()

    # Tenants were established before their leases began (the oldest firm of a zone if none was).
    assert Lease.objects.filter(enterprise__established_on__gt=F("start_date")).count() <= Lease.objects.count() // 100

    # Search keys are filled (composed from cached pieces: the same as search_key but for rare phrases).
    sample = list(Enterprise.objects.order_by("pk")[:400])
    same = sum(e.search_text == search_key(e.name, e.credit_code) for e in sample)
    assert same >= 0.99 * len(sample)
    assert all(e.search_text.startswith(e.name.lower()) and e.credit_code.lower() in e.search_text for e in sample)
    assert all(u.search_text == search_key(u.code) for u in Unit.objects.order_by("pk")[:200])
    assert all(b.search_text == search_key(b.name) for b in Building.objects.all())
    assert all(p.search_text == search_key(p.name) for p in Park.objects.all())


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_existing_units_need_flush():
    def snapshot():
        return (
            list(Enterprise.objects.order_by("pk").values_list("credit_code", "name", "established_on")),
            list(Unit.objects.order_by("pk").values_list("building__code", "code", "area", "status")),
            list(Lease.objects.order_by("pk").values_list("contract_number", "start_date", "end_date",
                                                          "enterprise__credit_code")),
        )

    run("--seed", "3")
    first = snapshot()
    with pytest.raises(CommandError, match="--flush"):
        run("--seed", "3")
    assert snapshot() == first  # refused: nothing changed

    out = run("--seed", "3", "--flush")
    assert "Flushed" in out
    assert snapshot() == first
    assert DomainEvent.objects.filter(name=generate.FLUSH).count() == 1

    run("--seed", "4", "--flush")
    other = snapshot()
    assert other[0] != first[0]
    assert {c for c, *_ in other[0]} != {c for c, *_ in first[0]}
