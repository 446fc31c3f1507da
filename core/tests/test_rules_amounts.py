"""Amount formulas (core.rules.amounts): the typed multiplication and division tables at their rounding
boundaries, in both evaluators; missing data carried to the top; the Chinese messages of validation; the
sentences of evaluator A; a period split where a parameter changes; the content hash."""

import datetime
import random

import numpy as np
import pytest

from core.rules import (
    MISSING,
    Catalogue,
    Fact,
    FactType,
    InvalidTree,
    ParameterSet,
    ParameterUndefined,
    amount_content_hash,
    amount_errors,
    amount_facts_used,
    amount_over_period,
    amount_over_period_columns,
    amount_parameters_used,
    content_hash,
    div_half_up,
    div_half_up_columns,
    evaluate_amount,
    evaluate_amount_columns,
    prepare_amount,
    validate_amount,
)
from core.rules.amounts import LIMIT, AmountOutcome

from .rules_amounts_domain import (
    BY_AREA,
    CATALOGUE,
    FACTS,
    PARAMETERS,
    RENT_SUBSIDY,
    RENT_SUBSIDY_ROUNDED,
)

D = datetime.date
ON = D(2025, 1, 1)
A, S, C, R, M = "area", "share", "count", "ratio", "money"

# one fact per numeric type, so that a table test can give both operands as facts
TYPED = Catalogue([Fact(f"t.{name}", FactType(name), name) for name in (A, S, C, R, M)]
                  + [Fact(f"u.{name}", FactType(name), f"另一{name}") for name in (A, S, C, R, M)]
                  + [Fact("t.flag", FactType.BOOL, "标志"), Fact("t.day", FactType.DATE, "日期")])


def both(tree, facts: dict, catalogue=TYPED, parameters=None, on=ON):
    """(A's value, B's value) of ``tree`` on one row; B's is MISSING where it says the row is absent."""
    explained = evaluate_amount(tree, facts, catalogue, parameters, on)
    columns = {name: (np.array([value if value is not MISSING else 0], dtype=np.int64),
                      np.array([value is not MISSING])) for name, value in facts.items()}
    values, present = evaluate_amount_columns(tree, columns, catalogue, parameters, on, rows=1)
    return explained.value, int(values[0]) if present[0] else MISSING


def pair(kind, left_type, left, right_type, right):
    """A ``kind`` node over two facts, and its facts."""
    left_name = f"t.{left_type}"
    right_name = f"u.{right_type}" if left_type == right_type else f"t.{right_type}"
    return {kind: [{"fact": left_name}, {"fact": right_name}]}, {left_name: left, right_name: right}


# (left type, left, right type, right, expected): every entry of the multiplication table, at x.5 of the storage
# unit (half-up: away from zero) and beside it, negatives included
MULTIPLICATIONS = [
    (S, 5000, M, 1, 1), (S, 5000, M, -1, -1), (S, 4999, M, 1, 0), (S, 5001, M, -1, -1), (S, 4999, M, -1, 0),
    (S, 1, M, 15_000, 2), (S, 1, M, 14_999, 1), (S, -1, M, 25_000, -3), (S, 5000, M, 120_000_000, 60_000_000),
    (S, 2500, A, 2, 1), (S, 2500, A, -2, -1), (S, 2499, A, 2, 0), (S, 7500, A, 100_001, 75_001),
    (S, 5000, C, 3, 2), (S, 5000, C, -3, -2), (S, 3333, C, 3, 1), (S, 1666, C, 3, 0), (S, 10_000, C, 7, 7),
    (M, 1, A, 50, 1), (M, 1, A, 49, 0), (M, -1, A, 50, -1), (M, 3, A, 50, 2), (M, -3, A, 50, -2),
    (M, 3000, A, 100_000, 3_000_000), (M, 1, A, -150, -2),
    (M, 12_345, C, 12, 148_140), (M, -5, C, 3, -15),
    (A, 150, C, 4, 600), (A, -150, C, 4, -600),
    (C, 7, C, -6, -42), (C, 0, C, 9, 0),
    (R, 150, M, 1, 2), (R, 150, M, -1, -2), (R, 149, M, 1, 1), (R, 250, A, 1, 3), (R, -250, A, 1, -3),
    (R, 50, S, 1, 1), (R, 49, S, 1, 0), (R, 150, R, 150, 225), (R, 33, C, 3, 1), (R, 16, C, 3, 0),
]


