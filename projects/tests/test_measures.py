"""A project's measures (projects/measures.py): the relocation rate, PPP fiscal affordability at, just under and
one fen over each cap, a budget of 0, the refusals for government-pay and user-pays projects, value for money
and present values rounded half-up term by term. Every expected value is worked out by hand in its table."""

from decimal import Decimal

import pytest

from core.rules.types import MISSING
from projects.measures import (
    AffordabilityYear,
    VfmResult,
    add_project_spending,
    affordability,
    affordability_refusals,
    present_value,
    relocation_rate,
    value_for_money,
)

CAP, NEW_CAP = 1000, 500  # 10% and 5% of the budget
BUDGET = 1_000_000  # fen


# --- relocation rate -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("relocated", "to_relocate", "bp"), [
    (96, 100, 9600),  # 华富北's reported 96%
    (1234, 1285, 9603),  # 96.031…%
    (2, 3, 6667),
    (1, 3, 3333),
    (1, 20_000, 1),  # 0.5 bp → 1
    (0, 5, 0),
    (5, 5, 10000),
])
def test_relocation_rate_is_relocated_over_to_relocate_in_basis_points(relocated, to_relocate, bp):
    assert relocation_rate(relocated, to_relocate) == bp


@pytest.mark.parametrize(("relocated", "to_relocate"), [(0, 0), (MISSING, 10), (5, MISSING)])
def test_relocation_rate_with_nothing_to_relocate_or_a_missing_count_is_missing(relocated, to_relocate):
    assert relocation_rate(relocated, to_relocate) is MISSING


@pytest.mark.parametrize(("relocated", "to_relocate", "named"), [
    (101, 100, "relocated"), (1, 0, "relocated"), (-1, 100, "relocated"), (0, -1, "to_relocate"),
])
def test_relocation_rate_refuses_more_relocated_than_to_relocate_or_negatives(relocated, to_relocate, named):
    with pytest.raises(ValueError, match=named):
        relocation_rate(relocated, to_relocate)


# --- affordability ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("spending", "budget", "share", "within", "new_allowed"), [
    (100_000, BUDGET, 1000, True, False),  # exactly 10%
    (99_999, BUDGET, 1000, True, False),  # a fen under 10%
    (100_001, BUDGET, 1000, False, False),  # a fen over 10%, shown as 10.00%
    (50_000, BUDGET, 500, True, True),  # exactly 5%
    (49_999, BUDGET, 500, True, True),
    (50_001, BUDGET, 500, True, False),  # a fen over 5%
    (0, BUDGET, 0, True, True),
    (1, 3, 3333, False, False),  # 33.33%
    (0, 0, MISSING, True, True),  # no budget and no spending
    (1, 0, MISSING, False, False),  # no budget but some spending
])
def test_affordability_compares_spending_with_the_budget_exactly(spending, budget, share, within, new_allowed):
    [year] = affordability({2026: (spending, budget)}, cap_bp=CAP, new_government_pay_cap_bp=NEW_CAP)
    assert year == AffordabilityYear(2026, spending, budget, share, within, new_allowed)


def test_affordability_lists_years_in_order():
    years = {2027: (50_001, BUDGET), 2025: (100_001, BUDGET), 2026: (0, 0)}
    assert affordability(years, cap_bp=CAP, new_government_pay_cap_bp=NEW_CAP) == [
        AffordabilityYear(2025, 100_001, BUDGET, 1000, False, False),
        AffordabilityYear(2026, 0, 0, MISSING, True, True),
        AffordabilityYear(2027, 50_001, BUDGET, 500, True, False),
    ]


@pytest.mark.parametrize(("spending", "budget"), [(MISSING, BUDGET), (100, MISSING)])
def test_a_year_with_a_missing_figure_has_missing_verdicts(spending, budget):
    assert affordability({2026: (spending, budget)}, cap_bp=CAP, new_government_pay_cap_bp=NEW_CAP) == [
        AffordabilityYear(2026, spending, budget, MISSING, MISSING, MISSING)]


# --- a project's spending added to the level's -----------------------------------------------------------------

