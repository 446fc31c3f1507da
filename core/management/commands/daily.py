"""``manage.py daily [--date YYYY-MM-DD] [--once] [--task NAME]``: run the daily tasks (core/reminders/daily.py)."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.reminders import daily


class Command(BaseCommand):
    help = "Run the daily tasks (expire leases, raise reminders, …) as of a date; the worker runs them by itself."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None,
                            help="Run as of this date (YYYY-MM-DD); default today.")
        parser.add_argument("--once", action="store_true",
                            help="Do nothing if the day's run has happened or is under way (for cron beside a worker).")
        parser.add_argument("--task", action="append", dest="tasks", default=None, metavar="NAME",
                            help="Run only this task (repeatable). --list shows them.")
        parser.add_argument("--list", action="store_true", dest="show_list", help="List the registered tasks and stop.")

    def handle(self, *args, date=None, once=False, tasks=None, show_list=False, **options):
        if show_list:
            for task in daily.tasks():
                self.stdout.write(f"{task.order:3d} {task.name}")
            return
        known = {task.name for task in daily.tasks()}
        unknown = sorted(set(tasks or ()) - known)
        if unknown:
            raise CommandError(f"unknown task(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        day = date or timezone.localdate()
        results = daily.daily_run(day, once=once, names=tasks)
        if results is None:
            self.stdout.write(f"{day}: already run (or running); nothing done")
            return
        for name, outcome in results.items():
            shown = outcome.get("result") if outcome["ok"] else f"FAILED {outcome['error']}"
            self.stdout.write(f"{day} {name}: {json.dumps(shown, ensure_ascii=False, default=str)}")
        if not all(outcome["ok"] for outcome in results.values()):
            raise CommandError("some daily tasks failed (see above and the log)")
