"""Lease workflows: create, change, terminate, renew, move, follow up, expire; unit status follows from them. A
lease's money records: its rent steps, the rent paid (entered, imported, confirmed by the operator), sublets."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, reminders
from core.access.permissions import CHANGE, DELETE, record_refusal
from core.actions import action
from core.reference.choices import ChangeAction, Role
from core.services import object_create, object_delete, object_update
from spaces.choices import UnitStatus
from spaces.models import Park, Unit
from spaces.services import unit_status_set

from . import forms, selectors
from .choices import FOLLOW_UP_CHOICES, HOLDING_STATUSES, FollowUpStatus, LeaseStatus, PaymentState
from .models import Lease, LeaseFollowUp, RentPayment, RentStep, Sublet

DAY = datetime.timedelta(days=1)

# Who may take the lease actions (each within its scope: an operator its parks' leases).
LEASE_WRITERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER, Role.PARK_OPERATOR)


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


def leases_lock(ids) -> None:
    """Lock stored leases as their writers do: all their units first, then the leases, each in id order (a
    bulk edit or delete locks its whole selection so before it reads it)."""
    units_lock(Lease.units.through.objects.filter(lease_id__in=ids).values_list("unit_id", flat=True))
    list(Lease.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


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
    """Only an active lease is changed; expired, terminated and renewed ones are the record of what happened (a
    renewed lease's end date is where its successor begins: change the successor)."""
    _lock_units_of(instance.pk, data.get("units") or ())
    refused = record_refusal(Lease.objects.get(pk=instance.pk), CHANGE)  # read after the units' locks
    if refused:
        raise ValidationError(refused)
    before_units = list(instance.units.all())
    lease = object_update(user=user, instance=instance, data=data, check=_check_lease_and_money)
    units_refresh_status(units=set(before_units) | set(lease.units.all()), user=user)
    reminders.refresh_for(lease)  # a new end date: the old reminders go, those of the new one come
    return lease


def _check_lease_and_money(lease: Lease) -> None:
    """A changed lease still covers the rent paid and the rent steps recorded for it (the lease's row is locked
    by the update, as every writer of its money records locks it)."""
    _check_lease(lease)
    before = (lease.rent_payments.filter(period_start__lt=lease.start_date).exists()
              or lease.rent_steps.filter(starts_on__lt=lease.start_date).exists())
    after = (lease.rent_payments.filter(period_end__gt=lease.end_date).exists()
             or lease.rent_steps.filter(starts_on__gt=lease.end_date).exists())
    if before or after:
        raise ValidationError({"start_date" if before else "end_date": _(
            "Rent paid or rent steps recorded for this lease would lie outside its new dates; correct or remove "
            "them first.")})


@transaction.atomic
def lease_delete(*, user, instance):
    """Delete a lease (a lease that another continues is kept: it is refused). Deleting the lease a renewal
    made undoes the renewal: the renewed lease is in force again (or expired, when its end date has passed)."""
    predecessor = Lease.objects.filter(pk=instance.pk).values_list("predecessor", flat=True).first()
    before_units = Lease.units.through.objects.filter(lease_id=predecessor).values_list("unit_id", flat=True)
    _lock_units_of(instance.pk, list(before_units) if predecessor else ())
    units = list(instance.units.all())
    object_delete(user=user, instance=instance)
    if predecessor:
        units += _renewal_undo(lease_pk=predecessor, user=user)
    units_refresh_status(units=units, user=user)
    reminders.refresh_for(instance)  # its reminders are resolved


def _renewal_undo(*, lease_pk, user) -> list:
    """The renewed lease ``lease_pk`` lost the lease its renewal made: it is in force again. Returns its units."""
    lease = Lease.objects.select_for_update().get(pk=lease_pk)
    if lease.status != LeaseStatus.RENEWED:
        return []  # a move's old lease stays terminated: the tenant did leave its units
    before = audit.snapshot(lease)
    lease.status = LeaseStatus.ACTIVE if lease.end_date >= datetime.date.today() else LeaseStatus.EXPIRED
    lease.save(update_fields=["status", "last_updated"])
    audit.record_change(instance=lease, action=ChangeAction.UPDATE, user=user, before=before, after=audit.snapshot(lease))
    with translation.override(settings.LANGUAGE_CODE):
        note = _("The lease its renewal made was deleted.")
    _follow_up_add(lease=lease, status=FollowUpStatus.PENDING, note=note, next_contact_on=None, user=user)
    return list(lease.units.all())


def _lease_end_early(*, lease: Lease, on: datetime.date, reason: str, user) -> None:
    """Mark ``lease`` terminated on ``on``: it holds its units up to that day (its end date is cut to it)."""
    before = audit.snapshot(lease)
    lease.status = LeaseStatus.TERMINATED
    lease.terminated_on = on
    lease.termination_reason = reason
    lease.end_date = min(lease.end_date, on)
    lease.full_clean()
    lease.save()
    audit.record_change(instance=lease, action=ChangeAction.UPDATE, user=user, before=before, after=audit.snapshot(lease))


def _follow_up_add(*, lease: Lease, status: str, note: str, next_contact_on, user) -> LeaseFollowUp:
    """Add an entry to the lease's follow-up and make it the lease's present follow-up. The caller holds the
    lease's row lock (an action does), so the stored follow-up is always the latest entry's."""
    entry = LeaseFollowUp.objects.create(
        lease=lease, status=status, note=note, next_contact_on=next_contact_on,
        user=user if user is not None and user.is_authenticated else None, user_name=getattr(user, "username", "") or "")
    lease.follow_up = status
    lease.next_contact_on = next_contact_on
    lease.save(update_fields=["follow_up", "next_contact_on", "last_updated"])
    return entry


@action(Lease, "terminate", label=gettext_lazy("Terminate early"), roles=LEASE_WRITERS,
        sources=[LeaseStatus.ACTIVE], target=LeaseStatus.TERMINATED, form=forms.TerminateForm,
        event="leasing.lease.terminate", event_label=gettext_lazy("Lease terminated early"),
        style="outline-danger", locks=_lock_units_of,
        help=gettext_lazy("The units become free from the day after this date."),
        example=lambda lease: {"terminated_on": lease.start_date, "reason": "企业迁出"})
def lease_terminate(*, user, instance: Lease, terminated_on: datetime.date, reason: str = "") -> Lease:
    """End an active lease early: it holds its units up to ``terminated_on`` (any day from its start to its
    end, past days included when the termination is recorded late) and frees them the day after."""
    lease = instance
    if terminated_on < lease.start_date:
        raise ValidationError({"terminated_on": _("The termination date cannot be before the start date.")})
    if terminated_on > lease.end_date:
        raise ValidationError({"terminated_on": _("The termination date cannot be after the end date.")})
    _lease_end_early(lease=lease, on=terminated_on, reason=reason, user=user)
    units_refresh_status(units=lease.units.all(), user=user)
    reminders.refresh_for(lease)  # no longer expiring: its reminders are resolved
    return lease


def _renewal_example(lease: Lease) -> dict:
    return {"end_date": lease.end_date + 3 * 365 * DAY, "monthly_rent": Decimal("150.00"),
            "contract_number": f"{lease.contract_number or 'HT'}-XQ"}


def _renewal_initial(lease: Lease) -> dict:
    """The same term again, at the same rent, as a starting point."""
    start = lease.end_date + DAY
    return {"end_date": start + (lease.end_date - lease.start_date), "monthly_rent": lease.monthly_rent}


@action(Lease, "renew", label=gettext_lazy("Renew"), roles=LEASE_WRITERS,
        sources=[LeaseStatus.ACTIVE, LeaseStatus.EXPIRED], target=LeaseStatus.RENEWED, form=forms.RenewForm,
        locks=_lock_units_of, event_data=lambda lease, new: {"new_lease": new.pk},
        help=gettext_lazy("The next lease of the same enterprise and units begins the day after this one ends; "
                          "this one is marked renewed and stays in force until its end date."),
        initial=_renewal_initial, example=_renewal_example)
def lease_renew(*, user, instance: Lease, end_date: datetime.date, monthly_rent: Decimal,
                contract_number: str = "") -> Lease:
    """Renew a lease: the next lease of the same enterprise and units starts the day after it ends, with new
    terms, through the checks of any new lease (lease_create); the lease is marked renewed and its follow-up
    已续约. An expired lease may be renewed late, when its units are still free from the day after its end."""
    lease = instance
    before = audit.snapshot(lease)
    lease.status = LeaseStatus.RENEWED
    lease.save(update_fields=["status", "last_updated"])
    _check_lease(lease)  # an expired lease holds its units again: nothing recorded since may overlap its term
    successor = lease_create(user=user, data={
        "enterprise": lease.enterprise, "units": list(lease.units.all()), "start_date": lease.end_date + DAY,
        "end_date": end_date, "monthly_rent": monthly_rent, "contract_number": contract_number,
        "predecessor": lease})
    audit.record_change(instance=lease, action=ChangeAction.UPDATE, user=user, before=before, after=audit.snapshot(lease))
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Renewed: lease %(lease)s from %(start)s to %(end)s.") % {
            "lease": successor.contract_number or f"#{successor.pk}", "start": date_format(successor.start_date),
            "end": date_format(successor.end_date)}
    _follow_up_add(lease=lease, status=FollowUpStatus.RENEWED, note=note, next_contact_on=None, user=user)
    reminders.refresh_for(lease)  # renewed: its expiry and follow-up reminders are resolved
    return successor


