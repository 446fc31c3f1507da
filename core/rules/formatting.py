"""Values as Chinese offices write them: "1,200 ㎡", "5,000,000 元", "75.5%", "42 家", "2021年6月21日", "是".

Areas and amounts keep two decimals only when they have some ("1,200.50 ㎡", "1,234.56 元"); shares and ratios
drop trailing zeros ("75%", "75.5%", "3.5"). Area, money and share carry their own unit; a count or a ratio
takes the unit of its fact ("家", "人", "年").
"""

import datetime

from .types import MISSING, FactType

MISSING_TEXT = "数据缺失"
YES, NO = "是", "否"


def _grouped(units: int, places: int, *, keep_zeros: bool) -> str:
    """``units`` ÷ 10^places with thousands separators; decimals shown as 2 places (``keep_zeros``, unless all
    zero) or trimmed of trailing zeros."""
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), 10**places)
    text = f"{whole:,}"
    if fraction:
        digits = f"{fraction:0{places}d}"
        text += "." + (digits if keep_zeros else digits.rstrip("0"))
    return sign + text


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit else text


def format_value(fact_type: FactType, value, unit: str = "") -> str:
    if not isinstance(fact_type, FactType):
        fact_type = FactType(fact_type)
    if value is MISSING:
        return MISSING_TEXT
    if fact_type is FactType.AREA:
        return _grouped(value, 2, keep_zeros=True) + " ㎡"
    if fact_type is FactType.MONEY:
        return _grouped(value, 2, keep_zeros=True) + " 元"
    if fact_type is FactType.SHARE:
        return _grouped(value, 2, keep_zeros=False) + "%"
    if fact_type is FactType.RATIO:
        return _with_unit(_grouped(value, 2, keep_zeros=False), unit)
    if fact_type is FactType.COUNT:
        return _with_unit(f"{value:,}", unit)
    if fact_type is FactType.DATE:
        if not isinstance(value, datetime.date):
            raise TypeError(f"not a date: {value!r}")
        return f"{value.year}年{value.month}月{value.day}日"
    if fact_type is FactType.BOOL:
        return YES if value else NO
    return str(value)


def yuan_text(fen, *, unit: bool = True) -> str:
    """An amount in fen as ledgers and pages write it, always with two decimals: 120000000 → "1,200,000.00 元"
    ("1,200,000.00" without the unit, for a column whose heading says 元); "—" for none or missing."""
    if fen is None or fen is MISSING or fen == "":
        return "—"
    sign = "-" if int(fen) < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}" + (" 元" if unit else "")


def percent_text(bp, *, unit: bool = True) -> str:
    """Basis points as a per cent with two decimals, as shares and rates are read: 9600 → "96.00%", 100050 →
    "1,000.50%" ("96.00" without the sign, for a template that writes it); "—" for none or missing."""
    if bp is None or bp is MISSING or bp == "":
        return "—"
    sign = "-" if int(bp) < 0 else ""
    whole, hundredths = divmod(abs(int(bp)), 100)
    return f"{sign}{whole:,}.{hundredths:02d}" + ("%" if unit else "")


def format_list(fact_type: FactType, values, unit: str = "", *, at_most: int = 10) -> str:
    """"6511、6512、6513" — or the first ``at_most`` and "等 N 项" after them."""
    shown = [format_value(fact_type, value, unit) for value in list(values)[:at_most]]
    text = "、".join(shown)
    if len(values) > at_most:
        text += f" 等 {len(values)} 项"
    return text
