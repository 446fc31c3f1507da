"""A batch whose check or commit died does not stay 检查中 or 导入中 (issue 8, point 6): the warden fails it with its
reason, a run past its time limit stops, a commit whose batch was failed meanwhile writes nothing, and the
uploader (or the administrator) may check it again or discard it. On PostgreSQL a real worker is killed in the
middle of a check and a new one takes over."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import python_calamine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.importing import jobs, tasks
from core.importing.engine import Importer
from core.models import DomainEvent, ImportBatch, ImportStatus
from core.surfaces import surface_for
from core.tests.test_import import UNIT_HEADER, xlsx
from spaces.models import Unit
from yuanqu.testing import build_world

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NEW_UNITS = ["2101", "2102", "2103"]


def units_file() -> bytes:
    return xlsx([UNIT_HEADER, *[["a-1", "12F", code, "120", "办公", "100"] for code in NEW_UNITS]])


def upload(world, user="operator"):
    return jobs.batch_create(user=world.users[user], surface=surface_for(Unit), filename="units.xlsx",
                             content=units_file())


def silent_since(batch, seconds_ago: float) -> None:
    """The run's sign of life, last given ``seconds_ago``."""
    path = jobs._alive_path(batch)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Path(path).touch()
    moment = time.time() - seconds_ago
    os.utime(path, (moment, moment))


def failed(world, user="operator"):
    batch = upload(world, user)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, message="检查中断：测试")
    batch.refresh_from_db()
    return batch


@override_settings(YUANQU_IMPORT_STALE_SECONDS=30)
def test_a_check_silent_too_long_fails_with_its_reason(world):
    batch = upload(world)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKING)
    batch.refresh_from_db()
    silent_since(batch, 10)
    assert not jobs.batch_fail_if_stale(batch)  # alive 10 seconds ago: still at work
    silent_since(batch, 31)
    assert jobs.batch_fail_if_stale(batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.message == ("检查中断：执行检查的进程已 30 秒没有响应（进程被结束，或服务器重启）。"
                             "没有导入任何数据；可以重新检查，或者放弃这个批次。")
    assert DomainEvent.objects.filter(name="core.import.fail", data__batch=str(batch.uuid)).exists()
    assert not os.path.exists(jobs._alive_path(batch))


def test_a_batch_waiting_past_the_time_limit_for_a_worker_that_never_came_fails(world):
    batch = upload(world)
    assert jobs.batches_fail_stale() == 0
    assert jobs.batches_fail_stale(now=timezone.now() + datetime.timedelta(minutes=61)) == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.message.startswith("这个批次等待后台任务进程超过 60 分钟仍未开始处理，后台任务进程可能没有运行")


def test_a_run_past_its_time_limit_stops_itself(world):
    with override_settings(YUANQU_IMPORT_TIME_LIMIT_MINUTES=0):
        batch = jobs.batch_commit(upload(world))
    assert batch.status == ImportStatus.FAILED
    assert batch.message == ("导入超过了 0 分钟的时限，已停止；没有导入任何数据。"
                             "请把文件拆分成几个较小的文件，或者重试。")
    assert not Unit.objects.filter(code__in=NEW_UNITS).exists()


def test_a_commit_whose_batch_was_failed_meanwhile_writes_nothing(world, monkeypatch):
    batch = upload(world)
    validate = Importer.validate

    def validate_while_the_warden_fails_it(self, outcome):
        validate(self, outcome)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, message="导入中断：测试")

    monkeypatch.setattr(Importer, "validate", validate_while_the_warden_fails_it)
    jobs.batch_commit(batch)
    batch.refresh_from_db()
    assert (batch.status, batch.message) == (ImportStatus.FAILED, "导入中断：测试")
    assert not Unit.objects.filter(code__in=NEW_UNITS).exists()
    assert not DomainEvent.objects.filter(name="core.import.commit").exists()


class CrashingReader:
    """calamine as it crashes: a Rust panic reaches Python as a BaseException."""

    @classmethod
    def from_filelike(cls, *args, **kwargs):
        raise type("PanicException", (BaseException,), {})("chunk size must be non-zero")


def test_a_reader_crash_or_an_error_ends_the_check_instead_of_leaving_it_checking(world, monkeypatch):
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", CrashingReader)
    batch = jobs.batch_check(upload(world))
    assert batch.status == ImportStatus.REFUSED and batch.message == "工作簿无法打开，请确认是 .xlsx 文件。"
    monkeypatch.undo()

    def broken(self, outcome):
        raise RuntimeError("the validation broke")

    monkeypatch.setattr(Importer, "validate", broken)
    batch = jobs.batch_check(upload(world))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert batch.message == ("检查因错误中断（RuntimeError: the validation broke），没有导入任何数据。"
                             "可以重新检查，或者放弃这个批次。")


