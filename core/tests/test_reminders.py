"""The inbox and the bell, the API, the senders, the rules' pages, and the seam the apps use (core names none)."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.models import DomainEvent, ObjectChange, Reminder, ReminderDelivery, ReminderRule
from core.reminders import kinds
from core.reminders.delivery import MAX_ATTEMPTS, deliveries_retry
from core.reminders.services import kind_raise, reminders_raise
from leasing.models import Lease
from yuanqu.testing import bearer

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


def ending_in(lease, days, today):
    Lease.objects.filter(pk=lease.pk).update(end_date=today + days * DAY)


@pytest.fixture
def two_for_the_operator(world, reminder_rules, today):
    """Operator A's lease ends in 20 days, a second lease of park A in 50: two unread reminders each for
    the operator, the officer and the administrator."""
    ending_in(world.lease_a, 20, today)
    second = Lease.objects.create(enterprise=world.tenant_b, park=world.park_a, start_date=today - 100 * DAY,
                                  end_date=today + 50 * DAY, monthly_rent=140, contract_number="HT-A-009")
    second.units.add(world.unit_a2)
    reminders_raise(today=today)
    return second


def mine(user):
    return Reminder.objects.filter(recipient=user, resolved_at__isnull=True).order_by("-raised_at", "-id")


# ----- the bell and the inbox -------------------------------------------------------------------------------------
def test_the_bell_shows_the_operators_unread_count(world, client_for, two_for_the_operator):
    page = client_for(world.users["operator"]).get("/").content.decode()
    assert re.search(r'data-testid="bell-count">2<', page)
    assert 'aria-label="提醒，2 条未读"' in page


def test_no_number_on_the_bell_without_unread_reminders(world, client_for):
    page = client_for(world.users["operator"]).get("/").content.decode()
    assert 'data-testid="bell"' in page and "bell-count" not in page


def test_the_bell_says_99_plus_beyond_99(world, client_for, reminder_rules, today):
    rule = reminder_rules[("leasing.lease_expiring", 30)]
    lease_type = ContentType.objects.get_for_model(Lease)
    Reminder.objects.bulk_create([
        Reminder(rule=rule, recipient=world.users["officer"], content_type=lease_type, object_id=str(n),
                 due_date=today, text=f"提醒 {n}") for n in range(120)])
    page = client_for(world.users["officer"]).get("/").content.decode()
    assert re.search(r'data-testid="bell-count">99\+<', page)


def test_the_inbox_lists_ones_own_reminders_newest_first_in_chinese(world, client_for, two_for_the_operator, today):
    Reminder.objects.filter(recipient=world.users["operator"], object_id=str(world.lease_a.pk)).update(
        raised_at=timezone.now() - DAY)
    response = client_for(world.users["operator"]).get(reverse("reminder_inbox"))
    page = response.content.decode()
    texts = [r.text for r in response.context["reminders"]]
    assert len(texts) == 2
    assert texts[0].startswith("租约 HT-A-009（深圳晶泰科技有限公司）将于") and texts[0].endswith("还有 50 天")
    assert texts[1].startswith("租约 HT-A-001（荣耀终端有限公司）将于") and texts[1].endswith("还有 20 天")
    assert "租约60天内到期" in page and "租约30天内到期" in page and "标为已读" in page and "全部标为已读" in page
    assert f'href="{world.lease_a.get_absolute_url()}"' in page
    other = client_for(world.users["operator_b"]).get(reverse("reminder_inbox")).content.decode()
    assert "HT-A-001" not in other and "没有未读提醒" in other


def test_marking_one_read_moves_it_under_read_until_it_is_resolved(world, client_for, two_for_the_operator, today):
    client = client_for(world.users["operator"])
    first = mine(world.users["operator"]).get(object_id=str(world.lease_a.pk))
    response = client.post(reverse("reminder_read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert [r.pk for r in client.get(reverse("reminder_inbox")).context["reminders"]] != [first.pk]
    read_page = client.get(reverse("reminder_inbox"), {"show": "read"})
    assert [r.pk for r in read_page.context["reminders"]] == [first.pk]
    assert re.search(r'data-testid="bell-count">1<', read_page.content.decode())
    assert DomainEvent.objects.filter(name="core.reminder.read", object_id=str(first.pk),
                                      user=world.users["operator"]).exists()
    ending_in(world.lease_a, 300, today)  # renewed
    reminders_raise(today=today)
    assert list(client.get(reverse("reminder_inbox"), {"show": "read"}).context["reminders"]) == []


def test_another_persons_reminder_cannot_be_marked_read(world, client_for, two_for_the_operator):
    officers = mine(world.users["officer"]).first()
    response = client_for(world.users["operator"]).post(reverse("reminder_read", args=[officers.pk]))
    assert response.status_code == 404
    officers.refresh_from_db()
    assert officers.read_at is None


def test_marking_all_read_empties_the_bell(world, client_for, two_for_the_operator):
    client = client_for(world.users["operator"])
    response = client.post(reverse("reminders_read_all"), follow=True)
    page = response.content.decode()
    assert "已将 2 条提醒标为已读" in page and "bell-count" not in page
    assert mine(world.users["operator"]).filter(read_at__isnull=True).count() == 0
    assert mine(world.users["officer"]).filter(read_at__isnull=True).count() == 2  # the others' stay unread
    assert DomainEvent.objects.get(name="core.reminders.read_all").data == {"count": 2}


def test_the_inbox_needs_a_login(client):
    assert client.get(reverse("reminder_inbox")).status_code == 302
    assert client.post(reverse("reminders_read_all")).status_code == 302


# ----- the API ------------------------------------------------------------------------------------------------------
def test_the_api_lists_ones_own_reminders_and_marks_them_read(world, client, two_for_the_operator):
    auth = bearer(world.users["operator"])
    body = client.get("/api/reminders", **auth).json()
    assert body["count"] == 2 and body["unread"] == 2
    assert {r["kind"] for r in body["results"]} == {"leasing.lease_expiring"}
    first = body["results"][0]
    assert first["read"] is False and first["text"].startswith("租约 ")
    marked = client.post(f"/api/reminders/{first['id']}/read", **auth)
    assert marked.status_code == 200 and marked.json()["read"] is True
    assert client.get("/api/reminders", {"state": "read"}, **auth).json()["count"] == 1
    assert client.get("/api/reminders", {"state": "all"}, **auth).json()["count"] == 2
    officers = mine(world.users["officer"]).first()
    assert client.post(f"/api/reminders/{officers.pk}/read", **auth).status_code == 404
    assert client.post("/api/reminders/read-all", **auth).json() == {"marked_read": 1}
    assert client.get("/api/reminders", **auth).json()["unread"] == 0


def test_the_api_is_in_the_schema(world, client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/reminders", "/api/reminders/{pk}/read", "/api/reminders/read-all"} <= set(paths)


# ----- scope, whatever a kind names ---------------------------------------------------------------------------------
def test_a_kind_cannot_remind_someone_of_a_record_outside_their_scope(world, reminder_rules, today, monkeypatch):
    def due(today, rule):
        users = [world.users[k] for k in ("operator", "operator_b", "enterprise", "leader", "officer")]
        yield kinds.Due(world.lease_a, today, users, "测试提醒")

    kind = kinds.Kind(name="test.everyone", label="测试", model="leasing.lease", due=due)
    monkeypatch.setitem(kinds.KINDS, kind.name, kind)
    ReminderRule.objects.create(kind=kind.name, title="测试", days_before=0, to_bureau=True)
    kind_raise(kind, today)
    reminded = set(Reminder.objects.values_list("recipient__username", flat=True))
    # operator B does not manage park A; the enterprise user may see its own lease; the leader sees everything
    assert reminded == {"t_operator", "t_enterprise", "t_leader", "t_officer"}


def test_a_kind_without_only_still_serves_refresh_for(world, reminder_rules, today, monkeypatch):
    calls = []

    def due(today, rule):
        calls.append(rule.pk)
        yield kinds.Due(world.lease_a, today, [world.users["officer"]], "甲")
        yield kinds.Due(world.lease_b, today, [world.users["officer"]], "乙")

    kind = kinds.register_kind("test.plain", "测试", due=due, model="leasing.Lease")
    monkeypatch.setitem(kinds.KINDS, kind.name, kind)
    assert not kind.takes_only
    ReminderRule.objects.create(kind=kind.name, title="测试", days_before=0, to_bureau=True)
    from core import reminders

    reminders.refresh_for(world.lease_b, today=today)
    assert list(Reminder.objects.filter(rule__kind="test.plain").values_list("text", flat=True)) == ["乙"]


def test_a_rule_of_a_kind_no_app_registered_waits_doing_nothing(world, reminder_rules, today):
    waiting = ReminderRule.objects.create(kind="nowhere.kind_nobody_registers", days_before=0, title="无人登记的提醒",
                                          to_bureau=True)
    assert waiting.kind not in kinds.KINDS and waiting.active
    reminders_raise(today=today)
    assert not waiting.reminders.exists()


# ----- senders --------------------------------------------------------------------------------------------------------
SENT = []


class RecordingSender:
    name = "test.recording"

    def send(self, reminder):
        SENT.append(reminder.pk)


class BrokenSender(RecordingSender):
    name = "test.broken"

    def send(self, reminder):
        raise ConnectionError("短信网关无响应")


@pytest.fixture
def senders(settings):
    SENT.clear()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # the worker, here
    settings.YUANQU_REMINDER_SENDERS = ["core.tests.test_reminders.BrokenSender",
                                        "core.tests.test_reminders.RecordingSender",
                                        "core.reminders.senders.LogSender"]


def test_senders_run_after_commit_and_a_failing_one_loses_nothing(world, reminder_rules, today, senders,
                                                                   django_capture_on_commit_callbacks, caplog):
    ending_in(world.lease_a, 20, today)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders_raise(today=today)
        assert SENT == [] and not ReminderDelivery.objects.exists()  # nothing leaves before the commit
    with caplog.at_level("INFO", logger="yuanqu.reminders"):
        for callback in callbacks:
            callback()
    reminders = list(Reminder.objects.all())
    assert len(reminders) == 3 and sorted(SENT) == sorted(r.pk for r in reminders)
    broken = ReminderDelivery.objects.filter(sender="test.broken")
    assert broken.count() == 3 and all(d.sent_at is None and "短信网关无响应" in d.error and d.attempts == 1
                                       for d in broken)
    logged = ReminderDelivery.objects.filter(sender="core.reminders.senders.LogSender", sent_at__isnull=False)
    assert logged.count() == 3
    assert "HT-A-001" in caplog.text
    assert Reminder.objects.filter(resolved_at__isnull=True).count() == 3  # still in the inboxes


def test_a_failed_delivery_is_tried_again_daily_a_few_times(world, reminder_rules, today, senders,
                                                             django_capture_on_commit_callbacks):
    ending_in(world.lease_a, 20, today)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_raise(today=today)
    for _attempt in range(MAX_ATTEMPTS + 1):
        with django_capture_on_commit_callbacks(execute=True):
            deliveries_retry()
    broken = ReminderDelivery.objects.filter(sender="test.broken")
    assert {d.attempts for d in broken} == {MAX_ATTEMPTS}
    assert len(SENT) == 3  # a sender that succeeded is not asked again


def test_reminders_rolled_back_are_never_sent(world, reminder_rules, today, senders,
                                              django_capture_on_commit_callbacks):
    ending_in(world.lease_a, 20, today)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            reminders_raise(today=today)
            raise RuntimeError
    assert SENT == [] and not Reminder.objects.exists()


# ----- the rules ------------------------------------------------------------------------------------------------------
def test_the_seed_rules(reminder_rules):
    expiring = [(r.days_before, r.to_operators, r.to_enterprise, r.to_bureau)
                for (kind, _days), r in reminder_rules.items() if kind == "leasing.lease_expiring"]
    assert sorted(expiring) == [(30, True, False, True), (60, True, False, True), (90, True, False, True)]
    high_tech = reminder_rules[("enterprises.qualification_lapsing", 90)]
    assert (high_tech.applies_to, high_tech.to_enterprise, high_tech.to_bureau, high_tech.to_operators) == (
        "high_tech", True, True, False)


def test_the_administrator_edits_a_rule_on_its_page_audited(world, client_for, reminder_rules):
    client = client_for(world.users["admin"])
    rule = reminder_rules[("leasing.lease_expiring", 30)]
    page = client.get(reverse("core:reminderrule_list")).content.decode()
    assert "租约30天内到期" in page and "租约即将到期" in page
    data = {"kind": rule.kind, "title": "租约15天内到期", "applies_to": "", "days_before": "15",
            "to_operators": "on", "to_bureau": "on", "active": "on"}
    response = client.post(reverse("core:reminderrule_edit", args=[rule.pk]), data)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.days_before == 15
    change = ObjectChange.objects.get(content_type__model="reminderrule", object_id=str(rule.pk))
    assert change.data_before["days_before"] == 30 and change.data_after["days_before"] == 15


def test_a_rule_without_audience_or_with_a_foreign_limit_is_refused_in_chinese(world, client_for, reminder_rules):
    client = client_for(world.users["admin"])
    response = client.post(reverse("core:reminderrule_add"), {
        "kind": "leasing.lease_expiring", "title": "无人提醒", "applies_to": "high_tech", "days_before": "10"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["to_bureau"] == ["请至少选择一类提醒对象。"]
    response = client.post(reverse("core:reminderrule_add"), {
        "kind": "leasing.lease_expiring", "title": "限定", "applies_to": "high_tech", "days_before": "10",
        "to_bureau": "on"})
    assert response.context["form"].errors["applies_to"] == ["该类提醒不能按此限定适用范围，请选择它自己的选项或留空。"]
    assert not ReminderRule.objects.filter(title__in=["无人提醒", "限定"]).exists()


def test_only_the_administrator_manages_the_rules(world, client_for, reminder_rules):
    for role in ("officer", "leader", "operator", "enterprise"):
        assert client_for(world.users[role]).get(reverse("core:reminderrule_list")).status_code == 403


def test_the_django_admin_edits_a_rule_through_the_services(world, client_for, reminder_rules):
    admin = world.users["admin"]
    admin.is_staff = True
    admin.save()
    client = client_for(admin)
    rule = reminder_rules[("leasing.lease_expiring", 60)]
    url = reverse("admin:core_reminderrule_change", args=[rule.pk])
    response = client.post(url, {"kind": rule.kind, "title": rule.title, "applies_to": "", "days_before": "45",
                                 "to_operators": "on", "to_bureau": "on", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.days_before == 45
    assert ObjectChange.objects.filter(content_type__model="reminderrule", object_id=str(rule.pk),
                                       user=admin).exists()
    officer = world.users["officer"]
    officer.is_staff = True
    officer.save()
    assert client_for(officer).get(url).status_code == 403


# ----- the seam ---------------------------------------------------------------------------------------------------------
def test_core_reminders_and_daily_tasks_name_no_app():
    root = Path(settings.BASE_DIR)
    files = [*sorted((root / "core" / "reminders").glob("*.py")),
             root / "core" / "management" / "commands" / "daily.py", root / "templates" / "core" / "reminder_inbox.html"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(spaces|enterprises|leasing)\b", text), path


def test_a_sender_that_cannot_be_used_stops_the_start(settings):
    from core.reminders.senders import check_senders

    assert check_senders() == []
    settings.YUANQU_REMINDER_SENDERS = ["core.nothing.SmsSender", "core.reminders.senders.logger"]
    assert [error.id for error in check_senders()] == ["yuanqu.E101", "yuanqu.E102"]