def _move_locks(lease_pk, inputs) -> None:
    """The lease's units and the units it moves to, in one pass in id order, before the lease's row."""
    _lock_units_of(lease_pk, inputs.get("units") or ())


def _move_example(lease: Lease) -> dict:
    other = (Unit.objects.filter(building__park_id=lease.park_id).exclude(leases=lease)
             .exclude(status=UnitStatus.UNAVAILABLE).order_by("pk").first())
    moved_on = min(max(lease.start_date + DAY, datetime.date.today()), lease.end_date)
    return {"units": [other.pk] if other else [], "moved_on": moved_on, "monthly_rent": Decimal("160.00")}


@action(Lease, "move", label=gettext_lazy("Move to other units"), roles=LEASE_WRITERS,
        sources=[LeaseStatus.ACTIVE], target=LeaseStatus.TERMINATED, form=forms.MoveForm,
        input_locks=_move_locks, event_data=lambda lease, new: {"new_lease": new.pk},
        help=gettext_lazy("The tenant moves to other units of the same park: this lease ends the day before the "
                          "move date and a new lease of the new units runs from the move date to its end date."),
        example=_move_example)
def lease_move(*, user, instance: Lease, units, moved_on: datetime.date, monthly_rent: Decimal | None = None,
               contract_number: str = "") -> Lease:
    """Move a tenant to other units of the lease's park: the lease is terminated the day before ``moved_on``
    (reason 换房) and a new lease of ``units`` runs from ``moved_on`` to the old end date, at the old rent unless
    another is given; the old units are free from the move date, the new ones leased (reserved until then)."""
    lease = instance
    units = list(Unit.objects.filter(pk__in=[getattr(u, "pk", u) for u in units]).select_related("building__park"))
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    outside = sorted(f"{u.building.name} {u.code}" for u in units if u.building.park_id != lease.park_id)
    if outside:
        raise ValidationError({"units": _("Unit %(units)s is not in %(park)s, the park of this lease: a tenant moves "
                                          "within its park (a lease in another park is recorded as a new lease).")
                               % {"units": "、".join(outside), "park": lease.park.name if lease.park else "—"}})
    old_units = list(lease.units.all())
    if set(units) == set(old_units):
        raise ValidationError({"units": _("These are the units the lease already has; choose the units it moves to.")})
    if moved_on <= lease.start_date:
        raise ValidationError({"moved_on": _("The move date must be after the lease's start date (%(start)s): a "
                                             "lease that has not begun is changed instead.")
                               % {"start": date_format(lease.start_date)}})
    if moved_on > lease.end_date:
        raise ValidationError({"moved_on": _("The move date cannot be after the lease's end date (%(end)s).")
                               % {"end": date_format(lease.end_date)}})
    end_date = lease.end_date
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Move to other units")
    _lease_end_early(lease=lease, on=moved_on - DAY, reason=reason, user=user)
    successor = lease_create(user=user, data={
        "enterprise": lease.enterprise, "units": units, "start_date": moved_on, "end_date": end_date,
        "monthly_rent": lease.monthly_rent if monthly_rent is None else monthly_rent,
        "contract_number": contract_number or lease.contract_number, "predecessor": lease})
    latest = lease.follow_ups.order_by("-pk").first()
    if latest is not None:  # the talks about renewing go on for the new lease, which ends when the old one did
        _follow_up_add(lease=successor, status=lease.follow_up, note=latest.note, next_contact_on=lease.next_contact_on,
                       user=user)
    units_refresh_status(units=old_units, user=user)
    reminders.refresh_for(lease)  # ended by the move: its reminders are resolved (the new lease has its own)
    return successor


