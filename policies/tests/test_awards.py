"""Applying, 初审 → 复审 → 审批, budgets that cannot be over-spent, caps, exclusivity, tranches and the ledger."""

import datetime
import types

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone as django_timezone

from core import calendar as working_calendar
from core.actions import Refused
from core.models import DomainEvent
from policies import services
from policies.choices import (
    ApplicationStatus,
    AwardStatus,
    DecisionPurpose,
    LedgerKind,
    OfferStatus,
    TrancheStatus,
)
from policies.models import Allowance, Award, Budget, LedgerEntry, Offer, ScreeningRun, Tranche

from .awards_world import YEAR, application, fixed_decisions
from .generic_awards import sample_policy, second_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(monkeypatch):
    return fixed_decisions(monkeypatch)


def budget_of(policy, year=YEAR):
    return Budget.objects.get(policy=policy, year=year)


def test_an_application_for_a_year_supports_that_calendar_year(world):
    policy = sample_policy()
    made = services.application_create(user=world.users["enterprise"], data={
        "policy": policy, "enterprise": world.tenant_a, "year": 2026, "statement": "申请租金补贴"})
    assert (made.period_start, made.period_end) == (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert made.status == ApplicationStatus.DRAFT and made.number.startswith("ZC-")


def test_the_lease_named_must_be_the_enterprises(world):
    with pytest.raises(ValidationError) as error:
        services.application_create(user=world.users["officer"], data={
            "policy": sample_policy(), "enterprise": world.tenant_a, "year": 2026, "lease": world.lease_b})
    assert "lease" in error.value.message_dict


def test_submit_keeps_a_decision_for_the_application(world, decisions):
    draft = application(world, status=ApplicationStatus.DRAFT)
    submitted = services.application_submit(user=world.users["enterprise"], instance=draft)
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.decision.purpose == DecisionPurpose.APPLICATION and submitted.decision.eligible
    assert submitted.version == submitted.policy.version_on(datetime.date(2026, 12, 31))


def test_the_whole_way_to_an_award(world, decisions):
    enterprise, officer, admin = world.users["enterprise"], world.users["officer"], world.users["admin"]
    draft = application(world, status=ApplicationStatus.DRAFT)
    services.application_submit(user=enterprise, instance=draft)
    services.application_first_review(user=officer, instance=draft, comment="材料齐全")
    with pytest.raises(Refused, match="复审人不能与初审人为同一人"):
        services.application_second_review(user=officer, instance=draft, comment="")
    services.application_second_review(user=second_reviewer(), instance=draft, comment="复核无误")
    with pytest.raises(Refused, match="审批人不能与初审人为同一人"):
        services.application_approve(draft, user=officer, comment="")
    with pytest.raises(Refused, match="审批人不能与复审人为同一人"):
        services.application_approve(draft, user=second_reviewer(), comment="")
    decisions.amount = 12_345_600
    approved = services.application_approve(draft, user=admin, comment="同意")
    approved.refresh_from_db()
    assert approved.status == ApplicationStatus.APPROVED and approved.approved_amount == 12_345_600
    assert approved.approved_decision.purpose == DecisionPurpose.APPROVAL
    award = Award.objects.get(application=approved)
    assert (award.amount, award.paid, award.status) == (12_345_600, 0, AwardStatus.ACTIVE)
    assert budget_of(award.policy).committed == 12_345_600
    assert list(LedgerEntry.objects.filter(award=award).values_list("kind", "amount")) == [
        (LedgerKind.RESERVE, 12_345_600)]
    assert [t.amount for t in award.tranches.all()] == [12_345_600]
    # Twenty working days from today, or none while a year on the way has no holiday calendar (December 2026
    # reaches into 2027, whose notice is not entered): the award is made all the same.
    try:
        expected_due = working_calendar.add_working_days(datetime.date.today(), 20)
    except working_calendar.CalendarMissing:
        expected_due = None
    assert approved.payout_due == expected_due
    names = list(DomainEvent.objects.filter(object_id=str(approved.pk), name__startswith="policies.application.")
                 .order_by("id").values_list("name", "data__comment"))
    assert names == [("policies.application.submit", None), ("policies.application.first_review", "材料齐全"),
                     ("policies.application.second_review", "复核无误"), ("policies.application.approve", "同意")]


def test_returned_the_enterprise_corrects_and_submits_again(world, decisions):
    submitted = application(world, status=ApplicationStatus.FIRST_PASSED)
    with pytest.raises(ValidationError):
        services.application_return(user=world.users["officer"], instance=submitted, comment=" ")
    returned = services.application_return(user=world.users["officer"], instance=submitted,
                                           comment="请补充租金缴纳凭证")
    assert returned.status == ApplicationStatus.RETURNED and returned.first_reviewed_by is None
    assert returned.review_comment == "请补充租金缴纳凭证"
    services.application_update(user=world.users["enterprise"], instance=returned,
                                data={"statement": "已补充凭证"})
    again = services.application_submit(user=world.users["enterprise"], instance=returned)
    assert again.status == ApplicationStatus.SUBMITTED


def test_the_enterprise_withdraws_before_approval_only(world, decisions):
    waiting = application(world)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(user=world.users["officer"], instance=waiting)
    assert services.application_withdraw(user=world.users["enterprise"], instance=waiting).status == "withdrawn"
    approved = application(world, status=ApplicationStatus.APPROVED, decided_by=second_reviewer(),
                           approved_amount=100)
    with pytest.raises(Refused, match="不能"):
        services.application_withdraw(user=world.users["enterprise"], instance=approved)


def test_officers_decide_and_an_enterprise_may_not(world, decisions):
    waiting = application(world)
    with pytest.raises(PermissionDenied):
        services.application_approve(waiting, user=world.users["enterprise"])
    with pytest.raises(PermissionDenied):
        services.application_first_review(user=world.users["enterprise"],
                                          instance=application(world, status=ApplicationStatus.SUBMITTED))


def test_not_eligible_at_approval_is_refused_with_its_sentences_and_reserves_nothing(world, decisions):
    waiting = application(world)
    decisions.eligible = False
    with pytest.raises(Refused, match="不符合（注册地为南山区）"):
        services.application_approve(waiting, user=world.users["admin"])
    waiting.refresh_from_db()
    assert waiting.status == ApplicationStatus.SECOND_PASSED
    assert budget_of(waiting.policy).committed == 0 and not Award.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_a_budget_is_never_overspent(world, decisions):
    policy = sample_policy("tight", budget=150_000)
    first, second = application(world, policy), application(world, policy, enterprise=world.tenant_b)
    services.application_approve(first, user=world.users["admin"])
    with pytest.raises(Refused, match="预算不足") as refusal:
        services.application_approve(second, user=world.users["admin"])
    assert "500.00 元" in str(refusal.value)  # what is left
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SECOND_PASSED and not hasattr(second, "award")
    budget = budget_of(policy)
    assert (budget.committed, budget.paid) == (100_000, 0)
    assert sum(LedgerEntry.objects.filter(budget=budget).values_list("amount", flat=True)) == 100_000


def test_no_budget_for_the_year_refuses_approval(world, decisions):
    policy = sample_policy("no-budget", budget=None)
    with pytest.raises(Refused, match="没有 2026 年的预算"):
        services.application_approve(application(world, policy), user=world.users["admin"])


def test_a_policy_is_enjoyed_once_a_year(world, decisions):
    policy = sample_policy()
    services.application_approve(application(world, policy), user=world.users["admin"])
    with pytest.raises(Refused, match="同一政策每年只能享受一次"):
        services.application_approve(application(world, policy), user=world.users["admin"])
    assert budget_of(policy).committed == 100_000


def test_one_policy_of_an_exclusivity_group_a_year(world, decisions):
    rent = sample_policy("group-rent", group="rent-support")
    purchase = sample_policy("group-purchase", group="rent-support")
    services.application_approve(application(world, rent), user=world.users["admin"])
    with pytest.raises(Refused, match="同一互斥组的政策每年只能享受一项"):
        services.application_approve(application(world, purchase), user=world.users["admin"])
    assert budget_of(purchase).committed == 0
    # Another year, or another enterprise, is free.
    sample_policy("group-purchase-2027", group="rent-support", year=2027)
    services.application_approve(application(world, purchase, enterprise=world.tenant_b), user=world.users["admin"])


CAPS = {"annual": {"type": "money", "label": "年度上限", "values": [["2020-01-01", 300_000]]},
        "total": {"type": "money", "label": "累计上限", "values": [["2020-01-01", 150_000]]}}


def test_the_cumulative_cap_holds_across_years(world, decisions):
    policy = sample_policy("capped", parameters=CAPS, annual_cap="annual", cumulative_cap="total")
    Budget.objects.create(policy=policy, year=2025, total=10_000_000)
    services.application_approve(application(world, policy, year=2025), user=world.users["admin"])
    annual = Allowance.objects.get(policy=policy, enterprise=world.tenant_a, year=2025)
    total = Allowance.objects.get(policy=policy, enterprise=world.tenant_a, year=None)
    assert (annual.cap, annual.committed, total.cap, total.committed) == (300_000, 100_000, 150_000, 100_000)
    with pytest.raises(Refused, match="超出累计上限"):
        services.application_approve(application(world, policy, year=2026), user=world.users["admin"])
    total.refresh_from_db()
    assert total.committed == 100_000 and budget_of(policy, 2026).committed == 0


def test_the_annual_cap_holds(world, decisions):
    policy = sample_policy("annual-capped", parameters=CAPS, annual_cap="annual")
    decisions.amount = 300_001
    with pytest.raises(Refused, match="超出年度上限"):
        services.application_approve(application(world, policy), user=world.users["admin"])
    assert not Allowance.objects.filter(policy=policy, committed__gt=0).exists()


def test_over_a_million_yuan_is_paid_in_two_halves(world, decisions):
    decisions.amount = 100_000_001  # 1,000,000.01 元
    approved = services.application_approve(application(world), user=world.users["admin"])
    tranches = list(approved.award.tranches.order_by("number"))
    assert [t.amount for t in tranches] == [50_000_000, 50_000_001]
    assert tranches[0].due_on == approved.payout_due and tranches[1].due_on is None
    decisions.amount = 100_000_000  # 1,000,000.00 元 exactly: one tranche
    other = services.application_approve(application(world, sample_policy("million")), user=world.users["admin"])
    assert [t.amount for t in other.award.tranches.all()] == [100_000_000]


def _award(world, decisions, amount=200_000_000, policy=None):
    decisions.amount = amount
    return services.application_approve(application(world, policy), user=world.users["admin"]).award


def test_paying_tranches_settles_the_budget_and_completes_the_award(world, decisions):
    award = _award(world, decisions)
    first, second = award.tranches.order_by("number")
    officer = world.users["officer"]
    services.tranche_pay(first, user=officer, paid_on=datetime.date.today(), reference="CZ-2026-001")
    with pytest.raises(Refused, match="不能"):
        services.tranche_pay(first, user=officer, paid_on=datetime.date.today(), reference="CZ-2026-001")
    award.refresh_from_db()
    budget = award.budget
    budget.refresh_from_db()
    assert (award.paid, award.status, budget.paid, budget.committed) == (100_000_000, AwardStatus.ACTIVE,
                                                                        100_000_000, 200_000_000)
    services.tranche_pay(second, user=officer, paid_on=datetime.date.today(), reference="CZ-2026-002")
    award.refresh_from_db()
    assert (award.paid, award.status) == (200_000_000, AwardStatus.COMPLETED)
    kinds = list(LedgerEntry.objects.filter(award=award).order_by("id").values_list("kind", "amount"))
    assert kinds == [("reserve", 200_000_000), ("pay", 100_000_000), ("pay", 100_000_000)]


def test_a_payment_needs_its_reference_and_a_past_date_and_an_officer(world, decisions):
    tranche = _award(world, decisions).tranches.first()
    with pytest.raises(ValidationError):
        services.tranche_pay(tranche, user=world.users["officer"], paid_on=datetime.date.today(), reference=" ")
    with pytest.raises(ValidationError):
        services.tranche_pay(tranche, user=world.users["officer"],
                             paid_on=datetime.date.today() + datetime.timedelta(days=1), reference="X")
    with pytest.raises(PermissionDenied):
        services.tranche_pay(tranche, user=world.users["leader"], paid_on=datetime.date.today(), reference="X")
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.SCHEDULED and tranche.award.paid == 0


def test_cancelling_an_unpaid_award_releases_its_reserve_and_its_place(world, decisions):
    policy = sample_policy("cancel-capped", parameters=CAPS, annual_cap="annual", cumulative_cap="total",
                           group="g")
    award = _award(world, decisions, amount=100_000, policy=policy)
    with pytest.raises(ValidationError):
        services.award_release(award, user=world.users["officer"], reason="")
    services.award_release(award, user=world.users["officer"], reason="企业主动放弃")
    award.refresh_from_db()
    assert award.status == AwardStatus.CANCELLED
    assert set(award.tranches.values_list("status", flat=True)) == {TrancheStatus.CANCELLED}
    assert budget_of(policy).committed == 0
    assert set(Allowance.objects.filter(policy=policy).values_list("committed", flat=True)) == {0}
    assert LedgerEntry.objects.filter(award=award, kind=LedgerKind.RELEASE, amount=100_000).exists()
    # The year and the group are free again.
    services.application_approve(application(world, policy), user=world.users["admin"])


def test_a_paid_award_is_not_cancelled(world, decisions):
    award = _award(world, decisions, amount=100_000)
    services.tranche_pay(award.tranches.get(), user=world.users["officer"], paid_on=datetime.date.today(),
                         reference="CZ-1")
    with pytest.raises(Refused, match="追回"):
        services.award_release(award, user=world.users["officer"], reason="放弃")


def test_tranches_are_replanned_before_the_first_payment_only(world, decisions):
    award = _award(world, decisions, amount=300_000)
    with pytest.raises(ValidationError, match="3,000.00 元"):
        services.award_tranches_plan(award, user=world.users["officer"], plan="1000\n1000")
    with pytest.raises(ValidationError, match="第 2 行"):
        services.award_tranches_plan(award, user=world.users["officer"], plan="1000\nabc")
    services.award_tranches_plan(award, user=world.users["officer"], plan="1000.00 2027-01-31\n2,000")
    tranches = list(award.tranches.order_by("number"))
    assert [(t.amount, t.due_on) for t in tranches] == [(100_000, datetime.date(2027, 1, 31)), (200_000, None)]
    services.tranche_pay(tranches[0], user=world.users["officer"], paid_on=datetime.date.today(), reference="A")
    with pytest.raises(Refused):
        services.award_tranches_plan(award, user=world.users["officer"], plan="3000")


def test_without_the_holiday_calendar_approval_proceeds_and_the_deadline_waits(world, decisions, monkeypatch):
    class Missing(ValidationError):
        def __init__(self, year):
            self.year = year
            super().__init__(f"{year} 年的节假日安排尚未录入，无法计算工作日期限")

    def add_working_days(start, days):
        raise Missing(2027)

    import sys

    monkeypatch.setitem(sys.modules, "core.calendar", types.SimpleNamespace(
        add_working_days=add_working_days, CalendarMissing=Missing))
    import core

    monkeypatch.setattr(core, "calendar", sys.modules["core.calendar"], raising=False)
    approved = services.application_approve(application(world), user=world.users["admin"])
    approved.refresh_from_db()
    assert approved.status == ApplicationStatus.APPROVED and approved.payout_due is None
    assert approved.award.tranches.get().due_on is None
    due, warning = services.payout_due_for(datetime.date(2026, 12, 20))
    assert due is None and "2027 年节假日安排未录入，拨付期限暂无法计算" in warning


def test_payout_due_counts_working_days(monkeypatch):
    import sys

    from django.core.exceptions import ValidationError as Missing

    calls = []

    def add_working_days(start, days):
        calls.append((start, days))
        return start + datetime.timedelta(days=28)

    monkeypatch.setitem(sys.modules, "core.calendar", types.SimpleNamespace(
        add_working_days=add_working_days, CalendarMissing=Missing))
    import core

    monkeypatch.setattr(core, "calendar", sys.modules["core.calendar"], raising=False)
    assert services.payout_due_for(datetime.date(2026, 3, 2)) == (datetime.date(2026, 3, 30), "")
    assert calls == [(datetime.date(2026, 3, 2), 20)]


def test_confirming_an_offer_makes_a_submitted_application(world, decisions):
    policy = sample_policy()
    run = ScreeningRun.objects.create(decided_on=datetime.date(2026, 12, 1), period_start=datetime.date(2026, 1, 1),
                                      period_end=datetime.date(2026, 12, 31))
    offer = Offer.objects.create(run=run, policy=policy, version=policy.versions.get(), enterprise=world.tenant_a,
                                 period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31),
                                 amount=100_000)
    with pytest.raises(PermissionDenied):
        services.application_create_from_offer(offer=offer, user=world.users["officer"])
    made = services.application_create_from_offer(offer=offer, user=world.users["enterprise"])
    offer.refresh_from_db()
    assert made.status == ApplicationStatus.SUBMITTED and made.offer == offer and made.decision is not None
    assert (made.policy, made.enterprise, made.year) == (policy, world.tenant_a, 2026)
    assert offer.status == OfferStatus.CONFIRMED and offer.answered_at is not None
    with pytest.raises(Refused):
        services.application_create_from_offer(offer=offer, user=world.users["enterprise"])


