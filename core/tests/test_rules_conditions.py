"""Condition trees: checking them, explaining a decision leaf by leaf, missing data, dated parameters."""

import datetime
import hashlib
import json

import pytest

from core.rules import (
    MISSING,
    Catalogue,
    Fact,
    FactType,
    InvalidTree,
    Outcome,
    Parameter,
    ParameterSet,
    ParameterUndefined,
    content_hash,
    evaluate,
    facts_used,
    leaves,
    operator_choices,
    parameters_used,
    split_period,
    validate,
)

D = datetime.date
CATALOGUE = Catalogue([
    Fact("subject.incubatee_count", FactType.COUNT, "在孵企业", "家"),
    Fact("subject.incubation_area", FactType.AREA, "孵化场地面积"),
    Fact("subject.leased_area", FactType.AREA, "租赁面积"),
    Fact("subject.incubatee_area_share", FactType.SHARE, "在孵企业占用面积比例"),
    Fact("subject.operating_years", FactType.COUNT, "运营年限", "年"),
    Fact("subject.fund_size", FactType.MONEY, "孵化资金", source="supplied"),
    Fact("enterprise.industry_code", FactType.CODE, "行业代码"),
    Fact("enterprise.high_tech", FactType.BOOL, "是否国家高新技术企业"),
    Fact("enterprise.listed", FactType.BOOL, "是否上市"),
    Fact("enterprise.registered_on", FactType.DATE, "注册日期"),
    Fact("enterprise.incubatees_per_1000m2", FactType.RATIO, "每千平方米在孵企业", "家"),
])
PARAMETERS = ParameterSet.from_json({
    "min_incubatees": {"type": "count", "label": "在孵企业数量下限",
                       "values": [["2018-12-01", 50], ["2025-07-01", 40]]},
    "max_leased_area": {"type": "area", "label": "租赁面积上限", "values": [["2024-01-01", 100_000]]},
    "min_fund": {"type": "money", "label": "孵化资金下限", "values": [["2018-12-01", 500_000_000]]},
})


def leaf(fact, op, value=None, **extra):
    node = {"fact": fact, "op": op, **extra}
    if value is not None:
        node["value"] = value
    return node


def sentences(tree, facts, **kwargs):
    return [item.sentence for item in evaluate(tree, facts, CATALOGUE, **kwargs).leaves]


# --- sentences ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("node", "value", "expected"), [
    (leaf("subject.incubatee_count", "ge", 50), 42, "在孵企业 42 家，低于要求的 50 家"),
    (leaf("subject.incubatee_count", "ge", 50), 60, "在孵企业 60 家，达到要求的 50 家"),
    (leaf("subject.incubation_area", "ge", 1_000_000), 1_200_000, "孵化场地面积 12,000 ㎡，达到要求的 10,000 ㎡"),
    (leaf("subject.incubatee_area_share", "ge", 7500), 7000, "在孵企业占用面积比例 70%，低于要求的 75%"),
    (leaf("subject.operating_years", "ge", 3), MISSING, "运营年限：数据缺失"),
    (leaf("subject.leased_area", "le", 100_000), 120_000, "租赁面积 1,200 ㎡，超过上限 1,000 ㎡"),
    (leaf("subject.leased_area", "le", 100_000), 80_050, "租赁面积 800.50 ㎡，未超过上限 1,000 ㎡"),
    (leaf("subject.leased_area", "lt", 100_000), 100_000, "租赁面积 1,000 ㎡，要求低于 1,000 ㎡"),
    (leaf("subject.fund_size", "gt", 500_000_000), 500_000_001, "孵化资金 5,000,000.01 元，超过要求的 5,000,000 元"),
    (leaf("subject.incubatee_count", "between", [20, 50]), 51, "在孵企业 51 家，不在要求的 20 家 至 50 家 之间"),
    (leaf("subject.incubatee_count", "between", [20, 50]), 20, "在孵企业 20 家，在要求的 20 家 至 50 家 之间"),
    (leaf("enterprise.industry_code", "in", ["6511", "6512"]), "6511", "行业代码 6511，属于 6511、6512"),
    (leaf("enterprise.industry_code", "in", ["6511", "6512"]), "7210", "行业代码 7210，不属于 6511、6512"),
    (leaf("enterprise.industry_code", "not_in", ["7210"]), "7210", "行业代码 7210，属于排除的 7210"),
    (leaf("enterprise.high_tech", "eq", True), True, "是否国家高新技术企业：是，符合要求的“是”"),
    (leaf("enterprise.high_tech", "eq", True), False, "是否国家高新技术企业：否，不符合要求的“是”"),
    (leaf("enterprise.listed", "ne", True), True, "是否上市：是，要求不为“是”"),
    (leaf("enterprise.listed", "ne", True), False, "是否上市：否，不为“是”，符合要求"),
    (leaf("subject.leased_area", "lt", 100_000), 99_999, "租赁面积 999.99 ㎡，低于 1,000 ㎡，符合要求"),
    (leaf("subject.incubatee_count", "eq", 42), 42, "在孵企业：42 家，符合要求的“42 家”"),
    (leaf("enterprise.industry_code", "not_in", ["7210"]), "6511", "行业代码 6511，不属于排除的 7210"),
    (leaf("enterprise.registered_on", "ge", "2021-01-01"), D(2021, 6, 21),
     "注册日期 2021年6月21日，达到要求的 2021年1月1日"),
    (leaf("enterprise.incubatees_per_1000m2", "ge", 300), 350, "每千平方米在孵企业 3.5 家，达到要求的 3 家"),
    (leaf("subject.operating_years", "missing"), MISSING, "运营年限：数据缺失，符合条件"),
    (leaf("subject.operating_years", "missing"), 4, "运营年限：已有数据（4 年），不符合“数据缺失”的条件"),
    (leaf("subject.incubatee_count", "ge", 50, label="在孵企业数量"), 42, "在孵企业数量 42 家，低于要求的 50 家"),
])
def test_one_sentence_per_leaf(node, value, expected):
    assert sentences(node, {node["fact"]: value}) == [expected]


