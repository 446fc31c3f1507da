"""Table tests of the five demo policies: each threshold at, just below and just above, through the engine's
explaining evaluator (pure: no database). Expected amounts are worked out here from the policy's own numbers."""

import datetime
from types import SimpleNamespace

import pytest

from core.rules import MISSING
from policies import builder, engine
from policies.demo import POLICIES

D = datetime.date
YEAR = (D(2025, 1, 1), D(2025, 12, 31))
YUAN, M2, PERCENT = 100, 100, 100
NONE_AWARDED = {"history.awarded_in_year": 0, "history.awarded_total": 0, "history.years_supported": 0}


def rules(code):
    spec = next(p for p in POLICIES if p["code"] == code)["version"]
    version = SimpleNamespace(conditions=spec["conditions"], amount=spec["amount"], parameters=spec["parameters"],
                              annual_cap=spec.get("annual_cap", ""), cumulative_cap=spec.get("cumulative_cap", ""),
                              max_years=spec.get("max_years"), obligations=spec.get("obligations", []))
    return engine.rules_of(version)


def decide(code, facts, period=YEAR):
    facts = {name: value for name, value in facts.items() if value is not MISSING}
    return engine.decide_facts(rules(code), builder.case_facts_for_part(facts, *period), *period, period[1])


def half_up(numerator, denominator):
    return (2 * numerator + denominator) // (2 * denominator)


# ----- investment attraction: new entrants from 2023-01-01, 50% of rent, 10,000,000 a year, 30,000,000 in all ----
ATTRACTION = {"enterprise.moved_in_on": D(2024, 3, 1), "enterprise.in_district": True, "lease.sublet": False,
              "lease.rent_paid": 2_000_000 * YUAN, **NONE_AWARDED}


@pytest.mark.parametrize(("changes", "eligible", "amount"), [
    ({"enterprise.moved_in_on": D(2023, 1, 1)}, True, 1_000_000 * YUAN),            # at the date
    ({"enterprise.moved_in_on": D(2022, 12, 31)}, False, None),                     # a day before
    ({"enterprise.moved_in_on": D(2023, 1, 2)}, True, 1_000_000 * YUAN),            # a day after
    ({"lease.rent_paid": 20_000_000 * YUAN}, True, 10_000_000 * YUAN),              # 50% is exactly the cap
    ({"lease.rent_paid": 20_000_000 * YUAN - 2}, True, 10_000_000 * YUAN - 1),      # just under it
    ({"lease.rent_paid": 20_000_000 * YUAN + 2}, True, 10_000_000 * YUAN),          # just over: capped
    ({"lease.rent_paid": 3}, True, 2),                                              # 1.5 fen rounds half up
    ({"history.awarded_total": 29_000_000 * YUAN, "history.years_supported": 2}, True, 1_000_000 * YUAN),
    ({"history.awarded_total": 29_500_000 * YUAN, "history.years_supported": 2}, True, 500_000 * YUAN),
    ({"history.awarded_total": 30_000_000 * YUAN, "history.years_supported": 2}, False, 0),  # nothing left
    ({"history.years_supported": 3}, False, None),                                  # at max years
    ({"lease.sublet": True}, False, None),
    ({"enterprise.in_district": False}, False, None),
    ({"enterprise.moved_in_on": MISSING}, False, None),                             # missing is not a date
    ({"lease.rent_paid": MISSING}, False, None),
])
def test_investment_attraction(changes, eligible, amount):
    result = decide("attraction-rent", {**ATTRACTION, **changes})
    assert result.eligible is eligible
    if amount is not None:
        assert result.amount == amount


# ----- credit services: industry 7295, prior-year revenue ≥ 10,000,000, 50% of rent, 3,000,000 a year ------------
CREDIT = {"enterprise.industry": "7295", "enterprise.revenue_prior_year": 10_000_000 * YUAN, "lease.sublet": False,
          "lease.rent_paid": 1_000_000 * YUAN, **NONE_AWARDED}


