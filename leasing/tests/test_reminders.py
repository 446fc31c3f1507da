"""Expiring leases raise reminders in bands (90, 60, 30 days), once, to the park's operator and the bureau, and
the reminders go when the lease is renewed, terminated or expired."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core import reminders as core_reminders
from core.models import DomainEvent, Reminder
from core.reference.choices import ReminderResolution
from core.reminders.services import reminders_raise
from leasing import services
from leasing.choices import LeaseStatus
from leasing.models import Lease
from yuanqu.racing import postgres_only, race

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


def ending_in(lease, days, today):
    Lease.objects.filter(pk=lease.pk).update(end_date=today + days * DAY)
    lease.refresh_from_db()
    return lease


def open_for(user, lease=None):
    rows = Reminder.objects.filter(recipient=user, resolved_at__isnull=True).select_related("rule")
    if lease is not None:
        rows = rows.filter(object_id=str(lease.pk), content_type__model="lease")
    return list(rows)


@pytest.mark.parametrize("days, band", [(0, 30), (1, 30), (30, 30), (31, 60), (45, 60), (60, 60), (61, 90),
                                        (90, 90), (91, None), (400, None)])
def test_a_lease_gets_the_reminder_of_the_nearest_band_it_is_in(world, reminder_rules, today, days, band):
    ending_in(world.lease_a, days, today)
    reminders_raise(today=today)
    found = open_for(world.users["operator"], world.lease_a)
    if band is None:
        assert found == []
    else:
        assert [r.rule.days_before for r in found] == [band]  # one reminder, never a 90-day duplicate
        assert found[0].due_date == world.lease_a.end_date


def test_the_text_names_the_lease_the_tenant_the_date_and_the_days_left_in_chinese(world, reminder_rules, today):
    ending_in(world.lease_a, 30, today)
    reminders_raise(today=today)
    (reminder,) = open_for(world.users["operator"])
    end = world.lease_a.end_date
    assert reminder.text == f"租约 HT-A-001（荣耀终端有限公司）将于 {end.year}年{end.month}月{end.day}日 到期，还有 30 天"
    assert reminder.link == world.lease_a.get_absolute_url()
    assert reminder.rule.title == "租约30天内到期"


def test_a_lease_ending_today_says_so(world, reminder_rules, today):
    ending_in(world.lease_a, 0, today)
    reminders_raise(today=today)
    (reminder,) = open_for(world.users["operator"])
    end = world.lease_a.end_date
    assert reminder.text == f"租约 HT-A-001（荣耀终端有限公司）今天（{end.year}年{end.month}月{end.day}日）到期"


def test_raising_twice_a_day_creates_nothing_more(world, reminder_rules, today):
    ending_in(world.lease_a, 20, today)
    first = reminders_raise(today=today)
    count = Reminder.objects.count()
    second = reminders_raise(today=today)
    assert count == 3  # the operator, the officer, the administrator
    assert Reminder.objects.count() == count
    assert first["leasing.lease_expiring"]["raised"] == 3
    assert second["leasing.lease_expiring"] == {"raised": 0, "reopened": 0, "resolved": 0, "updated": 0}


def test_a_nearer_band_replaces_the_reminder_of_the_wider_one(world, reminder_rules, today):
    ending_in(world.lease_a, 45, today)
    reminders_raise(today=today)
    (sixty,) = open_for(world.users["operator"])
    reminders_raise(today=today + 15 * DAY)  # now 30 days left
    (thirty,) = open_for(world.users["operator"])
    assert thirty.rule.days_before == 30 and thirty.read_at is None
    sixty.refresh_from_db()
    assert sixty.resolution == ReminderResolution.SUPERSEDED and sixty.resolved_at is not None


def test_the_days_left_are_brought_up_to_date_without_making_it_unread(world, reminder_rules, today):
    ending_in(world.lease_a, 25, today)
    reminders_raise(today=today)
    (reminder,) = open_for(world.users["operator"])
    Reminder.objects.filter(pk=reminder.pk).update(read_at=timezone.now())
    reminders_raise(today=today + 5 * DAY)
    reminder.refresh_from_db()
    assert reminder.text.endswith("还有 20 天") and reminder.read_at is not None and reminder.resolved_at is None


def test_only_the_parks_operator_and_the_bureau_are_reminded(world, reminder_rules, today):
    ending_in(world.lease_a, 10, today)
    ending_in(world.lease_b, 10, today)
    reminders_raise(today=today)
    users = world.users
    assert {r.object_id for r in open_for(users["operator"])} == {str(world.lease_a.pk)}
    assert {r.object_id for r in open_for(users["operator_b"])} == {str(world.lease_b.pk)}
    assert len(open_for(users["officer"])) == len(open_for(users["admin"])) == 2
    assert open_for(users["leader"]) == [] and open_for(users["enterprise"]) == []  # not in the seed rules' audience


def test_an_inactive_account_gets_no_reminder(world, reminder_rules, today):
    world.users["operator"].is_active = False
    world.users["operator"].save()
    ending_in(world.lease_a, 10, today)
    reminders_raise(today=today)
    assert open_for(world.users["operator"]) == []


def test_renewing_the_lease_resolves_its_reminders_at_once(world, reminder_rules, today):
    ending_in(world.lease_a, 20, today)
    reminders_raise(today=today)
    lease = world.lease_a
    services.lease_update(user=world.users["operator"], instance=lease, data={
        "enterprise": lease.enterprise, "units": [world.unit_a1], "start_date": lease.start_date,
        "end_date": today + 400 * DAY, "monthly_rent": Decimal("140.00"), "contract_number": "HT-A-001"})
    assert open_for(world.users["operator"]) == [] and open_for(world.users["officer"]) == []
    resolved = Reminder.objects.filter(object_id=str(lease.pk))
    assert {r.resolution for r in resolved} == {ReminderResolution.ENDED}
    assert DomainEvent.objects.filter(name="core.reminders.raise", object_id=str(lease.pk)).exists()


def test_moving_the_end_date_moves_the_reminder_to_the_new_date(world, reminder_rules, today):
    ending_in(world.lease_a, 50, today)
    reminders_raise(today=today)
    lease = world.lease_a
    services.lease_update(user=world.users["operator"], instance=lease, data={
        "enterprise": lease.enterprise, "units": [world.unit_a1], "start_date": lease.start_date,
        "end_date": today + 10 * DAY, "monthly_rent": Decimal("140.00"), "contract_number": "HT-A-001"})
    (reminder,) = open_for(world.users["operator"])
    assert reminder.due_date == today + 10 * DAY and reminder.rule.days_before == 30
    assert reminder.text.endswith("还有 10 天")


def test_moving_the_date_back_opens_the_same_reminder_again_unread(world, reminder_rules, today):
    ending_in(world.lease_a, 20, today)
    reminders_raise(today=today)
    (first,) = open_for(world.users["operator"])
    Reminder.objects.filter(pk=first.pk).update(read_at=timezone.now())
    ending_in(world.lease_a, 200, today)
    reminders_raise(today=today)
    assert open_for(world.users["operator"]) == []
    ending_in(world.lease_a, 20, today)
    reminders_raise(today=today)
    (again,) = open_for(world.users["operator"])
    assert again.pk == first.pk and again.read_at is None and again.resolution == ""


def test_terminating_the_lease_resolves_its_reminders_at_once(world, reminder_rules, today):
    ending_in(world.lease_a, 20, today)
    reminders_raise(today=today)
    services.lease_terminate(user=world.users["operator"], instance=world.lease_a, terminated_on=today)
    assert Lease.objects.get(pk=world.lease_a.pk).status == LeaseStatus.TERMINATED
    assert Reminder.objects.filter(resolved_at__isnull=True).count() == 0


def test_deleting_the_lease_resolves_its_reminders(world, reminder_rules, today):
    ending_in(world.lease_a, 20, today)
    reminders_raise(today=today)
    services.lease_delete(user=world.users["officer"], instance=world.lease_a)
    assert Reminder.objects.filter(resolved_at__isnull=True).count() == 0


def test_a_lease_recorded_near_its_end_is_reminded_of_at_once(world, reminder_rules, today):
    lease = services.lease_create(user=world.users["operator"], data={
        "enterprise": world.tenant_a, "units": [world.unit_a2], "start_date": today - 300 * DAY,
        "end_date": today + 5 * DAY, "monthly_rent": Decimal("120.00"), "contract_number": "HT-A-002"})
    (reminder,) = open_for(world.users["operator"], lease)
    assert reminder.rule.days_before == 30 and "HT-A-002" in reminder.text


def test_an_expired_lease_leaves_the_inbox_at_the_next_daily_run(world, reminder_rules, today):
    from django.core.management import call_command

    ending_in(world.lease_a, 1, today)
    reminders_raise(today=today)
    assert len(open_for(world.users["operator"])) == 1
    call_command("daily", "--date", (today + 2 * DAY).isoformat())  # leases_refresh first, then reminders
    assert Lease.objects.get(pk=world.lease_a.pk).status == LeaseStatus.EXPIRED
    assert open_for(world.users["operator"]) == []


def test_switching_a_rule_off_resolves_its_reminders(world, reminder_rules, today):
    ending_in(world.lease_a, 20, today)
    reminders_raise(today=today)
    rule = reminder_rules[("leasing.lease_expiring", 30)]
    rule.active = False
    rule.save()
    reminders_raise(today=today)
    (reminder,) = open_for(world.users["operator"])
    assert reminder.rule.days_before == 60  # the next band takes over
    assert Reminder.objects.get(rule=rule, recipient=world.users["operator"]).resolution == ReminderResolution.RULE_OFF


def test_leases_refresh_still_runs_on_its_own(world, today):
    from io import StringIO

    from django.core.management import call_command

    ending_in(world.lease_a, -1, today)
    out = StringIO()
    call_command("leases_refresh", stdout=out)
    assert "expired 1 lease(s)" in out.getvalue()


@postgres_only
def test_raisers_at_the_same_moment_make_no_duplicate(transactional_db, world, reminder_rules, today):
    ending_in(world.lease_a, 20, today)
    lease = world.lease_a
    outcomes = race([lambda _n: reminders_raise(today=today)] * 3
                    + [lambda _n: core_reminders.refresh_for(Lease.objects.get(pk=lease.pk), today=today)], rounds=3)
    assert not [o for round_ in outcomes for o in round_ if isinstance(o, Exception)]
    assert Reminder.objects.count() == 3 and Reminder.objects.filter(resolved_at__isnull=True).count() == 3


# ----- renewal follow-ups whose next contact has come ---------------------------------------------------------------
def follow_up_due(lease, today, days_ago=1):
    Lease.objects.filter(pk=lease.pk).update(follow_up="talking", next_contact_on=today - days_ago * DAY)
    lease.refresh_from_db()
    return lease


def test_a_follow_up_past_its_next_contact_reminds_the_operator_and_the_bureau(world, reminder_rules, today):
    follow_up_due(world.lease_a, today, days_ago=2)
    follow_up_due(world.lease_b, today, days_ago=0)  # the day itself counts
    Lease.objects.filter(pk=world.lease_b.pk).update(next_contact_on=today + DAY)  # tomorrow does not
    reminders_raise(today=today)
    rule = reminder_rules[("leasing.renewal_followup_overdue", 0)]
    mine = [r for r in open_for(world.users["operator"], world.lease_a) if r.rule_id == rule.pk]
    assert len(mine) == 1
    assert "续约跟进" in mine[0].text and "洽谈中" in mine[0].text and world.lease_a.enterprise.name in mine[0].text
    assert [r for r in open_for(world.users["officer"], world.lease_a) if r.rule_id == rule.pk]
    assert not [r for r in open_for(world.users["officer"], world.lease_b) if r.rule_id == rule.pk]
    assert not open_for(world.users["enterprise"], world.lease_a)  # the talks are about the tenant, not for it


def test_recording_the_next_follow_up_or_renewing_resolves_it_at_once(world, reminder_rules, today):
    rule = reminder_rules[("leasing.renewal_followup_overdue", 0)]
    follow_up_due(world.lease_a, today)
    reminders_raise(today=today)
    assert [r for r in open_for(world.users["operator"], world.lease_a) if r.rule_id == rule.pk]
    services.lease_follow_up(user=world.users["operator"], instance=world.lease_a, status="talking",
                             note="下周二再谈", next_contact_on=today + 7 * DAY)
    assert not [r for r in open_for(world.users["operator"], world.lease_a) if r.rule_id == rule.pk]
    follow_up_due(world.lease_a, today)
    ending_in(world.lease_a, 20, today)
    reminders_raise(today=today)
    assert {r.rule.kind for r in open_for(world.users["operator"], world.lease_a)} == {
        "leasing.renewal_followup_overdue", "leasing.lease_expiring"}
    services.lease_renew(user=world.users["operator"], instance=world.lease_a, end_date=today + 800 * DAY,
                         monthly_rent=Decimal("130"), contract_number="HT-XQ")
    assert open_for(world.users["operator"], world.lease_a) == []  # both gone from the inbox
