"""Reads about leases: current tenants, expiry queue, tenants' industries; all within the user's scope."""

import datetime
from decimal import Decimal

from django.db.models import Sum

from enterprises.models import IndustryCategory
from spaces.models import Unit

from .choices import HOLDING_STATUSES, LeaseStatus
from .models import Lease


def current_leases(day: datetime.date | None = None):
    """Leases holding their units on ``day``: started, not yet ended (a termination cuts the end date)."""
    day = day or datetime.date.today()
    return Lease.objects.filter(status__in=HOLDING_STATUSES, start_date__lte=day, end_date__gte=day)


def lease_expiring(*, user, days: int, today: datetime.date | None = None):
    """Active leases whose end date falls within the next ``days`` days, soonest first."""
    today = today or datetime.date.today()
    return (
        Lease.objects.for_user(user)
        .filter(status=LeaseStatus.ACTIVE, end_date__gte=today, end_date__lte=today + datetime.timedelta(days=days))
        .select_related("enterprise")
        .prefetch_related("units__building")
        .order_by("end_date", "pk")
    )


def unit_tenants(unit_ids, day: datetime.date | None = None) -> dict[int, tuple[int, str]]:
    """{unit id: (enterprise id, enterprise name)} of the lease holding each unit on ``day``."""
    rows = (
        Lease.units.through.objects.filter(unit_id__in=list(unit_ids), lease__in=current_leases(day))
        .values_list("unit_id", "lease__enterprise_id", "lease__enterprise__name")
    )
    return {unit_id: (enterprise_id, name) for unit_id, enterprise_id, name in rows}


def tenant_industries(units, *, limit: int = 5, day: datetime.date | None = None) -> list[dict]:
    """The tenants' top industries (GB/T 4754 divisions) by leased area among ``units``."""
    rows = (
        Unit.objects.filter(pk__in=units.values("pk"))
        .filter(leases__in=current_leases(day))
        .exclude(leases__enterprise__industry=None)
        .values("leases__enterprise__industry__code")
        .annotate(area=Sum("area"))
    )
    by_division: dict[str, Decimal] = {}
    for row in rows:
        division = row["leases__enterprise__industry__code"][:2]
        by_division[division] = by_division.get(division, Decimal("0")) + (row["area"] or 0)
    total = sum(by_division.values(), Decimal("0"))
    names = dict(IndustryCategory.objects.filter(pk__in=by_division).values_list("code", "name"))
    ranked = sorted(by_division.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [
        {"code": code, "name": names.get(code, code), "area": area,
         "share": (area * 100 / total).quantize(Decimal("0.1")) if total else None}
        for code, area in ranked
    ]


def leases_overlapping(*, units, start: datetime.date, end: datetime.date, exclude_pk=None):
    """Leases holding any of ``units`` at some day of [start, end]."""
    qs = Lease.objects.filter(
        status__in=HOLDING_STATUSES, units__in=units, start_date__lte=end, end_date__gte=start
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.distinct()


def unit_leases(*, user, unit):
    return Lease.objects.for_user(user).filter(units=unit).select_related("enterprise").order_by("-start_date")


def enterprise_leases(*, user, enterprise):
    return (
        Lease.objects.for_user(user).filter(enterprise=enterprise)
        .prefetch_related("units__building").order_by("-start_date")
    )


