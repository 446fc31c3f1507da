"""How messy cells are read (issue: files as people really make them)."""

import datetime
from decimal import Decimal

import pytest

from core.importing import values
from spaces.models import floor_number


@pytest.mark.parametrize("raw, expected", [
    ("3,500", Decimal("3500")),
    ("3,500㎡", Decimal("3500")),
    ("３，５００㎡", Decimal("3500")),
    ("1,234,567.5", Decimal("1234567.5")),
    ("1.2万", Decimal("12000")),
    ("120元/㎡·月", Decimal("120")),
    ("120 元/平方米/月", Decimal("120")),
    ("350.5平方米", Decimal("350.5")),
    ("１２０", Decimal("120")),
    (" 88 ", Decimal("88")),
    (2701.0, Decimal("2701.0")),
    (42, Decimal("42")),
])
def test_numbers_as_people_write_them(raw, expected):
    assert values.number(raw) == expected


def test_amounts_in_wan_yuan_fields():
    assert values.number("500万", unit_scale=10000) == Decimal("500")
    assert values.number("1.2亿", unit_scale=10000) == Decimal("12000")
    assert values.number("800", unit_scale=10000) == Decimal("800")


@pytest.mark.parametrize("raw", ["abc", "12a34", "1.2.3", "三千"])
def test_not_numbers_are_refused_in_chinese(raw):
    with pytest.raises(ValueError) as error:
        values.number(raw)
    assert raw in str(error.value)


@pytest.mark.parametrize("raw", [
    "2021-06-21", "2021/6/21", "2021.6.21", "2021年6月21日", "２０２１年６月２１日", "20210621", 44368, 44368.0,
    "44368", datetime.date(2021, 6, 21), datetime.datetime(2021, 6, 21, 0, 0),
])
def test_dates_in_every_common_form(raw):
    assert values.date(raw) == datetime.date(2021, 6, 21)


@pytest.mark.parametrize("raw", ["2021-02-30", "明天", "21/6/2021"])
def test_impossible_dates_are_refused(raw):
    with pytest.raises(ValueError):
        values.date(raw)


def test_text_keeps_chinese_punctuation_and_joins_wrapped_lines():
    assert values.text("  荣耀终端\n有限公司（深圳） ") == "荣耀终端有限公司（深圳）"
    assert values.text("Room\n2701") == "Room 2701"
    assert values.text("ＡＢＣ　科技") == "ABC 科技"


def test_codes_lose_spaces_and_width():
    assert values.code(" Ａ-１ ") == "A-1"
    assert values.code(2701.0) == "2701"


def test_headers_compare_without_units_spaces_and_asterisks():
    assert values.key("面积（㎡）*") == values.key("面 积(平方米)") == values.key("面积")


def test_several_values_in_one_cell():
    assert values.split_list("2701、2702，2703;２７０４\n2705") == ["2701", "2702", "2703", "2704", "2705"]


@pytest.mark.parametrize("raw, expected", [("12", 12), ("12F", 12), ("12层", 12), ("B1", -1), ("-2", -2),
                                           ("地下1层", -1), ("负2层", -2), (12.0, 12)])
def test_floor_numbers(raw, expected):
    assert floor_number(raw) == expected


def test_booleans():
    assert values.boolean("是") is True and values.boolean("否") is False and values.boolean("√") is True
    with pytest.raises(ValueError):
        values.boolean("也许")
