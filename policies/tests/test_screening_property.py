"""Evaluator B (``engine.decide_columns``, numpy) gives exactly evaluator A's decisions (``engine.decide_facts``):
for every demo policy version (policies.demo) and a variant of each whose rates change mid-period, and for this
part's own copies and variants (screening_policies.ALL), on random facts and on facts at and around every threshold the
version names, missing ones included, both say the same eligible / not eligible and the same amount, to the fen.
The period facts (rent paid, months) differ from one part of the period to another where an amount is split.
Derandomised, so that CI sees the same examples on every run."""

import datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.rules import MISSING, FactType, leaves
from core.rules.amounts import amount_parts
from policies import engine
from policies.catalogue import CATALOGUE

from .screening_policies import ALL, Version, demo_and_variants

START, END = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
ON = END
PERIOD_FACTS = ("lease.rent_paid", "lease.months")

WIDE = {
    FactType.MONEY: st.integers(-10**6, 10**11), FactType.AREA: st.integers(-100, 10**7),
    FactType.SHARE: st.integers(-10_000, 20_000), FactType.COUNT: st.integers(-2, 40),
    FactType.RATIO: st.integers(0, 10**4), FactType.BOOL: st.booleans(),
    FactType.DATE: st.dates(datetime.date(2015, 1, 1), datetime.date(2026, 12, 31)),
    FactType.CODE: st.sampled_from(["6511", "7295", "6739", "3811", "tech-building", "syn-building",
                                    "industrial-building", "38", "65", "73", ""]),
}
HISTORY = st.integers(0, 4 * 10**9)


def boundaries(definition) -> dict:
    """Each fact's thresholds in the version (constants and parameter values), with the values beside them."""
    rules = engine.rules_of(Version(definition))
    found: dict[str, set] = {}
    for _path, leaf in leaves(rules.conditions):
        fact_type = CATALOGUE[leaf["fact"]].type
        raw = leaf.get("value")
        items = raw if isinstance(raw, list) else [raw]
        for item in items:
            if isinstance(item, dict) and "param" in item:
                parameter = rules.parameters[item["param"]]
                item = parameter.value_on(ON)
            elif fact_type is FactType.DATE and isinstance(item, str):
                item = datetime.date.fromisoformat(item)
            if item is None:
                continue
            bucket = found.setdefault(leaf["fact"], set())
            bucket.add(item)
            if fact_type is FactType.DATE:
                bucket.update({item - datetime.timedelta(days=1), item + datetime.timedelta(days=1)})
            elif fact_type.is_number:
                bucket.update({item - 1, item + 1})
    return {name: sorted(values, key=repr) for name, values in found.items()}


def fact_strategy(name: str, near: dict):
    """Missing one time in ten, a value at or beside a threshold half the time when the version has one, else
    any value of the type (history: nothing yet, a little, or a lot)."""
    fact_type = CATALOGUE[name].type
    if name.startswith("history."):
        wide = st.one_of(st.just(0), st.integers(0, 6), HISTORY)
    else:
        wide = WIDE[fact_type]
    close = st.sampled_from(near[name]) if name in near else wide

    def pick(k):
        return st.just(MISSING) if k == 0 else close if k <= 5 else wide

    return st.integers(0, 9).flatmap(pick)


def rows_strategy(definition):
    rules = engine.rules_of(Version(definition))
    near = boundaries(definition)
    names = sorted(rules.facts | set(PERIOD_FACTS))
    parts = amount_parts(rules.amount, rules.parameters, START, END)
    row = st.fixed_dictionaries({
        "whole": st.fixed_dictionaries({name: fact_strategy(name, near) for name in names}),
        "parts": st.tuples(*[st.fixed_dictionaries({name: fact_strategy(name, near) for name in PERIOD_FACTS})
                             for _part in parts]),
    })
    return rules, parts, st.lists(row, min_size=1, max_size=25)


DEFINITIONS = {definition["code"]: definition for definition in (*demo_and_variants(), *ALL)}
CASES = [(code, *rows_strategy(definition)) for code, definition in DEFINITIONS.items()]


@pytest.mark.parametrize(("code", "rules", "parts", "rows"), CASES, ids=[case[0] for case in CASES])
def test_both_evaluators_decide_alike(code, rules, parts, rows):
    seen = {True: 0, False: 0}

    @settings(max_examples=120, derandomize=True, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(rows)
    def check(drawn):
        def facts_of(row, part_start, part_end):
            if (part_start, part_end) == (START, END):
                return row["whole"]
            index = parts.index((part_start, part_end))
            return {**row["whole"], **row["parts"][index]}

        names = sorted(set(drawn[0]["whole"]))
        by_part = {part: engine.columns_from_facts([facts_of(row, *part) for row in drawn], names)
                   for part in {(START, END), *parts}}
        eligible, amounts, _failed = engine.decide_columns(rules, lambda s, e: by_part[(s, e)], START, END, ON,
                                                           len(drawn))
        for index, row in enumerate(drawn):
            result = engine.decide_facts(rules, lambda s, e, r=row: facts_of(r, s, e), START, END, ON)
            assert bool(eligible[index]) is result.eligible, (code, row, result.trace["sentences"])
            assert int(amounts[index]) == (result.amount if result.eligible else 0), (code, row)
            seen[result.eligible] += 1
        assert amounts.dtype == np.int64

    check()
    assert seen[True] and seen[False], (code, seen)  # the examples reach both outcomes
