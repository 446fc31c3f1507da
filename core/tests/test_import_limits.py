"""An uploaded file is measured before it is read (issue 8, point 3). Each file here is a few KB made part by
part; unread, it would make calamine ask for hundreds of gigabytes (the cell at XFD1048576) or hold millions
of rows or strings. Each is refused in Chinese, naming the limit and the sheet, before calamine is called, in
bounded memory and, for the files the issue names, within a second."""

import io
import time
import tracemalloc

import pytest
import python_calamine
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse_lazy
from openpyxl import load_workbook

from core.importing import jobs, measure, reading, tasks, workbooks
from core.importing.spec import Layout
from core.models import ImportBatch, ImportStatus
from core.surfaces import surface_for
from core.tests.workbook_parts import (
    MAIN,
    deflated_repeat,
    fixed_parts,
    header_row,
    packed,
    repeated,
    sheet_xml,
    workbook,
)
from spaces.models import Unit

UNIT_HEADER = ["楼宇编码", "楼层", "房号", "面积（㎡）", "用途", "租金"]
HEADER = header_row(UNIT_HEADER)


class CalamineSpy:
    """Stands in for python_calamine.CalamineWorkbook and records that the reader was asked to read."""

    calls = []

    @classmethod
    def from_filelike(cls, *args, **kwargs):
        cls.calls.append(args)
        raise AssertionError("calamine was asked to read a file that was not measured")


@pytest.fixture
def calamine_calls(monkeypatch):
    CalamineSpy.calls = []
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", CalamineSpy)
    return CalamineSpy.calls


def upload(world, content, filename="data.xlsx", user="admin"):
    return jobs.batch_create(user=world.users[user], surface=surface_for(Unit), filename=filename, content=content)


def check_measured(batch):
    """batch_check, with the CPU seconds it took and the peak of memory it allocated (bytes)."""
    tracemalloc.start()
    began = time.process_time()
    try:
        jobs.batch_check(batch)
    finally:
        seconds = time.process_time() - began
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    batch.refresh_from_db()
    return batch, seconds, peak


