"""Lease workflows: create, change, terminate, expire; unit status follows from them."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, reminders
from core.choices import ChangeAction
from core.permissions import CHANGE, ensure_can
from core.services import object_create, object_delete, object_update
from spaces.choices import UnitStatus
from spaces.models import Park, Unit
from spaces.services import unit_status_set

from . import selectors
from .choices import HOLDING_STATUSES, LeaseStatus
from .models import Lease

TERMINATE = audit.register_event("leasing.lease.terminate", gettext_lazy("Lease terminated early"))

# Allowed status changes of a lease, by the service that makes them.
TRANSITIONS = {
    (LeaseStatus.ACTIVE, LeaseStatus.TERMINATED): "lease_terminate",
    (LeaseStatus.ACTIVE, LeaseStatus.EXPIRED): "lease_expire_due",
}


def units_lock(units, *, all_present: bool = False) -> list[int]:
    """Lock the rows of ``units`` (objects or ids) for the rest of the transaction, in id order.

    Every rule about what a unit may carry (no two overlapping holding leases, not leased while unavailable,
    its leases in one park, its status following them) is checked and written by a transaction that holds
    its unit's lock first: a second writer of the same unit waits, then reads what the first one stored.
    Taking the locks in id order means two writers never hold one unit each while waiting for the other's.
    On SQLite the lock is a no-op: a write transaction holds the whole database from its start (IMMEDIATE).
    With ``all_present``, a unit deleted meanwhile is refused (a lease about to name it); otherwise skipped.
    """
    ids = sorted({getattr(u, "pk", u) for u in units})
    locked = list(Unit.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    if all_present and len(locked) != len(ids):
        raise ValidationError({"units": _("A unit of this lease was deleted meanwhile; choose the units again.")})
    return locked


def _lock_units_of(lease_pk, more=()) -> None:
    """Lock a stored lease's units (and ``more``) before its own row, as every lease writer does."""
    held: set[int] = set()
    while True:
        wanted = set(Lease.units.through.objects.filter(lease_id=lease_pk).values_list("unit_id", flat=True))
        wanted |= {getattr(u, "pk", u) for u in more}
        if wanted <= held:
            return
        units_lock(wanted - held, all_present=True)  # a second pass only when another writer changed the lease's units meanwhile
        held |= wanted


def _check_lease(lease: Lease) -> None:
    """A unit cannot carry two overlapping active leases; a lease covers at least one unit. The caller holds
    the units' locks (units_lock), so what is read here stays true until the transaction ends."""
    units = list(lease.units.select_related("building__park"))
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    parks = {u.building.park for u in units}
    if len(parks) > 1:
        raise ValidationError({"units": _("The units of one lease must be in one park; these are in %(parks)s.")
                               % {"parks": "、".join(sorted(p.name for p in parks))}})
    unavailable = sorted(u.code for u in units if u.status == UnitStatus.UNAVAILABLE)
    if unavailable and lease.status in HOLDING_STATUSES:
        raise ValidationError({"units": _("Unit %(units)s is marked unavailable and cannot be leased.")
                               % {"units": "、".join(unavailable)}})
    if lease.status in HOLDING_STATUSES:
        clashes = selectors.leases_overlapping(
            units=units, start=lease.start_date, end=lease.end_date, exclude_pk=lease.pk
        ).select_related("enterprise").prefetch_related("units")
        for other in clashes:
            shared = sorted(u.code for u in other.units.all() if u in units)
            raise ValidationError({"units": _(
                "Unit %(units)s already has an active lease from %(start)s to %(end)s (%(tenant)s) "
                "that overlaps this period."
            ) % {"units": "、".join(shared), "start": date_format(other.start_date),
                 "end": date_format(other.end_date), "tenant": other.enterprise.name}})
    if lease.park_id != units[0].building.park_id:
        lease.park = units[0].building.park
        lease.save(update_fields=["park"])
    lease_area_refresh(lease=lease)


