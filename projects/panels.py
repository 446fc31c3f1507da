"""Blocks projects add to other apps' pages (core.surfaces.extensions): the future supply of space on a zone's
and a park's page, for those who may see projects."""


def _supply(request, context, **where):
    from core.access.permissions import VIEW, role_may

    from .models import SpaceDelivery
    from .selectors import future_supply, supply_by_use

    if not role_may(request.user, VIEW, SpaceDelivery):
        return None
    deliveries = list(future_supply(user=request.user, **where))
    return {"deliveries": deliveries, "by_use": supply_by_use(deliveries)}


def zone_supply(request, zone, context):
    return _supply(request, context, zone=zone)


def zone_projects(request, zone, context):
    """The zone's projects in figures (selectors.zone_progress), for those who may see projects."""
    from core.access.permissions import VIEW, role_may

    from .models import Project
    from .selectors import zone_progress

    if not role_may(request.user, VIEW, Project):
        return None
    figures = zone_progress(user=request.user, zone=zone)
    if not figures["projects"] and not figures["landed"]:
        return None
    return {**figures, "zone": zone}


def park_supply(request, park, context):
    return _supply(request, context, park=park)


def register() -> None:
    from core.surfaces.extensions import add_detail_panel

    add_detail_panel("spaces.zone", "projects/zone_projects_panel.html", zone_projects)
    add_detail_panel("spaces.zone", "projects/supply_panel.html", zone_supply)
    add_detail_panel("spaces.park", "projects/supply_panel.html", park_supply)
