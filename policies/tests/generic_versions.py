"""Generic test classes (collected through test_generic.py): policies and their versions."""

import datetime
import itertools

from certification.choices import VersionStatus
from policies.models import Policy, PolicyTestCase, PolicyVersion
from yuanqu.generic_tests import ModelTests

_numbers = itertools.count(1)

# A version's rules that check: two conditions, one with a parameter, an amount formula with a cap.
CONDITIONS = {"all": [
    {"fact": "lease.area", "op": "le", "value": {"param": "max_area"}, "label": "租赁面积"},
    {"fact": "lease.sublet", "op": "eq", "value": False, "label": "不存在转租"},
]}
AMOUNT = {"mul": [{"param": "rate"}, {"fact": "lease.rent_paid"}]}
PARAMETERS = {
    "max_area": {"type": "area", "label": "租赁面积上限", "values": [["2024-01-01", 100000]]},
    "rate": {"type": "share", "label": "补贴比例", "values": [["2024-01-01", 5000]]},
    "annual_cap": {"type": "money", "label": "年度上限", "values": [["2024-01-01", 100000000]]},
}


def a_policy(side: str, **overrides) -> Policy:
    number = next(_numbers)
    return Policy.objects.create(**{"code": f"gen-{side}-{number}", "name": f"{side.upper()}{number} 租金补贴",
                                    "category": "rent", "issuer": "福田区科技创新局",
                                    "valid_from": datetime.date(2024, 1, 1), **overrides})


def a_version(policy: Policy | None = None, side: str = "a", **overrides) -> PolicyVersion:
    policy = policy or a_policy(side)
    number = (policy.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return PolicyVersion.objects.create(**{
        "policy": policy, "number": number, "status": VersionStatus.DRAFT,
        "effective_from": datetime.date(2024, 1, 1), "source_document": "福科规〔2024〕1号",
        "conditions": CONDITIONS, "amount": AMOUNT, "parameters": PARAMETERS, "annual_cap": "annual_cap",
        **overrides})


def ready_to_publish(version: PolicyVersion) -> PolicyVersion:
    """Give a version a passing case (450 ㎡, 1,000 元 of rent: 500 元) and a dry run of its present content."""
    from policies.evaluation import dry_run

    PolicyTestCase.objects.create(
        version=version, name="450 ㎡", period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 12, 31),
        facts={"lease.area": 45000, "lease.sublet": False, "lease.rent_paid": 100000, "history.awarded_in_year": 0},
        expected_eligible=True, expected_amount=50000)
    version.dry_run = dry_run(version, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    PolicyVersion.objects.filter(pk=version.pk).update(dry_run=version.dry_run)
    return version


class TestPolicy(ModelTests):
    model = Policy
    # Operators and enterprises read every policy (they are public); experts have no business with them.
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "v", "expert": ""}
    scope = {"operator": "ab", "enterprise": "ab"}
    update = {"issuer": "深圳市福田区人民政府"}

    def sample(self, world, side, **overrides):
        return a_policy(side, **overrides)

    def create_data(self, world, side):
        number = next(_numbers)
        return {"code": f"new-{side}-{number}", "name": f"新政策{side}{number}", "category": "attraction",
                "document_number": "福府规〔2025〕1号", "issuer": "福田区投资推广署", "valid_from": "2025-01-01",
                "proactive": True}

    def import_row(self, world, obj):
        return {"政策代码": obj.code, "政策名称": obj.name, "政策类别": "rent", "生效日期": "2024-01-01",
                "发文机关": "深圳市福田区人民政府"}


class TestPolicyVersion(ModelTests):
    model = PolicyVersion
    # The sample is a draft: operators and enterprises never see one (they read published versions:
    # test_versions.py::test_operators_and_enterprises_read_published_versions_only).
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "v", "expert": ""}
    scope = {"operator": "", "enterprise": ""}
    update = {"source_document": "福科规〔2025〕2号"}

    def sample(self, world, side, **overrides):
        """A draft version (the overrides set its state) of a policy of its own, with the evidence publishing
        needs: a case that passes and a dry run of its content."""
        return ready_to_publish(a_version(side=side, **overrides))

    def create_data(self, world, side):
        return {"policy": a_policy(side), "effective_from": "2025-07-01", "source_document": "福科规〔2025〕2号",
                "notes": "[assume] 比例按龙岗区规则"}
