"""Writes about space beyond plain CRUD."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.actions import action
from core.reference.choices import ChangeAction, Role
from core.surfaces import extensions

from .choices import UnitStatus
from .models import Building, Floor, Unit


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
    from core.services import locked_for_user, object_update

    # Read under the unit's lock (the form changed instance): a lease recorded since the form was shown has
    # made the unit leased, and only its leases change that (leasing.services locks the same row).
    locked = locked_for_user(user, Unit, instance.pk)
    stored = {"status": locked.status, "area": locked.area, "building": locked.building_id}
    if stored["status"] == UnitStatus.LEASED and data.get("status", UnitStatus.LEASED) != UnitStatus.LEASED:
        raise ValidationError({"status": _("The unit was leased meanwhile: its status now follows its leases.")})
    _refuse_leased_by_hand(data, stored["status"])
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


def _refuse_leased_by_hand(data: dict, stored_status: str | None) -> None:
    """已出租 comes only from a lease (leasing sets it through unit_status_set): a person, a form, an import or
    an API call may not set it on a unit that is not leased."""
    if data.get("status") == UnitStatus.LEASED and stored_status != UnitStatus.LEASED:
        raise ValidationError({"status": _("A unit becomes leased only through a lease: record the lease, and the "
                                           "unit follows it.")})


def unit_create(*, user, model=Unit, data):
    from core.services import object_create

    _refuse_leased_by_hand(data, None)
    return object_create(user=user, model=model, data={**data, **unit_defaults(data)})


# ----- implausible values and generated floors (data quality) -------------------------------------------------
CONFIRM_WARNINGS = "confirm_warnings"  # the form field, API key and import choice that confirms warnings
UNIT_WARNINGS_CONFIRMED = audit.register_event(
    "spaces.unit.warnings_confirm", gettext_lazy("Implausible unit area confirmed"))


def _hold_implausible(unit: Unit, *, confirmed: bool, user) -> None:
    """A unit whose area is above the ceiling, or whose building's units now exceed its floor area, is saved
    only when the person confirms it; the confirmation and what it confirmed are audited."""
    from . import quality

    warnings = quality.unit_warnings(unit)
    if not warnings:
        return
    if not confirmed:
        raise ValidationError({CONFIRM_WARNINGS: warnings})
    audit.record_event(UNIT_WARNINGS_CONFIRMED, user=user, instance=unit,
                       data={"area": unit.area, "building": unit.building_id, "warnings": warnings})


@transaction.atomic
def unit_create_checked(*, user, model=Unit, data):
    """Create a unit; an implausible area needs the person's confirmation (``confirm_warnings``)."""
    data = dict(data)
    confirmed = bool(data.pop(CONFIRM_WARNINGS, False))
    unit = unit_create(user=user, model=model, data=data)
    _hold_implausible(unit, confirmed=confirmed, user=user)
    return unit


@transaction.atomic
def unit_update_checked(*, user, instance, data):
    """Change a unit; a new area (or building) that is implausible needs the person's confirmation."""
    data = dict(data)
    confirmed = bool(data.pop(CONFIRM_WARNINGS, False))
    stored = Unit.objects.values("area", "building").get(pk=instance.pk)
    unit = unit_update(user=user, instance=instance, data=data)
    if unit.area != stored["area"] or unit.building_id != stored["building"]:
        _hold_implausible(unit, confirmed=confirmed, user=user)
    return unit


@transaction.atomic
def _floors_generated(created: list) -> str:
    if created:
        return _("%(count)d floor(s) created; existing floors were kept.") % {"count": len(created)}
    return _("Every floor the building records already exists: nothing was created.")


def _floors_event(building: Building, created: list) -> dict:
    made = [f.number for f in created]
    kept = sorted(set(Floor.objects.filter(building=building).values_list("number", flat=True)) - set(made))
    return {"floors_above": building.floors_above, "floors_below": building.floors_below, "created": made, "kept": kept}


@action(Building, "floors_generate", label=gettext_lazy("Generate floors"), event_label=gettext_lazy("Floors generated"),
        roles=(Role.BUREAU_ADMIN, Role.BUREAU_OFFICER, Role.PARK_OPERATOR), style="outline-secondary",
        help=gettext_lazy("Creates the floors the building records (floors above ground 1 to N, below ground B1 to "
                          "Bn) that it lacks; existing floors are kept as they are."),
        example=lambda building: {}, message=_floors_generated,
        event_data=lambda building, created: _floors_event(building, created))
def building_floors_generate(*, user, instance: Building) -> list[Floor]:
    """Create the floors a building records (地上层数 1..N, 地下层数 B1..Bn) that it lacks; existing floors are
    kept as they are, so running it twice creates nothing the second time (the building's row is locked by the
    action). Returns the floors created."""
    from core.access.permissions import ADD, ensure_can

    ensure_can(user, ADD, Floor)
    building = instance
    wanted = [*range(1, building.floors_above + 1), *range(-1, -building.floors_below - 1, -1)]
    existing = set(Floor.objects.filter(building=building).values_list("number", flat=True))
    created = []
    for number in wanted:
        if number in existing:
            continue
        floor = Floor(building=building, number=number)
        floor.full_clean()
        floor.save()
        audit.record_change(instance=floor, action=ChangeAction.CREATE, user=user, before=None,
                            after=audit.snapshot(floor))
        created.append(floor)
    return created