def test_retry_checks_the_file_again_and_discard_keeps_the_batch_in_the_history(world):
    batch = failed(world)
    for action in (jobs.batch_retry, jobs.batch_discard):
        with pytest.raises(PermissionDenied):  # another operator; an officer sees the batch but did not upload it
            action(batch=batch, user=world.users["operator_b"])
        with pytest.raises(PermissionDenied):
            action(batch=batch, user=world.users["officer"])
    earlier_run = batch.run
    batch = jobs.batch_retry(batch=batch, user=world.users["operator"])
    assert batch.status == ImportStatus.PENDING and batch.run != earlier_run and batch.message == ""
    jobs.batch_check(batch, run=str(earlier_run))  # a task of the earlier run, arriving late, does nothing
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.PENDING
    tasks.start_check(batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED and batch.counts["create"] == 3
    with pytest.raises(ValidationError):
        jobs.batch_discard(batch=batch, user=world.users["operator"])  # only a failed batch
    assert DomainEvent.objects.filter(name="core.import.retry", user=world.users["operator"]).exists()

    other = failed(world)
    stored = other.file.path
    other = jobs.batch_discard(batch=other, user=world.users["admin"])
    other.refresh_from_db()
    assert other.status == ImportStatus.DISCARDED and not other.file and not os.path.exists(stored)
    assert DomainEvent.objects.filter(name="core.import.discard", user=world.users["admin"]).exists()


@override_settings(YUANQU_IMPORT_STALE_SECONDS=30)
def test_the_batch_page_shows_the_reason_and_offers_retry_and_discard_to_those_who_may(world, client_for):
    batch = upload(world)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKING)
    batch.refresh_from_db()
    silent_since(batch, 60)
    for who, offered in (("operator", True), ("admin", True), ("officer", False), ("leader", False)):
        page = client_for(world.users[who]).get(batch.get_absolute_url()).content.decode()
        assert "失败" in page and "检查中断：执行检查的进程已 30 秒没有响应" in page  # the page's own look failed it
        assert ('data-testid="retry"' in page) is offered and ('data-testid="discard"' in page) is offered
    officer = client_for(world.users["officer"])
    assert officer.post(reverse("import_retry", args=[batch.pk])).status_code == 403
    assert officer.post(reverse("import_discard", args=[batch.pk])).status_code == 403
    operator = client_for(world.users["operator"])
    response = operator.post(reverse("import_retry", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
    page = operator.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="retry"' not in page and 'data-testid="commit"' in page


# ----- a real worker, killed ---------------------------------------------------------------------------------
def worker(env, log: Path) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    return subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def wait_for(condition, what: str, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def status_of(batch) -> str:
    return ImportBatch.objects.values_list("status", flat=True).get(pk=batch.pk)


@pytest.mark.postgresql  # the worker process needs the test database on a server; SQLite's is in this process
def test_a_killed_worker_leaves_a_failed_batch_that_a_new_worker_reports_and_checks_again(transactional_db,
                                                                                          tmp_path):
    world = build_world()
    batch = upload(world)
    stored = Path(batch.file.path)
    stored.unlink()
    os.mkfifo(stored)  # opening it waits for a writer: the check hangs in its read, as on a stuck disk
    with override_settings(TASKS=DATABASE_TASKS):
        tasks.import_check.enqueue(batch.pk, str(batch.run))
    database = connection.settings_dict
    env = {**os.environ, "YUANQU_MEDIA_ROOT": str(settings.MEDIA_ROOT), "YUANQU_IMPORT_STALE_SECONDS": "2",
           "DATABASE_URL": f"postgres://{quote(database['USER'])}:{quote(database['PASSWORD'] or '')}"
                           f"@{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}/{database['NAME']}"}
    env.pop("YUANQU_TASKS", None)
    first = worker(env, tmp_path / "first.log")
    try:
        wait_for(lambda: status_of(batch) == ImportStatus.CHECKING and os.path.exists(jobs._alive_path(batch)),
                 "the first worker to begin the check")
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        assert status_of(batch) == ImportStatus.CHECKING  # what a killed worker leaves, for ever, without a warden
        killed_task = DBTaskResult.objects.get()
        assert killed_task.status == "RUNNING"
        stored.unlink()
        stored.write_bytes(units_file())

        second = worker(env, tmp_path / "second.log")
        try:
            wait_for(lambda: status_of(batch) == ImportStatus.FAILED, "the new worker's warden to fail the batch")
            batch.refresh_from_db()
            assert batch.message == ("检查中断：执行检查的进程已 2 秒没有响应（进程被结束，或服务器重启）。"
                                     "没有导入任何数据；可以重新检查，或者放弃这个批次。")
            wait_for(lambda: DBTaskResult.objects.get(pk=killed_task.pk).status == "FAILED",
                     "the killed worker's task to be marked failed")

            batch = jobs.batch_retry(batch=batch, user=world.users["operator"])
            with override_settings(TASKS=DATABASE_TASKS):
                tasks.import_check.enqueue(batch.pk, str(batch.run))
            wait_for(lambda: status_of(batch) == ImportStatus.CHECKED, "the new worker to check the file again")
            batch.refresh_from_db()
            assert batch.counts["create"] == 3
        finally:
            second.terminate()
            second.wait(30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(30)
