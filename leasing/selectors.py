"""Reads about leases: current tenants, expiry queue, tenants' industries; all within the user's scope."""

import datetime
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from enterprises.models import IndustryCategory

from .choices import HOLDING_STATUSES, OPEN_FOLLOW_UPS, RUNNING_STATUSES, LeaseStatus
from .models import Lease, LeaseFollowUp


def current_leases(day: datetime.date | None = None):
    """Leases holding their units on ``day``: started, not yet ended (a termination cuts the end date)."""
    day = day or datetime.date.today()
    return Lease.objects.filter(status__in=HOLDING_STATUSES, start_date__lte=day, end_date__gte=day)


def lease_expiring(*, user, days: int, today: datetime.date | None = None):
    """Leases running to an end date within the next ``days`` days, soonest first: active ones, and renewed ones
    (their follow-up says 已续约)."""
    today = today or datetime.date.today()
    return (
        Lease.objects.for_user(user)
        .filter(status__in=RUNNING_STATUSES, end_date__gte=today, end_date__lte=today + datetime.timedelta(days=days))
        .select_related("enterprise")
        .prefetch_related("units__building")
        .order_by("end_date", "pk")
    )


# The expiry queue's windows, in days: its cards, its filter and its export.
EXPIRY_WINDOWS = (30, 60, 90)


def expiry_bands(leases, *, today: datetime.date, within: int) -> list[dict]:
    """For each window of the expiry queue, how many of ``leases`` end within it and the area they hold (one
    query); ``active`` marks the window shown."""
    totals = leases.order_by().aggregate(**{
        f"{key}{window}": function(field, filter=Q(end_date__lte=today + datetime.timedelta(days=window)))
        for window in EXPIRY_WINDOWS
        for key, function, field in (("count", Count, "pk"), ("area", Sum, "leased_area"))
    })
    return [{"days": window, "count": totals[f"count{window}"], "area": totals[f"area{window}"] or 0,
             "active": window == within} for window in EXPIRY_WINDOWS]


def leases_ending_within(leases, *, today: datetime.date, days: int):
    """Those of ``leases`` that end within ``days`` of ``today``, with their park (the queue's rows, its export)."""
    return leases.filter(end_date__lte=today + datetime.timedelta(days=days)).select_related("park")


def lease_active_count(*, user) -> int:
    return Lease.objects.for_user(user).filter(status=LeaseStatus.ACTIVE).count()


def leases_of_enterprise_user(*, user):
    """An enterprise user's leases, with what the home page shows of them."""
    return Lease.objects.for_user(user).select_related("enterprise").prefetch_related("units__building")


def follow_up_visible(user) -> bool:
    """Renewal talks are the park's and the bureau's business: an enterprise user does not see its leases'
    follow-ups (their notes are about the enterprise)."""
    from core.reference.choices import Role

    return bool(user and user.is_authenticated and user.role != Role.ENTERPRISE)


def with_follow_up_note(leases):
    """``leases`` with ``follow_up_note``: the note of each one's latest follow-up (for a page or an export;
    not for counting)."""
    latest = LeaseFollowUp.objects.filter(lease=OuterRef("pk")).order_by("-pk").values("note")[:1]
    return leases.annotate(follow_up_note=Subquery(latest))


def followups_due(today: datetime.date | None = None, *, user=None):
    """Leases whose follow-up is open (待跟进 or 洽谈中) and whose next contact date is before ``today``: the
    operator said when to call the tenant again, and that day has passed. Active and expired leases only (a
    renewed or terminated lease needs no more talks). Within ``user``'s scope when given."""
    today = today or datetime.date.today()
    leases = Lease.objects.for_user(user) if user is not None else Lease.objects.all()
    return (
        leases.filter(follow_up__in=OPEN_FOLLOW_UPS, next_contact_on__lt=today,
                      status__in=(LeaseStatus.ACTIVE, LeaseStatus.EXPIRED))
        .select_related("enterprise", "park")
        .order_by("next_contact_on", "pk")
    )


def lease_follow_ups(*, lease):
    """A lease's follow-up entries, newest first (the lease was read within the user's scope)."""
    return lease.follow_ups.order_by("-created", "-pk")


