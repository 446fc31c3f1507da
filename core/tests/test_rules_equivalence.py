"""The screening evaluator (B, numpy) decides exactly as the explaining evaluator (A): on random trees over every
type and operator, with facts on and around the thresholds and missing ones, both give the same pass or fail and
the same failed leaves for every row. Derandomised, so that CI sees the same examples on every run."""

import datetime

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.rules import (
    MISSING,
    OPERATORS,
    Catalogue,
    Fact,
    FactType,
    ParameterSet,
    date_column,
    evaluate,
    evaluate_columns,
    validate,
)

D = datetime.date
CATALOGUE = Catalogue([
    Fact("t.area", FactType.AREA, "面积"),
    Fact("t.share", FactType.SHARE, "比例"),
    Fact("t.count", FactType.COUNT, "数量", "家"),
    Fact("t.other_count", FactType.COUNT, "另一数量", "人"),
    Fact("t.ratio", FactType.RATIO, "比率"),
    Fact("t.money", FactType.MONEY, "金额"),
    Fact("t.date", FactType.DATE, "日期"),
    Fact("t.code", FactType.CODE, "代码"),
    Fact("t.flag", FactType.BOOL, "标志"),
])
PARAMETERS = ParameterSet.from_json({
    "min_count": {"type": "count", "label": "数量下限", "values": [["2020-01-01", 50], ["2025-07-01", 40]]},
    "max_area": {"type": "area", "label": "面积上限", "values": [["2020-01-01", 1_000_000]]},
})
DAYS = [D(2021, 6, 20), D(2021, 6, 21), D(2021, 6, 22), D(2018, 12, 1)]
POOLS = {
    FactType.AREA: [-1, 0, 1, 999_999, 1_000_000, 1_000_001],
    FactType.SHARE: [0, 7499, 7500, 7501, 10_000],
    FactType.COUNT: [0, 39, 40, 41, 49, 50, 51],
    FactType.RATIO: [0, 299, 300, 301],
    FactType.MONEY: [0, 499_999_999, 500_000_000, 500_000_001],
    FactType.DATE: DAYS,
    FactType.CODE: ["6511", "6512", "7210", ""],
    FactType.BOOL: [True, False],
}
PARAMS_BY_TYPE = {FactType.COUNT: ["min_count"], FactType.AREA: ["max_area"]}


def value_strategy(fact_type):
    pool = st.sampled_from(POOLS[fact_type])
    if fact_type in (FactType.AREA, FactType.SHARE, FactType.COUNT, FactType.RATIO, FactType.MONEY):
        return st.one_of(pool, st.integers(-10, 2_000_000))
    return pool


def as_json(value):
    return value.isoformat() if isinstance(value, D) else value


@st.composite
def leaf_strategy(draw):
    fact = draw(st.sampled_from(list(CATALOGUE)))
    op = draw(st.sampled_from([op for op in OPERATORS.values() if op.allows(fact.type)]))
    node = {"fact": fact.name, "op": op.code}
    values = value_strategy(fact.type)
    if op.arity == "one":
        params = PARAMS_BY_TYPE.get(fact.type, [])
        if params and draw(st.booleans()):
            node["value"] = {"param": draw(st.sampled_from(params))}
        else:
            node["value"] = as_json(draw(values))
    elif op.arity == "pair":
        low, high = sorted([draw(values), draw(values)])
        node["value"] = [as_json(low), as_json(high)]
        params = PARAMS_BY_TYPE.get(fact.type, [])
        if params and draw(st.booleans()):  # a bound named by a parameter (its order then unchecked)
            node["value"][draw(st.sampled_from([0, 1]))] = {"param": draw(st.sampled_from(params))}
    elif op.arity == "list":
        node["value"] = [as_json(v) for v in draw(st.lists(values, min_size=1, max_size=3))]
    return node


trees = st.recursive(
    leaf_strategy(),
    lambda children: st.one_of(
        st.builds(lambda items: {"all": items}, st.lists(children, min_size=1, max_size=4)),
        st.builds(lambda items: {"any": items}, st.lists(children, min_size=1, max_size=4)),
        st.builds(lambda item: {"not": item}, children),
    ),
    max_leaves=12,
)


@st.composite
def rows_strategy(draw):
    """Rows of (value, present) per fact; an absent value's slot still holds something, which must not count."""
    n = draw(st.integers(1, 8))
    return [{fact.name: (draw(value_strategy(fact.type)), draw(st.booleans()) or draw(st.booleans()))
             for fact in CATALOGUE} for _ in range(n)]


def columns_of(rows):
    columns = {}
    for fact in CATALOGUE:
        values = [row[fact.name][0] for row in rows]
        present = np.array([row[fact.name][1] for row in rows], dtype=bool)
        if fact.type is FactType.DATE:
            array = date_column(values)
        elif fact.type is FactType.CODE:
            array = np.array(values, dtype=str)
        elif fact.type is FactType.BOOL:
            array = np.array(values, dtype=bool)
        else:
            array = np.array(values, dtype=np.int64)
        columns[fact.name] = (array, present)
    return columns


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees, rows=rows_strategy(), on=st.sampled_from([D(2025, 6, 30), D(2025, 7, 1)]))
def test_screening_and_explaining_evaluators_decide_alike(tree, rows, on):
    assert validate(tree, CATALOGUE, PARAMETERS) == []
    screened = evaluate_columns(tree, columns_of(rows), PARAMETERS, on, catalogue=CATALOGUE)
    for i, row in enumerate(rows):
        facts = {name: value if present else MISSING for name, (value, present) in row.items()}
        explained = evaluate(tree, facts, CATALOGUE, PARAMETERS, on=on)
        assert bool(screened.passed[i]) == explained.passed
        failed = [index for index, leaf in enumerate(explained.leaves) if not leaf.passed]
        assert screened.failed_indexes(i) == failed


def test_a_fact_absent_from_the_columns_is_missing_in_every_row():
    tree = {"any": [{"fact": "t.count", "op": "missing"}, {"not": {"fact": "t.flag", "op": "eq", "value": True}}]}
    screened = evaluate_columns(tree, {}, catalogue=CATALOGUE, rows=3)
    assert screened.passed.tolist() == [True, True, True]
    assert screened.failed_leaves.tolist() == [2, 2, 2]
    screened = evaluate_columns({"not": {"fact": "t.flag", "op": "eq", "value": True}},
                                {"t.flag": (np.array([False, True, False]), np.array([True, True, False]))},
                                catalogue=CATALOGUE)
    assert screened.passed.tolist() == [True, False, False]
