"""The daily tasks: ``manage.py daily --date``, and the worker's clock that runs them once a day, whatever the
number of workers."""

import datetime
import threading
import zoneinfo
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import DailyRun, Reminder
from core.reminders import daily
from leasing.choices import LeaseStatus
from leasing.models import Lease
from yuanqu.racing import postgres_only, race

DAY = datetime.timedelta(days=1)
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 5), tzinfo=SHANGHAI)


@pytest.fixture
def calls(monkeypatch):
    """The registered tasks replaced by one that notes the day it ran for."""
    seen = []
    monkeypatch.setattr(daily, "TASKS", {})
    daily.register("test.note", lambda today: seen.append(today) or len(seen))
    return seen


def test_the_command_runs_every_task_as_of_the_date_and_records_the_day(world, reminder_rules):
    day = timezone.localdate() + 3 * DAY
    Lease.objects.filter(pk=world.lease_a.pk).update(end_date=day - DAY)  # ended the day before
    Lease.objects.filter(pk=world.lease_b.pk).update(end_date=day + 10 * DAY)
    out = StringIO()
    call_command("daily", "--date", day.isoformat(), stdout=out)
    text = out.getvalue()
    assert f"{day} leasing.leases_refresh: " in text and '"expired": 1' in text
    assert f"{day} core.reminders: " in text
    assert Lease.objects.get(pk=world.lease_a.pk).status == LeaseStatus.EXPIRED
    reminded = Reminder.objects.get(recipient=world.users["operator_b"])
    assert reminded.due_date == day + 10 * DAY and reminded.text.endswith("还有 10 天")  # counted from --date
    run = DailyRun.objects.get(day=day)
    assert run.finished is not None and run.results["leasing.leases_refresh"] == {"ok": True, "result": {"expired": 1}}


def test_the_command_runs_again_by_hand_but_not_with_once(world, calls):
    day = datetime.date(2027, 3, 1)
    call_command("daily", "--date", day.isoformat(), stdout=StringIO())
    call_command("daily", "--date", day.isoformat(), stdout=StringIO())
    out = StringIO()
    call_command("daily", "--date", day.isoformat(), "--once", stdout=out)
    assert calls == [day, day] and "already run" in out.getvalue()
    assert DailyRun.objects.filter(day=day).count() == 1


def test_a_failing_task_is_recorded_and_the_others_still_run(world, calls):
    def broken(today):
        raise ValueError("数据有误")

    daily.register("test.broken", broken, order=10)
    day = datetime.date(2027, 3, 2)
    with pytest.raises(CommandError):
        call_command("daily", "--date", day.isoformat(), stdout=StringIO())
    assert calls == [day]
    results = DailyRun.objects.get(day=day).results
    assert results["test.broken"] == {"ok": False, "error": "ValueError: 数据有误"}
    assert results["test.note"] == {"ok": True, "result": 1}


def test_an_unknown_task_is_refused(world, calls):
    with pytest.raises(CommandError, match="unknown task"):
        call_command("daily", "--task", "nothing", stdout=StringIO())


def test_the_worker_runs_them_from_the_hour_once_a_day(world, calls, settings):
    settings.YUANQU_DAILY_HOUR = 6
    day = datetime.date(2027, 3, 3)
    assert daily.daily_run_if_due(at(day, 5)) is None and calls == []  # before the hour
    assert daily.daily_run_if_due(at(day, 6)) is not None and calls == [day]
    assert daily.daily_run_if_due(at(day, 7)) is None and daily.daily_run_if_due(at(day, 23)) is None
    assert daily.daily_run_if_due(at(day + DAY, 6)) is not None and calls == [day, day + DAY]


def test_a_starting_worker_runs_them_at_once_unless_they_ran_today(world, calls, settings):
    settings.YUANQU_DAILY_HOUR = 6
    day = datetime.date(2027, 3, 4)
    assert daily.daily_run_if_due(at(day, 2), at_start=True) is not None and calls == [day]
    assert daily.daily_run_if_due(at(day, 3), at_start=True) is None  # a restart the same day
    assert daily.daily_run_if_due(at(day, 8)) is None and calls == [day]


def test_a_second_worker_does_not_claim_the_day(world):
    day = datetime.date(2027, 3, 5)
    assert daily.daily_claim(day) is not None
    assert daily.daily_claim(day) is None


def test_a_run_whose_worker_died_is_taken_over_after_a_while(world):
    day = datetime.date(2027, 3, 6)
    now = timezone.now()
    first = daily.daily_claim(day, now=now)
    assert daily.daily_claim(day, now=now + datetime.timedelta(minutes=90)) is None  # maybe still at work
    taken = daily.daily_claim(day, now=now + daily.STALE + datetime.timedelta(minutes=1))
    assert taken is not None and taken.run != first.run
    daily.daily_finish(first, {"late": True})  # the first one's late finish no longer counts
    assert DailyRun.objects.get(day=day).finished is None
    daily.daily_finish(taken, {})
    assert DailyRun.objects.get(day=day).finished is not None
    assert daily.daily_claim(day, now=now + 10 * daily.STALE) is None  # a finished day is never run again


def test_the_clock_looks_at_start_and_then_every_poll(monkeypatch):
    looks = []
    done = threading.Event()

    def look(now=None, *, at_start=False):
        looks.append(at_start)
        if len(looks) >= 3:
            done.set()

    monkeypatch.setattr(daily, "daily_run_if_due", look)
    stop = daily.start_clock(poll=0.01)
    try:
        assert done.wait(5)
    finally:
        stop.set()
    assert looks[0] is True and looks[1:3] == [False, False]


def test_new_reminders_are_queued_for_the_worker_after_commit(world, reminder_rules,
                                                               django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from core.reminders.services import reminders_raise

    today = timezone.localdate()
    Lease.objects.filter(pk=world.lease_a.pk).update(end_date=today + 5 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_raise(today=today)
    (queued,) = DBTaskResult.objects.filter(task_path="core.reminders.delivery.reminders_deliver")
    assert sorted(queued.args_kwargs["args"][0]) == sorted(Reminder.objects.values_list("pk", flat=True))


@postgres_only
def test_two_workers_starting_together_run_the_day_once(transactional_db, world):
    day = datetime.date(2027, 3, 7)
    ran = []
    lock = threading.Lock()

    def note(today):
        with lock:
            ran.append(today)

    daily.TASKS["test.race"] = daily.DailyTask("test.race", note, 50)
    try:
        outcomes = race([lambda _n: daily.daily_run(day, once=True, names=["test.race"])] * 4)
    finally:
        daily.TASKS.pop("test.race")
    assert ran == [day]
    assert sum(result is not None for result in outcomes[0]) == 1