@pytest.mark.parametrize(("left_type", "left", "right_type", "right", "expected"), MULTIPLICATIONS)
def test_multiplication_rounds_half_away_from_zero_in_both_evaluators_and_either_order(
        left_type, left, right_type, right, expected):
    tree, facts = pair("mul", left_type, left, right_type, right)
    assert both(tree, facts) == (expected, expected)
    swapped = {"mul": list(reversed(tree["mul"]))}
    assert both(swapped, facts) == (expected, expected)


@pytest.mark.parametrize(("left_type", "right_type", "result"), [
    (S, M, M), (S, A, A), (S, C, C), (M, A, M), (M, C, M), (A, C, A), (C, C, C),
    (R, M, M), (R, A, A), (R, S, S), (R, C, C), (R, R, R)])
def test_the_product_has_the_type_of_the_table(left_type, right_type, result):
    tree, _ = pair("mul", left_type, 1, right_type, 1)
    assert prepare_amount(tree, TYPED).type is FactType(result)
    tree, _ = pair("mul", right_type, 1, left_type, 1)
    assert prepare_amount(tree, TYPED).type is FactType(result)


@pytest.mark.parametrize(("left_type", "right_type"), [(S, S), (M, M), (A, A)])
def test_products_outside_the_table_are_refused(left_type, right_type):
    tree, _ = pair("mul", left_type, 1, right_type, 1)
    (error,) = amount_errors(tree, TYPED)
    label = FactType(left_type).label
    assert error.startswith(f"整体金额公式：不能相乘：{label} × {label}（可乘的组合：")


# (left type, left, right type, right, expected): same types floor to a count, money ÷ count half-up
DIVISIONS = [
    (C, 7, C, 2, 3), (C, -7, C, 2, -4), (C, 7, C, -2, -4), (C, -7, C, -2, 3), (C, 6, C, 3, 2),
    (M, 100, M, 30, 3), (M, 119_999, M, 10_000, 11), (A, 250, A, 100, 2), (S, 9999, S, 5000, 1),
    (R, 299, R, 100, 2),
    (M, 5, C, 2, 3), (M, -5, C, 2, -3), (M, 5, C, -2, -3), (M, 7, C, 3, 2), (M, 8, C, 3, 3), (M, -8, C, 3, -3),
    (M, 120_000_000, C, 12, 10_000_000), (M, 100, C, 7, 14), (M, 150, C, 100, 2), (M, 149, C, 100, 1),
]


@pytest.mark.parametrize(("left_type", "left", "right_type", "right", "expected"), DIVISIONS)
def test_division_floors_same_types_and_rounds_money_per_count_half_up(left_type, left, right_type, right, expected):
    tree, facts = pair("div", left_type, left, right_type, right)
    assert both(tree, facts) == (expected, expected)
    assert prepare_amount(tree, TYPED).type is FactType(M if left_type == M and right_type == C else C)


@pytest.mark.parametrize(("left_type", "right_type"), [(M, A), (A, C), (C, M), (S, C), (R, M)])
def test_divisions_outside_the_table_are_refused(left_type, right_type):
    tree, _ = pair("div", left_type, 1, right_type, 1)
    (error,) = amount_errors(tree, TYPED)
    assert error.startswith(f"整体金额公式：不能相除：{FactType(left_type).label} ÷ {FactType(right_type).label}")


@pytest.mark.parametrize(("value", "to", "expected"), [
    (150, 100, 200), (149, 100, 100), (-150, 100, -200), (-149, 100, -100), (250, 100, 300), (350, 100, 400),
    (5, 10, 10), (-5, 10, -10), (4, 10, 0), (123_456, 1, 123_456), (45_000, 10_000, 50_000), (44_999, 10_000, 40_000)])
def test_round_goes_half_up_to_the_multiple(value, to, expected):
    assert both({"round": {"fact": "t.money"}, "to": to}, {"t.money": value}) == (expected, expected)


