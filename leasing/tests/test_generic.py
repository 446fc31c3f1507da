"""The generic tests (yuanqu/generic_tests.py) of leases."""

import datetime
from decimal import Decimal

from leasing.models import Lease, RentPayment, RentStep, Sublet
from spaces.choices import UnitStatus
from spaces.models import Unit
from yuanqu.generic_tests import ModelTests

TODAY = datetime.date.today()


def vacant_unit(world, side, code):
    here = world.on(side)
    return Unit.objects.create(building=here.building, floor=here.floor, code=code, area=Decimal("150.00"),
                               status=UnitStatus.VACANT)


class TestLease(ModelTests):
    model = Lease
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vacd", "enterprise": "v", "expert": ""}
    update = {"monthly_rent": Decimal("123.00")}
    START = TODAY - datetime.timedelta(days=30)
    # The export names a lease's units with their building in one column ("科技楼A座 1201"); the import asks for
    # the building and the unit numbers apart, so an exported file does not import back as it is.
    test_export_imports_back_unchanged = None

    def sample(self, world, side, **overrides):
        """An active lease of enterprise A (or B) on a unit of its own in operator A's (or B's) park; the
        overrides set its state (status, dates, termination) as a test needs it."""
        here = world.on(side)
        unit = vacant_unit(world, side, f"L-{side}")
        lease = Lease.objects.create(**{
            "enterprise": here.tenant, "park": here.park, "start_date": self.START,
            "end_date": TODAY + datetime.timedelta(days=700), "monthly_rent": Decimal("110.00"),
            "contract_number": f"GEN-{side.upper()}", "leased_area": unit.area, **overrides})
        lease.units.add(unit)
        return lease

    def create_data(self, world, side):
        here = world.on(side)
        return {"enterprise": here.tenant.credit_code, "building": here.building,
                "units": [vacant_unit(world, side, f"N-{side}")], "contract_number": f"NEW-{side.upper()}",
                "start_date": TODAY.isoformat(), "end_date": (TODAY + datetime.timedelta(days=1095)).isoformat(),
                "monthly_rent": "128.50"}

    def import_row(self, world, obj):
        unit = obj.units.get()
        return {"统一社会信用代码": obj.enterprise.credit_code, "楼宇编码": unit.building.code, "单元号": unit.code,
                "起租日": obj.start_date.isoformat(), "租金": "123"}


# ----- money: rent steps, rent payments, sublets ------------------------------------------------------------------
def lease_of(world, side):
    """The world's lease of side a (operator A's park, enterprise A) or b."""
    return world.lease_a if side == "a" else world.lease_b


class TestRentStep(ModelTests):
    model = RentStep
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vacd", "enterprise": "v", "expert": ""}
    update = {"monthly_rent": Decimal("155.00")}

    def sample(self, world, side, **overrides):
        lease = lease_of(world, side)
        return RentStep.objects.create(**{"lease": lease, "starts_on": lease.start_date + datetime.timedelta(days=31),
                                          "monthly_rent": Decimal("150.00" if side == "a" else "190.00"), **overrides})

    def create_data(self, world, side):
        lease = lease_of(world, side)
        return {"lease": lease, "starts_on": (lease.start_date + datetime.timedelta(days=61)).isoformat(),
                "monthly_rent": "160.00"}


class TestRentPayment(ModelTests):
    model = RentPayment
    # The tenant enters and corrects its payments; the park's operator also deletes them (and confirms: the actions).
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vacd", "enterprise": "vac", "expert": ""}
    update = {"amount": Decimal("84500.00")}
    # The export names the lease as "<enterprise> <contract number>"; the import asks for the credit code and the
    # contract number apart, so an exported file does not import back as it is.
    test_export_imports_back_unchanged = None

    def sample(self, world, side, **overrides):
        lease = lease_of(world, side)
        start = lease.start_date
        return RentPayment.objects.create(**{
            "lease": lease, "period_start": start, "period_end": start + datetime.timedelta(days=29),
            "amount": Decimal("84000.00" if side == "a" else "54000.00"), **overrides})

    def create_data(self, world, side):
        lease = lease_of(world, side)
        start = lease.start_date + datetime.timedelta(days=30)
        return {"lease": lease, "period_start": start.isoformat(),
                "period_end": (start + datetime.timedelta(days=29)).isoformat(), "amount": "84000", "reference": "FP001"}

    def import_row(self, world, obj):
        return {"统一社会信用代码": obj.lease.enterprise.credit_code, "合同编号": obj.lease.contract_number,
                "所属期起": obj.period_start.isoformat(), "所属期止": obj.period_end.isoformat(), "实付租金": "84,500"}


class TestSublet(ModelTests):
    model = Sublet
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "vac", "enterprise": "v", "expert": ""}
    update = {"note": "企业已承诺月底前收回"}

    def sample(self, world, side, **overrides):
        lease = lease_of(world, side)
        return Sublet.objects.create(**{
            "lease": lease, "subtenant_name": "深圳某某咨询有限公司" if side == "a" else "深圳另一贸易有限公司",
            "area": Decimal("50.00"), "starts_on": lease.start_date + datetime.timedelta(days=10),
            "found_on": TODAY, **overrides})

    def create_data(self, world, side):
        lease = lease_of(world, side)
        return {"lease": lease, "subtenant_name": "深圳新发现文化传播有限公司", "area": "80",
                "starts_on": (lease.start_date + datetime.timedelta(days=20)).isoformat(), "found_on": TODAY.isoformat()}
