"""Generic tests (ADR 0018) of support applications and budgets, and the samples the
declared actions of an application are tested from (core/tests/test_actions.py)."""

import datetime
import itertools

from certification.choices import VersionStatus
from core.models import Department, User
from core.reference.choices import Role
from policies.models import Application, Budget, Policy, PolicyVersion
from yuanqu.generic_tests import ModelTests

_serial = itertools.count(1)

# A version that decides every enterprise eligible for 1,000.00 元: the samples' actions (submit, approve) then
# succeed whatever the enterprise's records.
FLAT_AMOUNT = {"const": 100_000, "type": "money", "label": "定额补贴"}


def sample_policy(code="awards-sample", *, amount=None, conditions=None, group="", parameters=None,
                  annual_cap="", cumulative_cap="", budget=10_000_000_000, year=2026) -> Policy:
    """A policy with one published version in force since 2020 and a budget for ``year`` (made once per code)."""
    policy, made = Policy.objects.get_or_create(code=code, defaults={
        "name": f"样本扶持政策{code}", "category": "rent", "valid_from": datetime.date(2020, 1, 1),
        "exclusivity_group": group, "issuer": "福田区企业发展服务中心"})
    if made:
        PolicyVersion.objects.create(
            policy=policy, number=1, status=VersionStatus.PUBLISHED, effective_from=datetime.date(2020, 1, 1),
            conditions=conditions or {}, amount=amount or FLAT_AMOUNT, parameters=parameters or {},
            annual_cap=annual_cap, cumulative_cap=cumulative_cap, source_document="福府规〔2020〕1号",
            content_hash="0" * 64)
        if budget is not None:
            Budget.objects.create(policy=policy, year=year, total=budget)
    return policy


def bureau_user(username, role=Role.BUREAU_OFFICER, name="经办人") -> User:
    user, _made = User.objects.get_or_create(username=username, defaults={
        "role": role, "display_name": name, "department": Department.objects.get(code="kcj")})
    return user


def first_reviewer() -> User:
    return bureau_user("t_first_reviewer", name="初审经办人")


def second_reviewer() -> User:
    return bureau_user("t_second_reviewer", name="复审经办人")


class TestApplication(ModelTests):
    model = Application
    # An enterprise applies for itself and changes a draft; it withdraws rather than deletes. Officers review and
    # decide (the actions); operators have no part in it.
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "", "enterprise": "vac", "expert": ""}
    update = {"statement": "补充说明：2026年度租金已按月缴清"}

    def sample(self, world, side, **overrides):
        serial = next(_serial)
        # Reviewed by two other officers, so that either of the world's bureau users may take the next step; a
        # decider and an amount, so that a test may put it in any state (an approved one has both).
        overrides.setdefault("first_reviewed_by", first_reviewer())
        overrides.setdefault("second_reviewed_by", second_reviewer())
        overrides.setdefault("decided_by", second_reviewer())
        overrides.setdefault("approved_amount", 100_000)
        return Application.objects.create(**{
            "number": f"ZC-T{'A' if side == 'a' else 'B'}-{serial:04d}", "policy": sample_policy(),
            "enterprise": world.tenant_a if side == "a" else world.tenant_b, "year": 2026,
            "period_start": datetime.date(2026, 1, 1), "period_end": datetime.date(2026, 12, 31), **overrides})

    def create_data(self, world, side):
        return {"policy": sample_policy(), "enterprise": world.tenant_a if side == "a" else world.tenant_b,
                "year": 2026, "statement": "申请2026年度租金补贴"}


class TestBudget(ModelTests):
    model = Budget
    # The bureau's money: administrators and officers set budgets, leaders read them, no one else sees them.
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "", "enterprise": "", "expert": ""}
    update = {"year": 2031}

    def sample(self, world, side, **overrides):
        policy = sample_policy(f"budget-{side}-{next(_serial)}", budget=None)
        return Budget.objects.create(**{"policy": policy, "year": 2026, "total": 500_000_000, **overrides})

    def create_data(self, world, side):
        return {"policy": sample_policy(f"budget-new-{side}", budget=None), "year": 2027, "total": "3000000.00"}
