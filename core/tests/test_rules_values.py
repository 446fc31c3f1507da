"""Values of the rule language: integers in storage units, explicit half-up rounding, MISSING, Chinese formatting."""

import copy
import datetime
import pickle
from decimal import Decimal

import pytest

from core.rules import (
    MISSING,
    FactType,
    NotWhole,
    area_from_m2,
    area_to_m2,
    div_half_up,
    format_value,
    from_written,
    is_missing,
    money_from_yuan,
    money_to_yuan,
    per_n,
    per_thousand_m2,
    ratio_from_decimal,
    ratio_to_decimal,
    share_from_percent,
    share_of,
    share_to_percent,
    to_written,
)


@pytest.mark.parametrize(("a", "b", "expected"), [
    (5, 2, 3), (7, 2, 4), (2, 4, 1), (1, 4, 0), (3, 4, 1), (7, 3, 2), (8, 3, 3), (0, 5, 0), (10, 5, 2),
    # negatives: a half goes away from zero, like decimal.ROUND_HALF_UP
    (-5, 2, -3), (5, -2, -3), (-5, -2, 3), (-7, 3, -2), (-8, 3, -3), (-1, 4, 0), (-2, 4, -1),
])
def test_div_half_up_rounds_a_half_away_from_zero(a, b, expected):
    assert div_half_up(a, b) == expected


def test_div_half_up_is_not_pythons_round():
    assert div_half_up(5, 2) == 3 and round(5 / 2) == 2
    assert div_half_up(25, 10) == 3 and round(2.5) == 2
    with pytest.raises(ZeroDivisionError):
        div_half_up(1, 0)
    with pytest.raises(TypeError):
        div_half_up(1.0, 2)


def test_share_of_in_basis_points_rounded_half_up():
    assert share_of(3, 8) == 3750
    assert share_of(1, 3) == 3333
    assert share_of(2, 3) == 6667
    assert share_of(1, 80_000) == 0  # 0.125 bp → 0
    assert share_of(1, 16) == 625  # 6.25% exactly
    assert share_of(1, 800) == 13  # 0.125% = 12.5 bp → 13
    assert share_of(3, 2) == 15000
    assert share_of(0, 5) == 0
    assert is_missing(share_of(0, 0)) and is_missing(share_of(MISSING, 5)) and is_missing(share_of(3, MISSING))


def test_per_thousand_m2_and_per_n():
    assert per_thousand_m2(50, 1_000_000) == 500  # 50 on 10,000 ㎡: 5.00 per 1,000 ㎡
    assert per_thousand_m2(30, 1_000_001) == 300  # 30 on 10,000.01 ㎡: 2.9999997 → 3.00
    assert per_thousand_m2(1, 20_000_000) == 1  # 1 on 200,000 ㎡: 0.005 → 0.01 (half up)
    assert per_thousand_m2(1, 8_000_000) == 1  # 1 on 80,000 ㎡: 0.0125 → 0.01
    assert per_thousand_m2(3, 1_200_000) == 25  # 3 on 12,000 ㎡: 0.25 exactly
    assert is_missing(per_thousand_m2(5, 0))
    assert per_n(6, 50, 10) == 120
    assert per_n(1, 8, 10) == 125
    assert per_n(1, 16, 10) == 63  # 0.625 → 0.63
    assert is_missing(per_n(3, 0, 10)) and is_missing(per_n(MISSING, 10, 10))


@pytest.mark.parametrize(("convert", "given", "expected"), [
    (area_from_m2, "1,200.50", 120050), (area_from_m2, Decimal("0.005"), 1), (area_from_m2, Decimal("0.0049"), 0),
    (area_from_m2, 10000, 1_000_000), (area_from_m2, "-0.005", -1), (area_from_m2, "9999.995", 1_000_000),
    (money_from_yuan, "5000000", 500_000_000), (money_from_yuan, Decimal("0.125"), 13),
    (money_from_yuan, "0.115", 12), (money_from_yuan, "-0.125", -13),
    (share_from_percent, Decimal("75"), 7500), (share_from_percent, Decimal("0.125"), 13),
    (share_from_percent, Decimal("74.995"), 7500), (share_from_percent, "74.994", 7499),
    (ratio_from_decimal, "3.5", 350), (ratio_from_decimal, Decimal("2.345"), 235), (ratio_from_decimal, "2.5", 250),
])
def test_conversions_to_storage_units_round_half_up(convert, given, expected):
    assert convert(given) == expected


