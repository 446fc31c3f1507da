"""The guidance fund's measures (finance/measures.py): leverage, the reinvestment ratio, the share caps at, just
under and one fen over, which investments count as local around each boundary day, and MISSING and wrong types.
Every expected value is worked out by hand in its table."""

import datetime
from decimal import Decimal

import pytest

from core.rules.types import MISSING
from finance.measures import (
    Investment,
    ShareBreach,
    counts_as_local,
    leverage,
    reinvestment_ratio,
    required_ratio_met,
    share_checks,
    verified_local_total,
)

YUAN = 100  # fen
DAY = datetime.date(2024, 6, 15)
BEFORE, AFTER = datetime.date(2024, 6, 14), datetime.date(2024, 6, 16)
YEAR_LEASE = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))


# --- leverage -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("size", "commitment", "hundredths"), [
    (450_000_000 * YUAN, 100_000_000 * YUAN, 450),  # the reported 4.5×
    (7, 2, 350),  # 3.50×
    (2, 3, 67),  # 0.666… → 0.67
    (1, 8, 13),  # 0.125 → 0.13, half-up (half to even would give 0.12)
    (1, 200, 1),  # 0.005 → 0.01
    (1, 201, 0),  # 0.004975… → 0.00
    (0, 5, 0),
    (5, 5, 100),
    (45_000_000_001, 10_000_000_000, 450),  # 4.5000000001× shows as 4.50×
])
def test_leverage_is_fund_size_over_commitment_in_hundredths_half_up(size, commitment, hundredths):
    assert leverage(size, commitment) == hundredths


@pytest.mark.parametrize(("size", "commitment"), [(5, 0), (0, 0), (MISSING, 5), (5, MISSING), (MISSING, MISSING)])
def test_leverage_with_no_commitment_or_a_missing_figure_is_missing(size, commitment):
    assert leverage(size, commitment) is MISSING


# --- reinvestment ratio ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("local", "commitment", "bp"), [
    (2, 3, 6667),  # 66.666…% → 66.67%
    (1, 3, 3333),
    (150_000_000 * YUAN, 100_000_000 * YUAN, 15000),  # 1.5×
    (100_000_000 * YUAN, 100_000_000 * YUAN, 10000),
    (1, 20_000, 1),  # 0.5 bp → 1
    (1, 20_001, 0),
    (0, 7, 0),
])
def test_reinvestment_ratio_is_local_investment_over_commitment_in_basis_points(local, commitment, bp):
    assert reinvestment_ratio(local, commitment) == bp


@pytest.mark.parametrize(("local", "commitment"), [(5, 0), (0, 0), (MISSING, 5), (5, MISSING)])
def test_reinvestment_ratio_with_no_commitment_or_a_missing_figure_is_missing(local, commitment):
    assert reinvestment_ratio(local, commitment) is MISSING


# --- share caps ------------------------------------------------------------------------------------------------

FUND = 1_000_000_000  # fen: a sub-fund of 10,000,000 元
INNOVATION, EMERGING, PUBLIC = 3000, 2500, 7000


@pytest.mark.parametrize(("guidance", "other_public", "guidance_cap", "breaches"), [
    # innovation fund, guidance share ≤ 30%
    (300_000_000, 0, INNOVATION, []),  # exactly 30%
    (299_999_999, 0, INNOVATION, []),  # a fen under
    (300_000_001, 0, INNOVATION, [ShareBreach("guidance_share", 3000, 3000)]),  # a fen over, shown as 30.00%
    (310_000_000, 0, INNOVATION, [ShareBreach("guidance_share", 3100, 3000)]),
    # emerging-industry fund, guidance share ≤ 25%
    (250_000_000, 0, EMERGING, []),
    (250_000_001, 0, EMERGING, [ShareBreach("guidance_share", 2500, 2500)]),
    (300_000_000, 0, EMERGING, [ShareBreach("guidance_share", 3000, 2500)]),
    # all public money (guidance + other public) ≤ 70%
    (300_000_000, 400_000_000, INNOVATION, []),  # exactly 70%
    (300_000_000, 399_999_999, INNOVATION, []),
    (300_000_000, 400_000_001, INNOVATION, [ShareBreach("public_share", 7000, 7000)]),
    (200_000_000, 550_000_000, INNOVATION, [ShareBreach("public_share", 7500, 7000)]),
    # both at once
    (400_000_000, 400_000_000, INNOVATION,
     [ShareBreach("guidance_share", 4000, 3000), ShareBreach("public_share", 8000, 7000)]),
])
def test_share_caps_hold_at_the_cap_and_break_one_fen_over(guidance, other_public, guidance_cap, breaches):
    assert share_checks(fund_size_fen=FUND, guidance_fen=guidance, public_fen=other_public,
                        guidance_cap_bp=guidance_cap, public_cap_bp=PUBLIC) == breaches