def _follow_up_initial(lease: Lease) -> dict:
    status = lease.follow_up if lease.follow_up != FollowUpStatus.RENEWED else FollowUpStatus.PENDING
    return {"status": status, "next_contact_on": lease.next_contact_on}


@action(Lease, "follow_up", label=gettext_lazy("Record follow-up"), roles=LEASE_WRITERS,
        sources=[LeaseStatus.ACTIVE, LeaseStatus.EXPIRED], form=forms.FollowUpForm,
        event_label=gettext_lazy("Follow-up recorded"), initial=_follow_up_initial,
        help=gettext_lazy("Where the talks about renewing this lease stand, and when to contact the tenant next."),
        example=lambda lease: {"status": FollowUpStatus.TALKING, "note": "已约企业下周面谈续约条件",
                               "next_contact_on": datetime.date.today() + 7 * DAY})
def lease_follow_up(*, user, instance: Lease, status: str, note: str = "",
                    next_contact_on: datetime.date | None = None) -> Lease:
    """Record where the renewal talks of a lease stand (待跟进, 洽谈中, 不续约) and the next contact agreed;
    each entry is kept. 已续约 is recorded by the renewal itself."""
    if status not in dict(FOLLOW_UP_CHOICES):
        raise ValidationError({"status": _("A lease is marked renewed by renewing it.")})
    if next_contact_on is not None and next_contact_on < datetime.date.today():
        raise ValidationError({"next_contact_on": _("The next contact cannot be before today.")})
    _follow_up_add(lease=instance, status=status, note=note, next_contact_on=next_contact_on, user=user)
    reminders.refresh_for(instance)  # a new next-contact date: an overdue follow-up's reminder is resolved
    return instance


