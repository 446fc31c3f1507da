"""Background jobs (django-tasks). The database backend's worker runs them: ``manage.py db_worker``."""

from django.conf import settings
from django_tasks import task

from .importing import jobs
from .models import ImportBatch


@task()
def import_check(batch_id: int) -> None:
    jobs.batch_check(ImportBatch.objects.select_related("user", "content_type").get(pk=batch_id))


@task()
def import_commit(batch_id: int) -> None:
    # start_commit took the batch for this commit (jobs.commit_claim) before it queued the job.
    jobs.batch_commit(ImportBatch.objects.select_related("user", "content_type").get(pk=batch_id), claimed=True)


def start_check(batch: ImportBatch) -> None:
    """Small files are checked while the user waits; larger ones by the worker."""
    if batch.file.size <= settings.YUANQU_IMPORT_INLINE_BYTES:
        jobs.batch_check(batch)
    else:
        import_check.enqueue(batch.pk)


def start_commit(batch: ImportBatch) -> None:
    """As ``start_check``; a queued commit shows as running at once, so its page follows the progress and a
    second click cannot queue it twice: only the click that takes the batch (jobs.commit_claim) queues it."""
    if batch.file.size <= settings.YUANQU_IMPORT_INLINE_BYTES:
        jobs.batch_commit(batch)
    elif jobs.commit_claim(batch):
        import_commit.enqueue(batch.pk)
