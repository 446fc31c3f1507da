"""Lease rules: no overlapping active leases on a unit; unit status follows the leases."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import DomainEvent, ObjectChange
from leasing import services
from leasing.choices import LeaseStatus
from leasing.models import Lease
from spaces.choices import UnitStatus

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
    services.lease_terminate(user=world.users["officer"], lease=world.lease_a, on=TODAY)
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
    services.lease_terminate(user=world.users["officer"], lease=world.lease_a, on=on)
    world.unit_a1.refresh_from_db()
    world.lease_a.refresh_from_db()
    assert world.lease_a.status == LeaseStatus.TERMINATED and world.lease_a.terminated_on == on
    assert world.unit_a1.status == UnitStatus.VACANT and world.unit_a1.vacant_since == on + DAY
    assert DomainEvent.objects.filter(name="leasing.lease.terminate", object_id=str(world.lease_a.pk)).exists()


def test_cannot_terminate_twice(world):
    services.lease_terminate(user=world.users["officer"], lease=world.lease_a, on=TODAY)
    with pytest.raises(ValidationError):
        services.lease_terminate(user=world.users["officer"], lease=world.lease_a, on=TODAY)


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
    services.lease_terminate(user=world.users["officer"], lease=world.lease_a, on=on)
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
        services.lease_terminate(user=world.users["officer"], lease=world.lease_a,
                                 on=world.lease_a.end_date + DAY)
    assert "terminated_on" in error.value.message_dict


def test_daily_run_frees_a_unit_when_its_termination_takes_effect(world):
    services.lease_terminate(user=world.users["officer"], lease=world.lease_a, on=TODAY + 3 * DAY)
    services.lease_expire_due(today=TODAY + 4 * DAY)
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.status == UnitStatus.VACANT and world.unit_a1.vacant_since == TODAY + 4 * DAY