def test_a_long_list_is_cut_short_in_the_sentence():
    codes = [f"65{n:02d}" for n in range(20)]
    (text,) = sentences(leaf("enterprise.industry_code", "in", codes), {"enterprise.industry_code": "7210"})
    assert text == "行业代码 7210，不属于 6500、6501、6502、6503、6504、6505、6506、6507、6508、6509 等 20 项"


# --- evaluation and missing data ---------------------------------------------------------------------------


def test_every_failure_is_reported_no_short_circuit():
    tree = {"all": [leaf("subject.incubatee_count", "ge", 50), leaf("subject.incubation_area", "ge", 1_000_000),
                    {"any": [leaf("enterprise.high_tech", "eq", True), leaf("subject.fund_size", "ge", 100)]}]}
    outcome = evaluate(tree, {"subject.incubatee_count": 10, "subject.incubation_area": 5,
                              "enterprise.high_tech": True, "subject.fund_size": 0}, CATALOGUE)
    assert not outcome.passed
    assert [item.path for item in outcome.leaves] == ["1", "2", "3.1", "3.2"]
    assert [item.path for item in outcome.failed] == ["1", "2", "3.2"]
    assert outcome.tree["all"][2]["passed"] is True
    assert outcome.tree["passed"] is False and outcome.tree["all"][0]["passed"] is False


def test_missing_data_fails_with_its_reason_and_is_never_zero():
    tree = leaf("subject.incubatee_count", "le", 10)  # 0 would pass
    for facts in ({}, {"subject.incubatee_count": MISSING}):
        outcome = evaluate(tree, facts, CATALOGUE)
        assert not outcome.passed
        (item,) = outcome.leaves
        assert item.missing and item.reason == "数据缺失" and item.value is MISSING and not item.passed
    assert evaluate(tree, {"subject.incubatee_count": 0}, CATALOGUE).passed


def test_not_of_a_missing_fact_does_not_pass():
    not_listed = {"not": leaf("enterprise.listed", "eq", True)}
    assert evaluate(not_listed, {"enterprise.listed": False}, CATALOGUE).passed
    assert not evaluate(not_listed, {"enterprise.listed": True}, CATALOGUE).passed
    outcome = evaluate(not_listed, {}, CATALOGUE)
    assert not outcome.passed
    assert outcome.tree["unknown"] is True and outcome.leaves[0].reason == "数据缺失"
    double = {"not": not_listed}
    assert not evaluate(double, {}, CATALOGUE).passed


def test_missing_data_under_any_and_all():
    a, b = leaf("subject.incubatee_count", "ge", 50), leaf("enterprise.high_tech", "eq", True)
    # another alternative that holds still passes
    assert evaluate({"any": [a, b]}, {"enterprise.high_tech": True}, CATALOGUE).passed
    # unknown or false is not true; and negating it does not make it true
    assert not evaluate({"any": [a, b]}, {"enterprise.high_tech": False}, CATALOGUE).passed
    assert not evaluate({"not": {"any": [a, b]}}, {"enterprise.high_tech": False}, CATALOGUE).passed
    # a false child decides an all whatever is missing, so its negation passes
    assert evaluate({"not": {"all": [a, b]}}, {"enterprise.high_tech": False}, CATALOGUE).passed
    assert not evaluate({"not": {"all": [a, b]}}, {"enterprise.high_tech": True}, CATALOGUE).passed


