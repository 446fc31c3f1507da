"""Every .xlsx and .csv the platform writes — list and report exports, import templates, error workbooks —
is written through this module, so that a value stored by one user never acts in another user's spreadsheet.

- A value that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to Excel and
  WPS (``=HYPERLINK(…)``, ``-2+3+cmd|…``); written here, it stays text. In .xlsx it is a string cell
  (openpyxl would make ``=…`` a formula) with Excel's quote prefix, so it reads exactly as stored and stays
  text when someone edits the cell. In .csv, which has no types, it gets a leading ``'`` as OWASP
  describes; ``from_csv`` takes it off again when the file is imported. Numbers are written as numbers:
  -12.5 in a numeric column is a value, not a formula.
- Control characters (core/reference/control_characters.py) are removed: openpyxl refuses them, and a value stored
  before they were refused must not break an export.

Nothing else creates a workbook or a CSV writer (core/tests/test_spreadsheets.py fails on one that does).
"""

import csv
import datetime
import decimal
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.reference import control_characters

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A text that could be taken for a formula — also after leading quotes, so that a stored "'=1" is written
# "''=1" and reads back as itself: from_csv drops exactly one quote.
_CSV_QUOTED = re.compile(r"'*[=+\-@\t\r]")
_CSV_PREFIXED = re.compile(r"'+[=+\-@\t\r]")
NUMBERS = (int, float, decimal.Decimal)


def plain(value):
    """A value as a spreadsheet may hold it: text without control characters, anything else as it is."""
    return control_characters.removed(value) if isinstance(value, str) else value


# ----- CSV ----------------------------------------------------------------------------------------------------
def csv_value(value):
    """One CSV field: text that could start a formula prefixed with ', numbers and dates as they are."""
    if value is None:
        return ""
    if isinstance(value, NUMBERS + (datetime.date,)) and not isinstance(value, bool):
        return value
    text = plain(str(value))
    return "'" + text if _CSV_QUOTED.match(text) else text


def from_csv(text: str) -> str:
    """A CSV field as it was before ``csv_value`` (an imported export reads what was stored)."""
    return text[1:] if _CSV_PREFIXED.match(text) else text


class _Line:
    def write(self, value):
        return value


def csv_lines(headers, rows):
    """A CSV file, line by line (for a streaming response): UTF-8 with a BOM, which tells Excel and WPS the
    encoding."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([csv_value(v) for v in headers])
    for row in rows:
        yield writer.writerow([csv_value(v) for v in row])


# ----- xlsx ---------------------------------------------------------------------------------------------------
def _fill_in(cell, value, *, font=None, fill=None, alignment=None, number_format=None, comment=None):
    value = plain(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl makes "=…" a formula
        cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
    for name, style in (("font", font), ("fill", fill), ("alignment", alignment), ("number_format", number_format)):
        if style is not None:
            setattr(cell, name, style)
    if comment:
        cell.comment = Comment(plain(str(comment)), "园区")
    return cell


class Sheet:
    """A worksheet written only through the methods below."""

    def __init__(self, worksheet):
        self._worksheet = worksheet

    @property
    def title(self) -> str:
        return self._worksheet.title

    def styled(self, value, **style) -> Cell:
        """A cell for ``append`` with its own style (font, fill, alignment, number_format, comment)."""
        return _fill_in(WriteOnlyCell(self._worksheet), value, **style)

    def append(self, values=()) -> None:
        """A row below the last: plain values, or cells made by ``styled``."""
        row = []
        for value in values:
            if not isinstance(value, Cell):
                value = plain(value)
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    value = self.styled(value)
            row.append(value)
        self._worksheet.append(row)

    def put(self, row: int, column: int, value, **style) -> Cell:
        """Set one cell of a workbook that is not write-only (a template's columns of allowed values)."""
        return _fill_in(self._worksheet.cell(row=row, column=column), value, **style)

    def width(self, column: int, width: float) -> None:
        self._worksheet.column_dimensions[get_column_letter(column)].width = width

    def freeze(self, cell: str) -> None:
        self._worksheet.freeze_panes = cell

    def offer_list(self, cells: str, source: "Sheet", column: int, first: int, last: int) -> None:
        """A drop-down in ``cells`` offering rows ``first``–``last`` of ``column`` of ``source``."""
        letter = get_column_letter(column)
        rule = DataValidation(type="list", formula1=f"'{source.title}'!${letter}${first}:${letter}${last}",
                              allow_blank=True, showErrorMessage=False)
        self._worksheet.add_data_validation(rule)
        rule.add(cells)


class Book:
    """A workbook; ``write_only`` streams rows to a temporary file (a large export never sits in memory)."""

    def __init__(self, *, write_only: bool = False):
        self._workbook = Workbook(write_only=write_only)
        self._unused = None if write_only else self._workbook.active

    def sheet(self, title: str) -> Sheet:
        title = plain(str(title))[:31]
        if self._unused is not None:
            worksheet, self._unused = self._unused, None
            worksheet.title = title
        else:
            worksheet = self._workbook.create_sheet(title=title)
        return Sheet(worksheet)

    def remove(self, sheet: Sheet) -> None:
        self._workbook.remove(sheet._worksheet)

    def save(self, target) -> None:
        """To a path or a binary file."""
        self._workbook.save(target)