def test_conversions_back_are_exact_decimals():
    assert area_to_m2(120050) == Decimal("1200.50")
    assert money_to_yuan(500_000_001) == Decimal("5000000.01")
    assert share_to_percent(7550) == Decimal("75.50")
    assert ratio_to_decimal(350) == Decimal("3.50")
    for value in (0, 1, 99, 120050, -7):
        assert area_from_m2(area_to_m2(value)) == value


def test_conversions_refuse_floats_and_nonsense():
    with pytest.raises(TypeError):
        area_from_m2(1200.5)
    with pytest.raises(TypeError):
        money_from_yuan(True)
    with pytest.raises(ValueError):
        share_from_percent("七十五")
    with pytest.raises(ValueError):
        money_from_yuan("NaN")


def test_missing_is_one_value_distinct_from_zero_false_and_none():
    assert is_missing(MISSING)
    for value in (0, False, None, "", 0.0):
        assert not is_missing(value)
        assert MISSING != value
    assert copy.deepcopy(MISSING) is MISSING
    assert pickle.loads(pickle.dumps(MISSING)) is MISSING
    assert repr(MISSING) == "MISSING"
    with pytest.raises(TypeError):
        bool(MISSING)  # "if value:" would treat it as 0


@pytest.mark.parametrize(("fact_type", "value", "unit", "expected"), [
    (FactType.AREA, 120_000, "", "1,200 ㎡"),
    (FactType.AREA, 120_050, "", "1,200.50 ㎡"),
    (FactType.AREA, 120_005, "", "1,200.05 ㎡"),
    (FactType.AREA, 1_000_000, "㎡", "10,000 ㎡"),
    (FactType.AREA, 5, "", "0.05 ㎡"),
    (FactType.MONEY, 500_000_000, "", "5,000,000 元"),
    (FactType.MONEY, 123_456, "", "1,234.56 元"),
    (FactType.MONEY, 10, "", "0.10 元"),
    (FactType.MONEY, -150, "", "-1.50 元"),
    (FactType.SHARE, 7500, "", "75%"),
    (FactType.SHARE, 7550, "", "75.5%"),
    (FactType.SHARE, 7525, "", "75.25%"),
    (FactType.SHARE, 13, "", "0.13%"),
    (FactType.SHARE, 10_000, "", "100%"),
    (FactType.COUNT, 42, "家", "42 家"),
    (FactType.COUNT, 1200, "人", "1,200 人"),
    (FactType.COUNT, 3, "", "3"),
    (FactType.RATIO, 350, "", "3.5"),
    (FactType.RATIO, 300, "家", "3 家"),
    (FactType.RATIO, 325, "", "3.25"),
    (FactType.RATIO, 5, "", "0.05"),
    (FactType.DATE, datetime.date(2021, 6, 21), "", "2021年6月21日"),
    (FactType.BOOL, True, "", "是"),
    (FactType.BOOL, False, "", "否"),
    (FactType.CODE, "6511", "", "6511"),
    (FactType.COUNT, MISSING, "家", "数据缺失"),
])
def test_format_value_as_offices_write(fact_type, value, unit, expected):
    assert format_value(fact_type, value, unit) == expected


@pytest.mark.parametrize(("fact_type", "written", "stored"), [
    (FactType.AREA, "10,000", 1000000), (FactType.AREA, Decimal("1200.505"), 120051),
    (FactType.MONEY, Decimal("5000000"), 500000000), (FactType.SHARE, Decimal("75.5"), 7550),
    (FactType.RATIO, Decimal("3.5"), 350), (FactType.COUNT, Decimal("42"), 42),
])
def test_one_table_turns_what_people_write_into_storage_units_and_back(fact_type, written, stored):
    assert from_written(fact_type, written) == stored
    assert to_written(fact_type, stored) == (stored if fact_type is FactType.COUNT
                                             else Decimal(stored).scaleb(-2))


def test_a_written_count_is_whole_and_dates_are_not_numbers():
    with pytest.raises(NotWhole):
        from_written(FactType.COUNT, Decimal("2.5"))
    with pytest.raises(TypeError):
        from_written(FactType.DATE, "2026-01-01")
