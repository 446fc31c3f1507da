from django.utils.translation import gettext_lazy as _

from core.surfaces import Column, Surface, register

from . import filters, forms, selectors, services
from .models import Building, Floor, Operator, Park, Unit, Zone


def zone_context(request, zone):
    units = selectors.units_in_zone(user=request.user, zone=zone)
    parks = Park.objects.for_user(request.user).filter(zone_id__in=zone.descendant_ids()).select_related("zone", "operator")
    return {
        "occupancy": selectors.occupancy_of(units),
        "scoped_units": units,
        "children": Zone.objects.for_user(request.user).filter(parent=zone),
        "parks": parks,
    }


def park_context(request, park):
    units = selectors.units_in_park(user=request.user, park=park)
    buildings = Building.objects.for_user(request.user).filter(park=park)
    return {"occupancy": selectors.occupancy_of(units), "scoped_units": units, "buildings": buildings}


def building_context(request, building):
    units = selectors.units_in_building(user=request.user, building=building)
    return {
        "occupancy": selectors.occupancy_of(units),
        "scoped_units": units,
        "plan": selectors.building_stacking_plan(user=request.user, building=building),
    }


def floor_context(request, floor):
    units = Unit.objects.for_user(request.user).filter(floor=floor)
    return {"occupancy": selectors.occupancy_of(units), "units": units}


operator = register(Surface(
    model=Operator, filterset=filters.OperatorFilterSet, form=forms.OperatorForm, slug="operators",
    columns=[Column("name", link=True), Column("credit_code"), Column("contact_phone")],
))

zone = register(Surface(
    model=Zone, filterset=filters.ZoneFilterSet, form=forms.ZoneForm, slug="zones",
    columns=[Column("name", link=True), Column("code"), Column("kind", template="core/cells/choice.html"),
             Column("parent")],
    select_related=("parent",), extra_context=zone_context,
))

park = register(Surface(
    model=Park, filterset=filters.ParkFilterSet, form=forms.ParkForm, slug="parks",
    columns=[Column("name", link=True), Column("code"), Column("kind", template="core/cells/choice.html"),
             Column("zone", order_by="zone__name"), Column("operator", order_by="operator__name"), Column("address")],
    select_related=("zone", "operator"), extra_context=park_context,
))

building = register(Surface(
    model=Building, filterset=filters.BuildingFilterSet, form=forms.BuildingForm, slug="buildings",
    columns=[Column("name", link=True), Column("code"), Column("park", order_by="park__name"),
             Column("floors_above"), Column("gross_floor_area"), Column("completed_year")],
    select_related=("park",), extra_context=building_context,
))

floor = register(Surface(
    model=Floor, filterset=filters.FloorFilterSet, form=forms.FloorForm, slug="floors",
    columns=[Column("label", label=_("floor"), order_by="number", link=True),
             Column("building", order_by="building__name"), Column("number")],
    select_related=("building",), extra_context=floor_context,
))

unit = register(Surface(
    model=Unit, filterset=filters.UnitFilterSet, form=forms.UnitForm, slug="units",
    columns=[Column("code", link=True), Column("building", order_by="building__name"),
             Column("floor", label=_("floor"), order_by="floor__number", template="core/cells/floor.html",
                    export="floor.label"),
             Column("area"), Column("use", template="core/cells/choice.html"), Column("asking_rent"),
             Column("status", template="core/cells/choice.html"),
             Column("government_owned", template="core/cells/boolean.html"), Column("vacant_since")],
    select_related=("building", "floor"), default_sort="pk",
    create=services.unit_create, update=services.unit_update,
))
