"""Two officers start a new version of one policy at the same moment (PostgreSQL: real threads, real
transactions): one draft and one Chinese refusal, never a database error and never a second draft; the draft's
copied test cases belong to the one draft."""

import datetime

import pytest

from certification.choices import VersionStatus
from core.actions import Refused
from policies import services
from policies.models import PolicyTestCase, PolicyVersion
from yuanqu.racing import postgres_only, race

from .generic_versions import a_policy, a_version

ROUNDS = 20
pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_new_versions_at_once_make_one_draft_and_one_refusal(world):
    admin, officer = world.users["admin"], world.users["officer"]
    policy = a_policy("a")
    first = a_version(policy, status=VersionStatus.PUBLISHED, effective_from=datetime.date(2024, 1, 1))
    second = a_version(policy, status=VersionStatus.PUBLISHED, effective_from=datetime.date(2025, 1, 1))
    PolicyTestCase.objects.create(version=second, name="样例", facts={}, period_start=datetime.date(2025, 1, 1),
                                  period_end=datetime.date(2025, 12, 31), expected_eligible=False)

    def starter(user, source):
        def start(number):
            return services.policyversion_new_version(
                user=user, instance=source, effective_from=datetime.date(2030, 1, 1) + datetime.timedelta(days=number))
        return start

    for number in range(ROUNDS):
        pair = race([starter(admin, first), starter(officer, second)])[0]
        drafts = [o for o in pair if isinstance(o, PolicyVersion)]
        refusals = [o for o in pair if isinstance(o, Refused)]
        assert len(drafts) == 1 and len(refusals) == 1, (number, pair)
        assert "已有一个草稿版本" in refusals[0].message
        assert PolicyVersion.objects.filter(policy=policy, status=VersionStatus.DRAFT).count() == 1
        draft = PolicyVersion.objects.get(policy=policy, status=VersionStatus.DRAFT)
        assert list(draft.test_cases.values_list("name", flat=True)) == ["样例"]
        PolicyTestCase.objects.filter(version=draft).delete()
        draft.delete()