@transaction.atomic
def lease_expire_due(*, today: datetime.date | None = None, user=None) -> int:
    """Mark active leases past their end date as expired (active → expired, the one transition no person
    takes) and refresh their units (run daily)."""
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


# ----- money: rent steps, rent payments, sublets ------------------------------------------------------------------
# A lease's steps, payments and sublets are checked against each other (no two payments for overlapping periods,
# one step a day) and against the lease's dates: every writer holds the lease's row lock first, so a second
# writer of the same lease waits and then reads what the first stored. Lease writers lock units, then the lease;
# these lock the lease alone (and then their own row), so the two orders never cross.
def leases_lock_rows(ids) -> dict[int, Lease]:
    """Lock the leases' rows, in id order; {id: lease} (a lease deleted meanwhile is left out)."""
    wanted = sorted({getattr(i, "pk", i) for i in ids if i is not None})
    return {lease.pk: lease for lease in Lease.objects.select_for_update().filter(pk__in=wanted).order_by("pk")}


def _lease_of(data: dict, instance=None):
    lease = data.get("lease", instance.lease if instance is not None else None)
    return getattr(lease, "pk", lease)


def _lock_money_rows(model, *, data: dict, user, instance=None):
    """Lock the lease a record is (and will be) of, then the record itself; the record as stored, or None. A lease
    outside the user's scope is neither locked nor read (its payments, steps and status stay unseen)."""
    wanted = {_lease_of(data, instance), instance.lease_id if instance is not None else None} - {None}
    if wanted and Lease.objects.for_user(user).filter(pk__in=wanted).count() != len(wanted):
        raise PermissionDenied(_("You do not have permission to do this."))
    leases_lock_rows(wanted)
    if instance is None:
        return None
    return model.objects.select_for_update().filter(pk=instance.pk).first()


