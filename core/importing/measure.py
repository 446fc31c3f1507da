"""Measuring an uploaded table before anything reads it.

calamine, the workbook reader, builds each sheet as one dense block from the first cell to the furthest one
any cell reaches, keeps every shared string in memory and believes what the zip says: a 2 KB file with one
cell at XFD1048576 makes it ask for hundreds of gigabytes, and the process dies. So the bytes calamine would
read are first streamed through here, in bounded memory and against limits that are settings
(``YUANQU_IMPORT_MAX_*``):

- the zip: one central directory at its end, no more than ``PARTS`` parts, none encrypted or packed other
  than as .xlsx writers pack, no .xlsb or .ods parts (calamine would read those unmeasured); every part is
  inflated here from its own data, whatever sizes the zip declares, counting the bytes it really yields
  (``MAX_UNZIPPED_BYTES`` in all) and refusing a part that inflates more than ``MAX_RATIO`` times;
- every XML part, and any part calamine could read cells from, goes through expat, a strict parser: a part
  it accepts reads the same way in calamine. Each sheet's declared ``<dimension>`` and the furthest row and
  column any cell reaches (placing cells without a reference where calamine places them) are held against
  ``MAX_ROWS``, ``MAX_COLUMNS`` and ``MAX_CELLS`` (the block from A1 to that corner) as each is met, and the
  shared strings may not outnumber the cells that could use them;
- CSV: rows, columns and their product, before ``csv`` splits a single row.

``Refused`` carries a Chinese message that names the limit and the sheet. ``Measure`` reports what was
counted (tests and the benchmark read it).
"""

import io
import struct
import xml.parsers.expat
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

PARTS = 1000  # an .xlsx written by Excel, WPS or LibreOffice has a few dozen
CHUNK = 1 << 20  # inflated bytes handed to the parser at a time; XML has markup in every such stretch
RATIO_AFTER = 1 << 20  # a part is held to the ratio once it has yielded this much
STRINGS_AT_LEAST = 10_000  # shared strings allowed however few the cells (a workbook may keep unused ones)
_EOCD = b"PK\x05\x06"
_LOCAL = b"PK\x03\x04"


class Refused(Exception):
    """The file is over a limit or cannot be measured; the message is for the user."""


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cells: int
    unzipped: int
    ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(rows=settings.YUANQU_IMPORT_MAX_ROWS, columns=settings.YUANQU_IMPORT_MAX_COLUMNS,
                   cells=settings.YUANQU_IMPORT_MAX_CELLS, unzipped=settings.YUANQU_IMPORT_MAX_UNZIPPED_BYTES,
                   ratio=settings.YUANQU_IMPORT_MAX_RATIO)


@dataclass
class Measure:
    unzipped: int = 0  # bytes inflated
    cells: int = 0  # cell elements met in all sheets
    strings: int = 0  # shared strings
    sheets: dict = field(default_factory=dict)  # part → (rows, columns) of the block calamine would build


def column_name(number: int) -> str:
    """1 → A, 27 → AA, 16384 → XFD."""
    name = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.0f}"


# ----- workbooks ----------------------------------------------------------------------------------------------
def _not_a_workbook() -> Refused:
    return Refused(_("The workbook cannot be opened; is it a real .xlsx file?"))


