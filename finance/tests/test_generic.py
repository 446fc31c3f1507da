"""The generic tests (yuanqu/generic_tests.py) of funds: officers keep them, leaders read them; park operators
and enterprise users see none of them (no scope: a fund is the bureau's record, not a park's)."""

import datetime
from decimal import Decimal

import pytest

from finance.models import (
    Fund,
    FundInvestment,
    FundManager,
    FundService,
    GuidanceCommitment,
    Intake,
    Member,
    Programme,
    Resource,
    ShareLimit,
    SupervisionCheck,
)
from finance.reference import ensure_share_limits
from yuanqu.generic_tests import ModelTests

NAME = {"a": "甲", "b": "乙"}


@pytest.fixture(autouse=True)
def share_limits(db):
    """The commitments' services read the limits the migration seeded; a transactional test's flush empties them."""
    ensure_share_limits(ShareLimit)


EXPECTED = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "", "enterprise": "", "expert": ""}


def manager(side, suffix=""):
    return FundManager.objects.get_or_create(name=f"样本基金管理人{NAME[side]}{suffix}")[0]


def fund(side, suffix="", **overrides):
    return Fund.objects.create(**{
        "code": f"fund-{side}{suffix}", "name": f"样本基金{NAME[side]}{suffix}", "manager": manager(side),
        "kind": "venture", "focus": "innovation", "size": Decimal("100000000.00"), "aum": Decimal("90000000.00"),
        "registered_on": datetime.date(2021, 3, 1), **overrides})


def guidance(side, suffix=""):
    return fund(side, f"g{suffix}", kind="guidance", focus="", name=f"样本引导基金{NAME[side]}{suffix}")


class TestFundManager(ModelTests):
    model = FundManager
    expected = EXPECTED
    update = {"registration_number": "P1060000"}

    def sample(self, world, side, **overrides):
        return FundManager.objects.create(**{"name": f"样本管理人{NAME[side]}", **overrides})

    def create_data(self, world, side):
        return {"name": f"深圳市新设私募基金管理有限公司{side}", "registration_number": "P1000001"}

    def import_row(self, world, obj):
        return {"基金管理人": obj.name, "登记编号": "P1060000"}


class TestFund(ModelTests):
    model = Fund
    expected = EXPECTED
    update = {"aum": Decimal("95000000.00")}

    def sample(self, world, side, **overrides):
        return fund(side, **overrides)

    def create_data(self, world, side):
        return {"code": f"new-{side}", "name": f"深圳新设创业投资基金{side}", "manager": manager(side),
                "kind": "venture", "focus": "emerging", "size": "500000000", "aum": "0", "registered_on": "2022-01-10",
                "presence": "physical", "enterprise": world.on(side).tenant.credit_code}

    def api_create_data(self, world, side):
        return {**self.create_data(world, side), "enterprise": world.on(side).tenant.pk}

    def import_row(self, world, obj):
        return {"基金编码": obj.code, "资产管理规模": "95000000"}


class TestGuidanceCommitment(ModelTests):
    model = GuidanceCommitment
    expected = EXPECTED
    update = {"paid_in": Decimal("10000000.00")}

    def sample(self, world, side, **overrides):
        return GuidanceCommitment.objects.create(**{
            "guidance_fund": guidance(side), "sub_fund": fund(side, "s"), "committed": Decimal("20000000.00"),
            "paid_in": Decimal("5000000.00"), "committed_on": datetime.date(2022, 5, 1), **overrides})

    def create_data(self, world, side):
        return {"guidance_fund": guidance(side, "n"), "sub_fund": fund(side, "n"), "committed": "30000000",
                "paid_in": "0", "committed_on": "2022-06-30", "other_public": "0"}

    def import_row(self, world, obj):
        return {"引导基金": obj.guidance_fund.code, "子基金": obj.sub_fund.code, "实缴出资": "10000000"}


class TestFundInvestment(ModelTests):
    model = FundInvestment
    expected = EXPECTED
    update = {"amount": Decimal("7000000.00")}

    def sample(self, world, side, **overrides):
        return FundInvestment.objects.create(**{
            "fund": fund(side, "i"), "enterprise": world.on(side).tenant, "round": "a",
            "amount": Decimal("5000000.00"), "invested_on": datetime.date(2023, 4, 1), **overrides})

    def create_data(self, world, side):
        return {"fund": fund(side, "n"), "enterprise": world.on(side).tenant.credit_code, "round": "b",
                "amount": "12000000", "invested_on": "2023-09-01"}

    def api_create_data(self, world, side):
        return {**self.create_data(world, side), "enterprise": world.on(side).tenant.pk}

    def import_row(self, world, obj):
        return {"基金": obj.fund.code, "被投企业": obj.enterprise.credit_code, "投资日期": "2023-04-01",
                "投资金额": "7000000"}


class TestSupervisionCheck(ModelTests):
    model = SupervisionCheck
    expected = EXPECTED
    update = {"findings": "季度报告延迟报送"}

    def sample(self, world, side, **overrides):
        return SupervisionCheck.objects.create(**{
            "fund": fund(side, "c"), "checked_on": datetime.date(2024, 6, 30), "kind": "periodic",
            "outcome": "issues", "follow_up": "补报季度报告", "follow_up_due": datetime.date(2024, 8, 31),
            **overrides})

    def create_data(self, world, side):
        return {"fund": fund(side, "n"), "checked_on": "2024-09-30", "kind": "special", "outcome": "no_issues",
                "findings": "运作规范"}

    def import_row(self, world, obj):
        return {"基金": obj.fund.code, "检查日期": "2024-06-30", "检查类型": obj.get_kind_display(),
                "检查发现": "季度报告延迟报送"}


