"""The demo's applications and awards: every step shown, two awards paid in part, the books consistent."""

import datetime
import random

import pytest
from django.db.models import Count, Sum

from policies import demo
from policies.choices import ApplicationStatus
from policies.models import Application, Award, Budget, LedgerEntry

from .generic_awards import sample_policy

pytestmark = pytest.mark.django_db


class Plan:
    def __init__(self, world):
        self.today = datetime.date.today()
        self.accounts = {"admin": world.users["admin"], "officer": world.users["officer"],
                         "enterprise": world.users["enterprise"]}
        self.said = []

    def stream(self, name):
        return random.Random(name)

    def say(self, message):
        self.said.append(message)


def test_the_demo_shows_every_step_and_two_awards_with_a_tranche_paid(world):
    year = datetime.date.today().year - 1
    for code in ("demo-rent", "demo-building"):
        sample_policy(code, year=year)
    demo.write_awards(Plan(world))
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(ApplicationStatus.values)
    awards = list(Award.objects.all())
    assert len(awards) == 2 and len({a.policy_id for a in awards}) == 2
    for award in awards:
        assert award.paid > 0 and award.tranches.filter(status="paid").count() == 1
    for budget in Budget.objects.filter(year=year):
        reserved = LedgerEntry.objects.filter(budget=budget, kind="reserve").aggregate(s=Sum("amount"))["s"] or 0
        paid = LedgerEntry.objects.filter(budget=budget, kind="pay").aggregate(s=Sum("amount"))["s"] or 0
        assert (budget.committed, budget.paid) == (reserved, paid)
    mine = Application.objects.filter(enterprise=world.tenant_a)
    assert mine.filter(status=ApplicationStatus.DRAFT).exists()
    counts = dict(Application.objects.values_list("status").annotate(n=Count("pk")).order_by())
    assert counts == {**{status: 2 for status in ApplicationStatus.values}, ApplicationStatus.APPROVED: 2}
    for returned in Application.objects.filter(status=ApplicationStatus.RETURNED):
        assert returned.review_comment and returned.decision is not None


def test_without_policies_the_demo_writes_no_application(world):
    plan = Plan(world)
    demo.write_awards(plan)
    assert not Application.objects.exists() and plan.said