@pytest.mark.parametrize(("size", "guidance", "other_public", "breaches"), [
    (3, 1, 0, [ShareBreach("guidance_share", 3333, 3000)]),  # 33.33%: 1 × 10000 > 3000 × 3
    (10, 3, 4, []),  # 30% and 70% exactly
    (0, 0, 0, []),  # an empty fund with no money in it breaches nothing
    (0, 1, 0, [ShareBreach("guidance_share", MISSING, 3000), ShareBreach("public_share", MISSING, 7000)]),
    (0, 0, 1, [ShareBreach("public_share", MISSING, 7000)]),
])
def test_share_caps_on_tiny_and_empty_funds(size, guidance, other_public, breaches):
    assert share_checks(fund_size_fen=size, guidance_fen=guidance, public_fen=other_public,
                        guidance_cap_bp=INNOVATION, public_cap_bp=PUBLIC) == breaches


@pytest.mark.parametrize(("size", "guidance", "other_public"), [
    (MISSING, 1, 1), (10, MISSING, 1), (10, 1, MISSING),
])
def test_share_checks_with_a_missing_amount_is_missing(size, guidance, other_public):
    assert share_checks(fund_size_fen=size, guidance_fen=guidance, public_fen=other_public,
                        guidance_cap_bp=INNOVATION, public_cap_bp=PUBLIC) is MISSING


# --- counts as local -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("registered", "moved_out", "leases", "local"), [
    (datetime.date(2020, 1, 1), None, [YEAR_LEASE], True),
    (DAY, None, [YEAR_LEASE], True),  # registered the same day
    (AFTER, None, [YEAR_LEASE], False),  # registered the day after
    (None, None, [YEAR_LEASE], False),  # never registered in the district
    (datetime.date(2020, 1, 1), AFTER, [YEAR_LEASE], True),  # moves out the day after
    (datetime.date(2020, 1, 1), DAY, [YEAR_LEASE], False),  # moved out the same day
    (datetime.date(2020, 1, 1), BEFORE, [YEAR_LEASE], False),  # moved out the day before
    (datetime.date(2020, 1, 1), None, [(datetime.date(2023, 6, 15), BEFORE)], False),  # lease ended the day before
    (datetime.date(2020, 1, 1), None, [(datetime.date(2023, 6, 15), DAY)], True),  # lease ends that day
    (datetime.date(2020, 1, 1), None, [(DAY, datetime.date(2027, 6, 14))], True),  # lease starts that day
    (datetime.date(2020, 1, 1), None, [(AFTER, datetime.date(2027, 6, 14))], False),  # lease starts the day after
    (datetime.date(2020, 1, 1), None, [(DAY, DAY)], True),  # a one-day lease
    (datetime.date(2020, 1, 1), None, [], False),  # no lease at all
    (datetime.date(2020, 1, 1), None,
     [(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)), (DAY, datetime.date(2025, 6, 14))], True),
    (DAY, DAY, [YEAR_LEASE], False),  # registered and moved out the same day
])
def test_an_investment_is_local_when_registered_and_leasing_in_the_district_that_day(
        registered, moved_out, leases, local):
    assert counts_as_local(invested_on=DAY, registered_in_district_on=registered, moved_out_on=moved_out,
                           lease_periods=leases) is local


def test_lease_periods_may_be_any_iterable():
    leases = (period for period in [YEAR_LEASE])
    assert counts_as_local(invested_on=DAY, registered_in_district_on=BEFORE, moved_out_on=None,
                           lease_periods=leases) is True


