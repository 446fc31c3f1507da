"""Tasks that run once a day (expire leases, raise reminders, …): apps register them, ``manage.py daily`` runs
them all, and the worker (``manage.py db_worker``) runs them at YUANQU_DAILY_HOUR and at its start when the
day's run has not happened.

The day's run is a ``DailyRun`` row, unique per day: the process whose INSERT succeeds runs the tasks, so two
workers (or a worker and a cron job using ``daily --once``) never both do. A run whose process died leaves a
row without ``finished``; after STALE another process takes it over with one conditional UPDATE.
"""

import datetime
import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, IntegrityError, close_old_connections, transaction
from django.db.models import Q
from django.utils import timezone

from core.models import DailyRun

logger = logging.getLogger(__name__)

# A run not finished after this long is taken to have died with its process.
STALE = datetime.timedelta(hours=2)
# How often the worker's clock looks whether the day's hour has come.
POLL_SECONDS = 60


@dataclass(frozen=True)
class DailyTask:
    name: str
    function: Callable  # function(today) -> a short summary (str, number or dict)
    order: int


TASKS: dict[str, DailyTask] = {}


def register(name: str, function: Callable, *, order: int = 50) -> None:
    """Run ``function(today)`` every day. Lower ``order`` runs first: tasks that change records (expiring
    leases) come before those that read them (raising reminders, order 90)."""
    TASKS[name] = DailyTask(name=name, function=function, order=order)


def tasks() -> list[DailyTask]:
    return sorted(TASKS.values(), key=lambda t: (t.order, t.name))


def run_tasks(today: datetime.date, names: list[str] | None = None) -> dict:
    """Run the tasks (all, or those named) for ``today``, each on its own: one that fails is logged and
    recorded, and the others still run. Returns {name: {"ok": bool, "result" or "error": str}}."""
    results = {}
    for task in tasks():
        if names is not None and task.name not in names:
            continue
        try:
            outcome = task.function(today)
        except Exception as exc:  # a daily task's failure must not stop the others
            logger.exception("daily task %s failed for %s", task.name, today)
            results[task.name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
        else:
            results[task.name] = {"ok": True, "result": _plain(outcome)}
    return results


def _plain(outcome):
    if outcome is None or isinstance(outcome, (int, float, str, bool)):
        return outcome
    if isinstance(outcome, dict):
        return {str(k): _plain(v) for k, v in outcome.items()}
    return str(outcome)


def daily_claim(day: datetime.date, now: datetime.datetime | None = None) -> DailyRun | None:
    """Take the day's run for this process, or None when another process has it (or had it)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return DailyRun.objects.create(day=day, started=now)
    except IntegrityError:
        pass
    run = uuid.uuid4()
    taken = DailyRun.objects.filter(day=day, finished__isnull=True, started__lt=now - STALE).update(
        started=now, run=run, results={})
    return DailyRun.objects.get(day=day, run=run) if taken else None


def daily_finish(claim: DailyRun, results: dict) -> None:
    DailyRun.objects.filter(pk=claim.pk, run=claim.run).update(finished=timezone.now(), results=results)


def daily_run(day: datetime.date, *, once: bool = False, names: list[str] | None = None) -> dict | None:
    """Run the day's tasks. With ``once`` only if no process has run (or is running) them for that day;
    otherwise always (by hand: the tasks are idempotent) and the day is recorded as run."""
    claim = daily_claim(day)
    if claim is None and once:
        return None
    results = run_tasks(day, names)
    if claim is not None:
        daily_finish(claim, results)
    else:
        DailyRun.objects.filter(day=day).update(finished=timezone.now(), results=results)
    return results


def daily_run_if_due(now: datetime.datetime | None = None, *, at_start: bool = False) -> dict | None:
    """The worker's clock: run today's tasks once the day's hour has come (at the worker's start, at once),
    unless they have run today."""
    now = timezone.localtime(now or timezone.now())
    if not at_start and now.hour < settings.YUANQU_DAILY_HOUR:
        return None
    if DailyRun.objects.filter(Q(finished__isnull=False) | Q(started__gte=now - STALE), day=now.date()).exists():
        return None  # done or under way: a cheap look first; the claim decides
    return daily_run(now.date(), once=True)


def start_clock(poll: float = POLL_SECONDS) -> threading.Event:
    """The daily clock in a thread of the worker: a look at once, then every ``poll`` seconds. Set the event
    to stop it."""
    stop = threading.Event()

    def tick(at_start=False):
        try:
            daily_run_if_due(at_start=at_start)
        except DatabaseError:
            logger.exception("daily clock: this look failed; the next one tries again")
        finally:
            close_old_connections()

    def watch():
        tick(at_start=True)
        while not stop.wait(poll):
            tick()

    threading.Thread(target=watch, name="daily-clock", daemon=True).start()
    return stop
