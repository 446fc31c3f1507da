"""What the tests of applications and awards share: applications at any step, and a stand-in for the rules' decision where a
test is about the money, not the rules (the decision is then a fixed amount, stored as a real Decision)."""

import datetime
import types

from policies import services
from policies.choices import ApplicationStatus
from policies.models import Application, Decision

from .generic_awards import first_reviewer, sample_policy, second_reviewer

YEAR = 2026
_numbers = iter(range(1, 100_000))


def application(world, policy=None, *, enterprise=None, year=YEAR, status=ApplicationStatus.SECOND_PASSED,
                **overrides) -> Application:
    """An application of the world's enterprise A, at ``status`` (by default ready for 审批: reviewed by two
    officers who are not the world's)."""
    if status in (ApplicationStatus.FIRST_PASSED, ApplicationStatus.SECOND_PASSED):
        overrides.setdefault("first_reviewed_by", first_reviewer())
    if status == ApplicationStatus.SECOND_PASSED:
        overrides.setdefault("second_reviewed_by", second_reviewer())
    start, end = services.application_period(year)
    return Application.objects.create(
        number=f"ZC-TEST-{next(_numbers):05d}", policy=policy or sample_policy(),
        enterprise=enterprise or world.tenant_a, year=year, period_start=start, period_end=end, status=status,
        **overrides)


class FixedDecisions:
    """policies.evaluation's ``decide`` for tests about money: every decision eligible for ``amount`` (fen), or
    not eligible with a sentence, kept as a Decision row as the real one keeps it."""

    def __init__(self):
        self.amount = 100_000
        self.eligible = True
        self.calls = []

    def decide(self, enterprise, version, start, end, on, *, purpose, user, save=True):
        self.calls.append(purpose)
        sentences = (["租赁面积 600.00 ㎡ ≥ 100.00 ㎡：符合"] if self.eligible
                     else ["企业注册在本区：不符合（注册地为南山区）"])
        return Decision.objects.create(
            policy=version.policy, version=version, content_hash=version.content_hash or "0" * 64,
            enterprise=enterprise, decided_on=on, period_start=start, period_end=end, eligible=self.eligible,
            amount=self.amount if self.eligible else None, trace={"sentences": sentences}, purpose=purpose,
            user=user, user_name=user.username)


def fixed_decisions(monkeypatch) -> FixedDecisions:
    """Put a FixedDecisions in place of policies.evaluation for the test (the ``decisions`` fixture)."""
    fixed = FixedDecisions()
    monkeypatch.setattr(services, "_evaluation", lambda: types.SimpleNamespace(decide=fixed.decide))
    return fixed


def approver(world):
    return world.users["admin"]


TODAY = datetime.date.today()
