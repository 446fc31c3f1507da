"""The workbooks people download: a template to fill, and the rows that could not be imported with why.
Both are written through core/reference/spreadsheets.py, like every other file the platform writes."""

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.importing.spec import BOOLEAN, CHOICE, CODE, DATE, INTEGER, MANY, NUMBER, RELATED, Layout
from core.reference.spreadsheets import Book

REQUIRED_FILL = PatternFill("solid", fgColor="FDE2E1")
HEADER_FILL = PatternFill("solid", fgColor="E8EEF7")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
EXAMPLE_FONT = Font(italic=True, color="808080")


def describe(column) -> str:
    """How to fill a column, in the user's language."""
    if column.extra.help:
        return str(column.extra.help)
    if column.kind == CHOICE:
        return _("One of: %(choices)s") % {"choices": "、".join(label for _, label in column.choices)}
    if column.kind == DATE:
        return _("A date: 2021-06-21, 2021/6/21 or 2021年6月21日")
    if column.kind == BOOLEAN:
        return _("是 or 否")
    if column.kind == NUMBER:
        return _("A number; 3,500, 1.2万 and units such as ㎡ are understood")
    if column.kind == INTEGER:
        return _("A whole number")
    if column.kind in (RELATED, MANY):
        related = column.field.queryset.model._meta.verbose_name
        match = "、".join(str(column.field.queryset.model._meta.get_field(m).verbose_name) for m in column.extra.match
                         if m != "pk") or _("code")
        several = _("; several separated by 、") if column.kind == MANY else ""
        return _("The %(kind)s's %(match)s%(several)s") % {"kind": related, "match": match, "several": several}
    if column.kind == CODE:
        return _("A code, as written (spaces are removed)")
    max_length = getattr(column.field, "max_length", None)
    return _("Text, up to %(n)d characters") % {"n": max_length} if max_length else _("Text")


def template(layout: Layout) -> bytes:
    spec = layout.spec
    book = Book()
    sheet = book.sheet(_("Data to import"))
    columns = list(layout.columns.values())
    header, example = [], []
    for index, column in enumerate(columns, 1):
        header.append(sheet.styled(
            column.label + (" *" if column.required else ""),
            font=Font(bold=True, color="C00000" if column.required else "000000"),
            fill=REQUIRED_FILL if column.required else HEADER_FILL,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            comment=describe(column)))
        sheet.width(index, max(12, min(40, len(column.label) * 2 + 6)))
        as_text = column.kind == CODE or column.kind in (RELATED, MANY)
        example.append(sheet.styled(str(spec.example.get(column.name, "")), font=EXAMPLE_FONT,
                                  number_format="@" if as_text else None))
    sheet.append(header)
    sheet.append(example)
    sheet.freeze("A2")
    notes = book.sheet(_("How to fill"))
    notes.append([notes.styled(text, font=Font(bold=True), fill=HEADER_FILL)
                  for text in (_("Column"), _("Required"), _("How to fill"), _("Allowed values"))])
    choices = book.sheet(_("Allowed values"))
    choice_col = 0
    for index, column in enumerate(columns, 1):
        allowed = ""
        if column.kind == CHOICE:
            allowed = "、".join(label for _, label in column.choices)
            choice_col += 1
            choices.put(1, choice_col, column.label, font=Font(bold=True))
            for offset, (_value, label) in enumerate(column.choices, 2):
                choices.put(offset, choice_col, label)
            letter = get_column_letter(index)
            sheet.offer_list(f"{letter}2:{letter}100000", choices, choice_col,
                             2, len(column.choices) + 1)
        elif column.kind == BOOLEAN:
            allowed = "是、否"
        required = _("Yes") if column.required else ""
        notes.append([column.label, required, describe(column), allowed])
    notes.append([])
    for line in (
        _("Row 2 of the data sheet is an example: overwrite it or leave it as it is — it is not imported."),
        _("Rows are matched to existing records by: %(key)s. A matching row updates the record; others are added.")
        % {"key": "、".join(layout.columns[n].label for n in spec.key if n in layout.columns)},
        _("An empty cell leaves the stored value as it is; the import never erases a value."),
        _("Title rows above the header, extra columns and blank rows are ignored."),
    ):
        notes.append([line])
    for index, width in enumerate((24, 10, 60, 50), 1):
        notes.width(index, width)
    if not choice_col:
        book.remove(choices)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _plain(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def error_workbook(table, rows, layout: Layout, path) -> None:
    """The original header and the rows not imported, with 错误原因 and the bad cells filled red, written
    to ``path`` (write-only: a file of 100,000 bad rows stays small in memory)."""
    book = Book(write_only=True)
    sheet = book.sheet(_("Rows not imported"))
    position = {name: col for col, name in table.columns.items()}
    width = max(len(table.headers), max((len(r.cells) for r in rows), default=0))
    header = [sheet.styled(table.headers[col] if col < len(table.headers) else "", font=Font(bold=True),
                         fill=HEADER_FILL) for col in range(width)]
    header += [sheet.styled(label, font=Font(bold=True, color="C00000"), fill=HEADER_FILL)
               for label in (_("Row in the file"), _("Reason"))]
    sheet.append(header)
    for row in rows:
        bad = {position[name] for name in row.errors if name in position}
        cells = []
        for col in range(width):
            value = row.cells[col] if col < len(row.cells) else ""
            dated = isinstance(value, (datetime.date, datetime.datetime))
            cells.append(sheet.styled(_plain(value), number_format="yyyy-mm-dd" if dated else None,
                                    fill=ERROR_FILL if col in bad else None))
        cells += [row.line, reason(row, layout)]
        sheet.append(cells)
    book.save(path)


def reason(row, layout: Layout) -> str:
    parts = []
    for name, message in row.errors.items():
        column = layout.columns.get(name)
        parts.append(f"{column.label}：{message}" if column else message)
    return "；".join(parts)