def test_documents_attached_once_are_offered_again_for_later_applications(world):
    from core.attachments import selectors as attachment_selectors
    from core.attachments.services import document_upload
    from core.tests.attachment_files import PDF, upload
    from policies.panels import APPLICATION_DOCUMENT

    user = world.users["enterprise"]
    first = application(world, status=ApplicationStatus.DRAFT)
    later = application(world, sample_policy("later"), status=ApplicationStatus.DRAFT)
    document_upload(user=user, record=first, upload=upload("租金凭证.pdf", PDF, "application/pdf"),
                    kind=APPLICATION_DOCUMENT, title="2026年租金缴纳凭证")
    offered = attachment_selectors.reusable_documents(user=user, record=later)
    assert [d.title for d in offered] == ["2026年租金缴纳凭证"]
    assert not attachment_selectors.reusable_documents(user=world.users["officer"],
                                                       record=application(world, enterprise=world.tenant_b,
                                                                          status="draft")).exists()


def test_a_payment_coming_due_reminds_the_bureau_until_it_is_paid(world, decisions):
    from core.reminders.models import Reminder

    award = _award(world, decisions, amount=100_000)
    tranche = award.tranches.get()
    Tranche.objects.filter(pk=tranche.pk).update(due_on=datetime.date.today() + datetime.timedelta(days=5))
    from core import reminders

    reminders.refresh_for(award)
    raised = Reminder.objects.filter(rule__kind="policies.payout_due", object_id=str(award.pk))
    assert raised.exists() and "1,000.00 元" in raised.first().text
    services.tranche_pay(tranche, user=world.users["officer"], paid_on=datetime.date.today(), reference="GK-9")
    assert not Reminder.objects.filter(rule__kind="policies.payout_due", object_id=str(award.pk),
                                       resolved_at__isnull=True).exists()


def test_a_deadline_left_empty_is_filled_once_the_calendar_is_entered(world, decisions, monkeypatch):
    import sys

    class Missing(ValidationError):
        def __init__(self, year):
            self.year = year
            super().__init__(f"{year}")

    calendar = types.SimpleNamespace(CalendarMissing=Missing)

    def missing(start, days):
        raise Missing(2027)

    calendar.add_working_days = missing
    monkeypatch.setitem(sys.modules, "core.calendar", calendar)
    import core

    monkeypatch.setattr(core, "calendar", calendar, raising=False)
    approved = services.application_approve(application(world), user=world.users["admin"])
    assert services.payout_due_fill() == 0
    calendar.add_working_days = lambda start, days: start + datetime.timedelta(days=30)
    assert services.payout_due_fill() == 1
    approved.refresh_from_db()
    decided = django_timezone.localtime(approved.decided_at).date()
    assert approved.payout_due == decided + datetime.timedelta(days=30)
    assert approved.award.tranches.get().due_on == approved.payout_due
    assert services.payout_due_fill() == 0
