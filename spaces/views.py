import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.geo import feature
from core.permissions import VIEW, role_may

from . import selectors
from .models import Building, Floor, Park, Unit, Zone

BOUNDARY_FILE = Path(__file__).parent / "data" / "futian-boundary.geojson"


@login_required
def zone_tree(request):
    if not role_may(request.user, VIEW, Zone):
        raise PermissionDenied
    rows = [{"zone": zone, "depth": depth, "occupancy": occupancy}
            for zone, depth, occupancy in selectors.occupancy_by_zone(user=request.user)]
    return render(request, "spaces/zone_tree.html", {"rows": rows})


@login_required
def long_vacancy(request):
    if not role_may(request.user, VIEW, Unit):
        raise PermissionDenied
    months = 12 if request.GET.get("months") == "12" else 6
    units = selectors.long_vacant_units(user=request.user, months=months)
    buildings = selectors.long_vacant_buildings(user=request.user, months=months)[:50]
    return render(request, "spaces/long_vacancy.html", {
        "months": months, "units": units[:200], "unit_count": units.count(), "buildings": buildings,
    })


@login_required
def floor_options(request):
    """<option>s of a building's floors, for the unit form's floor select (htmx)."""
    building = request.GET.get("building", "")
    floors = Floor.objects.for_user(request.user).filter(building_id=int(building) if building.isdigit() and len(building) < 16 else 0)
    return render(request, "spaces/floor_options.html", {"floors": floors})


@login_required
def building_options(request):
    """<option>s of the user's buildings in a park, for the unit list's building filter (htmx)."""
    buildings = Building.objects.for_user(request.user).order_by("code")
    park = request.GET.get("park", "")
    if park.isdigit() and len(park) < 16:
        buildings = buildings.filter(park_id=park)
    return render(request, "spaces/building_options.html", {"buildings": buildings})


@login_required
def park_options(request):
    """<option>s of every park the user may see, for a park filter too long to list on each page (htmx)."""
    parks = Park.objects.for_user(request.user).order_by("code").only("pk", "name")
    return render(request, "spaces/park_options.html", {"parks": parks, "selected": request.GET.get("selected", "")})


@login_required
def district_map(request):
    if not role_may(request.user, VIEW, Park):
        raise PermissionDenied
    return render(request, "spaces/map.html", {
        "tile_url": settings.YUANQU_MAP_TILE_URL, "tile_attribution": settings.YUANQU_MAP_TILE_ATTRIBUTION,
    })


@login_required
def map_data(request):
    """GeoJSON for the map: the district boundary, zone polygons and the user's parks as points."""
    if not role_may(request.user, VIEW, Park):
        raise PermissionDenied
    boundary = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    zones = [
        feature(z.geometry, id=z.pk, name=z.name, kind=z.kind, url=z.get_absolute_url())
        for z in Zone.objects.for_user(request.user).exclude(geometry=None).filter(parent__isnull=False)
        if z.geometry
    ]
    parks = []
    for park in Park.objects.for_user(request.user).select_related("zone").exclude(latitude=None):
        parks.append(feature(
            {"type": "Point", "coordinates": [float(park.longitude), float(park.latitude)]},
            id=park.pk, name=park.name, zone=park.zone.name, kind=park.get_kind_display(), url=park.get_absolute_url(),
        ))
    return JsonResponse({
        "boundary": boundary,
        "zones": {"type": "FeatureCollection", "features": zones},
        "parks": {"type": "FeatureCollection", "features": parks},
        "labels": {"boundary": _("Futian District"), "parks": _("Parks"), "zones": _("Zones")},
    })