def test_the_missing_operator_is_the_only_one_that_passes_on_missing_data():
    tree = {"any": [leaf("subject.operating_years", "missing"), leaf("subject.operating_years", "ge", 3)]}
    assert evaluate(tree, {}, CATALOGUE).passed
    assert not evaluate(tree, {"subject.operating_years": 2}, CATALOGUE).passed
    assert evaluate(tree, {"subject.operating_years": 3}, CATALOGUE).passed
    outcome = evaluate(leaf("subject.operating_years", "missing"), {}, CATALOGUE)
    assert outcome.leaves[0].missing and outcome.leaves[0].reason == ""


def test_a_value_of_the_wrong_type_or_none_is_refused_not_guessed():
    with pytest.raises(TypeError, match="MISSING"):
        evaluate(leaf("subject.incubatee_count", "ge", 50), {"subject.incubatee_count": None}, CATALOGUE)
    with pytest.raises(TypeError):
        evaluate(leaf("subject.incubation_area", "ge", 5), {"subject.incubation_area": 1.5}, CATALOGUE)
    with pytest.raises(TypeError):
        evaluate(leaf("enterprise.high_tech", "eq", True), {"enterprise.high_tech": 1}, CATALOGUE)


def test_an_outcome_survives_json_and_back():
    tree = {"all": [leaf("subject.incubatee_count", "ge", {"param": "min_incubatees"}),
                    leaf("enterprise.registered_on", "between", ["2020-01-01", "2024-12-31"]),
                    leaf("enterprise.industry_code", "in", ["6511"]), leaf("subject.fund_size", "missing"),
                    {"not": leaf("enterprise.listed", "eq", True, note="[assume] 无公开来源")}]}
    outcome = evaluate(tree, {"subject.incubatee_count": 42, "enterprise.registered_on": D(2021, 6, 21),
                              "enterprise.industry_code": "6511"}, CATALOGUE, PARAMETERS, on=D(2025, 1, 1))
    stored = json.loads(json.dumps(outcome.as_dict(), ensure_ascii=False))
    again = Outcome.from_dict(stored)
    assert again == outcome
    assert again.leaves[0].params == ("min_incubatees",) and again.leaves[0].threshold == 50
    assert again.leaves[1].threshold == (D(2020, 1, 1), D(2024, 12, 31))
    assert again.leaves[4].value is MISSING and again.leaves[4].note == "[assume] 无公开来源"
    assert stored["tree"]["all"][4]["not"]["sentence"] == "是否上市：数据缺失"


# --- parameters --------------------------------------------------------------------------------------------


def test_a_parameter_takes_the_value_of_the_day():
    parameter = PARAMETERS["min_incubatees"]
    assert parameter.value_on(D(2018, 12, 1)) == 50
    assert parameter.value_on(D(2025, 6, 30)) == 50
    assert parameter.value_on(D(2025, 7, 1)) == 40
    with pytest.raises(ParameterUndefined) as raised:
        parameter.value_on(D(2018, 11, 30))
    assert str(raised.value) == "参数“在孵企业数量下限”（min_incubatees）自 2018-12-01 起才有规定的值，2018-11-30 没有可用的值"


def test_a_decision_reads_parameters_on_its_day():
    tree = leaf("subject.incubatee_count", "ge", {"param": "min_incubatees"})
    facts = {"subject.incubatee_count": 45}
    assert not evaluate(tree, facts, CATALOGUE, PARAMETERS, on=D(2025, 6, 30)).passed
    outcome = evaluate(tree, facts, CATALOGUE, PARAMETERS, on=D(2025, 7, 1))
    assert outcome.passed and outcome.leaves[0].sentence == "在孵企业 45 家，达到要求的 40 家"
    with pytest.raises(ParameterUndefined):
        evaluate(tree, facts, CATALOGUE, PARAMETERS, on=D(2017, 1, 1))
    with pytest.raises(ValueError, match="on="):
        evaluate(tree, facts, CATALOGUE, PARAMETERS)


