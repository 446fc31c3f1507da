"""Generic test class of government space allocations (collected through test_generic.py), and the allocation
policy the govspace tests share."""

import datetime
import itertools
from decimal import Decimal

from certification.choices import VersionStatus
from leasing.choices import LeaseStatus
from leasing.models import Lease
from policies.choices import PolicyCategory
from policies.models import Policy, PolicyVersion, SpaceAllocation
from spaces.choices import UnitStatus
from spaces.models import Unit
from yuanqu.generic_tests import ModelTests

_serial = itertools.count(1)

# The 2024 measures' rule: a national high-tech enterprise pays 50% of the assessed market rent.
HIGH_TECH = {"all": [{"fact": "enterprise.high_tech", "op": "eq", "value": True, "label": "国家高新技术企业"}]}
# An admission standard every enterprise of the world meets (it has not moved out of the district).
IN_DISTRICT = {"all": [{"fact": "enterprise.in_district", "op": "eq", "value": True, "label": "仍在本区"}]}


def rent_share(basis_points: int, since: str = "2020-01-01") -> dict:
    return {"rent_share": {"type": "share", "label": "租金比例（占评估市场租金）", "values": [[since, basis_points]]}}


def allocation_policy(code="gov-space-test", *, conditions=None, parameters=None) -> Policy:
    """An allocation policy with one published version in force since 2020 (made once per code)."""
    policy, made = Policy.objects.get_or_create(code=code, defaults={
        "name": f"政府产业用房配置{code}", "category": PolicyCategory.GOVERNMENT_SPACE,
        "document_number": "福府办规〔2020〕4号", "issuer": "福田区人民政府办公室",
        "valid_from": datetime.date(2020, 1, 1)})
    if made:
        PolicyVersion.objects.create(
            policy=policy, number=1, status=VersionStatus.PUBLISHED, effective_from=datetime.date(2020, 1, 1),
            source_document="福府办规〔2020〕4号", conditions=IN_DISTRICT if conditions is None else conditions,
            parameters=rent_share(5000) if parameters is None else parameters, content_hash="0" * 64)
    return policy


def government_unit(building, floor, *, area="150.00", status=UnitStatus.VACANT, government_owned=True) -> Unit:
    serial = next(_serial)
    return Unit.objects.create(building=building, floor=floor, code=f"G{serial:03d}", area=Decimal(area),
                               asking_rent=Decimal("120.00"), status=status, government_owned=government_owned)


class TestSpaceAllocation(ModelTests):
    model = SpaceAllocation
    # The bureau allocates; leaders read; operators and enterprises take no part.
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "", "enterprise": "", "expert": ""}
    update = {"note": "经产业用房领导小组会议研究同意"}

    def sample(self, world, side, **overrides):
        """A proposal of a vacant government-owned unit of its own (so that any action on it can succeed), rent
        worked out as the services do: 50% of 120.00."""
        side_ = world.on(side)
        start = datetime.date.today() + datetime.timedelta(days=30 + next(_serial))
        units = overrides.pop("units", None) or [government_unit(side_.building, side_.floor)]
        # A test may put the sample in any state: a leased one names a lease (an earlier, expired one of the same
        # units, which leaves them free), a rejected one its reason.
        earlier = Lease.objects.create(enterprise=side_.tenant, park=side_.park, status=LeaseStatus.EXPIRED,
                                       start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2022, 12, 31),
                                       monthly_rent=Decimal("60.00"), assessed_monthly_rent=Decimal("120.00"))
        earlier.units.set(units)
        allocation = SpaceAllocation.objects.create(**{
            "policy": allocation_policy(), "enterprise": side_.tenant, "start_date": start,
            "end_date": start + datetime.timedelta(days=3 * 365), "assessed_rent": Decimal("120.00"),
            "rent_share": 5000, "monthly_rent": Decimal("60.00"), "reason": "企业未达到准入标准", "lease": earlier,
            **overrides})
        allocation.units.set(units)
        return allocation

    def create_data(self, world, side):
        side_ = world.on(side)
        return {"policy": allocation_policy(), "enterprise": side_.tenant.credit_code,
                "units": [government_unit(side_.building, side_.floor)], "start_date": "2027-01-01",
                "end_date": "2029-12-31", "assessed_rent": "118.35"}

    def api_create_data(self, world, side):
        return {**self.create_data(world, side), "enterprise": world.on(side).tenant.pk}
