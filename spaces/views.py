
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.access.permissions import VIEW, role_may
from core.surfaces import counting
from core.surfaces.reports import export, filtered, page_of, querystring

from . import quality as quality_module
from . import selectors
from .filters import LongVacancyFilterSet
from .models import Building, Floor, Park, Unit, Zone


@login_required
def zone_tree(request):
    if not role_may(request.user, VIEW, Zone):
        raise PermissionDenied
    rows = [{"zone": zone, "depth": depth, "occupancy": occupancy}
            for zone, depth, occupancy in selectors.occupancy_by_zone(user=request.user)]
    return render(request, "spaces/zone_tree.html", {"rows": rows})


def _long_vacancy(request):
    """(filterset, months, units, buildings): the long-vacant units and their buildings, by park and operator."""
    if not role_may(request.user, VIEW, Unit):
        raise PermissionDenied
    months = 12 if request.GET.get("months") == "12" else 6
    filterset, units = filtered(LongVacancyFilterSet, request,
                                selectors.long_vacant_units(user=request.user, months=months))
    buildings = selectors.long_vacant_buildings(user=request.user, months=months).order_by("-long_vacant_area", "pk")
    chosen = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else {}
    if chosen.get("park"):
        buildings = buildings.filter(park=chosen["park"])
    if chosen.get("operator"):
        buildings = buildings.filter(park__operator=chosen["operator"])
    return filterset, months, units, buildings


@login_required
def long_vacancy(request):
    filterset, months, units, buildings = _long_vacancy(request)
    unit_page = page_of(request, units)
    building_page = page_of(request, buildings, param="building_page")
    return render(request, "spaces/long_vacancy.html", {
        "filterset": filterset, "months": months, "units": unit_page, "unit_count": unit_page.paginator.count,
        "buildings": building_page, "unit_pages": querystring(request, "page"),
        "building_pages": querystring(request, "building_page"),
        "filters": querystring(request, "page", "building_page", "months"),
        "exports": querystring(request, "page", "building_page", "format"),
    })


UNIT_COLUMNS = (_lazy("unit"), _lazy("building"), _lazy("park"), _lazy("area (m²)"),
                _lazy("asking rent (yuan/m²/month)"), _lazy("vacant since"))
BUILDING_COLUMNS = (_lazy("building"), _lazy("park"), _lazy("Units"), _lazy("Vacant area"))


@login_required
def long_vacancy_export(request):
    """The long-vacant units (or, with ``?list=buildings``, their buildings) with the page's filters."""
    _filterset, months, units, buildings = _long_vacancy(request)
    if request.GET.get("list") == "buildings":
        rows = ([b.name, b.park.name, b.long_vacant_units, b.long_vacant_area] for b in buildings.iterator(chunk_size=2000))
        return export(request, title=_("Long-vacant buildings"), model=Building,
                      headers=[str(h) for h in BUILDING_COLUMNS], rows=rows, count=buildings.count())
    rows = ([u.code, u.building.name, u.building.park.name, u.area, u.asking_rent, u.vacant_since]
            for u in units.iterator(chunk_size=2000))
    return export(request, title=_("Long-vacant units"), model=Unit, headers=[str(h) for h in UNIT_COLUMNS],
                  rows=rows, count=counting.count(units))


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
    boundary, zones, parks = selectors.map_features(user=request.user)
    return JsonResponse({
        "boundary": boundary,
        "zones": {"type": "FeatureCollection", "features": zones},
        "parks": {"type": "FeatureCollection", "features": parks},
        "labels": {"boundary": _("Futian District"), "parks": _("Parks"), "zones": _("Zones")},
    })


# ----- data quality (数据质量) ------------------------------------------------------------------------------------
QUALITY_SHOWN = 20


def _quality_scope(request, park_pk):
    """The park whose quality is asked for (None: the district as the user sees it); 404 outside scope."""
    if not role_may(request.user, VIEW, Building):
        raise PermissionDenied
    if park_pk is None:
        return None
    return get_object_or_404(Park.objects.for_user(request.user), pk=park_pk)


@login_required
def quality(request, park=None):
    """The 数据质量 page: four lists of probably wrong data, each counted, the first rows shown."""
    park = _quality_scope(request, park)
    lists = quality_module.quality_lists(user=request.user, park=park)
    # Counts are kept until the data change (core.surfaces.counting), like every list's.
    sections = [{"list": item, "count": counting.count(item.rows), "rows": item.complete(item.rows[:QUALITY_SHOWN])}
                for item in lists]
    return render(request, "spaces/quality.html", {"park": park, "sections": sections, "shown": QUALITY_SHOWN})


@login_required
def quality_detail(request, slug, park=None):
    """One list of the 数据质量 page, all its rows, a page at a time."""
    park = _quality_scope(request, park)
    item = quality_module.quality_list(slug, user=request.user, park=park)
    if item is None:
        raise Http404
    page = counting.CountingPaginator(item.rows, settings.YUANQU_PAGE_SIZE * 2).get_page(request.GET.get("page"))
    page.object_list = item.complete(page.object_list)
    return render(request, "spaces/quality_list.html", {"park": park, "list": item, "page": page})


@login_required
def quality_export(request, slug, park=None):
    """A list of the 数据质量 page as .xlsx or .csv, through the list export's writer; audited like it."""
    from core.surfaces.exports import export_value

    park = _quality_scope(request, park)
    item = quality_module.quality_list(slug, user=request.user, park=park)
    if item is None:
        raise Http404
    columns = item.columns
    return export(request, title=f"{_('Data quality')}-{item.title}", model=item.model,
                  headers=[column.verbose(item.model) for column in columns],
                  rows=([export_value(record, column) for column in columns] for record in _completed(item)),
                  count=counting.count(item.rows), about={"quality": slug, "park": park.pk if park else None})


def _completed(item, chunk=2000):
    """The list's rows in chunks of ``chunk``, each completed with one query (a building's median rent)."""
    batch = []
    for record in item.rows.iterator(chunk_size=chunk):
        batch.append(record)
        if len(batch) == chunk:
            yield from item.complete(batch)
            batch = []
    yield from item.complete(batch)
