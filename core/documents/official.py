"""Official documents (公文) as PDF, laid out after GB/T 9704-2012 (ADR 0022).

A document is plain data (``OfficialDocument`` with its ``Section``s and ``Table``s); ``render_pdf`` hands it as
one JSON string to a fixed Typst template (``official.typ`` beside this file), which places every text as a
string, so nothing a user typed is ever read as Typst markup. The fonts are found only in the folders of
``YUANQU_PDF_FONT_PATHS`` (Debian's fonts-noto-cjk, installed by scripts/system-deps.sh): a serif CJK face stands
in for 仿宋 and 小标宋, a sans one for 黑体.
"""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import typst
from django.conf import settings
from django.utils.translation import gettext as _

TEMPLATE = Path(__file__).with_name("official.typ")

# The faces tried in turn; the first in the font folders is used. Serif: 仿宋 (body) and 小标宋 (mark, title)
# are not freely licensed, Noto Serif CJK (SIL OFL 1.1) is. Sans: 黑体 (first-level headings).
SERIF_FAMILIES = ("Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN")
SANS_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei")

DIGITS = "〇一二三四五六七八九"


class FontNotFound(RuntimeError):
    """No CJK font in the folders of YUANQU_PDF_FONT_PATHS: a PDF would print empty boxes for every character."""


@dataclass(frozen=True)
class Table:
    """A bordered table: a header row of ``columns`` and the ``rows`` under it, each as long as ``columns``.
    ``widths``, when given, are the columns' shares of the text block's width (``[1, 3, 1]``)."""

    columns: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None


