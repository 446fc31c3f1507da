"""Generic tests of clawback cases (yuanqu/generic_tests.py), and the awards they are raised on, made without the
awards' services so that any state can be set up."""

import datetime
import itertools

from django.db.models import F

from certification.choices import VersionStatus
from policies.choices import ApplicationStatus, AwardStatus, ClawbackStatus, ObligationKind, PolicyCategory
from policies.models import Application, Award, Budget, ClawbackCase, Policy, PolicyVersion
from yuanqu.generic_tests import ModelTests

_serial = itertools.count(1)

OBLIGATIONS = [
    {"kind": "lease_kept", "years": 0, "recover": "pro_rata", "label": "支持期内不得提前退租"},
    {"kind": "no_sublet", "years": 0, "recover": "all", "label": "不得转租"},
    {"kind": "stay_in_district", "years": 3, "recover": "all", "label": "五年内不迁出本区"},
    {"kind": "keep_qualification", "years": 1, "qualification": "high_tech", "recover": "pro_rata",
     "label": "保持国家高新技术企业资格"},
]


def sample_policy(code="rent-2025", *, obligations=None) -> Policy:
    """A rent-support policy with a published version binding ``obligations`` and a 2025 budget (made once)."""
    policy, made = Policy.objects.get_or_create(code=code, defaults={
        "name": "福田区产业用房租金补贴", "category": PolicyCategory.RENT, "document_number": "福府规〔2024〕3号",
        "issuer": "福田区工业和信息化局", "valid_from": datetime.date(2024, 1, 1)})
    if made:
        PolicyVersion.objects.create(policy=policy, number=1, status=VersionStatus.PUBLISHED,
                                     effective_from=datetime.date(2024, 1, 1), content_hash="0" * 64,
                                     obligations=OBLIGATIONS if obligations is None else obligations)
        Budget.objects.create(policy=policy, year=2025, total=50_000_000_00, committed=0, paid=0)
    return policy


def sample_award(enterprise, *, policy=None, lease=None, amount=1_200_000_00, paid=1_200_000_00, year=2025,
                 status=AwardStatus.COMPLETED, obligations=None, **overrides) -> Award:
    """An approved application and its award for ``year``, ``paid`` of it paid, the budget moved to match."""
    policy = policy or sample_policy()
    version = policy.versions.get(number=1)
    budget = Budget.objects.get(policy=policy, year=year)
    Budget.objects.filter(pk=budget.pk).update(committed=F("committed") + amount, paid=F("paid") + paid)
    from policies.tests.generic_clawback import second_officer

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    application = Application.objects.create(
        number=f"ZC-T-{next(_serial):05d}", policy=policy, version=version, enterprise=enterprise, lease=lease,
        year=year, period_start=start, period_end=end, status=ApplicationStatus.APPROVED,
        decided_by=second_officer(), approved_amount=amount)
    return Award.objects.create(**{
        "application": application, "policy": policy, "enterprise": enterprise, "budget": budget, "year": year,
        "amount": amount, "paid": paid, "status": status, "period_start": start, "period_end": end,
        "obligations": version.obligations if obligations is None else obligations, **overrides})


def second_officer():
    from core.models import Department, User
    from core.reference.choices import Role

    user, _made = User.objects.get_or_create(username="t_approver", defaults={
        "role": Role.BUREAU_OFFICER, "display_name": "审批经办人", "department": Department.objects.get(code="kcj")})
    return user


class TestClawbackCase(ModelTests):
    model = ClawbackCase
    # The bureau decides; an enterprise reads its own cases; operators see none (the bureau's business).
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "", "enterprise": "v", "expert": ""}
    update = {"detail": "企业于2025年7月1日提前解除租赁合同并搬离园区"}

    def sample(self, world, side, **overrides):
        enterprise = world.on(side).tenant
        policy = sample_policy(f"clawback-{next(_serial)}")
        award = sample_award(enterprise, policy=policy)
        return ClawbackCase.objects.create(**{
            "award": award, "enterprise": enterprise, "obligation": ObligationKind.LEASE_KEPT,
            "breached_on": datetime.date(2025, 7, 2), "detail": "租约提前终止", "amount_due": 601_643_84,
            "status": ClawbackStatus.RAISED,
            # A reason, so that a test may put the case in any state (a waived case must have one).
            "reason": "经核查，企业已于2025年6月30日解除租赁合同", **overrides})

    def create_data(self, world, side):
        award = sample_award(world.on(side).tenant, policy=sample_policy(f"clawback-new-{next(_serial)}"))
        return {"award": award.pk, "obligation": ObligationKind.NO_SUBLET, "breached_on": "2025-09-01",
                "detail": "经现场核查发现转租", "amount_due": "1200000.00"}