@pytest.mark.parametrize(("changes", "eligible", "amount"), [
    ({}, True, 500_000 * YUAN),                                                     # revenue at the threshold
    ({"enterprise.revenue_prior_year": 10_000_000 * YUAN - 1}, False, None),        # a fen under
    ({"enterprise.revenue_prior_year": 10_000_000 * YUAN + 1}, True, 500_000 * YUAN),
    ({"enterprise.revenue_prior_year": MISSING}, False, None),
    ({"enterprise.industry": "7294"}, False, None),
    ({"enterprise.industry": "7296"}, False, None),
    ({"lease.rent_paid": 6_000_000 * YUAN}, True, 3_000_000 * YUAN),                # at the annual cap
    ({"lease.rent_paid": 6_000_000 * YUAN - 2}, True, 3_000_000 * YUAN - 1),
    ({"lease.rent_paid": 6_000_000 * YUAN + 2}, True, 3_000_000 * YUAN),
    ({"history.awarded_in_year": 2_800_000 * YUAN}, True, 200_000 * YUAN),          # room left this year
    ({"history.years_supported": 2}, True, 500_000 * YUAN),
    ({"history.years_supported": 3}, False, None),
])
def test_credit_services(changes, eligible, amount):
    result = decide("credit-rent", {**CREDIT, **changes})
    assert result.eligible is eligible
    if amount is not None:
        assert result.amount == amount


# ----- new-energy buildings: ≤ 10 元/㎡·月 (120 元/㎡·年) and ≤ rent paid, 3,000,000 a year ---------------------------
ENERGY = {"building.specialised_programme": "industrial-building", "lease.sublet": False, "lease.area": 1_000 * M2,
          "lease.months": 12, "lease.rent_paid": 1_000_000 * YUAN, **NONE_AWARDED}


@pytest.mark.parametrize(("changes", "eligible", "amount"), [
    ({}, True, 10 * 1_000 * 12 * YUAN),                                             # 120 元 × 1,000 ㎡
    ({"lease.rent_paid": 120_000 * YUAN}, True, 120_000 * YUAN),                    # rent equals the area cap
    ({"lease.rent_paid": 119_999 * YUAN}, True, 119_999 * YUAN),                    # rent under it
    ({"lease.months": 6}, True, 60_000 * YUAN),
    ({"lease.area": 25_000 * M2, "lease.rent_paid": 10_000_000 * YUAN}, True, 3_000_000 * YUAN),  # the cap
    ({"lease.area": 25_000 * M2 + 1, "lease.rent_paid": 10_000_000 * YUAN}, True, 3_000_000 * YUAN),
    ({"lease.area": 24_999 * M2, "lease.rent_paid": 10_000_000 * YUAN}, True, 2_999_880 * YUAN),
    ({"building.specialised_programme": "tech-building"}, False, None),
    ({"building.specialised_programme": MISSING}, False, None),
    ({"lease.sublet": True}, False, None),
    ({"lease.months": 0}, False, 0),                                                # nothing to pay: 金额为零
])
def test_new_energy_buildings(changes, eligible, amount):
    result = decide("new-energy-building", {**ENERGY, **changes})
    assert result.eligible is eligible
    if amount is not None:
        assert result.amount == amount
    if changes == {"lease.months": 0}:
        assert "金额为零" in result.trace["sentences"]


# ----- government space: high-tech, government-owned, discount ≤ 50%; the discount's value ------------------------
GOVSPACE = {"enterprise.high_tech": True, "lease.government_space": True, "lease.discount": 50 * PERCENT,
            "lease.monthly_rent": 60 * YUAN, "lease.area": 1_000 * M2, "lease.months": 12}