def leases_follow_moved_units(*, units, user) -> None:
    """After units moved to another building (or their building to another park), each of their leases
    keeps the park it is in; a lease that would then lie in two parks stops the move."""
    units_lock(units)  # a lease being recorded on these units meanwhile is seen, or waits for the move
    leases = {lease.pk: lease for lease in Lease.objects.filter(units__in=units).distinct()}
    parks_of: dict[int, set[int]] = {pk: set() for pk in leases}
    for lease_id, park_id in Lease.units.through.objects.filter(lease_id__in=leases).values_list(
        "lease_id", "unit__building__park_id"
    ):
        parks_of[lease_id].add(park_id)
    for pk, lease in leases.items():
        parks = parks_of[pk]
        if len(parks) > 1:
            names = Park.objects.filter(pk__in=parks).order_by("name").values_list("name", flat=True)
            raise ValidationError(_(
                "Lease %(lease)s would then cover units in two parks (%(parks)s); end or change it first."
            ) % {"lease": lease, "parks": "、".join(names)})
        (park_id,) = parks
        if lease.park_id != park_id:
            before = audit.snapshot(lease)
            lease.park_id = park_id
            lease.save(update_fields=["park"])
            audit.record_change(instance=lease, action=ChangeAction.UPDATE, user=user, before=before,
                                after=audit.snapshot(lease))


def lease_area_refresh(*, lease: Lease, user=None) -> None:
    """Keep the stored leased area equal to the sum of the units' areas (audited when it changes later)."""
    area = lease.units_area().quantize(Decimal("0.01"))
    if lease.leased_area != area:
        before = audit.snapshot(lease)
        lease.leased_area = area
        lease.save(update_fields=["leased_area"])
        if user is not None:
            audit.record_change(instance=lease, action=ChangeAction.UPDATE, user=user, before=before,
                                after=audit.snapshot(lease))


def leases_of_resized_unit(*, unit, user) -> None:
    for lease in Lease.objects.filter(units=unit):
        lease_area_refresh(lease=lease, user=user)


def units_refresh_status(*, units, user, today: datetime.date | None = None) -> None:
    """Each unit is leased while a lease is in force, reserved while one is signed but not begun,
    and vacant (since the last lease ended) once none is active."""
    today = today or datetime.date.today()
    ids = units_lock(units)  # the leases read below are the ones stored: no writer of these units is midway
    for unit in Unit.objects.filter(pk__in=ids).order_by("pk"):
        holding = Lease.objects.filter(units=unit, status__in=HOLDING_STATUSES)
        if holding.filter(start_date__lte=today, end_date__gte=today).exists():
            unit_status_set(unit=unit, status=UnitStatus.LEASED, since=None, user=user)
        elif holding.filter(start_date__gt=today).exists():
            unit_status_set(unit=unit, status=UnitStatus.RESERVED, since=None, user=user)
        elif unit.status in (UnitStatus.LEASED, UnitStatus.VACANT) or (
            unit.status == UnitStatus.RESERVED and unit.leases.exists()
        ):
            # A vacant unit's clock restarts when a lease recorded late shows it was occupied more recently.
            since = _freed_on(unit, today) if unit.leases.exists() else (unit.vacant_since or today)
            if unit.status != UnitStatus.VACANT or (since and (unit.vacant_since is None or since > unit.vacant_since)):
                unit_status_set(unit=unit, status=UnitStatus.VACANT, since=since, user=user)


def _freed_on(unit, today):
    last = unit.leases.filter(end_date__lt=today).order_by("-end_date").first()
    if last is None:
        return today
    return last.end_date + datetime.timedelta(days=1)


@transaction.atomic
def lease_create(*, user, model=Lease, data):
    units_lock(data.get("units") or (), all_present=True)
    lease = object_create(user=user, model=model, data=data, check=_check_lease)
    units_refresh_status(units=lease.units.all(), user=user)
    reminders.refresh_for(lease)
    return lease


