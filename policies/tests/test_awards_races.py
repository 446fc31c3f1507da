"""Money at the same moment (PostgreSQL: real threads, real transactions): two approvals for the last of a
budget, two within one annual cap, two in one exclusivity group, two payments of one tranche. Exactly one wins
each time; the database's figures and the ledger agree."""

import datetime

import pytest
from django.db.models import Sum

from core.actions import Refused
from policies import services
from policies.choices import LedgerKind
from policies.models import Allowance, Award, Budget, LedgerEntry, Tranche
from yuanqu.racing import postgres_only, race

from .awards_world import application, fixed_decisions
from .generic_awards import sample_policy

ROUNDS = 10

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def decisions(monkeypatch):
    return fixed_decisions(monkeypatch)


def approvals(world, pairs):
    """Two approvers (the administrator and a third officer), each approving its own application of a pair."""
    def approver(user, index):
        return lambda number: services.application_approve(pairs[number][index], user=user)
    return [approver(world.users["admin"], 0), approver(world.users["officer"], 1)]


def one_won(outcome, refusal: str):
    won = [result for result in outcome if not isinstance(result, Exception)]
    lost = [result for result in outcome if isinstance(result, Exception)]
    assert len(won) == 1 and len(lost) == 1, outcome
    assert isinstance(lost[0], Refused) and refusal in str(lost[0]), lost[0]


def test_two_approvals_for_the_last_of_a_budget_one_wins(world, decisions):
    # Each budget holds 1.5 awards: the first approval takes 1,000.00 元 of 1,500.00 元, the second finds 500.00.
    policies = [sample_policy(f"race-budget-{n}", budget=150_000) for n in range(ROUNDS)]
    pairs = [(application(world, p), application(world, p, enterprise=world.tenant_b)) for p in policies]
    for outcome in race(approvals(world, pairs), rounds=ROUNDS):
        one_won(outcome, "预算不足")
    for policy in policies:
        budget = Budget.objects.get(policy=policy)
        reserved = LedgerEntry.objects.filter(budget=budget, kind=LedgerKind.RESERVE).aggregate(s=Sum("amount"))["s"]
        assert budget.committed == reserved == 100_000 <= budget.total
        assert Award.objects.filter(policy=policy).count() == 1


ANNUAL = {"annual": {"type": "money", "label": "年度上限", "values": [["2020-01-01", 150_000]]}}
CUMULATIVE = {"total": {"type": "money", "label": "累计上限", "values": [["2020-01-01", 150_000]]}}


def test_two_approvals_for_one_enterprise_within_an_annual_cap_one_wins(world, decisions):
    # Two applications of one enterprise for one policy and year (1,000.00 元 each, 1,500.00 元 a year): the
    # allowance's conditional update lets one in.
    policies = [sample_policy(f"race-annual-{n}", parameters=ANNUAL, annual_cap="annual") for n in range(ROUNDS)]
    pairs = [(application(world, p), application(world, p)) for p in policies]
    for outcome in race(approvals(world, pairs), rounds=ROUNDS):
        one_won(outcome, "超出年度上限")
    for policy in policies:
        allowance = Allowance.objects.get(policy=policy, enterprise=world.tenant_a, year=2026)
        assert (allowance.cap, allowance.committed) == (150_000, 100_000)
        assert Budget.objects.get(policy=policy).committed == 100_000
        assert Award.objects.filter(policy=policy).count() == 1


def test_two_approvals_of_two_years_within_a_cumulative_cap_one_wins(world, decisions):
    # Two years' budgets are two rows: only the cumulative allowance (one row for all years) stands between them.
    policies = []
    for n in range(ROUNDS):
        policy = sample_policy(f"race-cap-{n}", parameters=CUMULATIVE, cumulative_cap="total", year=2025)
        Budget.objects.create(policy=policy, year=2026, total=10_000_000)
        policies.append(policy)
    pairs = [(application(world, p, year=2025), application(world, p, year=2026)) for p in policies]
    for outcome in race(approvals(world, pairs), rounds=ROUNDS):
        one_won(outcome, "超出累计上限")
    for policy in policies:
        allowance = Allowance.objects.get(policy=policy, enterprise=world.tenant_a, year=None)
        assert (allowance.cap, allowance.committed) == (150_000, 100_000)
        assert Budget.objects.filter(policy=policy).aggregate(s=Sum("committed"))["s"] == 100_000


def test_two_approvals_in_one_exclusivity_group_one_wins(world, decisions):
    pairs = []
    for n in range(ROUNDS):
        rent = sample_policy(f"race-group-rent-{n}", group=f"race-group-{n}")
        purchase = sample_policy(f"race-group-purchase-{n}", group=f"race-group-{n}")
        pairs.append((application(world, rent), application(world, purchase)))
    for outcome in race(approvals(world, pairs), rounds=ROUNDS):
        one_won(outcome, "同一互斥组的政策每年只能享受一项")
    for number, (first, second) in enumerate(pairs):
        assert Award.objects.filter(exclusivity_group=f"race-group-{number}").count() == 1
        committed = Budget.objects.filter(policy__in=[first.policy, second.policy]).aggregate(
            s=Sum("committed"))["s"]
        assert committed == 100_000


def test_two_payments_of_one_tranche_one_wins(world, decisions):
    tranches = []
    for n in range(ROUNDS):
        award = services.application_approve(application(world, sample_policy(f"race-pay-{n}")),
                                             user=world.users["admin"]).award
        tranches.append(award.tranches.get())

    def payer(user, reference):
        return lambda number: services.tranche_pay(tranches[number], user=user, paid_on=datetime.date.today(),
                                                   reference=reference)

    outcomes = race([payer(world.users["officer"], "A"), payer(world.users["admin"], "B")], rounds=ROUNDS)
    for outcome in outcomes:
        one_won(outcome, "不能拨付")
    for tranche in tranches:
        tranche = Tranche.objects.select_related("award__budget").get(pk=tranche.pk)
        assert tranche.status == "paid" and tranche.award.paid == tranche.amount == tranche.award.budget.paid
        assert LedgerEntry.objects.filter(tranche=tranche, kind=LedgerKind.PAY).count() == 1