@dataclass(frozen=True)
class Section:
    """A first-level part of the body: its heading (numbered 一、二、… when printed; none when empty), its
    paragraphs, then its tables."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class OfficialDocument:
    """One 公文. ``issuer`` is the 发文机关 (深圳市福田区科技创新局), its mark ``issuer + "文件"`` unless ``mark``
    says otherwise; ``number`` the 发文字号 (福科创〔2026〕12号); ``addressee`` the 主送机关; ``seal_text`` the
    署名 printed above the date where a seal would be (the issuer when empty; no seal image is drawn);
    ``copy_to`` the 抄送机关 and ``printed_by`` the 印发机关 of the 版记 at the foot of the last page.
    ``date_style`` "arabic" writes dates 2026年12月6日, as GB/T 9704-2012 (7.3.5.3) sets 成文日期 and 印发日期;
    "chinese" writes 二〇二六年十二月六日, the 1999 edition's form, still used by some offices."""

    issuer: str
    number: str
    title: str
    date: datetime.date
    sections: list[Section] = field(default_factory=list)
    addressee: str = ""
    seal_text: str = ""
    copy_to: str = ""
    printed_by: str = ""
    mark: str = ""
    date_style: Literal["chinese", "arabic"] = "arabic"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals as dates and ordinals write them: 一, 十, 十一, 二十, 三十一."""
    if not 0 < n < 100:
        raise ValueError(f"chinese_number takes 1 to 99, not {n}")
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")) + ("" if ones == 0 else DIGITS[ones])


def chinese_date(d: datetime.date) -> str:
    """The date with Chinese numerals: the year digit by digit with 〇 for zero, month and day as numbers
    (二〇二六年十二月六日, 二〇三〇年十月三十一日)."""
    year = "".join(DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{chinese_number(d.month)}月{chinese_number(d.day)}日"


def arabic_date(d: datetime.date) -> str:
    """The date as GB/T 9704-2012 writes 成文日期: Arabic digits, no leading zeros (2026年12月6日)."""
    return f"{d.year}年{d.month}月{d.day}日"


def _check_text(value, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be text, not {type(value).__name__}")
    return value


def _table_data(table: Table, where: str) -> dict:
    columns = [_check_text(c, f"{where}: column") for c in table.columns]
    if not columns:
        raise ValueError(f"{where}: a table needs at least one column")
    rows = []
    for number, row in enumerate(table.rows, start=1):
        if len(row) != len(columns):
            raise ValueError(f"{where}, row {number}: {len(row)} cells for {len(columns)} columns")
        rows.append([_check_text(cell, f"{where}, row {number}: cell") for cell in row])
    widths = None
    if table.widths is not None:
        if len(table.widths) != len(columns) or any(not w > 0 for w in table.widths):
            raise ValueError(f"{where}: widths must be {len(columns)} positive numbers")
        widths = [float(w) for w in table.widths]
    return {"columns": columns, "rows": rows, "widths": widths}


def payload(doc: OfficialDocument, fonts: dict[str, str]) -> dict:
    """The JSON data the template reads: every text of ``doc``, dates written out, checked."""
    for name in ("issuer", "number", "title", "addressee", "seal_text", "copy_to", "printed_by", "mark"):
        _check_text(getattr(doc, name), name)
    if not doc.issuer.strip() or not doc.title.strip():
        raise ValueError("a document needs an issuer and a title")
    if not isinstance(doc.date, datetime.date):
        raise TypeError("date must be a datetime.date")
    if doc.date_style not in ("chinese", "arabic"):
        raise ValueError(f"date_style must be 'chinese' or 'arabic', not {doc.date_style!r}")
    write_date = chinese_date if doc.date_style == "chinese" else arabic_date
    sections, numbered = [], 0
    for index, section in enumerate(doc.sections, start=1):
        where = f"section {index}"
        numbered += bool(section.heading)
        sections.append({
            "ordinal": chinese_number(numbered) + "、" if section.heading else "",
            "heading": _check_text(section.heading, f"{where}: heading"),
            "paragraphs": [_check_text(p, f"{where}: paragraph") for p in section.paragraphs],
            "tables": [_table_data(t, f"{where}, table {n}") for n, t in enumerate(section.tables, start=1)],
        })
    return {
        "issuer": doc.issuer,
        "mark": doc.mark or doc.issuer + "文件",
        "number": doc.number,
        "title": doc.title,
        "addressee": doc.addressee,
        "sections": sections,
        "signature": doc.seal_text or doc.issuer,
        "date": write_date(doc.date),
        "copy_to": doc.copy_to,
        "printed_by": doc.printed_by,
        "printed_on": write_date(doc.date),
        "fonts": fonts,
    }


@functools.lru_cache(maxsize=8)
def _fonts_in(paths: tuple[str, ...]) -> tuple[typst.Fonts, dict[str, str]]:
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=list(paths))
    families = set(fonts.families())
    serif = next((f for f in SERIF_FAMILIES if f in families), None)
    sans = next((f for f in SANS_FAMILIES if f in families), None)
    if serif is None and sans is None:
        raise FontNotFound(_(
            "No Chinese font was found for PDF documents in %(paths)s. Install the Debian package fonts-noto-cjk "
            "(scripts/system-deps.sh does), or set YUANQU_PDF_FONT_PATHS to folders holding one of: %(families)s."
        ) % {"paths": "、".join(paths) or "-", "families": "、".join(SERIF_FAMILIES + SANS_FAMILIES)})
    # One kind alone serves for both: a document in one face is better than one in empty boxes.
    return fonts, {"serif": serif or sans, "sans": sans or serif}


def font_setup() -> tuple[typst.Fonts, dict[str, str]]:
    """The fonts of the folders YUANQU_PDF_FONT_PATHS names and the serif and sans faces chosen from them;
    ``FontNotFound`` when none is a CJK face. Scanned once per list of folders."""
    return _fonts_in(tuple(str(p) for p in settings.YUANQU_PDF_FONT_PATHS))


@functools.cache
def _template_bytes() -> bytes:
    return TEMPLATE.read_bytes()


def render_pdf(doc: OfficialDocument) -> bytes:
    """``doc`` as an A4 PDF laid out after GB/T 9704-2012. The same document gives the same bytes (the PDF's
    time stamp is the document's date)."""
    fonts, faces = font_setup()
    data = json.dumps(payload(doc, faces), ensure_ascii=False)
    stamp = datetime.datetime.combine(doc.date, datetime.time(), tzinfo=datetime.UTC)
    return typst.compile(
        _template_bytes(),
        font_paths=fonts,
        ignore_system_fonts=True,
        sys_inputs={"payload": data},
        timestamp=stamp,
        format="pdf",
    )
