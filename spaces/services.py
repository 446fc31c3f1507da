"""Writes about space beyond plain CRUD."""

import datetime

from django.db import transaction

from core import audit, extensions
from core.choices import ChangeAction

from .choices import UnitStatus
from .models import Building, Unit


@transaction.atomic
def unit_status_set(*, unit: Unit, status: str, since: datetime.date | None, user) -> Unit:
    """Set a unit's status as its leases dictate (called by leasing); audited like any change.

    A unit that becomes vacant remembers since when, for the long-vacancy list.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.status == status and (status != UnitStatus.VACANT or unit.vacant_since == since):
        return unit
    before = audit.snapshot(unit)
    unit.vacant_since = since if status == UnitStatus.VACANT else None
    unit.status = status
    unit.save(update_fields=["status", "vacant_since", "last_updated"])
    audit.record_change(instance=unit, action=ChangeAction.UPDATE, user=user, before=before, after=audit.snapshot(unit))
    return unit


def unit_defaults(data: dict, stored_status: str | None = None) -> dict:
    """The fields a unit's service sets beside what a person entered: becoming vacant starts the vacancy
    clock, any other status stops it (``stored_status`` is None for a new unit)."""
    status = data.get("status")
    if stored_status is None:
        if (status or UnitStatus.VACANT) == UnitStatus.VACANT and not data.get("vacant_since"):
            return {"vacant_since": datetime.date.today()}
        return {}
    if status == UnitStatus.VACANT and stored_status != UnitStatus.VACANT:
        return {"vacant_since": datetime.date.today()}
    if status not in (None, UnitStatus.VACANT):
        return {"vacant_since": None}
    return {}


def unit_changed(unit: Unit, changed: set, user) -> None:
    """What follows a change to a unit (a new area changes its leases' areas)."""
    if "area" in changed:
        extensions.run_hooks("spaces.unit.area_changed", unit=unit, user=user)


@transaction.atomic
def unit_update(*, user, instance, data):
    """A person may mark a unit vacant, reserved or unavailable; becoming vacant starts the vacancy clock."""
    from core.services import object_update

    stored = Unit.objects.values("status", "area", "building").get(pk=instance.pk)  # the form changed instance
    data = {**data, **unit_defaults(data, stored["status"])}
    unit = object_update(user=user, instance=instance, data=data)
    unit_changed(unit, {"area"} if unit.area != stored["area"] else set(), user)
    if unit.building_id != stored["building"]:
        extensions.run_hooks("spaces.units.moved", units=[unit], user=user)
    return unit


@transaction.atomic
def building_update(*, user, instance, data):
    """A building may move to another park; what is leased in it moves along (leasing checks it may)."""
    from core.services import object_update

    stored_park = Building.objects.values_list("park", flat=True).get(pk=instance.pk)
    building = object_update(user=user, instance=instance, data=data)
    if building.park_id != stored_park:
        extensions.run_hooks("spaces.units.moved", units=Unit.objects.filter(building=building), user=user)
    return building


def unit_create(*, user, model=Unit, data):
    from core.services import object_create

    return object_create(user=user, model=model, data={**data, **unit_defaults(data)})
