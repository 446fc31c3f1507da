"""Reads of projects: the lists a user may see, a zone's progress figures and the future supply of space that
zone and park pages show."""

from decimal import Decimal

from django.db.models import Count, Sum

from .choices import DeliveryStatus, ProjectStatus
from .models import Project, SpaceDelivery


def project_list(*, user):
    return Project.objects.for_user(user).select_related("zone", "park", "department")


def zone_progress(*, user, zone) -> dict:
    """Land cleared, floor area demolished, households to relocate and relocated, over the projects of ``zone``
    and the zones within it that ``user`` may see."""
    totals = Project.objects.for_user(user).filter(zone_id__in=zone.descendant_ids()).aggregate(
        projects=Count("pk"), land_cleared=Sum("land_cleared"), area_demolished=Sum("area_demolished"),
        households_to_relocate=Sum("households_to_relocate"), households_relocated=Sum("households_relocated"))
    return {key: value if value is not None else (Decimal(0) if key.startswith(("land", "area")) else 0)
            for key, value in totals.items()}


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