class TestFundService(ModelTests):
    model = FundService
    expected = EXPECTED
    update = {"description": "协助办理工商变更"}

    def sample(self, world, side, **overrides):
        return FundService.objects.create(**{
            "fund": fund(side, "v"), "served_on": datetime.date(2024, 3, 1), "kind": "registration",
            "description": "协助办理注册登记", **overrides})

    def create_data(self, world, side):
        return {"fund": fund(side, "n"), "served_on": "2024-04-01", "kind": "policy", "description": "政策解读"}

    def import_row(self, world, obj):
        return {"基金": obj.fund.code, "服务日期": "2024-03-01", "服务类型": obj.get_kind_display(),
                "服务内容": "协助办理工商变更"}


# ----- cohorts: the bureau keeps them, leaders read them, an enterprise sees its own memberships and resources ----
COHORT_EXPECTED = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "", "enterprise": "", "expert": ""}
MEMBER_EXPECTED = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "", "enterprise": "v", "expert": ""}


def programme(side, suffix=""):
    return Programme.objects.get_or_create(code=f"prog-{side}{suffix}", defaults={
        "name": f"样本加速器{NAME[side]}{suffix}", "kind": "accelerator", "started_on": datetime.date(2019, 9, 1)})[0]


def intake(side, suffix=""):
    return Intake.objects.get_or_create(programme=programme(side), name=f"第{suffix or '一'}期", defaults={
        "starts_on": datetime.date(2023, 3, 1), "ends_on": datetime.date(2023, 12, 31), "capacity": 12})[0]


def member(world, side, suffix=""):
    return Member.objects.get_or_create(intake=intake(side, suffix), enterprise=world.on(side).tenant,
                                        defaults={"joined_on": datetime.date(2023, 3, 15)})[0]


class TestProgramme(ModelTests):
    model = Programme
    expected = COHORT_EXPECTED
    update = {"operator_name": "深圳市福田区金融发展服务中心"}

    def sample(self, world, side, **overrides):
        return Programme.objects.create(**{"code": f"gen-{side}", "name": f"样本孵化器{NAME[side]}",
                                           "kind": "incubator", **overrides})

    def create_data(self, world, side):
        return {"code": f"new-{side}", "name": f"深圳新设加速器{side}", "kind": "accelerator",
                "operator_name": "示例运营机构", "started_on": "2021-05-01"}

    def import_row(self, world, obj):
        return {"项目编码": obj.code, "运营机构": "深圳市福田区金融发展服务中心"}


class TestIntake(ModelTests):
    model = Intake
    expected = COHORT_EXPECTED
    update = {"capacity": 20}

    def sample(self, world, side, **overrides):
        return Intake.objects.create(**{"programme": programme(side), "name": f"样本期{NAME[side]}",
                                        "starts_on": datetime.date(2024, 3, 1), **overrides})

    def create_data(self, world, side):
        return {"programme": programme(side, "n"), "name": "第五期", "starts_on": "2025-03-01",
                "ends_on": "2025-12-31", "capacity": "15"}

    def import_row(self, world, obj):
        return {"项目": obj.programme.code, "批次": obj.name, "名额": "20"}


class TestMember(ModelTests):
    model = Member
    expected = MEMBER_EXPECTED
    update = {"note": "路演表现突出"}

    def sample(self, world, side, **overrides):
        return Member.objects.create(**{"intake": intake(side, NAME[side]), "enterprise": world.on(side).tenant,
                                        "joined_on": datetime.date(2023, 3, 15), **overrides})

    def create_data(self, world, side):
        return {"intake": intake(side, "新"), "enterprise": world.on(side).tenant.credit_code,
                "joined_on": "2023-04-01", "note": ""}

    def api_create_data(self, world, side):
        return {**self.create_data(world, side), "enterprise": world.on(side).tenant.pk}

    def import_row(self, world, obj):
        return {"项目": obj.intake.programme.code, "批次": obj.intake.name, "企业": obj.enterprise.credit_code,
                "备注": "路演表现突出"}


class TestResource(ModelTests):
    model = Resource
    expected = MEMBER_EXPECTED
    update = {"hours": Decimal("12.0")}

    def sample(self, world, side, **overrides):
        return Resource.objects.create(**{"member": member(world, side), "kind": "training",
                                          "given_on": datetime.date(2023, 5, 1), "hours": Decimal("8.0"),
                                          "description": f"样本培训{NAME[side]}", **overrides})

    def create_data(self, world, side):
        return {"member": member(world, side, "资"), "kind": "funding", "given_on": "2023-06-01",
                "amount": "500000", "description": "加速营启动资金"}

    def import_row(self, world, obj):
        return {"项目": obj.member.intake.programme.code, "批次": obj.member.intake.name,
                "企业": obj.member.enterprise.credit_code, "资源类型": obj.get_kind_display(),
                "投入日期": obj.given_on.isoformat(), "课时": "12"}
