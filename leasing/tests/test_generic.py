"""The generic tests (yuanqu/generic_tests.py) of leases."""

import datetime
from decimal import Decimal

from leasing.models import Lease
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
