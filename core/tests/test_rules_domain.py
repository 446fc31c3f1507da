"""Every certification threshold of DOMAIN.md §2, at its bound, one storage unit below and one above, decided by
both evaluators (国科发区〔2018〕300号 comprehensive and specialised incubators, 深工信规〔2025〕10号, graduates and
incubatees)."""

import numpy as np
import pytest

from core.rules import MISSING, evaluate, evaluate_columns, leaves, validate
from core.tests.rules_domain import BOUNDS, CATALOGUE, PASSING, TREES

# Whether a value one unit below / at / one unit above the bound passes.
EXPECTED = {"ge": (False, True, True), "gt": (False, False, True), "le": (True, True, False)}


def screen(tree, rows):
    """Evaluator B over ``rows`` (dicts of facts; MISSING or absent = missing)."""
    names = {name for row in rows for name in row}
    columns = {}
    for name in names:
        present = np.array([name in row and row[name] is not MISSING for row in rows])
        values = np.array([row[name] if present[i] else 0 for i, row in enumerate(rows)])
        columns[name] = (values, present)
    return evaluate_columns(tree, columns, catalogue=CATALOGUE, rows=len(rows))


@pytest.mark.parametrize("name", sorted(TREES))
def test_each_tree_is_valid_and_the_passing_facts_pass(name):
    assert validate(TREES[name], CATALOGUE) == []
    outcome = evaluate(TREES[name], PASSING[name], CATALOGUE)
    if name == "graduate":  # its baseline meets none of the four conditions
        assert not outcome.passed and len(outcome.failed) == 4
    else:
        assert outcome.passed, [leaf.sentence for leaf in outcome.failed]


@pytest.mark.parametrize(("name", "fact", "op", "bound", "changed"), BOUNDS,
                         ids=[f"{row[0]}-{row[1].split('.')[1]}" for row in BOUNDS])
def test_threshold_at_just_below_and_just_above_its_bound(name, fact, op, bound, changed):
    tree = TREES[name]
    rows = [{**PASSING[name], **changed, fact: bound + step} for step in (-1, 0, 1)]
    decided = [evaluate(tree, row, CATALOGUE) for row in rows]
    assert [outcome.passed for outcome in decided] == list(EXPECTED[op])
    # the leaf on this fact is what changes: the rows that fail it fail exactly one leaf more than those that pass
    # (the alternatives held short in ``changed`` fail in every row)
    failed = [{leaf.fact for leaf in outcome.failed} for outcome in decided]
    passing = [f for f, expected in zip(failed, EXPECTED[op], strict=True) if expected]
    assert all(f == passing[0] for f in passing) and fact not in passing[0]
    assert all(f == passing[0] | {fact} for f, expected in zip(failed, EXPECTED[op], strict=True) if not expected)
    screened = screen(tree, rows)
    assert screened.passed.tolist() == list(EXPECTED[op])
    index = next(i for i, (_, leaf) in enumerate(leaves(tree)) if leaf["fact"] == fact)
    assert [bool(mask >> index & 1) for mask in map(int, screened.failed_leaves)] == [not e for e in EXPECTED[op]]


def test_the_bounds_in_everyday_units():
    """9,999.99 / 10,000.00 / 10,000.01 ㎡; 74.99% / 75% / 75.01%; 49 / 50 / 51 incubatees, read as people write
    them."""
    tree = TREES["national_comprehensive"]
    for fact, values, expected in [
        ("subject.incubation_area", (999_999, 1_000_000, 1_000_001), (
            "孵化场地面积 9,999.99 ㎡，低于要求的 10,000 ㎡", "孵化场地面积 10,000 ㎡，达到要求的 10,000 ㎡",
            "孵化场地面积 10,000.01 ㎡，达到要求的 10,000 ㎡")),
        ("subject.incubatee_area_share", (7499, 7500, 7501), (
            "在孵企业占用面积比例 74.99%，低于要求的 75%", "在孵企业占用面积比例 75%，达到要求的 75%",
            "在孵企业占用面积比例 75.01%，达到要求的 75%")),
        ("subject.incubatee_count", (49, 50, 51), (
            "在孵企业 49 家，低于要求的 50 家", "在孵企业 50 家，达到要求的 50 家", "在孵企业 51 家，达到要求的 50 家")),
        ("subject.fund_size", (499_999_999, 500_000_000, 500_000_001), (
            "孵化资金 4,999,999.99 元，低于要求的 5,000,000 元", "孵化资金 5,000,000 元，达到要求的 5,000,000 元",
            "孵化资金 5,000,000.01 元，达到要求的 5,000,000 元")),
        ("subject.incubatees_per_1000m2", (299, 300, 301), (
            "每千平方米在孵企业 2.99 家，低于要求的 3 家", "每千平方米在孵企业 3 家，达到要求的 3 家",
            "每千平方米在孵企业 3.01 家，达到要求的 3 家")),
    ]:
        sentences = [
            next(leaf.sentence for leaf in evaluate(tree, {**PASSING["national_comprehensive"], fact: value},
                                                     CATALOGUE).leaves if leaf.fact == fact)
            for value in values
        ]
        assert tuple(sentences) == expected


def test_graduate_needs_strictly_more_than_five_million_of_investment():
    tree = TREES["graduate"]
    base = PASSING["graduate"]
    at = evaluate(tree, {**base, "enterprise.cumulative_investment": 500_000_000}, CATALOGUE)
    assert not at.passed
    assert at.leaves[1].sentence == "累计获得天使或风险投资 5,000,000 元，未超过要求的 5,000,000 元"
    assert evaluate(tree, {**base, "enterprise.high_tech": True}, CATALOGUE).passed
    assert evaluate(tree, {**base, "enterprise.acquired_or_listed": True}, CATALOGUE).passed


def test_an_incubatee_staying_longer_than_48_months_reads_as_over_the_limit():
    outcome = evaluate(TREES["incubatee"], {**PASSING["incubatee"], "enterprise.months_incubated": 49}, CATALOGUE)
    assert not outcome.passed
    assert outcome.failed[0].sentence == "在孵月数 49 个月，超过上限 48 个月"


def test_a_missing_criterion_fails_the_whole_certification_with_its_reason():
    facts = dict(PASSING["national_comprehensive"])
    del facts["subject.operating_years"]
    outcome = evaluate(TREES["national_comprehensive"], facts, CATALOGUE)
    assert not outcome.passed
    assert [(leaf.fact, leaf.reason, leaf.sentence) for leaf in outcome.failed] == [
        ("subject.operating_years", "数据缺失", "运营年限：数据缺失")]
