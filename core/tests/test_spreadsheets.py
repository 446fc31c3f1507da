"""No value the platform writes to a spreadsheet is ever a formula: list and report exports, templates and
error workbooks are read back here, in .xlsx (cell types) and .csv (text). An exported file imports back
unchanged, and nothing but core/reference/spreadsheets.py writes a workbook or a CSV."""

import csv
import datetime
import io
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from core.importing import jobs
from core.models import ImportStatus
from core.reference import spreadsheets
from core.surfaces import discover, surface_for
from core.tests.test_lint import project_files
from enterprises.models import Enterprise
from spaces.models import Building, Unit

SURFACES = list(discover().values())
HYPERLINK = '=HYPERLINK("http://x","点我")'
STARTS = ("=", "+", "-", "@", "\t", "\r")


def poison(world) -> None:
    """Every text field of every record of every surface's model begins like a formula."""
    for model in (s.model for s in SURFACES):
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices
                  and f.name not in ("password", "search_text")]
        for number, obj in enumerate(model._default_manager.all()):
            values = {}
            for index, field in enumerate(fields):
                start = STARTS[(number + index) % 4]  # = + - @, cycling over fields and rows
                text = f"{start}1+{obj.pk}" if field.max_length and field.max_length < 30 else f"{start}{HYPERLINK[1:]}{obj.pk}"
                values[field.name] = text[: field.max_length] if field.max_length else text
            model._default_manager.filter(pk=obj.pk).update(**values)


def xlsx_cells(data: bytes) -> list:
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def assert_inert_xlsx(data: bytes) -> list:
    cells = xlsx_cells(data)
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == []
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith(STARTS):
            assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    return cells


NUMBER = re.compile(r"-?\d+(\.\d+)?")


