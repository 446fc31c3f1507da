from django.utils.translation import gettext_lazy as _

from core.importing.spec import CODE, ImportColumn, ImportSpec
from core.surfaces import Column, Surface, register

from . import filters, forms, quality, selectors, services
from .choices import ParkKind, UnitStatus, UnitUse, ZoneKind
from .models import Building, Floor, Operator, Park, Unit, Zone, floor_number

BUILDING = ImportColumn(match=("code", "name"), aliases=("楼宇编码", "楼宇代码", "楼栋编码", "楼宇编号", "楼宇名称"),
                        help=_("The building's code (or its name, when no other building has it)"))
FLOOR = ImportColumn(match=("number",), within="building", parse=floor_number,
                     aliases=("楼层", "所在楼层", "所在层", "层"), help=_("12, 12F, 12层, B1 or -1"))


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
    importer=ImportSpec(
        key=("name",),
        columns={"credit_code": ImportColumn(kind=CODE, aliases=("统一社会信用代码", "信用代码", "社会信用代码")),
                 "contact_phone": ImportColumn(kind=CODE, aliases=("电话", "联系电话"))},
        example={"name": "深圳示例园区运营有限公司", "contact_phone": "0755-88880000"},
    ),
))

zone = register(Surface(
    model=Zone, filterset=filters.ZoneFilterSet, form=forms.ZoneForm, slug="zones",
    columns=[Column("name", link=True), Column("code"), Column("kind", template="core/cells/choice.html"),
             Column("parent")],
    select_related=("parent",), extra_context=zone_context, bulk_fields=("kind", "parent"),
    importer=ImportSpec(
        key=("code",),
        columns={"code": ImportColumn(kind=CODE, aliases=("片区编码", "编码")),
                 "name": ImportColumn(aliases=("片区名称", "片区")),
                 "parent": ImportColumn(match=("code", "name"), aliases=("上级片区", "所属片区"))},
        example={"code": "demo-area", "name": "示例片区", "kind": ZoneKind.AREA.label},
    ),
))

park = register(Surface(
    model=Park, filterset=filters.ParkFilterSet, form=forms.ParkForm, slug="parks",
    columns=[Column("name", link=True), Column("code"), Column("kind", template="core/cells/choice.html"),
             Column("zone", order_by="zone__name"), Column("operator", order_by="operator__name"), Column("address")],
    select_related=("zone", "operator"), extra_context=park_context, bulk_fields=("kind", "zone", "operator"),
    importer=ImportSpec(
        key=("code",),
        columns={"code": ImportColumn(kind=CODE, aliases=("园区编码", "园区代码", "编码")),
                 "name": ImportColumn(aliases=("园区名称", "园区")),
                 "zone": ImportColumn(match=("code", "name"), aliases=("所属片区", "片区")),
                 "operator": ImportColumn(match=("name", "credit_code"), aliases=("运营机构", "运营单位", "运营方"))},
        example={"code": "DEMO-P01", "name": "示例科技园", "kind": ParkKind.GENERAL.label, "zone": "demo-area"},
    ),
))

building = register(Surface(
    model=Building, filterset=filters.BuildingFilterSet, form=forms.BuildingForm, slug="buildings",
    columns=[Column("name", link=True), Column("code"), Column("park", order_by="park__name"),
             Column("floors_above"), Column("gross_floor_area"), Column("completed_year")],
    select_related=("park",), extra_context=building_context, update=services.building_update,
    bulk_fields=("park", "completed_year"),
    importer=ImportSpec(
        key=("code",),
        columns={"code": ImportColumn(kind=CODE, aliases=("楼宇编码", "楼宇代码", "楼栋编码", "编码")),
                 "name": ImportColumn(aliases=("楼宇名称", "楼栋名称", "楼宇")),
                 "park": ImportColumn(match=("code", "name"), aliases=("所属园区", "园区", "园区编码")),
                 "floors_above": ImportColumn(aliases=("地上层数", "层数")),
                 "floors_below": ImportColumn(aliases=("地下层数",)),
                 "gross_floor_area": ImportColumn(aliases=("建筑面积", "总建筑面积")),
                 "completed_year": ImportColumn(aliases=("竣工年份", "建成年份"))},
        example={"park": "DEMO-P01", "code": "DEMO-P01-A", "name": "示例科技园A座", "floors_above": "20",
                 "gross_floor_area": "45,000"},
    ),
))

floor = register(Surface(
    model=Floor, filterset=filters.FloorFilterSet, form=forms.FloorForm, slug="floors",
    columns=[Column("label", label=_("floor"), order_by="number", link=True),
             Column("building", order_by="building__name"), Column("number")],
    select_related=("building",), extra_context=floor_context,
    importer=ImportSpec(
        key=("building", "number"),
        columns={"building": BUILDING, "number": ImportColumn(parse=floor_number, aliases=("楼层", "层"))},
        example={"building": "DEMO-P01-A", "number": "12", "name": "12F"},
        bulk=True,
    ),
))

unit = register(Surface(
    model=Unit, filterset=filters.UnitFilterSet, form=forms.UnitForm, slug="units",
    columns=[Column("code", link=True), Column("building", order_by="building__name"),
             Column("floor", label=_("floor"), order_by="floor__number", template="core/cells/floor.html",
                    export="floor.label"),
             Column("area"), Column("use", template="core/cells/choice.html"), Column("asking_rent"),
             Column("status", template="core/cells/choice.html"),
             Column("government_owned", template="core/cells/boolean.html"), Column("vacant_since")],
    select_related=("building", "floor"), default_sort="pk", api_read_only=("vacant_since",),
    create=services.unit_create_checked, update=services.unit_update_checked,
    bulk_fields=("use", "asking_rent", "government_owned", "status"),
    importer=ImportSpec(
        key=("building", "floor", "code"),
        columns={"building": BUILDING, "floor": FLOOR,
                 "code": ImportColumn(kind=CODE, aliases=("单元号", "单元编号", "房号", "房间号", "房间编号")),
                 "area": ImportColumn(aliases=("面积", "建筑面积", "租赁面积", "单元面积")),
                 "use": ImportColumn(aliases=("用途", "物业类型")),
                 "asking_rent": ImportColumn(aliases=("租金", "挂牌租金", "租金单价", "报价")),
                 "government_owned": ImportColumn(aliases=("政府物业", "是否政府物业")),
                 "status": ImportColumn(aliases=("状态", "单元状态"))},
        example={"building": "DEMO-P01-A", "floor": "12", "code": "1201", "area": "350.5",
                 "use": UnitUse.OFFICE.label, "asking_rent": "120", "status": UnitStatus.VACANT.label},
        bulk=True,
        prepare=lambda cleaned, stored, user: services.unit_defaults(cleaned, stored.status if stored else None),
        on_changed=services.unit_changed,
        warnings=quality.unit_import_warnings,
    ),
))