@pytest.mark.parametrize(("changes", "eligible", "amount"), [
    ({}, True, 60 * 1_000 * 12 * YUAN // 2),                                        # at 50%
    ({"lease.discount": 5001}, False, None),                                        # just above
    ({"lease.discount": 4999}, True, half_up(4999 * 60 * 1_000 * 12 * YUAN, 10_000)),
    ({"lease.discount": 0}, False, 0),                                              # no discount: value 0
    ({"lease.discount": MISSING}, False, None),                                     # no assessment
    ({"enterprise.high_tech": False}, False, None),
    ({"lease.government_space": False}, False, None),
])
def test_government_space(changes, eligible, amount):
    result = decide("govspace-high-tech", {**GOVSPACE, **changes})
    assert result.eligible is eligible
    if amount is not None:
        assert result.amount == amount


# ----- 科技楼宇: ≤ 1,000 ㎡, min(rate × rent, 30 元/㎡·月 × area × months), rate 50% then 40% from 1 July 2025 ----
TECH = {"building.specialised_programme": "tech-building", "lease.sublet": False, "lease.area": 1_000 * M2,
        "lease.months": 12, "lease.rent_paid": 365_000 * YUAN, **NONE_AWARDED}
FIRST_HALF, SECOND_HALF = 181, 184  # days of 2025 before and from 1 July


@pytest.mark.parametrize(("changes", "eligible"), [
    ({}, True),                                                                     # at 1,000 ㎡
    ({"lease.area": 1_000 * M2 + 1}, False),                                        # 0.01 ㎡ over
    ({"lease.area": 1_000 * M2 - 1}, True),
    ({"lease.sublet": True}, False),
    ({"building.specialised_programme": "hq-building"}, False),
    ({"history.years_supported": 3}, False),
])
def test_tech_buildings_conditions(changes, eligible):
    assert decide("tech-building-rent", {**TECH, **changes}).eligible is eligible


def test_tech_buildings_split_the_year_where_the_rate_changes():
    # 365,000 元 of rent: 181,000 for the first half at 50%, 184,000 for the second at 40%.
    result = decide("tech-building-rent", TECH)
    assert result.amount == (181_000 * YUAN // 2) + (184_000 * YUAN * 4 // 10)
    parts = result.trace["amount"]["parts"]
    assert [(p["start"], p["end"]) for p in parts] == [("2025-01-01", "2025-06-30"), ("2025-07-01", "2025-12-31")]
    # A period within the first half knows one rate only.
    first = decide("tech-building-rent", {**TECH, "lease.rent_paid": 181_000 * YUAN, "lease.months": 6},
                   (D(2025, 1, 1), D(2025, 6, 30)))
    assert first.amount == 90_500 * YUAN and len(first.trace["amount"]["parts"]) == 1


@pytest.mark.parametrize(("rent_yuan", "first_capped", "second_capped"), [
    (300_000, False, False),   # 50% × 148,767.12 and 40% × 151,232.88: under 180,000 each
    (800_000, True, False),    # 50% × 396,712.33 = 198,356.16 → 180,000; 40% × 403,287.67 = 161,315.07
    (1_000_000, True, True),   # 50% × 495,890.41 and 40% × 504,109.59 = 201,643.84: both capped
])
def test_tech_buildings_area_cap_bites_half_by_half(rent_yuan, first_capped, second_capped):
    """The cap per ㎡ is 30 元 × 1,000 ㎡ × 6 months = 180,000 元 a half; each half is capped on its own."""
    rent = rent_yuan * YUAN
    first_rent = half_up(rent * FIRST_HALF, 365)
    second_rent = rent - first_rent
    cap = 30 * YUAN * 1_000 * 6
    first, second = half_up(first_rent * 5000, 10_000), half_up(second_rent * 4000, 10_000)
    assert (first > cap, second > cap) == (first_capped, second_capped)
    result = decide("tech-building-rent", {**TECH, "lease.rent_paid": rent})
    assert result.amount == min(first, cap) + min(second, cap)


@pytest.mark.parametrize(("awarded_in_year", "awarded_total", "expected"), [
    (0, 0, 164_100 * YUAN),                                          # 90,500 + 73,600
    (1_900_000 * YUAN, 1_900_000 * YUAN, 100_000 * YUAN),            # the annual cap's room
    (2_000_000 * YUAN, 2_000_000 * YUAN, 0),                         # at the annual cap: nothing
    (0, 4_900_000 * YUAN, 100_000 * YUAN),                           # the cumulative cap's room
    (0, 5_000_000 * YUAN, 0),
])
def test_tech_buildings_caps(awarded_in_year, awarded_total, expected):
    facts = {**TECH, "history.awarded_in_year": awarded_in_year, "history.awarded_total": awarded_total,
             "history.years_supported": 1 if awarded_total else 0}
    result = decide("tech-building-rent", facts)
    assert result.amount == expected and result.eligible is (expected > 0)