@pytest.mark.parametrize(("existing", "project", "total"), [
    ({2025: 10, 2026: 20}, {2026: 5, 2027: 7}, {2025: 10, 2026: 25, 2027: 7}),
    ({}, {2026: 5}, {2026: 5}),
    ({2026: 5}, {}, {2026: 5}),
    ({}, {}, {}),
    ({2025: 10, 2026: MISSING}, {2026: 5}, {2025: 10, 2026: MISSING}),
    ({2025: 10}, {2025: MISSING}, {2025: MISSING}),
])
def test_add_project_spending_sums_year_by_year(existing, project, total):
    assert add_project_spending(existing, project) == total


def test_adding_a_project_can_push_a_year_over_the_cap():
    # 95,000 existing + 6,000 from the project = 101,000 of 1,000,000: over 10% (and over 5%).
    spending = add_project_spending({2026: 95_000, 2027: 40_000}, {2026: 6_000, 2027: 6_000})
    years = {year: (amount, BUDGET) for year, amount in spending.items()}
    assert affordability_refusals(years, government_pay=False, cap_bp=CAP, new_government_pay_cap_bp=NEW_CAP) == [
        (2026, "over_cap")]


# --- refusals ---------------------------------------------------------------------------------------------------

YEARS_AFTER = {
    2028: (50_000, BUDGET),  # exactly 5%
    2027: (50_001, BUDGET),  # a fen over 5%
    2026: (100_001, BUDGET),  # a fen over 10%
    2025: (100_000, BUDGET),  # exactly 10%
    2029: (0, 0),  # no budget, no spending
}


@pytest.mark.parametrize(("government_pay", "refusals"), [
    (True, [(2025, "no_new_government_pay"), (2026, "over_cap"), (2026, "no_new_government_pay"),
            (2027, "no_new_government_pay")]),
    (False, [(2026, "over_cap")]),
])
def test_refusals_over_the_cap_and_for_new_government_pay_above_five_percent(government_pay, refusals):
    assert affordability_refusals(YEARS_AFTER, government_pay=government_pay, cap_bp=CAP,
                                  new_government_pay_cap_bp=NEW_CAP) == refusals


@pytest.mark.parametrize(("government_pay", "refusals"), [
    (True, [(2026, "over_cap"), (2026, "no_new_government_pay")]),
    (False, [(2026, "over_cap")]),
])
def test_spending_against_no_budget_is_refused(government_pay, refusals):
    assert affordability_refusals({2026: (1, 0), 2027: (0, 0)}, government_pay=government_pay, cap_bp=CAP,
                                  new_government_pay_cap_bp=NEW_CAP) == refusals


@pytest.mark.parametrize("government_pay", [True, False])
def test_no_refusal_within_both_caps(government_pay):
    assert affordability_refusals({2025: (49_999, BUDGET), 2026: (50_000, BUDGET)}, government_pay=government_pay,
                                  cap_bp=CAP, new_government_pay_cap_bp=NEW_CAP) == []


def test_refusals_with_a_missing_year_are_missing():
    years = {2025: (100_001, BUDGET), 2026: (MISSING, BUDGET)}
    assert affordability_refusals(years, government_pay=True, cap_bp=CAP, new_government_pay_cap_bp=NEW_CAP) \
        is MISSING


# --- value for money -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ppp", "psc", "result"), [
    (900, 1000, VfmResult(True, 100, 1000)),
    (1000, 1000, VfmResult(True, 0, 0)),  # equal passes
    (999, 1000, VfmResult(True, 1, 10)),  # a fen under
    (1001, 1000, VfmResult(False, -1, -10)),  # a fen over
    (1, 3, VfmResult(True, 2, 6667)),
    (5, 3, VfmResult(False, -2, -6667)),  # -66.666…% → -66.67%, half away from zero
    (0, 0, VfmResult(True, 0, MISSING)),
    (5, 0, VfmResult(False, -5, MISSING)),
])
def test_value_for_money_passes_when_ppp_costs_no_more_than_the_comparator(ppp, psc, result):
    assert value_for_money(ppp, psc) == result


