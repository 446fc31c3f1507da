"""Background jobs (django-tasks). The database backend's worker runs them: ``manage.py db_worker`` (ours,
core/management/commands/db_worker.py, with the warden that fails stopped runs)."""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django_tasks import task

from core.importing import jobs
from core.models import ImportBatch
from core.reference.choices import IMPORT_RUNNING

logger = logging.getLogger(__name__)


def _batch(batch_id: int) -> ImportBatch:
    return ImportBatch.objects.select_related("user", "content_type").get(pk=batch_id)


@task()
def import_check(batch_id: int, run: str | None = None) -> None:
    jobs.batch_check(_batch(batch_id), run=run)


@task()
def import_commit(batch_id: int, run: str | None = None) -> None:
    jobs.batch_commit(_batch(batch_id), run=run)


def start_check(batch: ImportBatch) -> None:
    """Small files are checked while the user waits; larger ones by the worker (the task carries the batch's
    run: if the batch has moved on by the time it runs, it does nothing)."""
    if batch.file.size <= settings.YUANQU_IMPORT_INLINE_BYTES:
        jobs.batch_check(batch)
    else:
        import_check.enqueue(batch.pk, str(batch.run))


def start_commit(batch: ImportBatch) -> ImportBatch:
    """A batch the commit action took (jobs.batch_commit_start: 导入中, with a run of its own, which only one click
    can take) is written as ``start_check`` checks: a small file now, a larger one by the worker, whose task
    carries the run. Returns the batch as it stands."""
    if batch.file.size <= settings.YUANQU_IMPORT_INLINE_BYTES:
        return jobs.batch_commit(batch, run=str(batch.run))
    import_commit.enqueue(batch.pk, str(batch.run))
    return batch


jobs.start_commits_with(start_commit)


# ----- the warden ---------------------------------------------------------------------------------------------
IMPORT_TASKS = (f"{__name__}.import_check", f"{__name__}.import_commit")


class WorkerLost(Exception):
    """The worker running this task stopped without finishing it."""


def results_fail_orphaned() -> int:
    """A killed worker leaves its task 'running' in django-tasks-db for ever (nothing else marks it). An import
    task whose run is over (the warden failed its batch, or the batch was checked again) is marked failed."""
    from django_tasks_db.models import DBTaskResult

    failed = 0
    for result in DBTaskResult.objects.running().filter(task_path__in=IMPORT_TASKS):
        args = result.args_kwargs.get("args") or [None]
        run = args[1] if len(args) > 1 else None
        if ImportBatch.objects.filter(pk=args[0], run=run, status__in=IMPORT_RUNNING).exists():
            continue  # still at work (or not yet known to have stopped)
        result.set_failed(WorkerLost(f"import batch {args[0]}: the worker stopped during run {run}"))
        failed += 1
    return failed


def warden_round() -> None:
    """Fail the batches whose run stopped, then the task results they left running."""
    try:
        jobs.batches_fail_stale()
        results_fail_orphaned()
    except DatabaseError:
        logger.exception("import warden: this round failed; the next one tries again")
    finally:
        close_old_connections()


def start_warden() -> threading.Event:
    """The warden in a thread of the worker: a round at once (a restarted worker deals with what its
    predecessor left), then every quarter of YUANQU_IMPORT_STALE_SECONDS. Set the event to stop it."""
    stop = threading.Event()
    interval = max(settings.YUANQU_IMPORT_STALE_SECONDS / 4, 0.2)

    def watch():
        warden_round()
        while not stop.wait(interval):
            warden_round()

    threading.Thread(target=watch, name="import-warden", daemon=True).start()
    return stop
