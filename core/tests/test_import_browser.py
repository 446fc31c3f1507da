"""In Chromium: an operator downloads nothing, uploads a messy roster, reads the preview, commits it; a large
file waits for the background worker while the page shows its progress and reloads itself when done."""

import io
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from openpyxl import Workbook

from core.importing import jobs, tasks
from core.models import ImportBatch, ImportStatus
from spaces.models import Unit
from spaces.tests.test_browser import SHOTS, login


def roster(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["科技楼A座 2026年单元台账"])
    sheet.merge_cells("A1:F1")
    sheet.append(["楼宇编码", "楼层", "房号", "面积（㎡）", "用途", "租金"])
    sheet.append(["a-1", "12F", "1203", "3,500㎡", "办公", "120元/㎡·月"])
    sheet.append(["a-1", "１２", "1204", "1.2万", "研发", "88"])
    sheet.append(["a-1", "12", "1205", "abc", "办公", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.browser
def test_upload_preview_commit(live_server, transactional_db, world, page, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, live_server, "t_operator")
    page.goto(f"{live_server.url}/spaces/units/")
    page.get_by_test_id("import").click()
    page.set_input_files("#id_file", str(roster(tmp_path / "台账.xlsx")))
    page.get_by_test_id("upload").click()
    page.wait_for_selector("[data-testid=status]")
    assert page.get_by_test_id("status").inner_text() == "已检查"
    counts = page.get_by_test_id("counts").inner_text()
    assert "2\n将新增" in counts and "1\n有错误的行" in counts
    errors = page.get_by_test_id("errors").inner_text()
    assert "第 5 行" in errors and "“abc”不是数字" in errors
    # With an error row, the whole file is refused unless the valid rows alone are chosen.
    assert page.get_by_test_id("commit").count() == 0
    page.screenshot(path=str(SHOTS / "import-preview.png"), full_page=True)
    page.get_by_test_id("commit-valid").click()
    page.wait_for_selector("[data-testid=status]")
    assert page.get_by_test_id("status").inner_text() == "已导入"
    assert Unit.objects.filter(building=world.building_a, code__in=["1203", "1204"]).count() == 2
    assert not Unit.objects.filter(code="1205").exists()
    assert page.get_by_test_id("error-workbook").is_visible()
    page.screenshot(path=str(SHOTS / "import-committed.png"), full_page=True)


@pytest.mark.browser
def test_background_import_shows_progress_and_reloads(live_server, transactional_db, world, page, tmp_path,
                                                      settings, monkeypatch):
    settings.YUANQU_IMPORT_INLINE_BYTES = 0  # every file goes to the worker
    queued = []
    worker = SimpleNamespace(enqueue=lambda batch_id, run: queued.append(batch_id))
    monkeypatch.setattr(tasks, "import_check", worker)
    monkeypatch.setattr(tasks, "import_commit", worker)
    login(page, live_server, "t_operator")
    page.goto(f"{live_server.url}/spaces/units/import/")
    page.set_input_files("#id_file", str(roster(tmp_path / "台账.xlsx")))
    page.get_by_test_id("upload").click()
    page.wait_for_selector("[data-testid=progress]")
    batch = ImportBatch.objects.get()
    assert queued == [batch.pk] and batch.status == ImportStatus.PENDING

    # The worker picks it up and reports half the rows done: the bar follows without a reload.
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.CHECKING)
    caches["progress"].set(f"import-progress:{batch.uuid}", {"phase": "check", "done": 2, "total": 4}, 60)
    page.wait_for_selector("[data-testid=progress] [aria-valuenow='50']", timeout=5000)
    assert "2 / 4" in page.get_by_test_id("progress").inner_text()
    assert page.get_by_test_id("status").inner_text() == "检查中"
    page.screenshot(path=str(SHOTS / "import-progress.png"), full_page=True)

    jobs.batch_check(ImportBatch.objects.get(pk=batch.pk))  # the worker finishes
    page.wait_for_selector("[data-testid=counts]", timeout=5000)
    assert page.get_by_test_id("status").inner_text() == "已检查"
    assert page.get_by_test_id("progress").count() == 0

    # Confirmed, the commit is queued too: the page follows it until the worker is done.
    page.get_by_test_id("commit-valid").click()
    page.wait_for_selector("[data-testid=progress]")
    assert page.get_by_test_id("status").inner_text() == "导入中" and queued == [batch.pk, batch.pk]
    assert "正在导入" in page.get_by_test_id("progress").inner_text()
    taken = ImportBatch.objects.get(pk=batch.pk)
    jobs.batch_commit(taken, run=str(taken.run))  # the worker, as core.importing.tasks.import_commit
    page.wait_for_function("() => document.querySelector('[data-testid=status]').innerText === '已导入'", timeout=5000)
    assert Unit.objects.filter(code__in=["1203", "1204"]).count() == 2
