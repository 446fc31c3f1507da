"""The policy engine on cases at and around each threshold of the demo policies: conditions, the amount over a
period split where a rate changes, caps after the sum, the years limit, 金额为零, and what the trace says."""

import datetime

import pytest

from core.rules import MISSING, ParameterUndefined
from policies import engine

from .screening_policies import ATTRACTION, CREDIT, GOVERNMENT, NEW_ENERGY, TECH_BUILDING, Version

START, END = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
YUAN = 100


def decide(definition, facts, parts=None, on=END):
    rules = engine.rules_of(Version(definition))

    def facts_for(start, end):
        return {**facts, **(parts or {}).get((start, end), {})}

    result = engine.decide_facts(rules, facts_for, START, END, on)
    columns = {}
    for part in {(START, END), *(parts or {})}:
        columns[part] = engine.columns_from_facts([facts_for(*part)], sorted(facts_for(*part)))
    eligible, amounts, _ = engine.decide_columns(rules, lambda s, e: columns[(s, e)], START, END, on, 1)
    assert (bool(eligible[0]), int(amounts[0])) == (result.eligible, (result.amount or 0) if result.eligible else 0)
    return result


CREDIT_OK = {"enterprise.industry": "7295", "enterprise.revenue_prior_year": 10_000_000 * YUAN,
             "enterprise.lease_count": 1, "lease.rent_paid": 1_200_000 * YUAN, "history.awarded_in_year": 0,
             "history.years_supported": 0}


def test_credit_services_at_and_around_the_revenue_threshold():
    at = decide(CREDIT, CREDIT_OK)
    assert at.eligible and at.amount == 600_000 * YUAN
    below = decide(CREDIT, {**CREDIT_OK, "enterprise.revenue_prior_year": 10_000_000 * YUAN - 1})
    assert not below.eligible
    assert "上年营业收入下限" in "".join(below.trace["sentences"]) or "上年度营业收入" in below.trace["sentences"][1]
    assert not decide(CREDIT, {**CREDIT_OK, "enterprise.revenue_prior_year": MISSING}).eligible
    assert not decide(CREDIT, {**CREDIT_OK, "enterprise.lease_count": 2}).eligible  # one office only


def test_credit_services_annual_cap_and_years():
    big = decide(CREDIT, {**CREDIT_OK, "lease.rent_paid": 10_000_000 * YUAN})
    assert big.amount == 3_000_000 * YUAN  # 5,000,000 capped at 3,000,000
    assert big.trace["caps"][0]["before"] == 5_000_000 * YUAN and big.trace["caps"][0]["after"] == 3_000_000 * YUAN
    room = decide(CREDIT, {**CREDIT_OK, "history.awarded_in_year": 2_900_000 * YUAN})
    assert room.amount == 100_000 * YUAN
    full = decide(CREDIT, {**CREDIT_OK, "history.awarded_in_year": 3_000_000 * YUAN})
    assert not full.eligible and full.amount == 0 and engine.REASON_ZERO in full.trace["sentences"]
    assert decide(CREDIT, {**CREDIT_OK, "history.years_supported": 2}).eligible
    third = decide(CREDIT, {**CREDIT_OK, "history.years_supported": 3})
    assert not third.eligible and "已获本政策支持年数（上限 3 年）" in third.trace["sentences"][-3]
    unknown = decide(CREDIT, {**CREDIT_OK, "history.awarded_in_year": MISSING})
    assert not unknown.eligible and unknown.amount is None


def test_attraction_cumulative_cap_and_district_date():
    facts = {"enterprise.moved_in_on": datetime.date(2021, 1, 1), "enterprise.in_district": True,
             "lease.sublet": False, "lease.area": 100_000, "lease.rent_paid": 30_000_000 * YUAN,
             "history.awarded_in_year": 0, "history.awarded_total": 25_000_000 * YUAN, "history.years_supported": 2}
    result = decide(ATTRACTION, facts)
    assert result.eligible and result.amount == 5_000_000 * YUAN  # 15,000,000 → annual 10,000,000 → total room 5M
    assert [cap["kind"] for cap in result.trace["caps"]] == ["annual", "cumulative"]
    assert not decide(ATTRACTION, {**facts, "enterprise.moved_in_on": datetime.date(2020, 12, 31)}).eligible
    assert not decide(ATTRACTION, {**facts, "lease.sublet": True}).eligible
    assert not decide(ATTRACTION, {**facts, "lease.sublet": MISSING}).eligible


