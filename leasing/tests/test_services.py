"""Lease rules: no overlapping active leases on a unit; unit status follows the leases."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.actions import Refused
from core.models import DomainEvent, ObjectChange
from enterprises.models import Enterprise
from leasing import services
from leasing.choices import LeaseStatus
from leasing.models import Lease
from spaces.choices import UnitStatus
from spaces.models import Unit

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def lease_data(world, units, start, end, enterprise=None):
    return {"enterprise": enterprise or world.tenant_b, "units": units, "start_date": start, "end_date": end,
            "monthly_rent": Decimal("120.00"), "contract_number": "T-1"}


def test_overlapping_active_lease_is_refused_with_a_clear_message(world):
    data = lease_data(world, [world.unit_a1], TODAY + 10 * DAY, TODAY + 400 * DAY)
    with pytest.raises(ValidationError) as error:
        services.lease_create(user=world.users["officer"], data=data)
    message = " ".join(error.value.message_dict["units"])
    assert "1201" in message and world.tenant_a.name in message
    assert Lease.objects.count() == 2  # nothing half-saved
    assert not ObjectChange.objects.filter(content_type__model="lease").exists()


def test_lease_starting_the_day_after_the_old_one_ends_is_fine(world):
    start = world.lease_a.end_date + DAY
    lease = services.lease_create(user=world.users["officer"],
                                  data=lease_data(world, [world.unit_a1], start, start + 365 * DAY))
    assert lease.pk and lease.leased_area == Decimal("600.00")


def test_terminated_lease_does_not_block(world):
    services.lease_terminate(user=world.users["officer"], instance=world.lease_a, terminated_on=TODAY)
    lease = services.lease_create(user=world.users["officer"],
                                  data=lease_data(world, [world.unit_a1], TODAY + DAY, TODAY + 200 * DAY))
    assert lease.status == LeaseStatus.ACTIVE


def test_new_lease_in_force_marks_units_leased_and_sums_area(world):
    lease = services.lease_create(user=world.users["operator"], data=lease_data(
        world, [world.unit_a2], TODAY - 5 * DAY, TODAY + 300 * DAY, enterprise=world.tenant_a))
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == UnitStatus.LEASED and world.unit_a2.vacant_since is None
    assert lease.leased_area == Decimal("200.00")
    assert lease.total_monthly_rent == Decimal("24000.00")


def test_future_lease_reserves_the_unit(world):
    services.lease_create(user=world.users["officer"],
                          data=lease_data(world, [world.unit_a2], TODAY + 30 * DAY, TODAY + 400 * DAY))
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == UnitStatus.RESERVED


def test_termination_frees_units_from_the_next_day(world):
    on = TODAY - 3 * DAY
    services.lease_terminate(user=world.users["officer"], instance=world.lease_a, terminated_on=on)
    world.unit_a1.refresh_from_db()
    world.lease_a.refresh_from_db()
    assert world.lease_a.status == LeaseStatus.TERMINATED and world.lease_a.terminated_on == on
    assert world.unit_a1.status == UnitStatus.VACANT and world.unit_a1.vacant_since == on + DAY
    assert DomainEvent.objects.filter(name="leasing.lease.terminate", object_id=str(world.lease_a.pk)).exists()


def test_cannot_terminate_twice(world):
    services.lease_terminate(user=world.users["officer"], instance=world.lease_a, terminated_on=TODAY)
    with pytest.raises(Refused, match="已解约"):
        services.lease_terminate(user=world.users["officer"], instance=world.lease_a, terminated_on=TODAY)


def test_expiry_run_marks_past_leases_expired_and_frees_units(world):
    Lease.objects.filter(pk=world.lease_a.pk).update(end_date=TODAY - 2 * DAY)
    count = services.lease_expire_due(today=TODAY)
    world.lease_a.refresh_from_db()
    world.unit_a1.refresh_from_db()
    assert count == 1 and world.lease_a.status == LeaseStatus.EXPIRED
    assert world.unit_a1.status == UnitStatus.VACANT and world.unit_a1.vacant_since == TODAY - DAY


def test_moving_a_lease_to_another_unit_frees_the_old_one(world):
    services.lease_update(user=world.users["operator"], instance=world.lease_a,
                          data={"units": [world.unit_a2]})
    world.unit_a1.refresh_from_db()
    world.unit_a2.refresh_from_db()
    assert world.unit_a1.status == UnitStatus.VACANT
    assert world.unit_a2.status == UnitStatus.LEASED


def test_deleting_a_lease_frees_its_units(world):
    services.lease_delete(user=world.users["officer"], instance=world.lease_a)
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.status == UnitStatus.VACANT


def test_operator_cannot_lease_another_operators_unit(world):
    with pytest.raises(ValidationError):
        services.lease_create(user=world.users["operator"], data=lease_data(
            world, [world.unit_a2, world.unit_b1], TODAY + 800 * DAY, TODAY + 900 * DAY))


def test_enterprise_user_cannot_create_leases(world):
    with pytest.raises(PermissionDenied):
        services.lease_create(user=world.users["enterprise"],
                              data=lease_data(world, [world.unit_a2], TODAY, TODAY + DAY))


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.lease_create(user=world.users["officer"],
                              data=lease_data(world, [world.unit_a2], TODAY, TODAY - DAY))
    assert "end_date" in error.value.message_dict


def test_daily_refresh_command_starts_and_expires_leases(world):
    from io import StringIO

    from django.core.management import call_command

    future = services.lease_create(user=world.users["officer"], data=lease_data(
        world, [world.unit_a2], TODAY + 10 * DAY, TODAY + 400 * DAY))
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == UnitStatus.RESERVED
    out = StringIO()
    call_command("leases_refresh", date=(TODAY + 50 * DAY), stdout=out)
    world.unit_a2.refresh_from_db()
    world.lease_a.refresh_from_db()
    assert "expired 1" in out.getvalue()
    assert world.lease_a.status == LeaseStatus.EXPIRED  # ended 45 days from today
    assert world.unit_a2.status == UnitStatus.LEASED and future.pk


def test_termination_in_the_future_keeps_the_unit_leased_until_then(world):
    on = TODAY + 10 * DAY
    services.lease_terminate(user=world.users["officer"], instance=world.lease_a, terminated_on=on)
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.status == UnitStatus.LEASED
    with pytest.raises(ValidationError):  # the unit is still held until the termination date
        services.lease_create(user=world.users["officer"],
                              data=lease_data(world, [world.unit_a1], TODAY + 5 * DAY, TODAY + 100 * DAY))
    services.lease_create(user=world.users["officer"],
                          data=lease_data(world, [world.unit_a1], on + DAY, on + 100 * DAY))
    services.lease_expire_due(today=on + DAY)
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.status == UnitStatus.LEASED  # the next tenant moved in the day after


def test_termination_after_the_end_date_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.lease_terminate(user=world.users["officer"], instance=world.lease_a,
                                 terminated_on=world.lease_a.end_date + DAY)
    assert "terminated_on" in error.value.message_dict


def test_daily_run_frees_a_unit_when_its_termination_takes_effect(world):
    services.lease_terminate(user=world.users["officer"], instance=world.lease_a, terminated_on=TODAY + 3 * DAY)
    services.lease_expire_due(today=TODAY + 4 * DAY)
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.status == UnitStatus.VACANT and world.unit_a1.vacant_since == TODAY + 4 * DAY


# The park a lease lies in is stored on it (scopes and park filters read it) and follows its units.

def test_new_lease_stores_its_park(world):
    lease = services.lease_create(user=world.users["officer"], data=lease_data(
        world, [world.unit_a2], TODAY + 30 * DAY, TODAY + 400 * DAY))
    assert lease.park == world.park_a
    created = ObjectChange.objects.get(content_type__model="lease", object_id=lease.pk)
    assert created.data_after["park"] == world.park_a.pk


def test_lease_over_two_parks_is_refused_naming_both(world):
    with pytest.raises(ValidationError) as error:
        services.lease_create(user=world.users["officer"], data=lease_data(
            world, [world.unit_a2, world.unit_b1], TODAY + 800 * DAY, TODAY + 900 * DAY))
    message = " ".join(error.value.message_dict["units"])
    assert world.park_a.name in message and world.park_b.name in message
    assert Lease.objects.count() == 2


def test_lease_moved_to_a_unit_in_another_park_moves_with_it(world):
    lease = services.lease_update(user=world.users["officer"], instance=world.lease_b,
                                  data={"units": [world.unit_a2]})
    assert lease.park == world.park_a
    assert Lease.objects.for_user(world.users["operator"]).filter(pk=lease.pk).exists()
    assert not Lease.objects.for_user(world.users["operator_b"]).filter(pk=lease.pk).exists()


def test_building_moved_to_another_park_takes_its_leases_and_tenants(world):
    from spaces.services import building_update

    operator_b = world.users["operator_b"]
    assert not Enterprise.objects.for_user(operator_b).filter(pk=world.tenant_a.pk).exists()
    building_update(user=world.users["officer"], instance=world.building_a, data={"park": world.park_b})
    world.lease_a.refresh_from_db()
    assert world.lease_a.park == world.park_b
    assert Lease.objects.for_user(operator_b).filter(pk=world.lease_a.pk).exists()
    assert Enterprise.objects.for_user(operator_b).filter(pk=world.tenant_a.pk).exists()
    assert not Lease.objects.for_user(world.users["operator"]).filter(pk=world.lease_a.pk).exists()
    change = ObjectChange.objects.filter(content_type__model="lease", object_id=world.lease_a.pk).latest("pk")
    assert (change.data_before["park"], change.data_after["park"]) == (world.park_a.pk, world.park_b.pk)


def test_moving_a_unit_that_would_split_a_lease_across_parks_is_refused(world):
    from spaces.services import unit_update

    unit_a3 = Unit.objects.create(building=world.building_a, floor=world.floor_a, code="1203", area=Decimal("80"))
    lease = services.lease_create(user=world.users["officer"], data=lease_data(
        world, [world.unit_a2, unit_a3], TODAY + 800 * DAY, TODAY + 900 * DAY))
    with pytest.raises(ValidationError) as error:
        unit_update(user=world.users["officer"], instance=world.unit_a2,
                    data={"building": world.building_b, "floor": world.floor_b})
    assert world.park_a.name in str(error.value) and world.park_b.name in str(error.value)
    world.unit_a2.refresh_from_db()
    lease.refresh_from_db()
    assert world.unit_a2.building == world.building_a and lease.park == world.park_a  # nothing half-saved


def test_migration_fills_the_park_from_the_units(world):
    from importlib import import_module

    from django.apps import apps

    Lease.objects.update(park=None)
    import_module("leasing.migrations.0003_lease_park").fill_park(apps, None)
    assert dict(Lease.objects.values_list("pk", "park")) == {world.lease_a.pk: world.park_a.pk,
                                                              world.lease_b.pk: world.park_b.pk}
