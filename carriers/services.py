"""Writes of innovation carriers: create, change and delete through core's generic services (scope, permission
and audit), and the three steps of a carrier's life as declared actions: it starts operating, it is revoked, it
is upgraded into its successor at a higher level."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.actions import Refused, action
from core.reference.choices import ChangeAction, Role
from core.services import object_create, object_delete, object_update

from .choices import LEVEL_RANK, CarrierStatus
from .forms import RevokeForm, UpgradeForm
from .models import Carrier

OFFICERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
# Set by the actions alone: a form or a spreadsheet may not end a carrier or link it to another.
KEPT_BY_ACTIONS = ("ended_on", "end_reason", "upgraded_from")


def _refuse_action_fields(data: dict) -> None:
    given = [name for name in KEPT_BY_ACTIONS if data.get(name) not in (None, "")]
    if given or data.get("status") in (CarrierStatus.REVOKED, CarrierStatus.UPGRADED):
        raise ValidationError({"status": _("A carrier is revoked or upgraded by its action, which records the day "
                                           "and the reason.")})


def _zone_from_building(data: dict) -> dict:
    """A carrier with premises lies in its building's zone when no zone is named."""
    building = data.get("building")
    if building is not None and not data.get("zone"):
        return {**data, "zone": building.park.zone}
    return data


@transaction.atomic
def carrier_create(*, user, model=Carrier, data: dict) -> Carrier:
    _refuse_action_fields(data)
    return object_create(user=user, model=model, data=_zone_from_building(data))


@transaction.atomic
def carrier_update(*, user, instance: Carrier, data: dict) -> Carrier:
    stored = Carrier.objects.select_for_update().get(pk=instance.pk)
    ended = stored.status in (CarrierStatus.REVOKED, CarrierStatus.UPGRADED)
    if ended and "status" in data and data["status"] != stored.status:
        raise ValidationError({"status": _("A revoked or upgraded carrier keeps its status; record a new carrier "
                                           "instead.")})
    if not ended:
        _refuse_action_fields(data)
    return object_update(user=user, instance=instance, data=_zone_from_building(data))


def carrier_delete(*, user, instance: Carrier) -> None:
    object_delete(user=user, instance=instance)


def _save(carrier: Carrier, user, before: dict) -> Carrier:
    carrier.full_clean()
    carrier.save()
    audit.record_change(instance=carrier, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(carrier))
    return carrier


@action(Carrier, "start_operating", label=gettext_lazy("Start operating"), roles=OFFICERS,
        sources=[CarrierStatus.PREPARING], target=CarrierStatus.OPERATING, style="outline-success",
        help=gettext_lazy("The carrier has finished being set up and is in operation."),
        example=lambda carrier: {})
def carrier_start_operating(*, user, instance: Carrier) -> Carrier:
    before = audit.snapshot(instance)
    instance.status = CarrierStatus.OPERATING
    return _save(instance, user, before)


@action(Carrier, "revoke", label=gettext_lazy("Revoke"), roles=OFFICERS,
        sources=[CarrierStatus.PREPARING, CarrierStatus.OPERATING], target=CarrierStatus.REVOKED,
        form=RevokeForm, style="outline-danger",
        help=gettext_lazy("The designation is withdrawn from this date; the carrier stays on record and no longer "
                          "counts among the district's carriers."),
        initial=lambda carrier: {"ended_on": timezone.localdate()},
        example=lambda carrier: {"ended_on": carrier.approved_on, "end_reason": "评估不合格，撤销认定"})
def carrier_revoke(*, user, instance: Carrier, ended_on: datetime.date, end_reason: str) -> Carrier:
    if not (end_reason or "").strip():
        raise ValidationError({"end_reason": _("Give the reason.")})
    if ended_on < instance.approved_on:
        raise ValidationError({"ended_on": _("Must not be before the date approved.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("The date cannot be in the future.")})
    before = audit.snapshot(instance)
    instance.status, instance.ended_on, instance.end_reason = CarrierStatus.REVOKED, ended_on, end_reason.strip()
    return _save(instance, user, before)


def _upgrade_initial(carrier: Carrier) -> dict:
    return {"level": carrier.target_level or "", "approved_on": timezone.localdate(), "name": carrier.name}


def _upgrade_example(carrier: Carrier) -> dict:
    higher = max(LEVEL_RANK, key=LEVEL_RANK.get)
    return {"level": higher, "approved_on": carrier.approved_on, "code": f"{carrier.code}-up",
            "name": f"国家{carrier.name}", "approval_document": "国科发〔2023〕1号"}


def _may_upgrade(user, carrier: Carrier) -> None:
    if LEVEL_RANK[carrier.level] == max(LEVEL_RANK.values()):
        raise Refused(_("%(carrier)s is already at the highest level.") % {"carrier": carrier})


@action(Carrier, "upgrade", label=gettext_lazy("Upgrade"), roles=OFFICERS, sources=[CarrierStatus.OPERATING],
        target=CarrierStatus.UPGRADED, form=UpgradeForm, condition=_may_upgrade, style="outline-primary",
        help=gettext_lazy("The carrier is approved at a higher level: a new carrier is recorded at that level, with "
                          "the same host and premises, and this one is marked upgraded; both stay in its history."),
        initial=_upgrade_initial, example=_upgrade_example,
        event_data=lambda carrier, successor: {"successor": successor.pk},
        result_of=lambda successor: successor)
def carrier_upgrade(*, user, instance: Carrier, level: str, approved_on: datetime.date, code: str, name: str,
                    approving_body: str = "", approval_document: str = "") -> Carrier:
    """Record the carrier's approval at a higher level as its successor, and mark it upgraded from that day."""
    if LEVEL_RANK.get(level, 0) <= LEVEL_RANK[instance.level]:
        raise ValidationError({"level": _("An upgrade goes to a higher level than the carrier's own.")})
    if approved_on < instance.approved_on:
        raise ValidationError({"approved_on": _("Must not be before the date approved.")})
    successor = Carrier(
        code=code.strip(), name=name.strip(), kind=instance.kind, level=level, status=CarrierStatus.OPERATING,
        approved_on=approved_on, approving_body=approving_body.strip(), approval_document=approval_document.strip(),
        host_enterprise=instance.host_enterprise, host_institution=instance.host_institution, zone=instance.zone,
        building=instance.building, field=instance.field, upgraded_from=instance,
        target_level=instance.target_level if LEVEL_RANK.get(instance.target_level, 0) > LEVEL_RANK[level] else "")
    successor.full_clean()
    try:
        with transaction.atomic():
            successor.save()
    except IntegrityError:
        raise ValidationError({"code": _("Another carrier has this code.")}) from None
    audit.record_change(instance=successor, action=ChangeAction.CREATE, user=user, before=None,
                        after=audit.snapshot(successor))
    before = audit.snapshot(instance)
    instance.status, instance.ended_on = CarrierStatus.UPGRADED, approved_on
    instance.end_reason = _("Upgraded to %(level)s") % {"level": successor.get_level_display()}
    _save(instance, user, before)
    return successor