@pytest.mark.parametrize(("invested", "registered", "moved_out"), [
    (MISSING, BEFORE, None), (DAY, MISSING, None), (DAY, BEFORE, MISSING),
])
def test_counts_as_local_with_a_missing_date_is_missing(invested, registered, moved_out):
    assert counts_as_local(invested_on=invested, registered_in_district_on=registered, moved_out_on=moved_out,
                           lease_periods=[YEAR_LEASE]) is MISSING


def test_counts_as_local_refuses_a_datetime_for_a_date():
    with pytest.raises(TypeError):
        counts_as_local(invested_on=datetime.datetime(2024, 6, 15, 9, 0), registered_in_district_on=BEFORE,
                        moved_out_on=None, lease_periods=[YEAR_LEASE])


# --- totals ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("investments", "totals"), [
    ([], (0, 0)),
    ([Investment(100, DAY, True), Investment(250, DAY, False), Investment(50, AFTER, True)], (400, 150)),
    ([Investment(250, DAY, False)], (250, 0)),
    ([Investment(100, DAY, True), Investment(MISSING, DAY, False)], (MISSING, 100)),
    ([Investment(100, DAY, True), Investment(MISSING, DAY, True)], (MISSING, MISSING)),
    ([Investment(100, DAY, True), Investment(30, DAY, MISSING)], (130, MISSING)),
])
def test_verified_local_total_sums_all_and_local_investments(investments, totals):
    assert verified_local_total(investments) == totals


# --- required ratio --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("ratio", "required", "met"), [
    (15000, 15000, True),  # exactly the required 1.5×
    (15001, 15000, True),
    (14999, 15000, False),  # one basis point short
    (10000, 10000, True),
    (0, 0, True),
    (MISSING, 10000, False),
    (MISSING, 0, False),
])
def test_required_ratio_is_met_at_or_above_it(ratio, required, met):
    assert required_ratio_met(ratio, required) is met


# --- wrong types and signs -------------------------------------------------------------------------------------

@pytest.mark.parametrize("money", [1.0, Decimal("1"), Decimal("1.50"), True, "100"])
def test_money_that_is_not_an_int_is_refused(money):
    with pytest.raises(TypeError):
        leverage(money, 100)
    with pytest.raises(TypeError):
        leverage(100, money)
    with pytest.raises(TypeError):
        reinvestment_ratio(money, 100)
    with pytest.raises(TypeError):
        share_checks(fund_size_fen=money, guidance_fen=1, public_fen=1, guidance_cap_bp=3000, public_cap_bp=7000)
    with pytest.raises(TypeError):
        share_checks(fund_size_fen=100, guidance_fen=money, public_fen=1, guidance_cap_bp=3000, public_cap_bp=7000)
    with pytest.raises(TypeError):
        share_checks(fund_size_fen=100, guidance_fen=1, public_fen=money, guidance_cap_bp=3000, public_cap_bp=7000)
    with pytest.raises(TypeError):
        Investment(money, DAY, True)
    with pytest.raises(TypeError):
        required_ratio_met(money, 10000)


@pytest.mark.parametrize("threshold", [3000.0, Decimal("3000"), MISSING, None])
def test_thresholds_must_be_given_as_ints(threshold):
    with pytest.raises(TypeError):
        share_checks(fund_size_fen=100, guidance_fen=1, public_fen=1, guidance_cap_bp=threshold, public_cap_bp=7000)
    with pytest.raises(TypeError):
        share_checks(fund_size_fen=100, guidance_fen=1, public_fen=1, guidance_cap_bp=3000, public_cap_bp=threshold)
    with pytest.raises(TypeError):
        required_ratio_met(10000, threshold)


def test_an_investment_s_locality_must_be_a_bool():
    with pytest.raises(TypeError):
        Investment(100, DAY, 1)


def test_negative_money_is_refused():
    with pytest.raises(ValueError):
        leverage(-1, 100)
    with pytest.raises(ValueError):
        reinvestment_ratio(100, -1)
    with pytest.raises(ValueError):
        share_checks(fund_size_fen=100, guidance_fen=-1, public_fen=0, guidance_cap_bp=3000, public_cap_bp=7000)
    with pytest.raises(ValueError):
        Investment(-1, DAY, True)