@pytest.mark.parametrize(("ppp", "psc"), [(MISSING, 1000), (1000, MISSING)])
def test_value_for_money_with_a_missing_cost_is_missing(ppp, psc):
    assert value_for_money(ppp, psc) is MISSING


# --- present value ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("flows", "rate", "value"), [
    ({}, 450, 0),
    ({0: 1234}, 450, 1234),  # t = 0 is not discounted
    ({0: 100, 1: 100, 2: 100}, 0, 300),
    # 1e8 + 1e8/1.045 (95,693,779.90) + 1e8/1.045² (91,572,995.12) + 1e8/1.045³ (87,629,660.41)
    ({0: 100_000_000, 1: 100_000_000, 2: 100_000_000, 3: 100_000_000}, 450, 374_896_435),
    ({1: 1}, 10000, 1),  # 0.5 → 1, half-up (half to even would give 0)
    ({1: 5}, 10000, 3),  # 2.5 → 3
    ({2: 1}, 10000, 0),  # 0.25 → 0
    ({1: 1, 2: 2}, 10000, 2),  # each term rounded: 0.5 → 1 and 0.5 → 1, not 1.0 → 1
    ({1: 1050}, 500, 1000),
    ({1: -5}, 10000, -3),  # -2.5 → -3, half away from zero
])
def test_present_value_discounts_each_year_and_rounds_each_term_half_up(flows, rate, value):
    assert present_value(flows, rate) == value


def test_present_value_with_a_missing_flow_is_missing():
    assert present_value({0: 100, 1: MISSING}, 450) is MISSING


@pytest.mark.parametrize(("flows", "rate"), [({-1: 100}, 450), ({0: 100}, -10000)])
def test_present_value_refuses_a_negative_year_or_a_rate_of_minus_100_percent(flows, rate):
    with pytest.raises(ValueError):
        present_value(flows, rate)


# --- wrong types and signs -------------------------------------------------------------------------------------

@pytest.mark.parametrize("money", [1.0, Decimal("1"), Decimal("1.50"), True, "100"])
def test_money_that_is_not_an_int_is_refused(money):
    with pytest.raises(TypeError):
        relocation_rate(money, 100)
    with pytest.raises(TypeError):
        relocation_rate(1, money)
    with pytest.raises(TypeError):
        affordability({2026: (money, BUDGET)}, cap_bp=CAP, new_government_pay_cap_bp=NEW_CAP)
    with pytest.raises(TypeError):
        affordability({2026: (1, money)}, cap_bp=CAP, new_government_pay_cap_bp=NEW_CAP)
    with pytest.raises(TypeError):
        add_project_spending({2026: 1}, {2026: money})
    with pytest.raises(TypeError):
        affordability_refusals({2026: (money, BUDGET)}, government_pay=True, cap_bp=CAP,
                               new_government_pay_cap_bp=NEW_CAP)
    with pytest.raises(TypeError):
        value_for_money(money, 100)
    with pytest.raises(TypeError):
        value_for_money(100, money)
    with pytest.raises(TypeError):
        present_value({0: money}, 450)


@pytest.mark.parametrize("threshold", [1000.0, Decimal("1000"), MISSING, None])
def test_caps_and_rates_must_be_given_as_ints(threshold):
    with pytest.raises(TypeError):
        affordability({2026: (1, BUDGET)}, cap_bp=threshold, new_government_pay_cap_bp=NEW_CAP)
    with pytest.raises(TypeError):
        affordability({2026: (1, BUDGET)}, cap_bp=CAP, new_government_pay_cap_bp=threshold)
    with pytest.raises(TypeError):
        present_value({0: 100}, threshold)


def test_negative_money_is_refused():
    with pytest.raises(ValueError):
        affordability({2026: (-1, BUDGET)}, cap_bp=CAP, new_government_pay_cap_bp=NEW_CAP)
    with pytest.raises(ValueError):
        add_project_spending({2026: -1}, {})
    with pytest.raises(ValueError):
        value_for_money(-1, 100)
