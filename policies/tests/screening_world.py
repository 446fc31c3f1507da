"""A small district whose records exercise every policy fact: two leases of one tenant (the principal one the
larger), rent-free months and a rent step, payments inside and across the period's boundaries, a sublet, a
government-owned unit with an assessed rent, a certified building and park, qualifications, revenue, moving in
and out, and awards of a policy. Period: 2024; day: 2024-12-31."""

import datetime
from decimal import Decimal

from certification.models import Certification, Scheme, SchemeVersion
from enterprises.models import Enterprise, FinancialYear, IndustryCategory, Qualification
from leasing.models import Lease, RentPayment, RentStep, Sublet
from spaces.models import Building, Floor, Unit
from yuanqu.generic_tests import credit_code

D = datetime.date(2024, 12, 31)
START, END = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
MID = datetime.date(2024, 7, 1)

CONFIRMED = datetime.datetime(2025, 1, 15, 9, 0, tzinfo=datetime.UTC)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


class District:
    """Enterprises: ``alpha`` (two leases, steps, payments, a sublet, high-tech, certified building),
    ``beta`` (government unit, assessed rent, moved in, specialised), ``gamma`` (a lease in the period but none on
    the day, no payment), ``delta`` (no lease at all, moved out), ``epsilon`` (a lease but no payment)."""

    def __init__(self, world):
        self.world = world
        park = world.park_a
        building = world.building_a
        other = Building.objects.create(park=park, code="a-2", name="政府产业大厦", floors_above=8)
        floor = Floor.objects.create(building=other, number=3)
        big = Unit.objects.create(building=building, floor=world.floor_a, code="1203", area=Decimal("800.00"))
        small = Unit.objects.create(building=other, floor=floor, code="301", area=Decimal("150.50"))
        gov = Unit.objects.create(building=other, floor=floor, code="302", area=Decimal("420.00"),
                                  government_owned=True)
        spare = Unit.objects.create(building=other, floor=floor, code="303", area=Decimal("100.00"))
        software = IndustryCategory.objects.get(pk="6511")
        self.alpha = Enterprise.objects.create(name="甲科技有限公司", credit_code=credit_code(9101), industry=software,
                                               established_on=day("2015-03-01"))
        self.beta = Enterprise.objects.create(name="乙新能源有限公司", credit_code=credit_code(9102),
                                              industry=IndustryCategory.objects.get(pk="6512"),
                                              established_on=day("2016-05-01"), moved_in_on=day("2022-04-15"))
        self.gamma = Enterprise.objects.create(name="丙咨询有限公司", credit_code=credit_code(9103))
        self.delta = Enterprise.objects.create(name="丁贸易有限公司", credit_code=credit_code(9104),
                                               established_on=day("2010-01-01"), moved_out_on=day("2024-06-30"))
        self.epsilon = Enterprise.objects.create(name="戊设计有限公司", credit_code=credit_code(9105),
                                                 established_on=day("2019-01-01"))
        # alpha: the principal lease (800 m², rent-free 3 months from 2024-02-10, a step from 2024-09-01) and a
        # smaller one (150.50 m²) in the other building, which also started earlier.
        self.principal = Lease.objects.create(
            enterprise=self.alpha, park=park, start_date=day("2024-02-10"), end_date=day("2026-02-09"),
            monthly_rent=Decimal("100.00"), leased_area=Decimal("800.00"), rent_free_months=3)
        self.principal.units.add(big)
        RentStep.objects.create(lease=self.principal, starts_on=day("2024-09-01"), monthly_rent=Decimal("110.50"))
        RentStep.objects.create(lease=self.principal, starts_on=day("2025-09-01"), monthly_rent=Decimal("120.00"))
        self.second = Lease.objects.create(
            enterprise=self.alpha, park=park, start_date=day("2023-06-01"), end_date=day("2025-05-31"),
            monthly_rent=Decimal("90.00"), leased_area=Decimal("150.50"))
        self.second.units.add(small)
        RentPayment.objects.create(confirmed_at=CONFIRMED, lease=self.principal, period_start=day("2024-05-10"), period_end=day("2024-12-31"),
                                   amount=Decimal("640000.00"))
        # entered by the tenant and not confirmed by the operator: no policy reads it
        RentPayment.objects.create(lease=self.principal, period_start=day("2024-01-01"), period_end=day("2024-01-31"),
                                   amount=Decimal("999999.00"))
        # straddles the period's start: 2023-12-01..2024-01-31 (62 days), 31 of them in 2024
        RentPayment.objects.create(confirmed_at=CONFIRMED, lease=self.second, period_start=day("2023-12-01"), period_end=day("2024-01-31"),
                                   amount=Decimal("27090.01"))
        RentPayment.objects.create(confirmed_at=CONFIRMED, lease=self.second, period_start=day("2024-02-01"), period_end=day("2024-12-31"),
                                   amount=Decimal("148995.00"))
        # outside the period
        RentPayment.objects.create(confirmed_at=CONFIRMED, lease=self.second, period_start=day("2025-01-01"), period_end=day("2025-03-31"),
                                   amount=Decimal("40635.00"))
        Sublet.objects.create(lease=self.second, subtenant_name="某转租户", starts_on=day("2024-10-01"),
                              found_on=day("2024-11-15"))
        Qualification.objects.create(enterprise=self.alpha, kind="high_tech", issued_on=day("2022-12-01"),
                                     valid_until=day("2025-11-30"))
        Qualification.objects.create(enterprise=self.alpha, kind="specialised", issued_on=day("2021-01-01"),
                                     valid_until=day("2023-12-31"))  # lapsed before the day
        FinancialYear.objects.create(enterprise=self.alpha, year=2023, revenue=Decimal("12345678.91"))
        FinancialYear.objects.create(enterprise=self.alpha, year=2024, revenue=Decimal("99.00"))
        # beta: the government unit, with an assessed rent
        self.gov_lease = Lease.objects.create(
            enterprise=self.beta, park=park, start_date=day("2022-05-01"), end_date=day("2025-04-30"),
            monthly_rent=Decimal("45.00"), leased_area=Decimal("420.00"), assessed_monthly_rent=Decimal("98.00"))
        self.gov_lease.units.add(gov)
        RentPayment.objects.create(confirmed_at=CONFIRMED, lease=self.gov_lease, period_start=day("2024-01-01"), period_end=day("2024-06-30"),
                                   amount=Decimal("113400.00"))
        RentPayment.objects.create(confirmed_at=CONFIRMED, lease=self.gov_lease, period_start=day("2024-07-01"), period_end=day("2024-12-31"),
                                   amount=Decimal("113400.00"))
        Qualification.objects.create(enterprise=self.beta, kind="specialised", issued_on=day("2024-03-01"))
        FinancialYear.objects.create(enterprise=self.beta, year=2023, revenue=Decimal("0.00"))
        # gamma: a lease that ended in the period (terminated), no payment
        self.ended = Lease.objects.create(
            enterprise=self.gamma, park=park, start_date=day("2023-03-15"), end_date=day("2024-03-14"),
            monthly_rent=Decimal("80.00"), leased_area=Decimal("100.00"), status="terminated")
        self.ended.units.add(spare)
        # epsilon: a lease in force and no payment
        self.unpaid = Lease.objects.create(
            enterprise=self.epsilon, park=world.park_b, start_date=day("2024-11-20"), end_date=day("2025-11-19"),
            monthly_rent=Decimal("60.00"), leased_area=Decimal("300.00"))
        self.unpaid.units.add(world.unit_b1)
        # certifications in force on the day: alpha's main building (a specialised-building scheme), the park
        self.building_scheme = Scheme.objects.create(code="tech-building", name="科技楼宇",
                                                     category="specialised_building", subject_kind="building",
                                                     level="district")
        park_scheme = Scheme.objects.create(code="syn-science-park", name="科技园区", category="science_park",
                                            subject_kind="park", level="district")
        for scheme, building_id, number in ((self.building_scheme, building.pk, "T-1"), (park_scheme, None, "P-1")):
            version = SchemeVersion.objects.create(scheme=scheme, number=1, status="published",
                                                   effective_from=day("2020-01-01"))
            Certification.objects.create(scheme=scheme, version=version, park=park, building_id=building_id,
                                         level="district", certificate_number=number,
                                         valid_from=day("2023-01-01"), valid_until=day("2025-12-31"))

    @property
    def ids(self) -> list[int]:
        return [e.pk for e in (self.alpha, self.beta, self.gamma, self.delta, self.epsilon)]
