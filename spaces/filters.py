import django_filters
from django.forms import Select
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.surfaces.filters import BaseFilterSet, YesNoFilter, scoped

from .choices import ParkKind, UnitStatus, UnitUse, ZoneKind
from .models import Building, Floor, Operator, Park, Unit, Zone


def _id(value) -> bool:
    return bool(value) and value.isdigit() and len(value) < 16


def buildings_of_chosen_park(request):
    """The building filter offers the buildings of the park chosen beside it, loaded when a park is chosen
    (a district has hundreds of buildings, a city thousands: no page lists them all). A building given
    without its park (a link from the building's page) is offered alone."""
    buildings = scoped(Building)(request)
    park = request.GET.get("park") if request is not None else None
    building = request.GET.get("building") if request is not None else None
    if _id(park):
        return buildings.filter(park_id=park)
    if _id(building):
        return buildings.filter(pk=building)
    return buildings.none()


# Up to this many parks are listed in a park filter; beyond (a city has thousands) the select holds only the
# chosen park and loads the rest when it is opened.
LONG_LIST = 300


def parks_offered(request):
    parks = scoped(Park)(request)
    if request is None or len(parks.values_list("pk", flat=True)[:LONG_LIST + 1]) <= LONG_LIST:
        return parks
    park = request.GET.get("park")
    return parks.filter(pk=park) if _id(park) else parks.none()


def park_filter(**kwargs):
    return django_filters.ModelChoiceFilter(
        label=_("park"), queryset=parks_offered,
        widget=Select(attrs={"data-options-lazy": reverse_lazy("spaces:park_options")}), **kwargs,
    )


def building_filter(**kwargs):
    return django_filters.ModelChoiceFilter(
        label=_("building"), queryset=buildings_of_chosen_park,
        widget=Select(attrs={"data-depends-on": "park", "data-options-url": reverse_lazy("spaces:building_options")}),
        **kwargs,
    )


def operator_filter(**kwargs):
    """The park operators the user may see: every operator for the bureau, its own for an operator."""
    return django_filters.ModelChoiceFilter(label=_("park operator"), queryset=scoped(Operator), **kwargs)


class OperatorFilterSet(BaseFilterSet):
    class Meta:
        model = Operator
        fields = ["q"]


class ZoneFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ZoneKind.choices)
    parent = django_filters.ModelChoiceFilter(label=_("parent zone"), queryset=scoped(Zone))

    class Meta:
        model = Zone
        fields = ["q", "kind", "parent"]


class ParkFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ParkKind.choices)
    zone = django_filters.ModelChoiceFilter(label=_("zone"), queryset=scoped(Zone), method="in_zone")
    operator = django_filters.ModelChoiceFilter(label=_("operator"), queryset=scoped(Operator))

    class Meta:
        model = Park
        fields = ["q", "kind", "zone", "operator"]

    def in_zone(self, queryset, name, zone):
        return queryset.filter(zone_id__in=zone.descendant_ids()) if zone else queryset


class BuildingFilterSet(BaseFilterSet):
    park = park_filter()
    zone = django_filters.ModelChoiceFilter(label=_("zone"), queryset=scoped(Zone), method="in_zone")

    class Meta:
        model = Building
        fields = ["q", "park", "zone"]

    def in_zone(self, queryset, name, zone):
        return queryset.filter(park__zone_id__in=zone.descendant_ids()) if zone else queryset


class FloorFilterSet(BaseFilterSet):
    building = django_filters.ModelChoiceFilter(label=_("building"), queryset=scoped(Building))

    class Meta:
        model = Floor
        fields = ["q", "building"]


class UnitFilterSet(BaseFilterSet):
    search_lookups = ("search_text__contains", "building__search_text__contains")
    status = django_filters.ChoiceFilter(label=_("status"), choices=UnitStatus.choices)
    use = django_filters.ChoiceFilter(label=_("use"), choices=UnitUse.choices)
    park = park_filter(field_name="building__park")
    building = building_filter()
    government_owned = YesNoFilter(label=_("government-owned"))
    area_min = django_filters.NumberFilter(label=_("area from (m²)"), field_name="area", lookup_expr="gte")
    area_max = django_filters.NumberFilter(label=_("area to (m²)"), field_name="area", lookup_expr="lte")
    rent_max = django_filters.NumberFilter(label=_("asking rent up to"), field_name="asking_rent", lookup_expr="lte")

    class Meta:
        model = Unit
        fields = ["q", "status", "use", "park", "building", "government_owned", "area_min", "area_max", "rent_max"]


class LongVacancyFilterSet(BaseFilterSet):
    """The long-vacancy page's filters (its units; the view applies the same park and operator to buildings)."""

    q = None
    park = park_filter(field_name="building__park")
    operator = operator_filter(field_name="building__park__operator")

    class Meta:
        model = Unit
        fields = ["park", "operator"]
