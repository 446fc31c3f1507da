"""A version's criteria against a subject: computed facts from the records, supplied ones with their documents,
parameters read on the reference date."""

import datetime

import pytest

from certification.evaluation import evaluate_subject, supplied_facts
from certification.models import Scheme, SchemeVersion

from .facts_world import D, Small

CRITERIA = {"all": [
    {"fact": "subject.incubatee_count", "op": "ge", "value": {"param": "min_incubatees"}},
    {"fact": "subject.occupancy", "op": "ge", "value": 6000, "label": "出租率"},
    {"fact": "subject.operating_years", "op": "ge", "value": 3},
    {"any": [{"fact": "subject.fund_size", "op": "ge", "value": 500_000_000},
             {"fact": "subject.floor_area", "op": "ge", "value": 100_000}]},
]}
PARAMETERS = {"min_incubatees": {"type": "count", "label": "在孵企业下限",
                                 "values": [["2020-01-01", 3], ["2025-07-01", 5]]}}


@pytest.fixture
def small(world):
    return Small(world)


@pytest.fixture
def version(db):
    scheme = Scheme.objects.create(code="incubator-d", name="区级孵化器", category="incubator", level="district")
    return SchemeVersion.objects.create(scheme=scheme, number=1, status="published",
                                        effective_from=datetime.date(2020, 1, 1), criteria=CRITERIA,
                                        parameters=PARAMETERS,
                                        indicators=[{"code": "Q1", "kind": "quantitative", "weight": 100,
                                                     "fact": "subject.team_size", "full_at": 20}])


def by_fact(outcome):
    return {leaf.fact: leaf for leaf in outcome.leaves}


def test_supplied_facts_are_those_the_criteria_name(version):
    assert [f.name for f in supplied_facts(version)] == ["subject.operating_years", "subject.fund_size",
                                                         "subject.floor_area"]
    assert "subject.team_size" in [f.name for f in supplied_facts(version, indicators=True)]


def test_computed_and_supplied_facts_decide_together(small, version):
    supplied = {"subject.operating_years": {"value": 4, "document": 12},
                "subject.fund_size": {"value": 600_000_000, "document": 13}}
    outcome = evaluate_subject(version=version, park=small.world.park_a, building=None, on=D, supplied=supplied)
    leaves = by_fact(outcome)
    assert leaves["subject.incubatee_count"].value == 3 and leaves["subject.incubatee_count"].passed
    assert leaves["subject.incubatee_count"].threshold == 3
    assert leaves["subject.occupancy"].value == 6667 and leaves["subject.occupancy"].passed
    assert leaves["subject.operating_years"].passed
    assert leaves["subject.floor_area"].missing  # a-1 records no floor area and none was supplied
    assert outcome.passed  # the fund is large enough


def test_a_missing_supplied_fact_fails_as_missing_not_zero(small, version):
    outcome = evaluate_subject(version=version, park=small.world.park_a, building=None, on=D,
                               supplied={"subject.operating_years": {"value": None, "document": None}})
    leaf = by_fact(outcome)["subject.operating_years"]
    assert leaf.missing and not leaf.passed and leaf.reason == "数据缺失"
    assert not outcome.passed


def test_a_value_supplied_for_a_computed_fact_is_ignored(small, version):
    supplied = {"subject.occupancy": {"value": 9000}, "subject.operating_years": {"value": 4},
                "subject.fund_size": {"value": 1}}
    outcome = evaluate_subject(version=version, park=small.world.park_a, building=small.a2, on=D, supplied=supplied)
    leaves = by_fact(outcome)
    assert leaves["subject.occupancy"].value == 8000  # a-2's own, from its leases
    assert leaves["subject.floor_area"].value == 80000  # recorded: a supplied value would not replace it
    assert not leaves["subject.floor_area"].passed and not leaves["subject.fund_size"].passed
    assert leaves["subject.incubatee_count"].value == 0
    assert not outcome.passed


def test_parameters_are_read_on_the_reference_date(small, version):
    supplied = {"subject.operating_years": {"value": 4}, "subject.fund_size": {"value": 600_000_000}}
    after = D + datetime.timedelta(days=1)
    outcome = evaluate_subject(version=version, park=small.world.park_a, building=None, on=after,
                               supplied=supplied)
    leaf = by_fact(outcome)["subject.incubatee_count"]
    assert (leaf.value, leaf.threshold, leaf.passed) == (3, 5, False)
    assert leaf.sentence == "在孵企业 3 家，低于要求的 5 家"


def test_a_supplied_value_that_is_not_an_integer_is_refused(small, version):
    with pytest.raises(ValueError, match="运营年限"):
        evaluate_subject(version=version, park=small.world.park_a, building=None, on=D,
                         supplied={"subject.operating_years": {"value": "4.5"}})