def _refuse_if_kept(stored, verb) -> None:
    refused = record_refusal(stored, verb) if stored is not None else None
    if refused:
        raise ValidationError(refused)


def _refuse_step_twice(data: dict, instance=None) -> None:
    lease, starts_on = _lease_of(data, instance), data.get("starts_on")
    if lease and starts_on and RentStep.objects.filter(lease_id=lease, starts_on=starts_on).exclude(
            pk=getattr(instance, "pk", None)).exists():
        raise ValidationError({"starts_on": _("The lease already has a rent step from %(day)s.")
                               % {"day": date_format(starts_on)}})


def _refuse_inactive_lease(data: dict) -> None:
    lease = Lease.objects.filter(pk=_lease_of(data)).first()
    if lease is not None and lease.status != LeaseStatus.ACTIVE:
        raise ValidationError({"lease": _("Only the rent steps of an active lease can be changed.")})


@transaction.atomic
def rent_step_create(*, user, model=RentStep, data: dict) -> RentStep:
    """Add a step to an active lease's escalation schedule: the rent from ``starts_on`` (within the lease's
    dates, one step a day) until the next step."""
    _lock_money_rows(RentStep, data=data, user=user)
    _refuse_inactive_lease(data)
    _refuse_step_twice(data)
    return object_create(user=user, model=model, data=data)


@transaction.atomic
def rent_step_update(*, user, instance: RentStep, data: dict) -> RentStep:
    stored = _lock_money_rows(RentStep, data=data, user=user, instance=instance)
    _refuse_if_kept(stored, CHANGE)
    _refuse_inactive_lease({"lease": _lease_of(data, instance)})
    _refuse_step_twice(data, instance)
    return object_update(user=user, instance=instance, data=data)


@transaction.atomic
def rent_step_delete(*, user, instance: RentStep) -> None:
    stored = _lock_money_rows(RentStep, data={}, user=user, instance=instance)
    _refuse_if_kept(stored, DELETE)
    object_delete(user=user, instance=instance)


def _refuse_overlapping_payment(data: dict, instance=None) -> None:
    """Two payments of one lease never cover the same day (rent paid would count twice). The caller holds the
    lease's row lock, so no payment for the lease is stored between this read and the write."""
    lease = _lease_of(data, instance)
    start = data.get("period_start", getattr(instance, "period_start", None))
    end = data.get("period_end", getattr(instance, "period_end", None))
    if not (lease and start and end):
        return
    other = (RentPayment.objects.filter(lease_id=lease, period_start__lte=end, period_end__gte=start)
             .exclude(pk=getattr(instance, "pk", None)).order_by("period_start").first())
    if other is not None:
        raise ValidationError({"period_start": _(
            "The period %(start)s–%(end)s overlaps the payment already recorded for %(other_start)s–%(other_end)s.")
            % {"start": date_format(start), "end": date_format(end), "other_start": date_format(other.period_start),
               "other_end": date_format(other.period_end)}})


@transaction.atomic
def rent_payment_create(*, user, model=RentPayment, data: dict) -> RentPayment:
    """Record rent paid for a period of a lease (by the tenant or the park's operator): within the lease's dates,
    not overlapping another payment of the lease; it awaits the operator's confirmation."""
    _lock_money_rows(RentPayment, data=data, user=user)
    _refuse_overlapping_payment(data)
    return object_create(user=user, model=model, data=data)


@transaction.atomic
def rent_payment_update(*, user, instance: RentPayment, data: dict) -> RentPayment:
    """Correct a payment not yet confirmed (a confirmed one is withdrawn from confirmation first)."""
    stored = _lock_money_rows(RentPayment, data=data, user=user, instance=instance)
    _refuse_if_kept(stored, CHANGE)
    _refuse_overlapping_payment(data, instance)
    return object_update(user=user, instance=instance, data=data)


@transaction.atomic
def rent_payment_delete(*, user, instance: RentPayment) -> None:
    stored = _lock_money_rows(RentPayment, data={}, user=user, instance=instance)
    _refuse_if_kept(stored, DELETE)
    object_delete(user=user, instance=instance)


