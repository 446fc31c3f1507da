"""What spaces shows on the home page (core.surfaces.home): the district (or the operator's parks) at a glance."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access.permissions import VIEW, role_may
from core.surfaces.home import add_figure, add_section

from . import selectors
from .models import Unit

OVERVIEW = "spaces.overview"


def overview(request, page):
    """Occupancy, the figures and the chart by zone, for those who may see units."""
    user = request.user
    if not role_may(user, VIEW, Unit):
        return None
    units = selectors.unit_list(user=user)
    # The 片区 and other zones without sub-zones, where parks sit.
    by_zone = selectors.occupancy_by_zone(user=user)
    parents = {zone.parent_id for zone, _depth, _occ in by_zone}
    zones = [{"name": zone.name, "occupancy": occ} for zone, _depth, occ in by_zone
             if zone.pk not in parents and occ.unit_count]
    return {
        "scoped_units": units,
        "occupancy": selectors.occupancy_of(units),
        "zones_chart": {
            "legend": [gettext("Leased"), gettext("Reserved"), gettext("Vacant")],
            "names": [z["name"] for z in zones],
            "leased": [float(z["occupancy"].occupancy_rate or 0) for z in zones],
            "reserved": [float(z["occupancy"].reserved_rate or 0) for z in zones],
            "vacant": [float(z["occupancy"].vacancy_rate or 0) for z in zones],
        },
    }


def park_count(request, page):
    return selectors.park_count(user=request.user)


def building_count(request, page):
    return selectors.building_count(user=request.user)


def unit_count(request, page):
    return page["occupancy"].unit_count


def long_vacant_count(request, page):
    return selectors.long_vacant_units(user=request.user, months=6).count()


add_section(OVERVIEW, template="spaces/home_overview.html", weight=100, context=overview,
            scripts=("vendor/echarts/echarts.min.js", "js/home.js"))
add_figure(OVERVIEW, _("Parks"), park_count, weight=10)
add_figure(OVERVIEW, _("Buildings"), building_count, weight=20)
add_figure(OVERVIEW, _("Units"), unit_count, weight=30)
add_figure(OVERVIEW, _("Units vacant over 6 months"), long_vacant_count, weight=70, url_name="spaces:long_vacancy",
           tone="danger")