def assert_inert_csv(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:
        for value in row:
            assert not value.startswith(STARTS) or NUMBER.fullmatch(value), value
    return rows


def content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# ----- the helper itself ------------------------------------------------------------------------------------------
def test_csv_values_that_could_start_a_formula_are_prefixed_and_read_back():
    for text in (HYPERLINK, "+86 755", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx", "'=1", "''+1"):
        written = spreadsheets.csv_value(text)
        assert written == "'" + text and spreadsheets.from_csv(written) == text
    for text in ("科技楼", "'quoted", "1-2", "a=b", ""):
        assert spreadsheets.csv_value(text) == text and spreadsheets.from_csv(text) == text
    # Numbers are values, not text: -12.5 stays a number.
    assert spreadsheets.csv_value(Decimal("-12.5")) == Decimal("-12.5") and spreadsheets.csv_value(-3) == -3
    assert spreadsheets.csv_value("-12.5") == "'-12.5"  # the same characters typed into a text field
    assert spreadsheets.csv_value(None) == "" and spreadsheets.csv_value("a\x01b") == "ab"


# ----- every writer ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: f"{s.app_label}:{s.name}")
def test_every_list_export_writes_formulas_as_text(world, client_for, surface):
    poison(world)
    client = client_for(world.users["admin"])
    url = reverse(f"{surface.app_label}:{surface.name}_export")
    cells = assert_inert_xlsx(content(client.get(url, {"format": "xlsx"})))
    rows = assert_inert_csv(content(client.get(url, {"format": "csv"})).decode("utf-8"))
    assert len(rows) == surface.model._default_manager.count() + 1
    if len(rows) > 1:  # the poison reached the file
        assert any(isinstance(c.value, str) and c.value.startswith(STARTS) for c in cells)


def test_the_officers_export_shows_the_operators_formula_as_its_text(world, client_for):
    Building.objects.filter(pk=world.building_a.pk).update(name=HYPERLINK)
    client = client_for(world.users["officer"])
    cells = assert_inert_xlsx(content(client.get(reverse("spaces:building_export"), {"format": "xlsx"})))
    [cell] = [c for c in cells if c.value == HYPERLINK]
    assert cell.data_type == "s" and cell.quotePrefix
    rows = assert_inert_csv(content(client.get(reverse("spaces:building_export"), {"format": "csv"})).decode("utf-8"))
    assert "'" + HYPERLINK in [value for row in rows for value in row]


@pytest.mark.parametrize("url, params", [
    ("leasing:expiry_export", {}),
    ("spaces:long_vacancy_export", {}),
    ("spaces:long_vacancy_export", {"list": "buildings"}),
    ("spaces:quality_export", {"slug": "no-rent"}),
])
def test_every_report_export_writes_formulas_as_text(world, client_for, url, params):
    poison(world)
    client = client_for(world.users["officer"])
    slug = params.pop("slug", None)
    address = reverse(url, args=[slug] if slug else [])
    cells = assert_inert_xlsx(content(client.get(address, {"format": "xlsx", **params})))
    rows = assert_inert_csv(content(client.get(address, {"format": "csv", **params})).decode("utf-8"))
    assert len(rows) > 1 and any(isinstance(c.value, str) and c.value.startswith(STARTS) for c in cells)


@pytest.mark.parametrize("model", [s.model for s in SURFACES if s.importer is not None], ids=lambda m: m.__name__)
def test_every_import_template_holds_no_formula(world, client_for, model):
    surface = surface_for(model)
    response = client_for(world.users["admin"]).get(reverse(f"{surface.app_label}:{surface.name}_import_template"))
    assert response.status_code == 200
    assert assert_inert_xlsx(response.content)


def test_the_error_workbook_writes_the_files_formulas_as_text(world):
    header = ["楼宇编码", "楼层", "房号", "面积（㎡）", "用途", "=备注"]
    batch = jobs.batch_create(user=world.users["admin"], surface=surface_for(Unit), filename="units.csv",
                              content=_as_csv([header, ["a-1", "12", "1290", "abc", "办公", HYPERLINK],
                                               ["a-1", "12", "@1291", "-5", "办公", "+1"]]))
    batch = jobs.batch_check(batch)
    assert batch.counts["error"] == 2
    path = os.path.join(batch.error_file.storage.location, batch.error_file.name)
    with open(path, "rb") as handle:
        cells = assert_inert_xlsx(handle.read())
    values = {c.value for c in cells}
    assert {"=备注", HYPERLINK, "@1291", "+1"} <= values


def _as_csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


# ----- what was exported imports back -------------------------------------------------------------------------------
NAMES = [HYPERLINK, "'=已有引号", "+86 755 8888", "@科技楼", "-12.5"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_formula_like_names_imports_back_unchanged(world, client_for, fmt):
    Building.objects.filter(pk=world.building_a.pk).update(name=NAMES[0])
    Building.objects.filter(pk=world.building_b.pk).update(name=NAMES[1])
    Enterprise.objects.filter(pk=world.tenant_a.pk).update(name=NAMES[2], address=NAMES[3], description=NAMES[4])
    client = client_for(world.users["officer"])
    for model, slug in ((Building, "spaces:building_export"), (Enterprise, "enterprises:enterprise_export")):
        exported = content(client.get(reverse(slug), {"format": fmt}))
        if fmt == "csv" and model is Building:
            assert "'" + NAMES[0] in [row[0] for row in csv.reader(io.StringIO(exported.decode("utf-8-sig")))]
        batch = jobs.batch_create(user=world.users["officer"], surface=surface_for(model),
                                  filename=f"export.{fmt}", content=exported)
        batch = jobs.batch_check(batch)
        assert batch.status == ImportStatus.CHECKED, batch.message
        assert batch.counts["error"] == 0, batch.errors
        assert batch.counts["create"] == 0 and batch.counts["update"] == 0
        assert batch.counts["unchanged"] == model.objects.count()
    assert set(Building.objects.values_list("name", flat=True)) == {NAMES[0], NAMES[1]}
    world.tenant_a.refresh_from_db()
    assert (world.tenant_a.name, world.tenant_a.address, world.tenant_a.description) == tuple(NAMES[2:])


# ----- one writer ---------------------------------------------------------------------------------------------------
WRITES = re.compile(r"\bWorkbook\s*\(|\bWriteOnlyCell\b|\bcsv\.(writer|DictWriter)\b|\.cell\s*\(|"
                    r"^\s*(from openpyxl(?!\.(styles|utils)\b)|import openpyxl)", re.M)
# Files that write spreadsheets which the platform never serves: test fixtures and benchmark inputs.
NOT_SERVED = ("bench/", "conftest.py", "yuanqu/testing.py")


def test_only_the_spreadsheets_module_writes_workbooks_and_csv():
    found = []
    for relative, path in project_files():
        if not relative.endswith(".py") or relative == "core/reference/spreadsheets.py" or "/tests/" in relative \
                or relative.startswith(NOT_SERVED):
            continue
        for match in WRITES.finditer(path.read_text(encoding="utf-8")):
            found.append(f"{relative}: {match.group(0).strip()}")
    assert found == [], "write spreadsheets through core/reference/spreadsheets.py:\n" + "\n".join(found)


def test_the_rule_catches_what_it_is_for():
    for bad in ("wb = Workbook()", "from openpyxl import Workbook", "csv.writer(f)", "ws.cell(row=1, column=1)",
                "import openpyxl", "WriteOnlyCell(ws, value=v)"):
        assert WRITES.search(bad), bad
    for good in ("from openpyxl.styles import Font", "from openpyxl.utils import get_column_letter",
                 "sheet.append(row)", "csv.reader(f)", "book = Book()"):
        assert not WRITES.search(good), good
    assert Path(settings.BASE_DIR, "core", "reference", "spreadsheets.py").exists()


def test_dates_stay_dates():
    assert spreadsheets.csv_value(datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)
