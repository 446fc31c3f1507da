"""The types of facts, the value that stands for missing data, and conversions to and from storage units.

Every quantity is held as an integer in a fixed unit, so that both evaluators compare exactly the same numbers:

| type | storage unit | example |
|---|---|---|
| area | hundredths of a m² | 10,000.00 ㎡ = 1000000 |
| share | basis points | 75% = 7500 |
| count | one | 42 |
| ratio | hundredths | 3.50 incubatees per 1,000 ㎡ = 350 |
| money | fen | 5,000,000 元 = 500000000 |
| date | ``datetime.date`` | |
| code | ``str`` | "6511" |
| bool | ``bool`` | |

Conversions from decimals round half away from zero (``ROUND_HALF_UP`` of ``decimal``: 0.125 → 0.13,
-0.125 → -0.13) and refuse floats: a float has already lost the digits the rounding must see.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum


class FactType(StrEnum):
    AREA = "area"
    SHARE = "share"
    COUNT = "count"
    RATIO = "ratio"
    MONEY = "money"
    DATE = "date"
    CODE = "code"
    BOOL = "bool"

    @property
    def label(self) -> str:
        return TYPE_LABELS[self]

    @property
    def is_number(self) -> bool:
        return self in NUMBER_TYPES


TYPE_LABELS = {
    FactType.AREA: "面积",
    FactType.SHARE: "比例",
    FactType.COUNT: "数量",
    FactType.RATIO: "比率",
    FactType.MONEY: "金额",
    FactType.DATE: "日期",
    FactType.CODE: "代码",
    FactType.BOOL: "是否",
}
NUMBER_TYPES = frozenset({FactType.AREA, FactType.SHARE, FactType.COUNT, FactType.RATIO, FactType.MONEY})
ORDERED_TYPES = NUMBER_TYPES | {FactType.DATE}


class _Missing:
    """The one value that says "no data". It is neither true nor false: ``if value:`` on it raises, so that
    code cannot mistake missing data for 0, False or an empty string by accident; ask ``is_missing``."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        raise TypeError("MISSING is neither true nor false: use is_missing(value)")

    def __reduce__(self):
        return "MISSING"

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


MISSING = _Missing()


def is_missing(value) -> bool:
    return value is MISSING


# --- checking and (de)serialising values ----------------------------------------------------------------


def is_value_of(fact_type: FactType, value) -> bool:
    """Whether ``value`` is a value of ``fact_type`` in its storage unit (MISSING is not)."""
    if fact_type in NUMBER_TYPES:
        return isinstance(value, int) and not isinstance(value, bool)
    if fact_type is FactType.DATE:
        return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    if fact_type is FactType.CODE:
        return isinstance(value, str)
    return isinstance(value, bool)


def value_from_json(fact_type: FactType, raw):
    """A value of ``fact_type`` from its JSON form (dates as "YYYY-MM-DD"); ValueError when it is not one."""
    if fact_type is FactType.DATE and isinstance(raw, str):
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"not a date: {raw!r}") from None
    if fact_type is not FactType.DATE and is_value_of(fact_type, raw):
        return raw
    raise ValueError(f"not a {fact_type.value}: {raw!r}")


def value_to_json(value):
    """The JSON form of a value: a date as "YYYY-MM-DD", MISSING as None, tuples as lists."""
    if value is MISSING:
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [value_to_json(item) for item in value]
    return value


# --- conversions ------------------------------------------------------------------------------------------


def _decimal(value) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"give a Decimal, a str or an int, not {type(value).__name__}: {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, (int, str)):
        try:
            number = Decimal(value.strip().replace(",", "") if isinstance(value, str) else value)
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    else:
        raise TypeError(f"give a Decimal, a str or an int, not {type(value).__name__}: {value!r}")
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def _scaled(value, places: int) -> int:
    """``value`` × 10^places as an integer, rounded half away from zero."""
    return int(_decimal(value).scaleb(places).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _unscaled(units: int, places: int) -> Decimal:
    if not isinstance(units, int) or isinstance(units, bool):
        raise TypeError(f"give an int in storage units, not {units!r}")
    return Decimal(units).scaleb(-places)


def area_from_m2(m2) -> int:
    """Hundredths of a m²: "1,200.505" → 120051."""
    return _scaled(m2, 2)


def area_to_m2(hundredths: int) -> Decimal:
    return _unscaled(hundredths, 2)


def money_from_yuan(yuan) -> int:
    """Fen: "5000000" → 500000000; 0.125 元 → 13 fen."""
    return _scaled(yuan, 2)


def money_to_yuan(fen: int) -> Decimal:
    return _unscaled(fen, 2)


def share_from_percent(percent) -> int:
    """Basis points: 75 → 7500; 0.125 (%) → 13."""
    return _scaled(percent, 2)


def share_to_percent(basis_points: int) -> Decimal:
    return _unscaled(basis_points, 2)


def ratio_from_decimal(ratio) -> int:
    """Hundredths: "3.5" → 350; 2.345 → 235."""
    return _scaled(ratio, 2)


def ratio_to_decimal(hundredths: int) -> Decimal:
    return _unscaled(hundredths, 2)


# How a person writes each kind of number (㎡, 元, %, a ratio) and its storage units: one table for every form,
# import and page that takes or shows a value. A count is a whole number as written.
WRITTEN = {
    FactType.AREA: (area_from_m2, area_to_m2),
    FactType.MONEY: (money_from_yuan, money_to_yuan),
    FactType.SHARE: (share_from_percent, share_to_percent),
    FactType.RATIO: (ratio_from_decimal, ratio_to_decimal),
}


class NotWhole(ValueError):
    """A count written with a fraction (2.5 家)."""


def from_written(fact_type: FactType, value) -> int:
    """A number as a person writes it for a fact of ``fact_type`` → its storage units, half-up: 10,000 ㎡ →
    1000000, 75 (%) → 7500, 3.5 → 350; a count must be whole (``NotWhole``)."""
    fact_type = FactType(fact_type)
    if fact_type in WRITTEN:
        return WRITTEN[fact_type][0](value)
    if fact_type is FactType.COUNT:
        number = _decimal(value)
        if number != number.to_integral_value():
            raise NotWhole(f"not a whole number: {value!r}")
        return int(number)
    raise TypeError(f"{fact_type.value} is not written as a number")


def to_written(fact_type: FactType, value: int) -> Decimal | int:
    """Storage units → the number a person writes (the inverse of ``from_written``): 1000000 → 10000.00 ㎡."""
    fact_type = FactType(fact_type)
    if fact_type in WRITTEN:
        return WRITTEN[fact_type][1](value)
    if fact_type is FactType.COUNT:
        return value
    raise TypeError(f"{fact_type.value} is not written as a number")
