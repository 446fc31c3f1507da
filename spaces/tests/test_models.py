"""Invariants the database itself enforces."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from leasing.models import Lease
from spaces.models import Floor, Unit


def test_unit_area_must_be_positive_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(building=world.building_a, floor=world.floor_a, code="Z", area=Decimal("0"))


def test_unit_code_is_unique_on_its_floor(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(building=world.building_a, floor=world.floor_a, code="1201", area=Decimal("5"))


def test_floor_number_is_unique_in_its_building(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Floor.objects.create(building=world.building_a, number=12)


def test_floor_zero_does_not_exist(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Floor(building=world.building_a, number=0).full_clean()


def test_lease_cannot_end_before_it_starts_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Lease.objects.filter(pk=world.lease_a.pk).update(end_date=world.lease_a.start_date.replace(year=2000))


def test_zone_cannot_be_its_own_ancestor(world):
    from django.core.exceptions import ValidationError

    world.zone.parent = world.area
    with pytest.raises(ValidationError) as error:
        world.zone.full_clean()
    assert "parent" in error.value.message_dict
