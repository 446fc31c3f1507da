"""Reads of projects: the lists a user may see, a zone's progress figures and the future supply of space that
zone and park pages show."""

from decimal import Decimal

from django.db.models import Count, Sum

from core.rules import percent_text
from core.rules.types import MISSING

from . import measures
from .choices import LANDED_STATUSES, DeliveryStatus, ProjectKind, ProjectStatus
from .models import Project, SpaceDelivery


def project_list(*, user):
    return Project.objects.for_user(user).select_related("zone", "park", "department")


def zone_progress(*, user, zone) -> dict:
    """Over the projects of ``zone`` and the zones within it that ``user`` may see: the space-making projects'
    count, land cleared, floor area demolished, households to relocate and relocated; and the landed projects
    under way or running (``landed``)."""
    in_zone = Project.objects.for_user(user).filter(zone_id__in=zone.descendant_ids())
    totals = in_zone.exclude(kind=ProjectKind.LANDED).aggregate(
        projects=Count("pk"), land_cleared=Sum("land_cleared"), area_demolished=Sum("area_demolished"),
        households_to_relocate=Sum("households_to_relocate"), households_relocated=Sum("households_relocated"))
    figures = {key: value if value is not None else (Decimal(0) if key.startswith(("land", "area")) else 0)
               for key, value in totals.items()}
    figures["landed"] = in_zone.filter(kind=ProjectKind.LANDED, status__in=LANDED_STATUSES).count()
    # The zone's relocation rate over its projects, each counting at most what it has to relocate.
    to_relocate, relocated = 0, 0
    for planned, done in in_zone.filter(households_to_relocate__gt=0).values_list("households_to_relocate",
                                                                                "households_relocated"):
        to_relocate, relocated = to_relocate + planned, relocated + min(done, planned)
    rate = measures.relocation_rate(relocated, to_relocate) if to_relocate else MISSING
    figures["relocation_rate"] = None if rate is MISSING else percent_text(rate, unit=False)
    return figures


def future_supply(*, user, zone=None, park=None):
    """Space still to be delivered by projects ``user`` may see, in ``zone`` (and the zones within it) or in
    ``park``, soonest first."""
    deliveries = SpaceDelivery.objects.for_user(user).filter(status=DeliveryStatus.EXPECTED).exclude(
        project__status=ProjectStatus.SUSPENDED).select_related("project", "park")
    if zone is not None:
        deliveries = deliveries.filter(project__zone_id__in=zone.descendant_ids())
    if park is not None:
        deliveries = deliveries.filter(park=park)
    return deliveries.order_by("expected_on", "pk")


def supply_by_use(deliveries) -> list[tuple[str, Decimal]]:
    """[(use label, area)] of the deliveries, largest first."""
    totals: dict = {}
    for delivery in deliveries:
        label = delivery.get_use_display()
        totals[label] = totals.get(label, Decimal(0)) + delivery.area
    return sorted(totals.items(), key=lambda item: -item[1])


def affordability_table(*, user, today) -> dict:
    """Fiscal affordability year by year, for the years whose budget expenditure is entered: the PPP spending of
    projects from procurement on (committed), that of projects still in identification or preparation (pipeline,
    as if they all went ahead), each as a share of the budget expenditure, against the caps in force ``today``."""
    from .choices import PPP_COMMITTED
    from .models import FiscalYear, PppPayment, PppProject, PppRule

    rule = PppRule.in_force(today)
    visible = PppProject.objects.for_user(user)
    fiscal = list(FiscalYear.objects.for_user(user).order_by("year"))
    committed: dict = {}
    pipeline: dict = {}
    for year, amount, stage in PppPayment.objects.filter(project__in=visible, year__in=[f.year for f in fiscal]) \
            .values_list("year", "amount", "project__stage"):
        bucket = committed if stage in PPP_COMMITTED else pipeline
        bucket[year] = bucket.get(year, 0) + int(amount * 100)
    rows = []
    for entry in fiscal:
        budget = int(entry.expenditure * 100)
        spent = committed.get(entry.year, 0)
        ahead = spent + pipeline.get(entry.year, 0)
        row = {"year": entry.year, "budget": budget, "committed": spent, "pipeline": pipeline.get(entry.year, 0),
               "projected": entry.projected, "share_bp": None}
        if rule is not None:
            caps = {"cap_bp": rule.cap_bp, "new_government_pay_cap_bp": rule.new_government_pay_cap_bp}
            now = measures.affordability({entry.year: (spent, budget)}, **caps)[0]
            later = measures.affordability({entry.year: (ahead, budget)}, **caps)[0]
            row.update(share_bp=now.share_bp, within_cap=now.within_cap,
                       new_government_pay_allowed=now.new_government_pay_allowed,
                       share_with_pipeline_bp=later.share_bp, pipeline_within_cap=later.within_cap)
        rows.append(row)
    chart = {"years": [str(r["year"]) for r in rows],
             "committed": [None if r.get("share_bp") in (None, MISSING) else r["share_bp"] / 100 for r in rows],
             "pipeline": [None if r.get("share_with_pipeline_bp") in (None, MISSING) else
                          (r["share_with_pipeline_bp"] - r["share_bp"]) / 100 for r in rows],
             "cap": None if rule is None else rule.cap_bp / 100,
             "new_cap": None if rule is None else rule.new_government_pay_cap_bp / 100}
    return {"rule": rule, "rows": rows, "chart": chart}