@transaction.atomic
def lease_update(*, user, instance, data):
    """Only an active lease is changed; expired and terminated ones are the record of what happened."""
    _lock_units_of(instance.pk, data.get("units") or ())
    if Lease.objects.get(pk=instance.pk).status != LeaseStatus.ACTIVE:
        raise ValidationError(_("Only an active lease can be changed; expired and terminated leases are kept as they were."))
    before_units = list(instance.units.all())
    lease = object_update(user=user, instance=instance, data=data, check=_check_lease)
    units_refresh_status(units=set(before_units) | set(lease.units.all()), user=user)
    reminders.refresh_for(lease)  # a new end date: the old reminders go, those of the new one come
    return lease


@transaction.atomic
def lease_delete(*, user, instance):
    _lock_units_of(instance.pk)
    units = list(instance.units.all())
    object_delete(user=user, instance=instance)
    units_refresh_status(units=units, user=user)
    reminders.refresh_for(instance)  # its reminders are resolved


@transaction.atomic
def lease_terminate(*, user, lease: Lease, on: datetime.date) -> Lease:
    """End an active lease early: it holds its units up to ``on`` (any day from its start to its end, past
    days included when the termination is recorded late) and frees them the day after."""
    ensure_can(user, CHANGE, Lease)
    _lock_units_of(lease.pk)
    lease = Lease.objects.for_user(user).select_for_update().get(pk=lease.pk)
    if (lease.status, LeaseStatus.TERMINATED) not in TRANSITIONS:
        raise ValidationError(_("Only an active lease can be terminated."))
    if on < lease.start_date:
        raise ValidationError({"terminated_on": _("The termination date cannot be before the start date.")})
    if on > lease.end_date:
        raise ValidationError({"terminated_on": _("The termination date cannot be after the end date.")})
    before = audit.snapshot(lease)
    lease.status = LeaseStatus.TERMINATED
    lease.terminated_on = on
    lease.end_date = min(lease.end_date, on)
    lease.full_clean()
    lease.save()
    audit.record_change(instance=lease, action=ChangeAction.UPDATE, user=user, before=before, after=audit.snapshot(lease))
    audit.record_event(TERMINATE, user=user, instance=lease, data={"terminated_on": on})
    units_refresh_status(units=lease.units.all(), user=user)
    reminders.refresh_for(lease)  # no longer expiring: its reminders are resolved
    return lease


@transaction.atomic
def lease_expire_due(*, today: datetime.date | None = None, user=None) -> int:
    """Mark active leases past their end date as expired and refresh their units (run daily)."""
    today = today or datetime.date.today()
    due = Lease.objects.filter(status=LeaseStatus.ACTIVE, end_date__lt=today)
    # Leases that began since the last run turn reserved units into leased ones; terminations that
    # took effect free theirs. All the units concerned are locked at once, in id order, before any lease.
    in_force = selectors.current_leases(today).values("units")
    units = set(Lease.units.through.objects.filter(lease__in=due).values_list("unit_id", flat=True))
    units.update(Unit.objects.filter(pk__in=in_force).exclude(status=UnitStatus.LEASED).values_list("pk", flat=True))
    units.update(Unit.objects.filter(status=UnitStatus.LEASED).exclude(pk__in=in_force).values_list("pk", flat=True))
    units_lock(units)
    due = list(due.select_for_update())
    for lease in due:
        before = audit.snapshot(lease)
        lease.status = LeaseStatus.EXPIRED
        lease.save(update_fields=["status", "last_updated"])
        audit.record_change(instance=lease, action=ChangeAction.UPDATE, user=user, before=before, after=audit.snapshot(lease))
        units.update(lease.units.values_list("pk", flat=True))
    units_refresh_status(units=units, user=user, today=today)
    return len(due)
