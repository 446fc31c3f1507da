"""The generic tests (yuanqu/generic_tests.py) of projects, their milestones and the space they deliver: the
bureau keeps them, leaders read them, operators and enterprises see none."""

import datetime
import itertools
from decimal import Decimal

from core.models import Department
from projects.models import FiscalYear, Milestone, PppPayment, PppProject, Project, SpaceDelivery
from yuanqu.generic_tests import ModelTests

NAME = {"a": "甲", "b": "乙"}
NUMBERS = itertools.count(1)
EXPECTED = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "", "enterprise": "", "expert": ""}


def a_project(world, side, **overrides):
    return Project.objects.create(**{
        "code": f"gen-{side}-{next(NUMBERS)}", "name": f"样本项目{NAME.get(side, side)}", "kind": "urban_renewal", "zone": world.area,
        "department": Department.objects.get(code="gxb"), "households_to_relocate": 100, **overrides})


class TestProject(ModelTests):
    model = Project
    expected = EXPECTED
    update = {"name": "华富北片区棚改项目"}

    def sample(self, world, side, **overrides):
        if overrides.get("status") == "completed":
            overrides = {"completed_on": datetime.date(2025, 1, 1), **overrides}
        return a_project(world, side, **overrides)

    def create_data(self, world, side):
        return {"code": f"new-{side}", "name": "石厦村城市更新项目", "kind": "urban_renewal", "zone": world.area,
                "park": world.park_a, "department": Department.objects.get(code="gxb"),
                "households_to_relocate": 320, "planned_completion": "2028-12-31"}

    def import_row(self, world, obj):
        return {"项目编码": obj.code, "项目名称": "华富北片区棚改项目"}


class TestMilestone(ModelTests):
    model = Milestone
    expected = EXPECTED
    update = {"note": "已完成搬迁签约"}

    def sample(self, world, side, **overrides):
        project = a_project(world, f"m{side}")
        return Milestone.objects.create(**{"project": project, "name": f"节点{NAME[side]}",
                                           "planned_on": datetime.date(2026, 3, 31), **overrides})

    def create_data(self, world, side):
        return {"project": a_project(world, f"new-m{side}"), "name": "主体结构封顶", "planned_on": "2026-09-30",
                "sort_order": 3}

    def import_row(self, world, obj):
        return {"项目编码": obj.project.code, "里程碑": obj.name, "备注": "已完成搬迁签约"}


class TestSpaceDelivery(ModelTests):
    model = SpaceDelivery
    expected = EXPECTED
    update = {"note": "首批交付研发用房"}

    def sample(self, world, side, **overrides):
        project = a_project(world, f"d{side}")
        if overrides.get("status") == "delivered":
            overrides = {"delivered_on": datetime.date(2025, 6, 30), **overrides}
        return SpaceDelivery.objects.create(**{"project": project, "use": "research", "area": "15000.00",
                                               "expected_on": datetime.date(2027, 6, 30), **overrides})

    def create_data(self, world, side):
        return {"project": a_project(world, f"new-d{side}"), "use": "research", "area": "12000",
                "expected_on": "2027-12-31", "park": world.park_a}

    def import_row(self, world, obj):
        return {"项目编码": obj.project.code, "用途": obj.get_use_display(), "预计交付日期": obj.expected_on.isoformat(),
                "备注": "首批交付研发用房"}


def a_ppp(world, side, **overrides):
    return PppProject.objects.create(**{
        "code": f"ppp-{side}-{next(NUMBERS)}", "name": f"样本PPP项目{NAME.get(side, side)}", "zone": world.area,
        "department": Department.objects.get(code="fgj"), "mechanism": "viability_gap", "contract_years": 15,
        "psc": Decimal("500000000.00"), "ppp_cost": Decimal("460000000.00"), **overrides})


class TestPppProject(ModelTests):
    model = PppProject
    expected = EXPECTED
    update = {"name": "梅林片区综合管廊PPP项目"}

    def sample(self, world, side, **overrides):
        return a_ppp(world, side, **overrides)

    def create_data(self, world, side):
        return {"code": f"new-{side}", "name": "岗厦片区停车设施PPP项目", "zone": world.area,
                "department": Department.objects.get(code="fgj"), "mechanism": "user_pay", "contract_years": 20}

    def import_row(self, world, obj):
        return {"项目编码": obj.code, "项目名称": "梅林片区综合管廊PPP项目"}


class TestFiscalYear(ModelTests):
    model = FiscalYear
    expected = EXPECTED
    update = {"expenditure": Decimal("30500000000.00")}
    YEARS = {"a": 2031, "b": 2032}

    def sample(self, world, side, **overrides):
        return FiscalYear.objects.create(**{"year": self.YEARS[side] + 10 * next(NUMBERS) % 900,
                                            "expenditure": Decimal("28000000000.00"), **overrides})

    def create_data(self, world, side):
        return {"year": 2040 + (side == "b"), "expenditure": "29000000000"}

    def import_row(self, world, obj):
        return {"年度": str(obj.year), "一般公共预算支出（元）": "30500000000"}


class TestPppPayment(ModelTests):
    model = PppPayment
    expected = EXPECTED
    update = {"amount": Decimal("52000000.00")}

    def sample(self, world, side, **overrides):
        return PppPayment.objects.create(**{"project": a_ppp(world, f"p{side}"), "year": 2028,
                                            "amount": Decimal("48000000.00"), **overrides})

    def create_data(self, world, side):
        return {"project": a_ppp(world, f"new-p{side}"), "year": 2029, "amount": "50000000"}

    def import_row(self, world, obj):
        return {"项目编码": obj.project.code, "年度": str(obj.year), "政府支出责任（元）": "52000000"}