def _archive(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """The zip, if it has exactly one central directory, at its end, and parts calamine reads as .xlsx."""
    tail = data[-(65535 + 22):]
    at = tail.rfind(_EOCD)
    if at < 0 or tail.count(_EOCD) != 1 or len(tail) - at != 22 + int.from_bytes(tail[at + 20:at + 22], "little"):
        raise _not_a_workbook()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise _not_a_workbook() from exc
    parts = archive.infolist()
    if len(parts) > PARTS:
        raise Refused(_("The workbook has more than %(limit)s parts; it is not an ordinary Excel file.")
                      % {"limit": f"{PARTS:,}"})
    names = {part.filename.lower() for part in parts}
    if "xl/workbook.xml" not in names or names & {"xl/workbook.bin", "content.xml"}:
        raise _not_a_workbook()
    for part in parts:
        if part.flag_bits & 0x1:
            raise Refused(_("The workbook is protected by a password; remove the password and upload it again."))
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _not_a_workbook()
    return archive


def screen_workbook(data: bytes, limits: Limits | None = None) -> None:
    """What the zip tells without inflating anything (at upload, in milliseconds): its structure, and the sizes
    it declares. They may lie; measure_workbook does not believe them."""
    limits = limits or Limits.from_settings()
    declared = sum(part.file_size for part in _archive(data, limits).infolist())
    if declared > limits.unzipped:
        raise _unzipped(limits)


def _unzipped(limits: Limits) -> Refused:
    return Refused(_("The workbook unpacks to more than %(limit)s MB, the most a file may hold. Split the data "
                     "into several files.") % {"limit": _mb(limits.unzipped)})


def _inflate(data: bytes, part: zipfile.ZipInfo):
    """The part's bytes from its own data in the zip, in pieces of at most CHUNK, each with the packed bytes
    used so far. A deflated part is inflated to the end of its stream, whatever size the zip declares for it:
    no reader gets more out of it than this."""
    start = part.header_offset
    header = data[start:start + 30]
    if len(header) < 30 or header[:4] != _LOCAL:
        raise _not_a_workbook()
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_length + extra_length
    if part.compress_type == zipfile.ZIP_STORED:
        end = min(len(data), begin + part.compress_size)
        for offset in range(begin, end, CHUNK):
            piece = data[offset:min(end, offset + CHUNK)]
            yield piece, offset + len(piece) - begin
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    offset, pending = begin, b""
    while not inflater.eof:
        if not pending:
            pending = data[offset:offset + 65536]
            offset += len(pending)
        try:
            piece = inflater.decompress(pending, CHUNK)
        except zlib.error as exc:
            raise _not_a_workbook() from exc
        pending = inflater.unconsumed_tail
        if piece:
            yield piece, offset - begin - len(pending)
        elif not pending and offset >= len(data):
            raise _not_a_workbook()  # the stream ends with the file, unfinished


def _column_index(letters: str) -> int:
    """0-based column of the letters of a cell reference; ``ValueError`` if they are not letters."""
    if not (letters.isascii() and letters.isalpha()) or len(letters) > 7:
        raise ValueError(letters)
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number - 1


# What cells and shared strings are made of (values, formulas, text runs and their fonts): nothing to count.
_INSIDE_CELLS = frozenset({"v", "f", "is", "t", "r", "rPr", "rFont", "b", "i", "u", "strike", "sz", "color", "family",
                           "scheme", "charset", "vertAlign", "rPh", "phoneticPr"})
_COLUMNS = {column_name(number): number - 1 for number in range(1, 16385)}  # A … XFD, Excel's own columns


class _Part:
    """One XML part through expat. For every part (cells are counted wherever calamine might find them): the
    declared dimension and the furthest row and column a cell reaches, each held against the limits as it is
    met. For the shared strings, their number; for the workbook and its relationships, the sheets' names.
    Elements are known by their local name, as calamine knows them; a cell without a reference sits where
    calamine puts it (the column after the previous cell, in the current row)."""

    def __init__(self, measure: Measure, limits: Limits, name: str, label: str, strings_allowed: int | None):
        self.measure, self.limits, self.name, self.label = measure, limits, name, label
        self.furthest = (0, 0)  # rows and columns the sheet spans from A1
        self.sheets = []  # in xl/workbook.xml: (name, relationship id)
        self.targets = {}  # in a .rels part: relationship id → target
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartElementHandler = self._handler(strings_allowed)
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype

    def feed(self, data: bytes, final: bool = False) -> None:
        try:
            self.parser.Parse(data, final)
        except xml.parsers.expat.ExpatError as exc:
            raise _not_a_workbook() from exc
        except ValueError as exc:  # a cell or row reference calamine would not read either
            raise _not_a_workbook() from exc

    @staticmethod
    def _doctype(*args):
        raise _not_a_workbook()  # no .xlsx writer declares a DTD; entities are what XML bombs are made of

    def _handler(self, strings_allowed):
        # Called for every element of every part (a 100,000-row sheet has about two million): cells first, then
        # what cells hold, in as few comparisons as can be; the rest is rare.
        measure, reach, columns, quiet = self.measure, self.reach, _COLUMNS, _INSIDE_CELLS
        most_rows, most_columns, most_cells = self.limits.rows, self.limits.columns, self.limits.cells
        row = next_row = column = 0  # calamine's 0-based position for a row or cell without a reference
        rows_reached = columns_reached = 0

        def start(name, attrs):
            nonlocal row, next_row, column, rows_reached, columns_reached
            if name == "c":
                reference = attrs.get("r")
                if reference is None:
                    at_row, at_column = row, column
                else:
                    letters = reference.rstrip("0123456789")
                    at_column = columns.get(letters)
                    if at_column is None:
                        at_column = _column_index(letters)
                    at_row = int(reference[len(letters):]) - 1
                    if at_row < 0:
                        raise ValueError(reference)
                column = at_column + 1
                measure.cells += 1
                if at_row >= rows_reached or at_column >= columns_reached:
                    rows_reached, columns_reached = max(rows_reached, at_row + 1), max(columns_reached, column)
                    self.furthest = (rows_reached, columns_reached)
                    if (rows_reached > most_rows or columns_reached > most_columns
                            or rows_reached * columns_reached > most_cells):
                        self.refuse(at_row + 1, column, None)
            elif name in quiet:
                return
            elif name == "row":
                number = attrs.get("r")
                row = next_row if number is None else int(number) - 1
                next_row, column = row + 1, 0
            elif ":" in name:
                start(name.rpartition(":")[2], attrs)
            elif name == "dimension":
                corners = attrs.get("ref", "").split(":")
                letters = corners[-1].rstrip("0123456789")
                if len(corners) > 2:
                    raise ValueError(corners)
                rows_reached, columns_reached = reach(int(corners[-1][len(letters):]), _column_index(letters) + 1,
                                                      attrs["ref"])
            elif name == "si" and strings_allowed is not None:
                measure.strings += 1
                if measure.strings > strings_allowed:
                    raise Refused(_(
                        "The workbook's shared string table has more than %(limit)s entries, more than its "
                        "sheets' cells could use: it is not an ordinary Excel file.") % {"limit": f"{strings_allowed:,}"})
            elif name == "sheet":
                identifier = next((v for k, v in attrs.items() if k.rpartition(":")[2] == "id"), "")
                self.sheets.append((attrs.get("name", ""), identifier))
            elif name == "Relationship":
                self.targets[attrs.get("Id", "")] = attrs.get("Target", "")

        return start

    def reach(self, rows: int, columns: int, declared: str | None) -> tuple[int, int]:
        """A cell (or the declared range) reaching row ``rows``, column ``columns`` (1-based): the sheet spans at
        least that many of each from A1. Returns the span so far."""
        furthest = self.furthest = (max(self.furthest[0], rows), max(self.furthest[1], columns))
        limits = self.limits
        if rows > limits.rows or columns > limits.columns or furthest[0] * furthest[1] > limits.cells:
            self.refuse(rows, columns, declared)
        return furthest

    def refuse(self, rows: int, columns: int, declared: str | None):
        limits, furthest = self.limits, self.furthest
        where = (_("the declared range %(range)s") % {"range": declared} if declared
                 else _("the cell %(cell)s") % {"cell": f"{column_name(columns)}{rows}"})
        if rows > limits.rows:
            raise Refused(_("%(part)s: %(where)s lies beyond row %(limit)s, the most rows a file may have. Split "
                            "the data into several files.")
                          % {"part": self.label, "where": where, "limit": f"{limits.rows:,}"})
        if columns > limits.columns:
            raise Refused(_("%(part)s: %(where)s lies beyond column %(column)s (the %(limit)sth), the most columns "
                            "a file may have. Delete the columns that are not needed and save the file again.")
                          % {"part": self.label, "where": where, "column": column_name(limits.columns),
                             "limit": f"{limits.columns:,}"})
        raise Refused(_("%(part)s: %(where)s makes it %(rows)s rows by %(columns)s columns, more than the %(limit)s "
                        "cells a file may have. Delete the rows and columns that are not needed, or split the data "
                        "into several files.")
                      % {"part": self.label, "where": where, "rows": f"{furthest[0]:,}",
                         "columns": f"{furthest[1]:,}", "limit": f"{limits.cells:,}"})


def _order(part: zipfile.ZipInfo) -> int:
    """Relationships and the workbook first (they name the sheets), shared strings last (their limit is the
    sheets' cells)."""
    name = part.filename.lower()
    if name.endswith(".rels") or name == "xl/workbook.xml":
        return 0
    return 2 if name == "xl/sharedstrings.xml" else 1


def _sheet_names(parts) -> dict:
    """Part name (lower case) → the sheet's name, from xl/workbook.xml and its relationships."""
    workbook = next((p for p in parts if p.name.lower() == "xl/workbook.xml"), None)
    relationships = next((p for p in parts if p.name.lower() == "xl/_rels/workbook.xml.rels"), None)
    if workbook is None or relationships is None:
        return {}
    names = {}
    for sheet, identifier in workbook.sheets:
        target = relationships.targets.get(identifier, "").lstrip("/")
        if not target.lower().startswith("xl/"):
            target = f"xl/{target}"
        names[target.lower()] = sheet
    return names


def measure_workbook(data: bytes, limits: Limits | None = None) -> Measure:
    """Refuses (``Refused``) a workbook over any limit, before calamine sees it; what it counted otherwise."""
    limits = limits or Limits.from_settings()
    archive = _archive(data, limits)
    measure = Measure()
    read, names = [], {}
    for info in sorted(archive.infolist(), key=_order):
        lower = info.filename.lower()
        label = (_("Sheet “%(name)s”") % {"name": names[lower]} if lower in names
                 else _("Part %(name)s of the workbook") % {"name": info.filename})
        part = _Part(measure, limits, info.filename, label,
                     max(measure.cells, STRINGS_AT_LEAST) if lower == "xl/sharedstrings.xml" else None)
        is_xml = lower.endswith((".xml", ".rels"))
        yielded, carry = 0, b""
        for piece, packed in _inflate(data, info):
            yielded += len(piece)
            measure.unzipped += len(piece)
            if measure.unzipped > limits.unzipped:
                raise _unzipped(limits)
            if yielded > RATIO_AFTER and yielded > limits.ratio * max(packed, 1):
                raise Refused(_("%(part)s unpacks to more than %(limit)s times its packed size, beyond the limit: "
                                "such a file is mostly empty rows or cells. Delete them in Excel or WPS, save the "
                                "file again and upload it.") % {"part": label, "limit": f"{limits.ratio:,}"})
            if is_xml:
                if len(piece) == CHUNK and b"<" not in piece:
                    raise Refused(_("%(part)s holds a single value or tag longer than %(limit)s MB, more than a "
                                    "cell may hold.") % {"part": label, "limit": _mb(CHUNK)})
                part.feed(piece)
            elif b"sheetData" in carry + piece:
                # calamine reads cells from whatever part the relationships name: any part that could hold
                # them must be an XML part, measured as one.
                raise _not_a_workbook()
            else:
                carry = piece[-16:]
        if is_xml and yielded:
            part.feed(b"", True)
            if part.furthest != (0, 0):
                measure.sheets[info.filename] = part.furthest
            read.append(part)
            if _order(info) == 0:
                names = _sheet_names(read)
    return measure


# ----- CSV ------------------------------------------------------------------------------------------------
def measure_csv(text: str, limits: Limits | None = None) -> None:
    """Rows and columns of a CSV text, counted on its lines before ``csv`` builds a single row: the rows first,
    without splitting the text, then the commas of each line. A quoted line break counts as a row and a quoted
    comma as a column, so lines × widest line is never below the cells ``csv`` reads."""
    limits = limits or Limits.from_settings()
    separator = "\n" if "\n" in text else "\r"
    rows = text.count(separator) + (not text.endswith(separator))
    if rows > limits.rows:
        raise Refused(_("The CSV file has more than %(limit)s rows, the most a file may have. Split the data "
                        "into several files.") % {"limit": f"{limits.rows:,}"})
    widest, at = 0, 0
    for number, line in enumerate(text.split(separator), 1):
        columns = line.count(",") + 1
        if columns > widest:
            widest, at = columns, number
    if widest > limits.columns:
        raise Refused(_("Row %(row)s of the CSV file has %(columns)s columns, more than the %(limit)s a file may "
                        "have.") % {"row": f"{at:,}", "columns": f"{widest:,}", "limit": f"{limits.columns:,}"})
    if rows * widest > limits.cells:
        raise Refused(_("The CSV file is %(rows)s rows by %(columns)s columns, more than the %(limit)s cells a file "
                        "may have. Split the data into several files.")
                      % {"rows": f"{rows:,}", "columns": f"{widest:,}", "limit": f"{limits.cells:,}"})