def rent_payments_lock(ids) -> None:
    """Lock payments as their writers do (their leases first), for a bulk delete of a selection."""
    leases_lock_rows(RentPayment.objects.filter(pk__in=list(ids)).values_list("lease_id", flat=True).distinct())
    list(RentPayment.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk").values_list("pk", flat=True))


def _lock_lease_of_payment(payment_pk) -> None:
    leases_lock_rows(RentPayment.objects.filter(pk=payment_pk).values_list("lease_id", flat=True))


def _payment_confirmation_set(payment: RentPayment, *, confirmed: bool, user) -> RentPayment:
    before = audit.snapshot(payment)
    payment.confirmed_at = timezone.now() if confirmed else None
    payment.confirmed_by = user if confirmed else None
    payment.save(update_fields=["confirmed_at", "confirmed_by", "last_updated"])
    audit.record_change(instance=payment, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(payment))
    return payment


# Rent is paid to the park: its operator confirms what the tenant entered, or what it recorded itself.
PAYMENT_CONFIRMERS = (Role.PARK_OPERATOR,)


@action(RentPayment, "confirm", label=gettext_lazy("Confirm payment"), roles=PAYMENT_CONFIRMERS,
        sources=[PaymentState.ENTERED], target=PaymentState.CONFIRMED, state_field="state",
        event_label=gettext_lazy("Rent payment confirmed"), locks=_lock_lease_of_payment, style="outline-success",
        help=gettext_lazy("The park confirms that this rent was received for this period. A confirmed payment "
                          "is fixed: it is what rent subsidies are computed on."),
        example=lambda payment: {})
def rentpayment_confirm(*, user, instance: RentPayment) -> RentPayment:
    """The park's operator confirms a payment entered for one of its leases; the payment is fixed from then on."""
    return _payment_confirmation_set(instance, confirmed=True, user=user)


@action(RentPayment, "unconfirm", label=gettext_lazy("Withdraw confirmation"), roles=PAYMENT_CONFIRMERS,
        sources=[PaymentState.CONFIRMED], target=PaymentState.ENTERED, state_field="state",
        form=forms.UnconfirmForm, event_label=gettext_lazy("Rent payment confirmation withdrawn"),
        locks=_lock_lease_of_payment, style="outline-danger",
        help=gettext_lazy("The payment can then be corrected, and must be confirmed again."),
        example=lambda payment: {"reason": "金额录入有误，待企业更正"})
def rentpayment_unconfirm(*, user, instance: RentPayment, reason: str) -> RentPayment:
    """The operator withdraws a confirmation (with its reason, kept in the event) so the payment can be corrected."""
    return _payment_confirmation_set(instance, confirmed=False, user=user)


SUBLET_RECORDED = audit.register_event("leasing.sublet.record", gettext_lazy("Sublet recorded"))


@transaction.atomic
def sublet_record(*, lease: Lease, subtenant_name: str, starts_on: datetime.date, found_on: datetime.date, user,
                  subtenant=None, area: Decimal | None = None, ends_on: datetime.date | None = None,
                  note: str = "") -> Sublet:
    """Record that part of a lease's space is let on to someone else (转租), as the park's operator found or was
    told: who, how much, from when. Support that forbids subletting is watched from these records (the event
    ``leasing.sublet.record`` says when one was recorded)."""
    leases_lock_rows([lease])
    sublet = object_create(user=user, model=Sublet, data={
        "lease": lease, "subtenant": subtenant, "subtenant_name": subtenant_name or (subtenant.name if subtenant else ""),
        "area": area, "starts_on": starts_on, "ends_on": ends_on, "found_on": found_on, "note": note})
    audit.record_event(SUBLET_RECORDED, user=user, instance=sublet, data={
        "lease": lease.pk, "enterprise": lease.enterprise_id, "subtenant": subtenant.pk if subtenant else None,
        "starts_on": starts_on.isoformat(), "area": str(area) if area is not None else None})
    return sublet


def sublet_create(*, user, model=Sublet, data: dict) -> Sublet:
    """The sublet pages, the API and imports record a sublet through sublet_record."""
    return sublet_record(user=user, **data)