def test_min_max_add_sub_in_both_evaluators():
    facts = {"t.money": 500, "u.money": -700}
    money, other = {"fact": "t.money"}, {"fact": "u.money"}
    ten = {"const": 10, "type": "money"}
    assert both({"min": [money, other, ten]}, facts) == (-700, -700)
    assert both({"max": [money, other, ten]}, facts) == (500, 500)
    assert both({"add": [money, other, ten]}, facts) == (-190, -190)
    assert both({"sub": [money, other]}, facts) == (1200, 1200)


def test_the_vector_half_up_division_matches_div_half_up_for_every_sign():
    rng = random.Random(11)
    pairs = [(a, b) for a in range(-25, 26) for b in (-7, -4, -2, -1, 1, 2, 4, 7, 10_000)]
    pairs += [(rng.randint(-LIMIT, LIMIT), rng.choice([2, 3, 100, 10_000, rng.randint(1, LIMIT)])) for _ in range(500)]
    pairs += [(LIMIT, 2), (-LIMIT, 2), (LIMIT, LIMIT), (-LIMIT, LIMIT), (LIMIT - 1, LIMIT), (LIMIT // 2, LIMIT),
              (LIMIT // 2 + 1, LIMIT), (LIMIT, -LIMIT), (-(LIMIT // 2) - 1, LIMIT)]
    a = np.array([x for x, _ in pairs], dtype=np.int64)
    b = np.array([y for _, y in pairs], dtype=np.int64)
    assert div_half_up_columns(a, b).tolist() == [div_half_up(x, y) for x, y in pairs]
    assert div_half_up_columns(a, 100).tolist() == [div_half_up(x, 100) for x, _ in pairs]


# --- missing -----------------------------------------------------------------------------------------------


def test_a_missing_fact_makes_every_node_above_it_missing_never_zero():
    facts = {"lease.area": 100_000}  # no rent paid
    outcome = evaluate_amount(RENT_SUBSIDY_ROUNDED, facts, CATALOGUE, PARAMETERS, ON)
    assert outcome.value is MISSING and outcome.missing
    by_path = {step["path"]: step["value"] for step in outcome.steps}
    assert by_path == {"1.1.1": None, "1.1.2": 5000, "1.1": None, "1.2.1.1": 3000, "1.2.1.2": 100_000,
                       "1.2.1": 3_000_000, "1.2.2": 12, "1.2": 36_000_000, "1": None, "": None}
    assert outcome.sentence == "金额无法计算：实付租金数据缺失"
    assert outcome.reasons == ["实付租金数据缺失"]
    values, present = evaluate_amount_columns(
        RENT_SUBSIDY_ROUNDED, {"lease.area": (np.array([100_000, 100_000]), np.array([True, True])),
                               "lease.rent_paid": (np.array([0, 120_000_000]), np.array([False, True]))},
        CATALOGUE, PARAMETERS, ON)
    assert present.tolist() == [False, True] and values.tolist() == [0, 36_000_000]


@pytest.mark.parametrize("kind", ["min", "max", "add", "sub"])
def test_min_of_a_missing_and_a_present_value_is_missing(kind):
    tree = {kind: [{"fact": "t.money"}, {"const": 0, "type": "money"}]}
    assert both(tree, {"t.money": MISSING}) == (MISSING, MISSING)
    assert both(tree, {}) == (MISSING, MISSING)


def test_every_missing_fact_is_named_once():
    tree = {"add": [{"mul": [{"fact": "lease.area"}, {"fact": "lease.monthly_rent"}]},
                    {"fact": "lease.rent_paid"}, {"fact": "lease.rent_paid"}]}
    outcome = evaluate_amount(tree, {"lease.monthly_rent": 3000}, CATALOGUE, PARAMETERS, ON)
    assert outcome.sentence == "金额无法计算：租赁面积、实付租金数据缺失"


def test_division_by_zero_and_overflow_are_missing_in_both_evaluators():
    divided = {"div": [{"fact": "t.money"}, {"fact": "t.count"}], "label": "月均租金"}
    assert both(divided, {"t.money": 100, "t.count": 0}) == (MISSING, MISSING)
    assert evaluate_amount(divided, {"t.money": 100, "t.count": 0}, TYPED).sentence == \
        "金额无法计算：“月均租金”的除数为 0"
    big = {"mul": [{"fact": "t.money"}, {"fact": "t.count"}]}
    assert both(big, {"t.money": 2**62, "t.count": 2}) == (MISSING, MISSING)
    assert both(big, {"t.money": 2**62, "t.count": 1}) == (2**62, 2**62)
    assert evaluate_amount(big, {"t.money": 2**62, "t.count": 2}, TYPED).sentence == \
        "金额无法计算：整体金额公式的结果超出可计算的范围"
    summed = {"add": [{"fact": "t.money"}, {"fact": "u.money"}, {"const": -LIMIT, "type": "money"}]}
    assert both(summed, {"t.money": LIMIT, "u.money": 1}) == (MISSING, MISSING)  # checked left to right
    assert both(summed, {"t.money": LIMIT, "u.money": 0}) == (0, 0)
    assert both({"fact": "t.money"}, {"t.money": -(2**63)}) == (MISSING, MISSING)


def test_a_fact_of_the_wrong_python_type_is_an_error_not_missing():
    with pytest.raises(TypeError, match="t.money"):
        evaluate_amount({"fact": "t.money"}, {"t.money": 1.5}, TYPED)
    with pytest.raises(TypeError):
        evaluate_amount({"fact": "t.money"}, {"t.money": None}, TYPED)


# --- validation ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tree", "errors"), [
    ({"fact": "lease.nothing"}, ["整体金额公式：未知的指标 lease.nothing"]),
    ({"min": [{"fact": "lease.area"}, {"param": "nothing"}]}, ["金额公式 2：未知的参数 nothing"]),
    ({"fact": "enterprise.high_tech"},
     ["整体金额公式：指标“是否高新技术企业”的类型是“是否”，不是数值，不能参与金额计算"]),
    ({"add": [{"fact": "lease.rent_paid"}, {"fact": "enterprise.established_on"}]},
     ["金额公式 2：指标“成立日期”的类型是“日期”，不是数值，不能参与金额计算"]),
    ({"mul": [{"param": "opened_on"}, {"fact": "lease.area"}]},
     ["金额公式 1：参数“政策施行日期”的类型是“日期”，不是数值，不能参与金额计算"]),
    ({"add": [{"fact": "lease.rent_paid"}, {"fact": "lease.area"}]},
     ["整体金额公式：“相加”的各项类型须相同：第 1 项是金额，第 2 项是面积"]),
    ({"min": [{"fact": "lease.rent_paid"}]}, ["整体金额公式：“取较小值”需要至少两个金额节点的列表"]),
    ({"max": "lease.rent_paid"}, ["整体金额公式：“取较大值”需要至少两个金额节点的列表"]),
    ({"sub": [{"fact": "lease.rent_paid"}] * 3}, ["整体金额公式：“相减”需要恰好两个金额节点 [a, b]"]),
    ({"mul": [{"fact": "lease.rent_paid"}]}, ["整体金额公式：“相乘”需要恰好两个金额节点 [a, b]"]),
    ({"div": [{"fact": "lease.rent_paid"}, {"fact": "lease.area"}]},
     ["整体金额公式：不能相除：金额 ÷ 面积（可除的组合：同类型相除（得数量，向下取整）、金额÷数量（得金额，四舍五入））"]),
    ({"const": 1.5, "type": "money"}, ["整体金额公式：常数 1.5 不是金额的值：金额，整数，以分计（1 元写作 100）"]),
    ({"const": "12", "type": "count"}, ["整体金额公式：常数 \"12\" 不是数量的值：数量，整数"]),
    ({"const": True, "type": "count"}, ["整体金额公式：常数 true 不是数量的值：数量，整数"]),
    ({"const": 12, "type": "date"},
     ["整体金额公式：常数需要数值类型（type：money、area、share、count、ratio 之一），不是 date"]),
    ({"const": 12}, ["整体金额公式：常数需要数值类型（type：money、area、share、count、ratio 之一），不是 None"]),
    ({"const": 2**63, "type": "money"},
     [f"整体金额公式：常数 {2**63} 超出可计算的范围（绝对值不超过 {LIMIT}）"]),
    ({"round": {"fact": "lease.rent_paid"}, "to": 0},
     ["整体金额公式：“四舍五入”的 to 应为正整数，取整的倍数（以存储单位计：100 分即 1 元），不是 0"]),
    ({"round": {"fact": "lease.rent_paid"}}, ["整体金额公式：“四舍五入”的 to 应为正整数，取整的倍数（以存储单位计：100 分即 1 元），不是 None"]),
    ({"fact": "lease.area", "label": 3, "colour": "red"},
     ["整体金额公式：不认识的键 colour", "整体金额公式：label 应为文本"]),
    ({"min": [{"fact": "lease.area"}, {"add": [{"fact": "lease.area"}, {"fact": "lease.nope"}]}, "x"]},
     ["金额公式 2.2：未知的指标 lease.nope", "金额公式 3：应为一个金额节点（JSON 对象）"]),
    ({"mul": [{"fact": "lease.area"}], "add": []}, ["整体金额公式：应为指标（fact）、参数（param）、常数（const）或运算"
                                                    "（min、max、add、sub、mul、div、round）之一"]),
    ([], ["整体金额公式：应为一个金额节点（JSON 对象）"]),
])
def test_validation_names_each_bad_node_by_its_path(tree, errors):
    assert amount_errors(tree, CATALOGUE, PARAMETERS) == errors
    with pytest.raises(InvalidTree) as raised:
        validate_amount(tree, CATALOGUE, PARAMETERS)
    assert raised.value.errors == errors


def test_a_parameter_without_a_parameter_set_and_a_result_of_the_wrong_type():
    assert amount_errors({"param": "rate"}, CATALOGUE) == ["整体金额公式：引用了参数 rate，但没有提供参数表"]
    assert amount_errors({"fact": "lease.area"}, CATALOGUE, result_type=FactType.MONEY) == \
        ["整体金额公式：结果应为金额，现为面积"]
    validate_amount(RENT_SUBSIDY_ROUNDED, CATALOGUE, PARAMETERS, result_type=FactType.MONEY)  # no error


def test_a_parameter_is_read_on_the_day_and_has_no_value_before_its_first_date():
    tree = {"mul": [{"fact": "lease.rent_paid"}, {"param": "rate"}]}
    assert evaluate_amount(tree, FACTS, CATALOGUE, PARAMETERS, D(2025, 6, 30)).value == 60_000_000
    assert evaluate_amount(tree, FACTS, CATALOGUE, PARAMETERS, D(2025, 7, 1)).value == 48_000_000
    with pytest.raises(ParameterUndefined):
        evaluate_amount(tree, FACTS, CATALOGUE, PARAMETERS, D(2023, 12, 31))
    with pytest.raises(ValueError, match="on="):
        evaluate_amount(tree, FACTS, CATALOGUE, PARAMETERS)


def test_facts_and_parameters_used():
    assert amount_facts_used(RENT_SUBSIDY_ROUNDED) == {"lease.rent_paid", "lease.area"}
    assert amount_parameters_used(RENT_SUBSIDY_ROUNDED) == {"rate", "cap_per_m2_month"}
    assert amount_facts_used({"min": "x"}) == set() and amount_parameters_used([1]) == set()


# --- sentences -----------------------------------------------------------------------------------------------


def test_the_sentence_reads_like_an_officers_note():
    outcome = evaluate_amount(RENT_SUBSIDY, FACTS, CATALOGUE, PARAMETERS, ON)
    assert outcome.value == 36_000_000 and outcome.type is FactType.MONEY
    assert outcome.sentence == ("按实付租金的 50%：1,200,000 元 × 50% = 600,000 元；"
                                "按面积封顶：30 元/㎡·月 × 1,000 ㎡ × 12 个月 = 360,000 元；取两者较小值 360,000 元")
    steps = {step["path"]: step for step in outcome.steps}
    assert [step["path"] for step in outcome.steps] == ["1.1", "1.2", "1", "2.1.1", "2.1.2", "2.1", "2.2", "2", ""]
    assert steps["1.1"]["sentence"] == "实付租金 1,200,000 元"
    assert steps["1.2"] == {"path": "1.2", "label": "补贴比例", "type": "share", "value": 5000,
                            "sentence": "补贴比例 50%"}
    assert steps["2.1"]["sentence"] == "30 元/㎡·月 × 1,000 ㎡ = 30,000 元"
    assert steps[""]["sentence"] == "600,000 元、360,000 元，取两者较小值 360,000 元"


def test_sentences_with_fen_rounding_division_and_parentheses():
    facts = {"lease.rent_paid": 123_456_789, "lease.area": 120_050, "lease.months": 7}
    outcome = evaluate_amount(RENT_SUBSIDY_ROUNDED, facts, CATALOGUE, PARAMETERS, ON)
    assert outcome.value == 43_218_000
    assert outcome.sentence == (
        "按实付租金的 50%：1,234,567.89 元 × 50% = 617,283.95 元；"
        "按面积封顶：30 元/㎡·月 × 1,200.50 ㎡ × 12 个月 = 432,180 元；取两者较小值 432,180 元；"
        "取整到元：432,180 元 四舍五入到元为 432,180 元")
    monthly = {"round": {"div": [{"fact": "lease.rent_paid"}, {"fact": "lease.months"}]}, "to": 100}
    assert evaluate_amount(monthly, facts, CATALOGUE).sentence == (
        "1,234,567.89 元 ÷ 7 个月 = 176,366.84 元；176,366.84 元 四舍五入到元为 176,367 元")
    months = {"div": [{"fact": "lease.area"}, {"const": 50_000, "type": "area"}], "unit": "份"}
    assert evaluate_amount(months, facts, CATALOGUE).sentence == "1,200.50 ㎡ ÷ 500 ㎡ = 2 份（向下取整）"
    grouped = {"mul": [{"sub": [{"fact": "lease.rent_paid"}, {"const": 23_456_789, "type": "money"}]},
                       {"const": 4000, "type": "share"}], "label": "超出部分的 40%"}
    assert evaluate_amount(grouped, facts, CATALOGUE).sentence == \
        "超出部分的 40%：（1,234,567.89 元 − 234,567.89 元） × 40% = 400,000 元"
    per_m2 = {"mul": [{"const": 1250, "type": "money"}, {"fact": "lease.area"}]}
    assert evaluate_amount(per_m2, facts, CATALOGUE).sentence == "12.50 元/㎡ × 1,200.50 ㎡ = 15,006.25 元"
    three = {"max": [{"fact": "lease.rent_paid", "label": "实付"}, {"const": 1, "type": "money"},
                     {"param": "annual_cap"}], "label": "三者取大"}
    assert evaluate_amount(three, facts, CATALOGUE, PARAMETERS, ON).sentence == (
        "实付 1,234,567.89 元；0.01 元；年度补贴上限 1,000,000 元；三者取大：取三者中的最大值 1,234,567.89 元")


def test_the_outcome_is_json_and_reads_back():
    import json
    outcome = evaluate_amount(RENT_SUBSIDY, FACTS, CATALOGUE, PARAMETERS, ON)
    data = json.loads(json.dumps(outcome.as_dict(), ensure_ascii=False))
    assert data["value"] == 36_000_000 and data["on"] == "2025-01-01" and data["type"] == "money"
    assert AmountOutcome.from_dict(data) == outcome
    missing = evaluate_amount(RENT_SUBSIDY, {}, CATALOGUE, PARAMETERS, ON)
    assert missing.as_dict()["value"] is None
    assert AmountOutcome.from_dict(missing.as_dict()).value is MISSING


# --- over a period -------------------------------------------------------------------------------------------


def test_a_year_is_split_where_the_rate_changes_and_the_parts_summed():
    tree = {"mul": [{"fact": "lease.rent_paid"}, {"param": "rate"}], "label": "按实付租金"}
    asked = []

    def facts_for_part(start, end):
        asked.append((start, end))
        return {"lease.rent_paid": 60_000_100 if start.month == 1 else 60_000_300}  # 600,001 元, 600,003 元

    outcome = amount_over_period(tree, facts_for_part, CATALOGUE, PARAMETERS, D(2025, 1, 1), D(2025, 12, 31))
    assert asked == [(D(2025, 1, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 12, 31))]
    # 50% of 600,001.00 = 300,000.50 元; 40% of 600,003.00 = 240,001.20 元
    assert [(part["start"], part["end"], part["value"]) for part in outcome.parts] == [
        ("2025-01-01", "2025-06-30", 30_000_050), ("2025-07-01", "2025-12-31", 24_000_120)]
    assert outcome.value == 54_000_170
    assert outcome.sentence == (
        "2025年1月1日至2025年6月30日：按实付租金：600,001 元 × 50% = 300,000.50 元。"
        "2025年7月1日至2025年12月31日：按实付租金：600,003 元 × 40% = 240,001.20 元。两段合计 540,001.70 元")
    assert [step["value"] for step in outcome.steps] == [30_000_050, 24_000_120]

    def columns_for_part(start, end):
        rent = 60_000_100 if start.month == 1 else 60_000_300
        return {"lease.rent_paid": (np.array([rent, rent, 7]), np.array([True, True, start.month == 1]))}

    values, present = amount_over_period_columns(tree, columns_for_part, CATALOGUE, PARAMETERS,
                                                 D(2025, 1, 1), D(2025, 12, 31))
    assert values.tolist()[:2] == [54_000_170, 54_000_170] and present.tolist() == [True, True, False]


def test_a_period_without_a_change_is_one_part_and_a_missing_part_makes_the_sum_missing():
    one = amount_over_period(RENT_SUBSIDY, lambda start, end: FACTS, CATALOGUE, PARAMETERS,
                             D(2024, 1, 1), D(2024, 12, 31))
    assert one.value == 36_000_000 and len(one.parts) == 1
    assert one.steps == evaluate_amount(RENT_SUBSIDY, FACTS, CATALOGUE, PARAMETERS, D(2024, 1, 1)).steps

    def facts_for_part(start, end):
        return FACTS if start.month == 1 else {"lease.area": 100_000}

    split = amount_over_period(RENT_SUBSIDY, facts_for_part, CATALOGUE, PARAMETERS, D(2025, 1, 1), D(2025, 12, 31))
    assert split.value is MISSING and [part["value"] for part in split.parts] == [36_000_000, None]
    assert split.reasons == ["2025年7月1日至2025年12月31日：实付租金数据缺失"]
    assert split.sentence.endswith("2025年7月1日至2025年12月31日：金额无法计算：实付租金数据缺失。两段合计无法计算")
    # a parameter the tree does not use does not split it
    only_area = amount_over_period(BY_AREA, lambda start, end: FACTS, CATALOGUE, PARAMETERS,
                                   D(2025, 1, 1), D(2025, 12, 31))
    assert len(only_area.parts) == 1 and only_area.value == 36_000_000


# --- content hash --------------------------------------------------------------------------------------------


def test_the_content_hash_changes_with_the_amount_tree():
    conditions = {"all": [{"fact": "enterprise.high_tech", "op": "eq", "value": True}]}
    first = amount_content_hash(conditions=conditions, amount=RENT_SUBSIDY, parameters=PARAMETERS,
                                annual_cap="annual_cap")
    assert first == content_hash({"conditions": conditions, "amount": RENT_SUBSIDY,
                                  "parameters": PARAMETERS.to_json(), "annual_cap": "annual_cap"})
    assert first == amount_content_hash(conditions=conditions, amount=RENT_SUBSIDY,
                                        parameters=ParameterSet.from_json(PARAMETERS.to_json()),
                                        annual_cap="annual_cap")
    assert first != amount_content_hash(conditions=conditions, amount=RENT_SUBSIDY_ROUNDED, parameters=PARAMETERS,
                                        annual_cap="annual_cap")
    relabelled = {"min": [RENT_SUBSIDY["min"][0], {**BY_AREA, "label": "按面积"}]}
    assert first != amount_content_hash(conditions=conditions, amount=relabelled, parameters=PARAMETERS,
                                        annual_cap="annual_cap")
    assert first != amount_content_hash(conditions=conditions, amount=RENT_SUBSIDY, parameters=PARAMETERS,
                                        annual_cap=None)
    assert len(amount_content_hash(conditions={}, amount={}, on=D(2025, 1, 1))) == 64