def test_a_bound_of_between_may_be_a_parameter():
    tree = leaf("subject.leased_area", "between", [10_000, {"param": "max_leased_area"}])
    assert validate(tree, CATALOGUE, PARAMETERS) == []
    outcome = evaluate(tree, {"subject.leased_area": 100_001}, CATALOGUE, PARAMETERS, on=D(2024, 1, 1))
    assert not outcome.passed and outcome.leaves[0].threshold == (10_000, 100_000)
    assert outcome.leaves[0].sentence == "租赁面积 1,000.01 ㎡，不在要求的 100 ㎡ 至 1,000 ㎡ 之间"
    with pytest.raises(ParameterUndefined):
        evaluate(tree, {"subject.leased_area": 1}, CATALOGUE, PARAMETERS, on=D(2023, 12, 31))


def test_a_period_is_split_at_each_change():
    parameters = [PARAMETERS["min_incubatees"], PARAMETERS["max_leased_area"]]
    assert split_period(D(2025, 1, 1), D(2025, 12, 31), parameters) == [
        (D(2025, 1, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 12, 31))]
    assert split_period(D(2023, 7, 1), D(2025, 12, 31), PARAMETERS) == [
        (D(2023, 7, 1), D(2023, 12, 31)), (D(2024, 1, 1), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 12, 31))]
    # a change on the first day cuts nothing; one the day after the end neither
    assert split_period(D(2025, 7, 1), D(2025, 7, 31), parameters) == [(D(2025, 7, 1), D(2025, 7, 31))]
    assert split_period(D(2025, 6, 1), D(2025, 6, 30), parameters) == [(D(2025, 6, 1), D(2025, 6, 30))]
    assert split_period(D(2025, 6, 30), D(2025, 7, 1), parameters) == [
        (D(2025, 6, 30), D(2025, 6, 30)), (D(2025, 7, 1), D(2025, 7, 1))]
    assert PARAMETERS["min_incubatees"].change_dates_within(D(2018, 1, 1), D(2030, 1, 1)) == [
        D(2018, 12, 1), D(2025, 7, 1)]
    with pytest.raises(ValueError):
        split_period(D(2025, 2, 1), D(2025, 1, 1), parameters)


def test_parameter_sets_from_json_and_back():
    assert ParameterSet.from_json(json.dumps(PARAMETERS.to_json())).to_json() == PARAMETERS.to_json()
    for bad in ({"p": {"type": "count", "values": [["2025-01-01", "50"]]}},
                {"p": {"type": "count", "values": [["2025-02-01", 1], ["2025-01-01", 2]]}},
                {"p": {"type": "volume", "values": [["2025-01-01", 1]]}},
                {"p": {"type": "count", "values": []}},
                {"p": {"type": "date", "values": [["2025-01-01", "someday"]]}}):
        with pytest.raises(ValueError, match="parameter p"):
            ParameterSet.from_json(bad)
    with pytest.raises(TypeError):
        Parameter("p", FactType.COUNT, "p", ((D(2025, 1, 1), True),))


# --- validation --------------------------------------------------------------------------------------------


def test_validate_names_the_node_of_each_error_in_chinese():
    tree = {"all": [
        leaf("subject.incubatee_count", "ge", 50),
        {"any": [
            leaf("subject.xxx", "ge", 1),
            leaf("enterprise.high_tech", "ge", 1),
            leaf("subject.incubatee_count", "ge", "五十"),
            leaf("subject.incubatee_count", "between", [50, 20]),
            leaf("subject.incubatee_count", "between", 50),
            leaf("subject.incubatee_count", "ge", {"param": "nope"}),
            leaf("subject.incubatee_count", "ge", {"param": "min_fund"}),
            leaf("subject.incubatee_count", "about", 3),
            leaf("subject.incubatee_count", "missing", 3),
            leaf("enterprise.industry_code", "in", []),
            leaf("enterprise.registered_on", "ge", "2025-02-30"),
            {"fact": "subject.incubatee_count", "op": "ge"},
        ]},
        {"not": {"all": []}},
        "x",
        {"all": [leaf("enterprise.listed", "eq", True)], "extra": 1},
    ]}
    assert validate(tree, CATALOGUE, PARAMETERS) == [
        "条件 2.1：未知的指标 subject.xxx",
        "条件 2.2：指标“是否国家高新技术企业”（是否）不能使用运算“不少于”",
        "条件 2.3：比较值 \"五十\" 不是指标“在孵企业”的类型（数量，整数）",
        "条件 2.4：下限大于上限",
        "条件 2.5：运算“介于”需要两个值 [下限, 上限]",
        "条件 2.6：未知的参数 nope",
        "条件 2.7：参数“孵化资金下限”是金额，指标“在孵企业”是数量，类型不符",
        "条件 2.8：未知的运算 about",
        "条件 2.9：运算“数据缺失”不取比较值",
        "条件 2.10：运算“属于”需要一个非空的值列表",
        "条件 2.11：比较值 \"2025-02-30\" 不是指标“注册日期”的类型（日期，写作 YYYY-MM-DD）",
        "条件 2.12：运算“不少于”需要比较值",
        "条件 3.1：“全部满足”需要至少一个条件的列表",
        "条件 4：应为一个条件（JSON 对象）",
        "条件 5：不认识的键 extra",
    ]


