"""``manage.py db_worker``: django-tasks-db's worker, with the import warden beside it (core.importing.tasks.start_warden)
and the daily clock (core.reminders.daily.start_clock: the daily tasks at YUANQU_DAILY_HOUR, and at start if not run today).

django-tasks-db marks a task running when a worker takes it and nothing else: a worker killed mid-task leaves
it, and the import batch it was checking or writing, running for ever. The warden fails such batches (with
their reason, for their page) and the task results they left behind, at start and every quarter of
YUANQU_IMPORT_STALE_SECONDS while the worker runs. This command shadows the package's own, so ``core`` comes
before ``django_tasks_db`` in INSTALLED_APPS.
"""

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from core.importing.tasks import start_warden
from core.reminders.daily import start_clock


class Command(DatabaseWorkerCommand):
    help = ("Run the background worker, with the warden that fails import batches whose worker stopped and the "
            "clock that runs the daily tasks")

    def handle(self, *args, **options):
        start_warden()
        start_clock()
        return super().handle(*args, **options)