def unit_tenants(unit_ids, day: datetime.date | None = None) -> dict[int, tuple[int, str]]:
    """{unit id: (enterprise id, enterprise name)} of the lease holding each unit on ``day``."""
    day = day or datetime.date.today()
    rows = Lease.units.through.objects.filter(unit_id__in=list(unit_ids)).values_list(
        "unit_id", "lease__status", "lease__start_date", "lease__end_date", "lease__enterprise_id",
        "lease__enterprise__name",
    )
    return {
        unit_id: (enterprise_id, name)
        for unit_id, status, start, end, enterprise_id, name in rows
        if status in HOLDING_STATUSES and start <= day <= end
    }


# Up to this many units are named in the query; beyond it the leases in force are read and narrowed in
# Python. SQLite plans "unit_id IN (subquery)" as a probe per lease and unit (quadratic: 2.1 s for the
# demo district's home page, see docs/benchmarks.md).
UNITS_IN_QUERY = 2000


def tenant_industries(units, *, limit: int = 5, day: datetime.date | None = None) -> list[dict]:
    """The tenants' top industries (GB/T 4754 divisions) by leased area among ``units``."""
    day = day or datetime.date.today()
    unit_ids = set(units.order_by().values_list("pk", flat=True))
    rows = Lease.units.through.objects.filter(lease__enterprise__industry__isnull=False)
    if len(unit_ids) <= UNITS_IN_QUERY:
        # Driven by the units (their index), with the lease's dates checked below.
        rows = rows.filter(unit_id__in=unit_ids)
    else:
        rows = rows.filter(lease__status__in=HOLDING_STATUSES, lease__start_date__lte=day, lease__end_date__gte=day)
    by_division: dict[str, Decimal] = {}
    for unit_id, status, start, end, industry, area in rows.values_list(
        "unit_id", "lease__status", "lease__start_date", "lease__end_date", "lease__enterprise__industry_id",
        "unit__area",
    ):
        if unit_id in unit_ids and status in HOLDING_STATUSES and start <= day <= end:
            by_division[industry[:2]] = by_division.get(industry[:2], Decimal("0")) + area
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


def rent_on(lease, day: datetime.date) -> Decimal:
    """The lease's rent (yuan per m² per month) on ``day``: 0 in its rent-free months, else its latest rent step
    on or before the day, else its own monthly rent (the rule: leasing.rent.rent_on_day). Reads the lease's
    steps (prefetched ``rent_steps`` are used as they are)."""
    from .rent import rent_on_day

    steps = [(step.starts_on, step.monthly_rent) for step in lease.rent_steps.all()]
    return rent_on_day(day=day, start=lease.start_date, monthly_rent=lease.monthly_rent,
                       rent_free_months=lease.rent_free_months, steps=steps)


def lease_rent_steps(*, lease):
    """A lease's escalation schedule, earliest step first (the lease was read within the user's scope)."""
    return lease.rent_steps.order_by("starts_on")


def lease_payments_by_year(*, lease) -> list[dict]:
    """The rent paid on a lease per year (of each period's start), latest year first: total, number of payments,
    how many of them and how much still await the operator's confirmation. One query."""
    from django.db.models.functions import ExtractYear

    from .models import RentPayment

    unconfirmed = Q(confirmed_at__isnull=True)
    rows = (RentPayment.objects.filter(lease=lease).annotate(year=ExtractYear("period_start")).values("year")
            .annotate(total=Sum("amount"), count=Count("pk"), unconfirmed=Count("pk", filter=unconfirmed),
                      unconfirmed_total=Sum("amount", filter=unconfirmed))
            .order_by("-year"))
    return [{**row, "unconfirmed_total": row["unconfirmed_total"] or Decimal("0")} for row in rows]


def lease_sublets(*, lease):
    return lease.sublets.select_related("subtenant").order_by("-starts_on", "-pk")


def rent_steps_of(lease_ids) -> dict[int, list[tuple[datetime.date, Decimal]]]:
    """{lease id: [(starts on, rent), …] earliest first} for many leases in one query (set-based readers of
    leasing.rent.rent_on_day); a lease without steps is left out."""
    from .models import RentStep

    found: dict[int, list] = {}
    for lease_id, starts_on, rent in (RentStep.objects.filter(lease_id__in=list(lease_ids))
                                      .order_by("lease_id", "starts_on").values_list("lease_id", "starts_on", "monthly_rent")):
        found.setdefault(lease_id, []).append((starts_on, rent))
    return found