def test_validate_without_parameters_and_at_the_root():
    assert validate(leaf("subject.incubatee_count", "ge", {"param": "min_incubatees"}), CATALOGUE) == [
        "整体条件：引用了参数 min_incubatees，但没有提供参数表"]
    assert validate({"all": [leaf("subject.incubatee_count", "ge", 1)] * 65}, CATALOGUE) == [
        "整体条件：比较条件不能超过 64 个（现有 65 个）"]
    assert validate(leaf("subject.incubatee_count", "ge", True), CATALOGUE) == [
        "整体条件：比较值 true 不是指标“在孵企业”的类型（数量，整数）"]
    assert validate(leaf("subject.fund_size", "ge", 2**63), CATALOGUE) == [
        f"整体条件：比较值 {2**63} 超出可比较的范围（绝对值不超过 {2**63 - 1}）"]
    assert validate(leaf("subject.incubatee_count", "ge", 50), CATALOGUE) == []
    with pytest.raises(InvalidTree) as raised:
        evaluate({"any": [leaf("subject.xxx", "eq", 1)]}, {}, CATALOGUE)
    assert raised.value.errors == ["条件 1：未知的指标 subject.xxx"]


def test_leaves_facts_and_parameters_used():
    tree = {"all": [leaf("subject.incubatee_count", "ge", {"param": "min_incubatees"}),
                    {"not": {"any": [leaf("enterprise.listed", "eq", True), leaf("subject.fund_size", "ge", 1)]}},
                    leaf("subject.incubatee_count", "le", 500)]}
    assert [path for path, _ in leaves(tree)] == ["1", "2.1.1", "2.1.2", "3"]
    assert facts_used(tree) == {"subject.incubatee_count", "enterprise.listed", "subject.fund_size"}
    assert parameters_used(tree) == {"min_incubatees"}
    assert leaves(leaf("subject.fund_size", "missing")) == [("", leaf("subject.fund_size", "missing"))]


def test_content_hash_is_of_canonical_json():
    a = {"all": [leaf("subject.incubatee_count", "ge", 50, label="在孵企业")]}
    b = json.loads('{"all":[{"label":"在孵企业","value":50,"op":"ge","fact":"subject.incubatee_count"}]}')
    assert content_hash(a) == content_hash(b)
    assert content_hash(a) != content_hash({"all": [leaf("subject.incubatee_count", "ge", 51, label="在孵企业")]})
    # keys sorted, no spaces, characters not escaped, UTF-8
    assert content_hash({"b": [1, 2], "a": "孵化"}) == hashlib.sha256('{"a":"孵化","b":[1,2]}'.encode()).hexdigest()


def test_catalogue_declares_and_offers_its_facts():
    assert "subject.fund_size" in CATALOGUE and "subject.nothing" not in CATALOGUE
    assert CATALOGUE.get("subject.fund_size").source == "supplied"
    assert [fact.name for fact in CATALOGUE.by_type(FactType.BOOL)] == ["enterprise.high_tech", "enterprise.listed"]
    assert CATALOGUE.choices()[0] == ("subject.incubatee_count", "在孵企业")
    assert len(list(CATALOGUE)) == len(CATALOGUE) == 11
    with pytest.raises(ValueError):
        CATALOGUE.add(Fact("subject.fund_size", FactType.MONEY, "又一个"))
    with pytest.raises(ValueError):
        Fact("FundSize", FactType.MONEY, "孵化资金")
    with pytest.raises(ValueError):
        Fact("subject.x", FactType.MONEY, "x", source="guessed")
    assert ("in", "属于") in operator_choices(FactType.CODE) and ("ge", "不少于") not in operator_choices(FactType.CODE)
    assert ("ge", "不少于") in operator_choices(FactType.DATE) and ("in", "属于") not in operator_choices(FactType.BOOL)
