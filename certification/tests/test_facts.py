"""The facts computed from the records, checked by hand on a small world, on the day D and the days around it;
the grouped computation against the per-subject loop; its query count against the number of subjects."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification import facts
from certification.facts import CATALOGUE, compute, compute_loop, compute_one
from certification.models import Incubatee, ServiceRecord
from core.rules import MISSING
from enterprises.models import Enterprise, IndustryCategory, Qualification
from leasing.models import Lease
from spaces.models import Building, Floor, Park, Unit

D = datetime.date(2025, 6, 30)
BEFORE = D - datetime.timedelta(days=1)
AFTER = D + datetime.timedelta(days=1)
day = datetime.date


def lease(enterprise, park, units, start, end, status="active"):
    made = Lease.objects.create(enterprise=enterprise, park=park, start_date=start, end_date=end, status=status,
                                monthly_rent=Decimal("100"), leased_area=sum(u.area for u in units),
                                terminated_on=end if status == "terminated" else None)
    made.units.add(*units)
    return made


def enterprise(name, code, industry="6511"):
    return Enterprise.objects.create(name=name, credit_code=code, industry=IndustryCategory.objects.get(pk=industry))


class Small:
    """Park A: building a-1 (units 1201 600 m², 1202 200 m², 1101 200 m²) and a-2 (2101 400 m², 2102 100 m²,
    gross floor area 800 m²), 1,500 m² in all; an empty park C."""

    def __init__(self, world):
        self.world = world
        park, a1 = world.park_a, world.building_a
        Lease.objects.filter(pk=world.lease_a.pk).update(status="expired")  # the world's lease, dated from today
        self.a2 = Building.objects.create(park=park, code="a-2", name="科技楼B座", gross_floor_area=Decimal("800"))
        floor = Floor.objects.create(building=self.a2, number=1)
        u1201 = world.unit_a1
        u1202 = world.unit_a2
        u1101 = Unit.objects.get(building=a1, code="1101")
        u2101 = Unit.objects.create(building=self.a2, floor=floor, code="2101", area=Decimal("400.00"))
        u2102 = Unit.objects.create(building=self.a2, floor=floor, code="2102", area=Decimal("100.00"))
        self.t_a = world.tenant_a  # software (6511)
        self.t_c = enterprise("深圳影视制作有限公司", "91440300MA5G0000X1", "8720")  # television: cultural
        self.t_d = enterprise("深圳精工有限公司", "91440300MA5G0001X2")
        self.t_e = enterprise("深圳初创科技有限公司", "91440300MA5G0002X3")
        self.t_f = enterprise("深圳毕业甲有限公司", "91440300MA5G0003X4")
        self.t_g = enterprise("深圳毕业乙有限公司", "91440300MA5G0004X5")
        self.t_h = enterprise("深圳毕业丙有限公司", "91440300MA5G0005X6")
        # Leases: one spanning both buildings ending on D, one starting the day after, one terminated the day
        # before D, one expired over D (holds nothing).
        self.l1 = lease(self.t_a, park, [u1201, u2101], day(2024, 1, 1), D)
        self.l2 = lease(self.t_c, park, [u1202], AFTER, day(2026, 6, 30))
        self.l3 = lease(self.t_d, park, [u2102], day(2023, 1, 1), BEFORE, status="terminated")
        self.l4 = lease(self.t_e, park, [u1101], day(2024, 1, 1), day(2026, 1, 1), status="expired")
        # Qualifications: a's high-tech certificate lapses the day before D; d is 专精特新 without end.
        Qualification.objects.create(enterprise=self.t_a, kind="high_tech", issued_on=day(2022, 7, 1),
                                     valid_until=BEFORE)
        Qualification.objects.create(enterprise=self.t_d, kind="specialised", level="innovative_sme",
                                     issued_on=day(2020, 1, 1))
        # Incubatees.
        inc = Incubatee.objects.create
        self.i1 = inc(park=park, building=a1, enterprise=self.t_a, entered_on=day(2024, 1, 1), industry_match=True)
        self.i2 = inc(park=park, building=self.a2, enterprise=self.t_d, entered_on=day(2024, 9, 1), left_on=D,
                      exit_reason="moved_out")
        self.i3 = inc(park=park, enterprise=self.t_e, entered_on=day(2024, 7, 1))  # the first day of the 12 months
        inc(park=park, enterprise=self.t_f, entered_on=day(2021, 1, 1), left_on=day(2023, 12, 31),
            exit_reason="graduated", graduation_basis="high_tech")
        Qualification.objects.create(enterprise=self.t_f, kind="high_tech", issued_on=day(2023, 10, 1),
                                     valid_until=day(2026, 9, 30))
        # g graduated "as high-tech" before it held the certificate: not a graduate that counts.
        inc(park=park, enterprise=self.t_g, entered_on=day(2021, 1, 1), left_on=day(2024, 3, 1),
            exit_reason="graduated", graduation_basis="high_tech")
        Qualification.objects.create(enterprise=self.t_g, kind="high_tech", issued_on=day(2024, 5, 1))
        inc(park=park, enterprise=self.t_h, entered_on=day(2022, 1, 1), left_on=day(2025, 7, 15),
            exit_reason="graduated", graduation_basis="revenue")
        # Service records: the first is a year before D (outside the 12 months), the last the day after.
        srv = ServiceRecord.objects.create
        srv(park=park, enterprise=self.t_a, area="finance", served_on=day(2024, 6, 30), description="融资对接")
        srv(park=park, building=a1, enterprise=self.t_a, area="finance", served_on=day(2024, 7, 1),
            description="融资对接")
        srv(park=park, building=a1, enterprise=self.t_a, area="tech_transfer", served_on=D, description="技术转移")
        srv(park=park, enterprise=self.t_a, area="market", served_on=AFTER, description="市场推广")
        srv(park=park, enterprise=self.t_e, area="finance", served_on=day(2025, 1, 10), description="政策辅导")
        self.park_c = Park.objects.create(code="park-c", name="空置园区", zone=world.area, operator=world.op_a)


@pytest.fixture
def small(world):
    return Small(world)


def test_the_catalogue_names_the_contracts_facts():
    names = {f.name for f in CATALOGUE}
    assert len(names) == 29
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
    assert len(three) == len(thirty) <= 9
    with CaptureQueriesContext(connection) as loop:
        compute_loop(few, D)
    assert len(loop) > len(three)
