"""A small world for the facts, checked by hand: park A's two buildings, leases starting and ending around the day
D, qualifications lapsing, incubatees entering, leaving and graduating, service records around the 12 months."""

import datetime
from decimal import Decimal

from certification.models import Incubatee, ServiceRecord
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
