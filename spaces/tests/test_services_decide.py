"""A unit's 已出租 comes only from a lease, whoever calls the service."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import ObjectChange
from spaces import services
from spaces.choices import UnitStatus
from spaces.models import Unit
from yuanqu.testing import bearer


def test_unit_update_refuses_leased_without_a_lease(world):
    unit = Unit.objects.create(building=world.building_a, floor=world.floor_a, code="9901", area=Decimal("80"),
                               status=UnitStatus.VACANT, vacant_since=datetime.date(2026, 1, 1))
    changes = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.unit_update(user=world.users["officer"], instance=unit, data={"status": UnitStatus.LEASED})
    assert "通过租约" in refused.value.message_dict["status"][0]
    unit.refresh_from_db()
    assert unit.status == UnitStatus.VACANT and ObjectChange.objects.count() == changes


def test_unit_create_refuses_leased(world):
    with pytest.raises(ValidationError) as refused:
        services.unit_create(user=world.users["operator"], data={
            "building": world.building_a, "floor": world.floor_a, "code": "9902", "area": Decimal("80"),
            "status": UnitStatus.LEASED})
    assert "status" in refused.value.message_dict
    assert not Unit.objects.filter(code="9902").exists()


def test_the_api_refuses_it_naming_the_field(world, client):
    unit = Unit.objects.create(building=world.building_a, floor=world.floor_a, code="9903", area=Decimal("80"),
                               status=UnitStatus.VACANT)
    response = client.patch(f"/api/spaces/units/{unit.pk}", data={"status": "leased"},
                            content_type="application/json", **bearer(world.users["operator"]))
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("状态：")
    unit.refresh_from_db()
    assert unit.status == UnitStatus.VACANT


def test_a_leased_unit_keeps_leased_through_an_edit(world):
    assert world.unit_a1.status == UnitStatus.LEASED
    unit = services.unit_update(user=world.users["officer"], instance=world.unit_a1,
                                data={"status": UnitStatus.LEASED, "asking_rent": Decimal("120")})
    assert unit.status == UnitStatus.LEASED and unit.asking_rent == Decimal("120")
