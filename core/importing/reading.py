"""Reading an uploaded table: .xlsx through calamine (fast, read-only), .csv in UTF-8 or GBK, each measured
first (measure.py) so that no file can make the reader run out of memory; then finding the header row under any
title rows and merged group headings."""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.importing import measure, values
from core.reference.spreadsheets import from_csv

HEADER_SEARCH_ROWS = 15
WORKBOOKS = (".xlsx", ".xlsm")
READABLE = (".csv", *WORKBOOKS)
# calamine reads these too, but they cannot be measured before it does (binary records, repeated-cell counts).
UNMEASURED = (".xls", ".ods", ".xlsb", ".et")


class FileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class Table:
    rows: list[list]  # every row of the sheet as read, blank cells as ""
    sheet: str = ""
    header_row: int = 0  # index into rows
    columns: dict[int, str] = field(default_factory=dict)  # column index → import column name
    headers: list[str] = field(default_factory=list)  # the header cells as written in the file
    ignored: list[str] = field(default_factory=list)  # headers that match no column

    def data_rows(self):
        """(line number as Excel shows it, cells) for every row below the header."""
        for index in range(self.header_row + 1, len(self.rows)):
            yield index + 1, self.rows[index]


def decode_csv(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(_("The CSV file is neither UTF-8 nor GBK encoded; save it again as UTF-8 CSV."))


def refuse_type(filename: str) -> None:
    """Only the types that can be measured before they are read."""
    name = filename.lower()
    if name.endswith(UNMEASURED):
        raise FileError(_("Only .xlsx and .csv files can be imported: open the file in Excel or WPS, save it as an "
                          "Excel workbook (.xlsx) and upload that."))
    if not name.endswith(READABLE):
        raise FileError(_("Upload an .xlsx or .csv file."))


def screen(data: bytes, filename: str) -> None:
    """At upload, in milliseconds: the type and, for a workbook, what its zip declares (measure.screen_workbook).
    The whole measure comes when the file is read."""
    refuse_type(filename)
    if filename.lower().endswith(WORKBOOKS):
        try:
            measure.screen_workbook(data)
        except measure.Refused as exc:
            raise FileError(str(exc)) from exc


def read_sheets(data: bytes, filename: str) -> list[tuple[str, list[list]]]:
    refuse_type(filename)
    if filename.lower().endswith(".csv"):
        text = decode_csv(data)
        try:
            measure.measure_csv(text)
        except measure.Refused as exc:
            raise FileError(str(exc)) from exc
        try:
            # A field the platform's own export prefixed with ' (=… written as '=…) reads as it was stored.
            return [("", [[from_csv(cell) for cell in row] for row in csv.reader(io.StringIO(text))])]
        except csv.Error as exc:
            raise FileError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc
    try:
        measure.measure_workbook(data)
    except measure.Refused as exc:
        raise FileError(str(exc)) from exc
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        result = []
        for index, sheet_name in enumerate(workbook.sheet_names):
            sheet = workbook.get_sheet_by_index(index)
            result.append((sheet_name, sheet.to_python(skip_empty_area=False)))
        return result
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's errors, and its panics (which reach Python as BaseException)
        raise FileError(_("The workbook cannot be opened; is it a real .xlsx file?")) from exc


def _combined(rows, index) -> list:
    """Row ``index`` as a header: a blank cell takes the nearest heading above it (merged down over two rows,
    or a group heading over sub-headings)."""
    width = max((len(r) for r in rows[: index + 1]), default=0)
    result = []
    for col in range(width):
        above = index
        cell = ""
        while above >= 0:
            cell = rows[above][col] if col < len(rows[above]) else ""
            if not values.is_blank(cell):
                break
            above -= 1
        result.append(cell)
    return result


def locate_header(sheets, spec) -> Table:
    """The sheet and row whose cells (with headings merged down from above) name the most import columns;
    title rows and group headings above it are passed over, and so is a first header row over sub-headings."""
    best = None
    for sheet_name, rows in sheets:
        for index in range(min(len(rows), HEADER_SEARCH_ROWS)):
            names = {spec.column_for_header(cell) for cell in _combined(rows, index)} - {None}
            if names and (best is None or len(names) > best[0]):
                best = (len(names), sheet_name, rows, index)
    if best is None:
        raise FileError(_("No header row found: the first rows must name the columns, e.g. %(example)s.")
                        % {"example": "、".join(spec.header_examples())})
    _score, sheet_name, rows, index = best
    table = Table(rows=rows, sheet=sheet_name, header_row=index)
    for col, cell in enumerate(_combined(rows, index)):
        written = values.text(cell)
        table.headers.append(written)
        name = spec.column_for_header(cell)
        if name and name not in table.columns.values():
            table.columns[col] = name
        elif written:
            table.ignored.append(written)
    return table
