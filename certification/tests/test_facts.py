"""The facts computed from the records, checked by hand on a small world, on the day D and the days around it;
the grouped computation against the per-subject loop; its query count against the number of subjects."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification import facts
from certification.facts import CATALOGUE, compute, compute_loop, compute_one
from core.rules import MISSING
from spaces.models import Building, Park

from .facts_world import AFTER, BEFORE, D, Small, day


@pytest.fixture
def small(world):
    return Small(world)


def test_the_catalogue_names_the_contracts_facts():
    names = {f.name for f in CATALOGUE}
    assert len(names) == 30
    assert CATALOGUE.get("subject.incubatee_count").unit == "家"
    assert CATALOGUE.get("subject.fund_size").source == "supplied"
    assert CATALOGUE.get("subject.cultural_tenant_share").source == "computed"
    assert set(facts.COMPUTED) <= names


def test_park_on_d(small):
    got = compute_one(small.world.park_a, None, D)
    assert got == {
        "subject.area_controlled": 150000,  # 1,500.00 m²
        "subject.leased_area": 100000,  # 1201 and 2101 (lease 1 ends on D); 2102's lease ended the day before
        "subject.occupancy": 6667,  # 1000 / 1500 = 66.67 %
        "subject.tenant_count": 1,
        "subject.incubatee_count": 3,  # i1, i3, and h (leaves after D); i2 leaves on D
        "subject.incubatee_area": 100000,  # a's units, both buildings
        "subject.incubatee_area_share": 6667,
        "subject.incubatees_per_1000m2": 200,  # 3 on 1.5 thousand m²
        "subject.same_industry_share": 3333,  # i1 of 3
        "subject.same_industry_area_share": 6667,  # a (i1, in the target industry) holds 1201 and 2101
        "subject.new_incubatee_share": 3333,  # i3 entered 2024-07-01, within (2024-06-30, 2025-06-30]
        "subject.graduate_count": 1,  # f; g's certificate came after it left; h leaves after D
        "subject.high_tech_tenant_share": 0,  # a's certificate lapsed the day before
        "subject.specialised_tenant_share": 0,
        "subject.services_per_1000m2": 200,  # 3 records on 1.5 thousand m²
        "subject.service_areas_covered": 2,
        "subject.cultural_tenant_share": 0,
        "subject.floor_area": MISSING,  # a-1 has no gross floor area
    }


def test_the_day_before(small):
    got = compute_one(small.world.park_a, None, BEFORE)
    assert got["subject.leased_area"] == 110000  # and 2102, terminated on this day
    assert got["subject.occupancy"] == 7333  # 1100 / 1500
    assert got["subject.tenant_count"] == 2
    assert got["subject.high_tech_tenant_share"] == 5000  # a's certificate is valid until this day
    assert got["subject.specialised_tenant_share"] == 5000  # d
    assert got["subject.incubatee_count"] == 4  # i2 has not left yet
    assert got["subject.incubatee_area"] == 110000  # d (i2) holds 2102 too
    assert got["subject.same_industry_area_share"] == 6667  # but d is not in the target industry
    assert got["subject.new_incubatee_share"] == 5000  # i2 and i3 of 4
    assert got["subject.services_per_1000m2"] == 200  # 2024-06-29 … : the 2024-06-30 record counts, D's not yet


def test_the_day_after(small):
    got = compute_one(small.world.park_a, None, AFTER)
    assert got["subject.leased_area"] == 20000  # lease 2 starts: 1202
    assert got["subject.occupancy"] == 1333  # 200 / 1500 = 13.33 %
    assert got["subject.tenant_count"] == 1
    assert got["subject.cultural_tenant_share"] == 10000  # television
    assert got["subject.incubatee_area"] == 0  # c is no incubatee; a's lease has ended
    assert got["subject.incubatee_area_share"] == 0
    assert got["subject.services_per_1000m2"] == 200  # (2024-07-01, 2025-07-01]: 3 records, the first one out


def test_an_incubatee_leaving_and_a_graduate_counted_from_its_leaving_day(small):
    park = small.world.park_a
    assert compute_one(park, None, day(2025, 7, 14))["subject.graduate_count"] == 1
    assert compute_one(park, None, day(2025, 7, 14))["subject.incubatee_count"] == 3
    assert compute_one(park, None, day(2025, 7, 15))["subject.graduate_count"] == 2  # h, by revenue
    assert compute_one(park, None, day(2025, 7, 15))["subject.incubatee_count"] == 2
    assert compute_one(park, None, day(2023, 12, 30))["subject.graduate_count"] == 0


def test_buildings_count_their_own_units_records_and_incubatees(small):
    w = small.world
    a1 = compute_one(w.park_a, w.building_a, D)
    assert a1["subject.area_controlled"] == 100000
    assert a1["subject.leased_area"] == 60000  # only 1201 of lease 1
    assert a1["subject.occupancy"] == 6000
    assert a1["subject.tenant_count"] == 1
    assert a1["subject.incubatee_count"] == 1  # i1 names a-1
    assert a1["subject.incubatee_area"] == 60000
    assert a1["subject.incubatee_area_share"] == 6000
    assert a1["subject.same_industry_area_share"] == 6000  # i1 names a-1
    assert a1["subject.services_per_1000m2"] == 200  # 2 on 1 thousand m²
    assert a1["subject.service_areas_covered"] == 2
    assert a1["subject.floor_area"] is MISSING
    a2 = compute_one(w.park_a, small.a2, D)
    assert a2["subject.area_controlled"] == 50000
    assert a2["subject.leased_area"] == 40000
    assert a2["subject.occupancy"] == 8000
    assert a2["subject.incubatee_count"] == 0  # i2 left on D
    assert a2["subject.incubatee_area"] == 0  # a holds 2101, but a is a-1's incubatee
    assert a2["subject.same_industry_share"] is MISSING  # no incubatees: a share of nothing
    assert a2["subject.same_industry_area_share"] == 0  # a share of 500 m²: none of it
    assert a2["subject.incubatees_per_1000m2"] == 0
    assert a2["subject.floor_area"] == 80000
    assert a2["subject.services_per_1000m2"] == 0


def test_floor_area_of_a_park_once_every_building_has_one(small):
    Building.objects.filter(pk=small.world.building_a.pk).update(gross_floor_area=Decimal("1500.50"))
    assert compute_one(small.world.park_a, None, D)["subject.floor_area"] == 230050


def test_shares_over_a_zero_whole_are_missing(small):
    got = compute_one(small.park_c, None, D)
    assert got["subject.area_controlled"] == 0
    assert got["subject.tenant_count"] == 0
    for name in ("subject.occupancy", "subject.incubatee_area_share", "subject.incubatees_per_1000m2",
                 "subject.same_industry_share", "subject.new_incubatee_share", "subject.high_tech_tenant_share",
                 "subject.services_per_1000m2", "subject.cultural_tenant_share", "subject.floor_area"):
        assert got[name] is MISSING, name


def test_other_parks_records_do_not_count(small):
    b = compute_one(small.world.park_b, None, D)
    assert b["subject.area_controlled"] == 30000
    assert b["subject.incubatee_count"] == 0
    assert b["subject.services_per_1000m2"] == 0


def test_a_building_given_with_another_park_is_empty(small):
    got = compute_one(small.world.park_b, small.world.building_a, D)
    assert got["subject.area_controlled"] == 0
    assert got["subject.occupancy"] is MISSING


@pytest.mark.parametrize("on", [BEFORE, D, AFTER, day(2025, 7, 15), day(2024, 1, 1)])
def test_the_grouped_computation_agrees_with_the_loop(small, on):
    w = small.world
    subjects = [(w.park_a, None), (w.park_a, w.building_a), (w.park_a, small.a2), (w.park_b, None),
                (w.park_b, w.building_b), (small.park_c, None)]
    assert compute(subjects, on) == compute_loop(subjects, on)


def test_the_number_of_queries_does_not_grow_with_the_subjects(small):
    w = small.world
    more = [Park.objects.create(code=f"extra-{i}", name=f"园区{i}", zone=w.area, operator=w.op_b) for i in range(27)]
    few = [(w.park_a, None), (w.park_b, None), (w.park_a, w.building_a)]
    many = few + [(p, None) for p in more]
    assert len(many) == 30
    with CaptureQueriesContext(connection) as three:
        compute(few, D)
    with CaptureQueriesContext(connection) as thirty:
        result = compute(many, D)
    assert len(result) == 30
    assert len(three) == len(thirty) == 8  # three by building, as one subject is a building
    with CaptureQueriesContext(connection) as loop:
        compute_loop(few, D)
    assert len(loop) > len(three)
