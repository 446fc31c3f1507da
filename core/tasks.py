"""Background jobs (django-tasks). The database backend's worker runs them: ``manage.py db_worker``."""

from django_tasks import task

from .importing import jobs
from .models import ImportBatch


@task()
def import_check(batch_id: int) -> None:
    jobs.batch_check(ImportBatch.objects.select_related("user", "content_type").get(pk=batch_id))


@task()
def import_commit(batch_id: int) -> None:
    jobs.batch_commit(ImportBatch.objects.select_related("user", "content_type").get(pk=batch_id))
