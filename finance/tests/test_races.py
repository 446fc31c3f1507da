"""Two guidance funds commit to one sub-fund at the same moment, many times: each commitment fits the caps alone,
both together would take public money above 70%; exactly one is recorded each time."""

import pytest
from django.core.exceptions import ValidationError

from finance.models import Fund, GuidanceCommitment, ShareLimit
from finance.reference import ensure_share_limits
from yuanqu.racing import postgres_only, race

from .test_funds import commit, make_fund

ROUNDS = 20
pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_commitments_at_once_never_take_public_money_over_its_cap(world):
    ensure_share_limits(ShareLimit)
    first = make_fund("FT-YD", kind="guidance", focus="", name="福田区政府引导基金", size="5000000000.00")
    second = make_fund("SZ-YD", kind="guidance", focus="", name="深圳市政府引导基金", size="5000000000.00")
    for number in range(ROUNDS):
        sub = make_fund(f"R{number}")  # 100,000,000.00; each commitment 30% + 15% other public money = 45%

        def committer(guidance, sub=sub):
            return lambda _round: commit(world, sub, "30000000.00", guidance=guidance, other_public="15000000.00")

        outcome = race([committer(first), committer(second)])[0]
        assert sorted(type(o).__name__ for o in outcome) == ["GuidanceCommitment", "ValidationError"], (number, outcome)
        refused = next(o for o in outcome if isinstance(o, ValidationError))
        assert "公共资金合计占子基金规模 75.00%，超过上限 70.00%" in refused.messages[0]
        assert GuidanceCommitment.objects.filter(sub_fund=sub).count() == 1
        assert Fund.objects.filter(code__in=["FT-YD", "SZ-YD"]).count() == 2
