"""Writes about space beyond plain CRUD."""

import datetime

from django.db import transaction

from core import audit, extensions
from core.choices import ChangeAction

from .choices import UnitStatus
from .models import Unit


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


def unit_update(*, user, instance, data):
    """A person may mark a unit vacant, reserved or unavailable; becoming vacant starts the vacancy clock."""
    from core.services import object_update

    stored = Unit.objects.values("status", "area").get(pk=instance.pk)  # the form has already changed instance
    if data.get("status") == UnitStatus.VACANT and stored["status"] != UnitStatus.VACANT:
        data = {**data, "vacant_since": datetime.date.today()}
    elif data.get("status") not in (None, UnitStatus.VACANT):
        data = {**data, "vacant_since": None}
    unit = object_update(user=user, instance=instance, data=data)
    if unit.area != stored["area"]:
        extensions.run_hooks("spaces.unit.area_changed", unit=unit, user=user)
    return unit


def unit_create(*, user, model=Unit, data):
    from core.services import object_create

    if data.get("status", UnitStatus.VACANT) == UnitStatus.VACANT and not data.get("vacant_since"):
        data = {**data, "vacant_since": datetime.date.today()}
    return object_create(user=user, model=model, data=data)