def test_tech_building_amount_is_split_where_the_rate_changes():
    facts = {"building.specialised_programme": "tech-building", "enterprise.high_tech": True,
             "enterprise.specialised": MISSING, "lease.area": 100_000, "lease.sublet": False,
             "history.awarded_in_year": 0, "history.awarded_total": 0, "history.years_supported": 0}
    first, second = (START, datetime.date(2024, 6, 30)), (datetime.date(2024, 7, 1), END)
    parts = {first: {"lease.rent_paid": 600_000 * YUAN, "lease.months": 6},
             second: {"lease.rent_paid": 600_000 * YUAN, "lease.months": 6}}
    result = decide(TECH_BUILDING, {**facts, "lease.rent_paid": 1_200_000 * YUAN, "lease.months": 12}, parts)
    # 50% of 600,000 then 40% of 600,000; the area cap (30 元 × 1,000 ㎡ × 6 months = 180,000 a half) is smaller
    assert result.amount == 360_000 * YUAN
    assert len(result.trace["amount"]["parts"]) == 2
    cheap = {first: {"lease.rent_paid": 200_000 * YUAN, "lease.months": 6},
             second: {"lease.rent_paid": 200_000 * YUAN, "lease.months": 6}}
    assert decide(TECH_BUILDING, {**facts, "lease.rent_paid": 0, "lease.months": 12}, cheap).amount \
        == (100_000 + 80_000) * YUAN
    # area at the limit passes, one hundredth of a ㎡ more does not
    assert not decide(TECH_BUILDING, {**facts, "lease.area": 100_001}, parts).eligible
    # neither qualification: the "any" group fails; one of them missing and the other true passes
    assert not decide(TECH_BUILDING, {**facts, "enterprise.high_tech": False, "enterprise.specialised": False},
                      parts).eligible


def test_new_energy_per_square_metre_and_division():
    facts = {"building.specialised_programme": "syn-building", "enterprise.industry_division": "38",
             "lease.area": 50_000, "lease.months": 12, "lease.rent_paid": 1_000_000 * YUAN,
             "history.awarded_in_year": 0}
    result = decide(NEW_ENERGY, facts)
    assert result.amount == 10 * YUAN * 500 * 12  # 10 元 × 500 ㎡ × 12 months = 60,000 元
    assert not decide(NEW_ENERGY, {**facts, "enterprise.industry_division": "39"}).eligible
    assert not decide(NEW_ENERGY, {**facts, "building.specialised_programme": MISSING}).eligible


def test_government_space_tops_up_the_discount():
    facts = {"enterprise.high_tech": True, "lease.government_space": True, "lease.discount": 4_000,
             "lease.rent_paid": 600_000 * YUAN}
    assert decide(GOVERNMENT, facts).amount == 60_000 * YUAN  # 600,000 × (50% − 40%)
    assert not decide(GOVERNMENT, {**facts, "lease.discount": 5_000}).eligible  # already at 50%
    assert not decide(GOVERNMENT, {**facts, "lease.discount": MISSING}).eligible
    # a rounding to whole yuan: 333.33 × 10% = 33.333 → 33 元
    assert decide(GOVERNMENT, {**facts, "lease.rent_paid": 33_333}).amount == 3_300


def test_a_version_without_an_amount_decides_by_its_conditions():
    definition = {**GOVERNMENT, "amount": {}}
    result = decide(definition, {"enterprise.high_tech": True, "lease.government_space": True, "lease.discount": 0})
    assert result.eligible and result.amount is None and result.trace["caps"] == []


def test_a_parameter_without_a_value_on_the_day_is_said():
    with pytest.raises(ParameterUndefined):
        decide(CREDIT, CREDIT_OK, on=datetime.date(2019, 12, 31))


def test_the_hash_covers_caps_years_and_obligations():
    base = Version(TECH_BUILDING)
    first = engine.version_hash(base)
    for name, value in (("annual_cap", ""), ("max_years", 2), ("obligations", []), ("cumulative_cap", "")):
        changed = Version(TECH_BUILDING)
        setattr(changed, name, value)
        assert engine.version_hash(changed) != first, name
    assert engine.rules_of(base).hash == first
    assert engine.rules_of(base).facts >= {"lease.rent_paid", "history.years_supported", "history.awarded_total"}


def test_versions_with_the_same_conditions_share_their_evaluation():
    from .screening_policies import ALL

    rows = [{"enterprise.moved_in_on": datetime.date(2021 + n % 3, 1, 1), "enterprise.in_district": n % 4 != 0,
             "lease.sublet": n % 5 == 0, "lease.area": 1000 * n, "lease.rent_paid": 10_000 * n,
             "lease.months": n % 13, "enterprise.industry": "7295", "enterprise.industry_division": "38",
             "enterprise.revenue_prior_year": 10**9 * (n % 3), "enterprise.lease_count": n % 3,
             "building.specialised_programme": "syn-building", "enterprise.high_tech": n % 2 == 0,
             "enterprise.specialised": MISSING, "lease.government_space": True, "lease.discount": 100 * n,
             "history.awarded_in_year": 0, "history.awarded_total": 0, "history.years_supported": n % 4}
            for n in range(60)]
    columns = engine.columns_from_facts(rows)
    shared = {}
    for definition in ALL:
        rules = engine.rules_of(Version(definition))
        alone = engine.decide_columns(rules, lambda s, e: columns, START, END, END, len(rows))
        together = engine.decide_columns(rules, lambda s, e: columns, START, END, END, len(rows), shared=shared)
        for mine, theirs in zip(alone, together, strict=True):
            assert (mine == theirs).all(), definition["code"]
    # attraction and its variant, new-energy and its variant: one evaluation each
    assert len(shared) == len(ALL) - 2
