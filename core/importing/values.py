"""Cell values as people type them in Excel and WPS, turned into what a form field expects.

Each function takes one raw cell (str, float, int, bool, date or datetime, as the readers give them) and
returns a clean value or raises ``ValueError`` with a Chinese reason naming what was expected.
"""

import datetime
import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.reference import control_characters

# Full-width ASCII (！ to ～) and the ideographic space map onto ASCII by a fixed offset.
_WIDE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDE[0x3000] = 0x20
_WIDE_ALNUM = {k: v for k, v in _WIDE.items() if chr(v).isalnum() or v == 0x20}

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_SPACES = re.compile(r"[ \t\u00a0]+")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")

EXCEL_EPOCH = datetime.date(1899, 12, 30)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")


def has_cjk(value) -> bool:
    """Chinese characters (not full-width Latin letters and digits)."""
    return bool(_IDEOGRAPH.search(str(value or "")))


def narrow(text: str) -> str:
    """Full-width letters, digits and punctuation to ASCII (for codes, numbers and dates)."""
    return text.translate(_WIDE)


def _join_lines(match, text):
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    # Chinese wraps without spaces; Latin words keep one.
    return "" if _CJK.match(before or " ") or _CJK.match(after or " ") else " "


def text(value) -> str:
    """Free text (names, addresses): full-width letters and digits narrowed, Chinese punctuation kept,
    line breaks inside a cell joined, runs of spaces collapsed, ends trimmed. Control characters are
    dropped (a data cell holding one is refused before it gets here; a header is only shown)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = control_characters.removed(str(value)).translate(_WIDE_ALNUM).strip()
    result = _LINE_BREAKS.sub(lambda m: _join_lines(m, result), result)
    return _SPACES.sub(" ", result).strip()


def code(value) -> str:
    """An identifier (building code, unit number, credit code): narrowed, no spaces at all."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", narrow(str(value)))


_NUMBER = re.compile(r"^([+-]?)(\d+(?:\.\d*)?|\.\d+)\s*(万|亿)?(.*)$")
_UNIT_WORDS = re.compile(r"(平方米|平米|平方|m2|m²|㎡|元|/|每|月|年|天|日|层|楼|·|\.|个|人|%|㎡)", re.IGNORECASE)


def number(value, *, unit_scale: int = 1) -> Decimal:
    """A number as written: 3,500 · 3，500㎡ · 1.2万 · 120元/㎡·月 · 45％ · full-width digits.

    ``unit_scale`` is how many yuan (or ㎡) one unit of the field is: 10000 for a field kept in 万元, so
    that 500万 → 500 there and 1.2万 → 12000 in a plain field.
    """
    if isinstance(value, bool):
        raise ValueError(_("not a number"))
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    raw = narrow(str(value)).replace("㎡", "").replace("m²", "").strip()
    raw = re.sub(r"(?<=\d)[,，\s](?=\d{3}\b)", "", raw)  # thousands separators
    raw = re.sub(r"(?<=\d)[,，](?=\d{3})", "", raw)
    match = _NUMBER.match(raw.replace(" ", ""))
    if not match:
        raise ValueError(_("“%(value)s” is not a number") % {"value": value})
    sign, digits, multiplier, rest = match.groups()
    leftover = _UNIT_WORDS.sub("", rest.replace("m2", "").replace("M2", ""))
    if leftover.strip():
        raise ValueError(_("“%(value)s” is not a number") % {"value": value})
    try:
        result = Decimal(sign + digits)
    except InvalidOperation as exc:
        raise ValueError(_("“%(value)s” is not a number") % {"value": value}) from exc
    if not multiplier:
        return result  # a bare number is in the field's own unit
    factor = {"万": 10000, "亿": 100000000}[multiplier]
    return result * factor / unit_scale


_DATE_PARTS = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def date(value) -> datetime.date:
    """2021-06-21 · 2021/6/21 · 2021.6.21 · 2021年6月21日 · 20210621 · an Excel serial number · a date cell."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # 1900-01-01 … 9999-12-31 as Excel counts
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise ValueError(_("“%(value)s” is not a date") % {"value": value})
    raw = narrow(str(value)).strip()
    match = _DATE_PARTS.match(raw) or _DATE_COMPACT.match(raw)
    if not match and re.fullmatch(r"\d{5}(\.0+)?", raw):
        return date(float(raw))
    if not match:
        raise ValueError(_("“%(value)s” is not a date: write it as 2021-06-21 or 2021年6月21日") % {"value": value})
    year, month, day = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError as exc:
        raise ValueError(_("“%(value)s” is not a real date") % {"value": value}) from exc


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "对"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "不是"}


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    raw = narrow(str(value)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE or raw == "":
        return False
    raise ValueError(_("“%(value)s” is not 是 or 否") % {"value": value})


@functools.lru_cache(maxsize=8192)
def key(value) -> str:
    """How a header or a choice label is compared: narrowed, case-folded, without spaces, asterisks and a
    unit in brackets (面积（㎡） and 面积(平方米) both read 面积)."""
    raw = unicodedata.normalize("NFKC", str(value or ""))
    raw = re.sub(r"\s+", "", raw).replace("*", "").replace("＊", "")
    raw = re.sub(r"[(\[（【][^)\]）】]*[)\]）】]$", "", raw)
    return raw.casefold()


def split_list(value) -> list[str]:
    """Several values in one cell: 2701、2702 · 2701,2702 · 2701；2702 · one per line."""
    if is_blank(value):
        return []
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    parts = re.split(r"[、,，;；/\s]+", narrow(str(value)))
    return [code(p) for p in parts if p.strip()]
