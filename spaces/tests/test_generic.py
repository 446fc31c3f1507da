"""The generic tests (yuanqu/generic_tests.py) of zones, parks, buildings, floors, units and operators: each
class declares its sample data and what each role may do; the pages, exports, import and API tests come along."""

from decimal import Decimal

from spaces.choices import UnitStatus
from spaces.models import Building, Floor, Operator, Park, Unit, Zone
from yuanqu.generic_tests import ModelTests

NAME = {"a": "甲", "b": "乙"}


class TestZone(ModelTests):
    model = Zone
    # Every operator sees every zone (the district's plan is public to it); enterprises see none.
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "", "expert": ""}
    scope = {"operator": "ab"}
    create_sides = "a"  # a zone belongs to no operator: there is no other side to put a new one
    update = {"name": "香蜜湖新金融片区"}

    def sample(self, world, side, **overrides):
        return Zone.objects.create(**{"code": f"gen-{side}", "name": f"样本片区{NAME[side]}", "kind": "area",
                                      "parent": world.zone, **overrides})

    def create_data(self, world, side):
        return {"code": f"new-{side}", "name": "梅林片区", "kind": "area", "parent": world.zone, "sort_order": 3}

    def import_row(self, world, obj):
        return {"片区编码": obj.code, "片区名称": "香蜜湖新金融片区"}


class TestPark(ModelTests):
    model = Park
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vc", "enterprise": "", "expert": ""}
    update = {"name": "深港开放创新中心"}

    def sample(self, world, side, **overrides):
        return Park.objects.create(**{"code": f"gen-{side}", "name": f"样本园区{NAME[side]}", "zone": world.area,
                                      "operator": world.on(side).operator, **overrides})

    def create_data(self, world, side):
        return {"code": f"new-{side}", "name": "新洲科创园", "kind": "science", "zone": world.area,
                "operator": world.on(side).operator}

    def import_row(self, world, obj):
        return {"园区编码": obj.code, "园区名称": "深港开放创新中心"}


class TestBuilding(ModelTests):
    model = Building
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vacd", "enterprise": "", "expert": ""}
    update = {"name": "创新大厦B座"}

    def sample(self, world, side, **overrides):
        return Building.objects.create(**{"park": world.on(side).park, "code": f"gen-{side}",
                                          "name": f"样本楼宇{NAME[side]}", **overrides})

    def create_data(self, world, side):
        return {"park": world.on(side).park, "code": f"new-{side}", "name": "创新大厦", "floors_above": 18,
                "floors_below": 2}

    def import_row(self, world, obj):
        return {"楼宇编码": obj.code, "楼宇名称": "创新大厦B座"}


class TestFloor(ModelTests):
    model = Floor
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vacd", "enterprise": "", "expert": ""}
    update = {"name": "空中大堂"}
    NUMBER = {"a": 30, "b": 31}  # the list shows a floor by its label (30F, 31F)

    def sample(self, world, side, **overrides):
        return Floor.objects.create(**{"building": world.on(side).building, "number": self.NUMBER[side],
                                       **overrides})

    def create_data(self, world, side):
        return {"building": world.on(side).building, "number": -2, "name": "B2"}

    def import_row(self, world, obj):
        return {"楼宇编码": obj.building.code, "楼层": f"{obj.number}F", "名称": "空中大堂"}


class TestUnit(ModelTests):
    model = Unit
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vacd", "enterprise": "", "expert": ""}
    update = {"asking_rent": Decimal("166.00")}

    def sample(self, world, side, **overrides):
        here = world.on(side)
        return Unit.objects.create(**{"building": here.building, "floor": here.floor, "code": f"G-{side}",
                                      "area": Decimal("120.00"), "status": UnitStatus.VACANT, **overrides})

    def create_data(self, world, side):
        here = world.on(side)
        return {"building": here.building, "floor": here.floor, "code": f"N-{side}", "area": "88.50",
                "use": "research", "asking_rent": "135", "status": UnitStatus.VACANT}

    def import_row(self, world, obj):
        return {"楼宇编码": obj.building.code, "楼层": obj.floor.number, "房号": obj.code, "租金": "166元/㎡·月"}


class TestOperator(ModelTests):
    model = Operator
    # An operator sees its own organisation only and changes nothing of it; enterprises see none.
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "", "expert": ""}
    create_sides = "a"  # a new operator has no users yet: the administrator links them afterwards
    update = {"contact_phone": "0755-83330000"}

    def sample(self, world, side, **overrides):
        operator = Operator.objects.create(**{"name": f"样本运营{NAME[side]}有限公司", **overrides})
        operator.users.add(world.users["operator" if side == "a" else "operator_b"])
        return operator

    def create_data(self, world, side):
        return {"name": "深圳新运营管理有限公司", "contact_phone": "0755-82220000"}

    def import_row(self, world, obj):
        return {"名称": obj.name, "联系电话": "0755-83330000"}