MB = 1_000_000
UPLOAD = reverse_lazy("spaces:unit_import")
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def far_cell() -> bytes:
    return workbook({"Sheet1": sheet_xml(HEADER + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')})


def test_one_cell_at_xfd1048576_is_refused_before_calamine_reads_it(world, calamine_calls):
    content = far_cell()
    assert len(content) < 2_000
    batch, seconds, peak = check_measured(upload(world, content))
    assert batch.status == ImportStatus.REFUSED
    assert batch.message == ("工作表“Sheet1”：单元格 XFD1048576 超出了第 1,000,100 行，这是一个文件最多的行数。"
                             "请把数据拆分成几个文件。")
    assert calamine_calls == []
    assert seconds < 1 and peak < 10 * MB


def test_a_million_rows_of_empty_cells_are_refused(world, calamine_calls):
    content = workbook({"Sheet1": repeated("<row><c/></row>", 1_048_576, before=sheet_xml(HEADER).split(
        "</sheetData>")[0], after="</sheetData></worksheet>")})
    assert len(content) < 100_000
    batch, seconds, peak = check_measured(upload(world, content))
    assert batch.status == ImportStatus.REFUSED
    assert batch.message.startswith("工作表“Sheet1”解压后超过压缩大小的 100 倍")
    assert calamine_calls == [] and seconds < 1 and peak < 20 * MB

    # With that limit out of the way, the rows are counted: refused at row 1,000,101, in bounded memory.
    with override_settings(YUANQU_IMPORT_MAX_RATIO=10**9):
        batch, _seconds, peak = check_measured(upload(world, content))
    assert batch.status == ImportStatus.REFUSED
    assert batch.message == ("工作表“Sheet1”：单元格 A1000101 超出了第 1,000,100 行，这是一个文件最多的行数。"
                             "请把数据拆分成几个文件。")
    assert calamine_calls == [] and peak < 20 * MB


def strings_bomb(entries: int) -> bytes:
    return workbook(
        {"Sheet1": sheet_xml(HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>')},
        shared_strings=repeated("<si><t/></si>", entries, before=f'<sst xmlns="{MAIN}">', after="</sst>"))


def test_a_shared_strings_table_of_millions_of_entries_is_refused(world, calamine_calls):
    content = strings_bomb(5_000_000)
    assert len(content) < 200_000
    batch, seconds, peak = check_measured(upload(world, content))
    assert batch.status == ImportStatus.REFUSED
    # Two cells could use at most two strings; past the 10,000 any workbook may keep, it stops counting.
    assert batch.message == "工作簿的共享字符串表超过 10,000 条，多于各工作表的单元格所能用到的数量：这不是一个普通的 Excel 文件。"
    assert calamine_calls == [] and seconds < 1 and peak < 20 * MB


def gigabyte_string(declared: int) -> bytes:
    """A shared string of 3 GB of "a", in a zip that declares ``declared`` bytes for it."""
    parts = fixed_parts(["Sheet1"], shared_strings=True)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(HEADER + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>')
    stream = deflated_repeat(f'<sst xmlns="{MAIN}"><si><t>'.encode(), b"a" * (1 << 20), 3000,
                             b"</t></si></sst>")
    parts["xl/sharedStrings.xml"] = (stream, declared)
    return packed(parts)


def test_a_shared_string_unpacking_to_gigabytes_is_refused_whatever_the_zip_declares(world, calamine_calls):
    content = gigabyte_string(declared=120)  # the zip claims 120 bytes
    assert len(content) < 4 * MB  # deflate packs at most about 1,000 to 1
    batch, seconds, peak = check_measured(upload(world, content))
    assert batch.status == ImportStatus.REFUSED
    assert batch.message.startswith("工作簿的 xl/sharedStrings.xml 部分解压后超过压缩大小的 100 倍")
    assert calamine_calls == [] and seconds < 1 and peak < 20 * MB

    # Past the ratio, the string itself: no cell holds a MB without a tag.
    with override_settings(YUANQU_IMPORT_MAX_RATIO=10**9):
        batch, _seconds, peak = check_measured(upload(world, content))
    assert batch.message == "工作簿的 xl/sharedStrings.xml 部分中有一个超过 1 MB 的值或标签，超出了一个单元格所能容纳的内容。"
    assert calamine_calls == [] and peak < 20 * MB


def test_bytes_are_counted_as_they_unpack_not_as_the_zip_declares(world, calamine_calls):
    parts = fixed_parts(["Sheet1"])
    before, after = sheet_xml(HEADER).split("</sheetData>")
    parts["xl/worksheets/sheet1.xml"] = (deflated_repeat(before.encode(), b"<row><c/></row>" * 4096, 1000,
                                                         f"</sheetData>{after}".encode()), 300)
    content = packed(parts)  # 61 MB of rows, declared as 300 bytes
    measure.screen_workbook(content)  # what the zip declares passes
    with override_settings(YUANQU_IMPORT_MAX_RATIO=10**9, YUANQU_IMPORT_MAX_UNZIPPED_BYTES=5 * MB):
        batch, _seconds, peak = check_measured(upload(world, content))
    assert batch.message == "工作簿解压后超过 5 MB，这是一个文件最多能容纳的大小。请把数据拆分成几个文件。"
    assert calamine_calls == [] and peak < 20 * MB


def test_a_zip_declaring_gigabytes_is_refused_at_upload(world, client_for):
    content = gigabyte_string(declared=3_000_000_000)
    response = client_for(world.users["admin"]).post(UPLOAD, {"file": named(content, "units.xlsx")})
    assert response.status_code == 400
    assert "工作簿解压后超过 1,500 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def named(content, name):
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def test_a_sheet_declaring_a_huge_dimension_is_refused(world, calamine_calls):
    content = workbook({"Sheet1": sheet_xml(HEADER, dimension="A1:XFD1048576")})
    batch, seconds, peak = check_measured(upload(world, content))
    assert batch.status == ImportStatus.REFUSED
    assert batch.message == ("工作表“Sheet1”：声明的范围 A1:XFD1048576 超出了第 1,000,100 行，这是一个文件最多的行数。"
                             "请把数据拆分成几个文件。")
    assert calamine_calls == [] and seconds < 1 and peak < 10 * MB


def test_columns_and_cells_are_limited_by_their_settings(world, calamine_calls):
    wide = workbook({"单元": sheet_xml(HEADER)})
    with override_settings(YUANQU_IMPORT_MAX_COLUMNS=5):
        batch = jobs.batch_check(upload(world, wide))
    assert batch.message == ("工作表“单元”：单元格 F1 超出了第 E 列（第 5 列），这是一个文件最多的列数。"
                             "请删除不需要的列后重新保存。")
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 40))
    with override_settings(YUANQU_IMPORT_MAX_CELLS=200):
        batch = jobs.batch_check(upload(world, workbook({"单元": sheet_xml(HEADER + rows)})))
    assert batch.message == ("工作表“单元”：单元格 A34 使它达到 34 行 × 6 列，超过了一个文件最多 200 个单元格。"
                             "请删除不需要的行和列，或者把数据拆分成几个文件。")
    # Cells without a reference sit where calamine puts them: the 300th of a row is in column KN.
    crowded = workbook({"单元": sheet_xml("<row>" + "<c/>" * 300 + "</row>")})
    batch = jobs.batch_check(upload(world, crowded))
    assert "单元格 IW1 超出了第 IV 列（第 256 列）" in batch.message
    assert calamine_calls == []


@pytest.mark.parametrize("parts", [
    {"content.xml": "<x/>"},  # an .ods inside: calamine would read it, unmeasured
    {"xl/workbook.bin": "x"},  # an .xlsb
    {"xl/media/image1.png": "<sheetData><row><c r='XFD1'/></row></sheetData>"},  # cells outside an XML part
    {"xl/worksheets/sheet1.xml": '<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>'},  # entities
    {"xl/worksheets/sheet1.xml": '<worksheet><sheetData><row><c r="A1" s="1" s="2"/></row>'},  # not XML
])
def test_a_workbook_that_cannot_be_measured_is_not_read(calamine_calls, parts):
    content = packed(fixed_parts(["Sheet1"]) | {"xl/worksheets/sheet1.xml": sheet_xml(HEADER)} | parts)
    with pytest.raises(reading.FileError, match="工作簿无法打开"):
        reading.read_sheets(content, "data.xlsx")
    assert calamine_calls == []


def test_a_multi_sheet_template_filled_in_still_imports(world):
    layout = Layout(surface_for(Unit), world.users["admin"])
    book = load_workbook(io.BytesIO(workbooks.template(layout)))
    assert len(book.sheetnames) == 3
    sheet = book[book.sheetnames[0]]
    columns = {cell.value.rstrip(" *"): cell.column for cell in sheet[1] if cell.value}
    for number, code in ((3, "1301"), (4, "1302")):
        sheet.cell(number, columns["楼宇"], "a-1")
        sheet.cell(number, columns["楼层"], "12")
        sheet.cell(number, columns["单元号"], code)
        sheet.cell(number, columns["面积（㎡）"], 120)
    buffer = io.BytesIO()
    book.save(buffer)
    assert len(measure.measure_workbook(buffer.getvalue()).sheets) == 3
    batch = jobs.batch_commit(upload(world, buffer.getvalue(), "单元模板.xlsx"))
    assert batch.status == ImportStatus.COMMITTED, batch.message
    assert set(Unit.objects.filter(code__in=["1301", "1302"]).values_list("code", flat=True)) == {"1301", "1302"}


def test_the_upload_page_refuses_unmeasurable_types_and_files_that_are_not_workbooks(world, client_for):
    client = client_for(world.users["admin"])
    response = client.post(UPLOAD, {"file": named(b"\xd0\xcf\x11\xe0", "单元.xls")})
    assert response.status_code == 400
    assert "只能导入 .xlsx 和 .csv 文件" in response.content.decode()
    response = client.post(UPLOAD, {"file": named(b"not a zip at all", "单元.xlsx")})
    assert response.status_code == 400
    assert "工作簿无法打开" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_the_page_the_worker_and_the_command_refuse_the_far_cell(world, client_for, calamine_calls, tmp_path,
                                                                 capsys):
    client = client_for(world.users["admin"])
    response = client.post(UPLOAD, {"file": named(far_cell(), "units.xlsx")})  # checked inline
    page = client.get(response["Location"]).content.decode()
    assert "单元格 XFD1048576 超出了第 1,000,100 行" in page
    with override_settings(YUANQU_IMPORT_INLINE_BYTES=0, TASKS=IMMEDIATE):  # to the worker, run in-process here
        batch = upload(world, far_cell())
        tasks.start_check(batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REFUSED and "XFD1048576" in batch.message
    path = tmp_path / "units.xlsx"
    path.write_bytes(far_cell())
    with pytest.raises(SystemExit) as exit_code:
        call_command("import_data", "unit", str(path), "--dry-run")
    assert exit_code.value.code == 1 and "单元格 XFD1048576 超出了第 1,000,100 行" in capsys.readouterr().out
    assert calamine_calls == []


def test_csv_rows_and_columns_are_counted_before_it_is_split(world):
    wide = ",".join(["x"] * 300).encode()
    batch = jobs.batch_check(upload(world, wide, "data.csv"))
    assert batch.message == "CSV 文件第 1 行有 300 列，超过了一个文件最多 256 列。"
    lines = ("楼宇编码,楼层,房号\n" + "a-1,12,1\n" * 200).encode()
    with override_settings(YUANQU_IMPORT_MAX_ROWS=100):
        batch = jobs.batch_check(upload(world, lines, "data.csv"))
    assert batch.message == "CSV 文件超过 100 行，这是一个文件最多的行数。请把数据拆分成几个文件。"
    tracemalloc.start()
    try:
        batch = jobs.batch_check(upload(world, b"\n" * 20_000_000, "data.csv"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert batch.message.startswith("CSV 文件超过 1,000,100 行")
    assert peak < 120 * MB  # the text itself, decoded; no list of twenty million rows


def test_the_pre_scan_reports_what_it_counted(world):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="C{n}"><v>1</v></c></row>' for n in range(2, 12))
    counted = measure.measure_workbook(workbook({"单元": sheet_xml(HEADER + rows)}))
    assert counted.sheets == {"xl/worksheets/sheet1.xml": (11, 6)}
    assert counted.cells == 6 + 20
