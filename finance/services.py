"""Writes of funds: create, change and delete through core's generic services (permission, scope and audit);
the guidance fund's commitments checked against the share caps in force on their date, under a lock on the
sub-fund; and the close of a supervision check, a declared action."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core import audit
from core.actions import action
from core.reference.choices import ChangeAction, Role
from core.services import object_create, object_delete, object_update

from . import measures
from .choices import CheckState, MemberStatus
from .display import bp_percent, to_fen
from .forms import CloseCheckForm, GraduateForm, LeaveForm
from .models import (
    Fund,
    FundInvestment,
    FundManager,
    FundService,
    GuidanceCommitment,
    Intake,
    Member,
    Programme,
    Resource,
    ShareLimit,
    SupervisionCheck,
)

OFFICERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)


# ----- managers, funds, investments, checks and services: the generic services ------------------------------------
def fundmanager_create(*, user, model=FundManager, data: dict):
    return object_create(user=user, model=model, data=data)


def fundmanager_update(*, user, instance, data: dict):
    return object_update(user=user, instance=instance, data=data)


def fund_create(*, user, model=Fund, data: dict):
    return object_create(user=user, model=model, data=data)


def _commitments_still_within_caps(fund: Fund) -> None:
    """A sub-fund made smaller, or given another focus, keeps the commitments it received within the caps (the
    fund's row is locked by the update, so no commitment to it is written meanwhile)."""
    for commitment in GuidanceCommitment.objects.filter(sub_fund=fund).order_by("pk"):
        try:
            check_share_caps(commitment)
        except ValidationError as error:
            messages = [m for ms in error.message_dict.values() for m in ms]
            raise ValidationError({"size": [_("%(commitment)s: %(message)s") % {"commitment": commitment,
                                                                                 "message": m} for m in messages]}) from None


def fund_update(*, user, instance, data: dict):
    return object_update(user=user, instance=instance, data=data, check=_commitments_still_within_caps)


def any_delete(*, user, instance) -> None:
    object_delete(user=user, instance=instance)


# ----- guidance commitments: the share caps ----------------------------------------------------------------------
def _lock_sub_fund(data: dict, instance: GuidanceCommitment | None = None) -> None:
    """Lock the sub-fund's row (and the one the commitment moves from) before its commitments are summed, so
    that two commitments to one sub-fund at once cannot both pass the caps."""
    ids = {getattr(data.get("sub_fund"), "pk", None), getattr(instance, "sub_fund_id", None)} - {None}
    list(Fund.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def check_share_caps(commitment: GuidanceCommitment) -> None:
    """Refuse a commitment that takes the guidance fund's share, or all public money's, above the cap in force
    for the sub-fund's focus on the day committed (run after the row is written, under the sub-fund's lock: the
    sums include it). Other guidance funds' commitments to the same sub-fund count as public money."""
    sub_fund = Fund.objects.get(pk=commitment.sub_fund_id)
    limit = ShareLimit.in_force(sub_fund.focus, commitment.committed_on)
    if limit is None:
        raise ValidationError({"committed_on": _("No share limit is in force for %(focus)s on this day.") % {
            "focus": sub_fund.get_focus_display()}})
    others = (GuidanceCommitment.objects.filter(sub_fund_id=sub_fund.pk).exclude(pk=commitment.pk)
              .values_list("committed", flat=True))
    breaches = measures.share_checks(
        fund_size_fen=to_fen(sub_fund.size), guidance_fen=to_fen(commitment.committed),
        public_fen=to_fen(commitment.other_public) + sum(to_fen(amount) for amount in others),
        guidance_cap_bp=limit.guidance_cap_bp, public_cap_bp=limit.public_cap_bp)
    messages = []
    for breach in breaches:
        if breach.code == measures.GUIDANCE_SHARE:
            template = _("The guidance fund's commitment is %(share)s of the sub-fund's size, above the cap of "
                         "%(cap)s.")
        else:
            template = _("All public money is %(share)s of the sub-fund's size, above the cap of %(cap)s.")
        share = bp_percent(breach.share_bp) if breach.share_bp is not measures.MISSING else "—"
        messages.append(template % {"share": share, "cap": bp_percent(breach.cap_bp)})
    if messages:
        raise ValidationError({"committed": messages})


@transaction.atomic
def guidancecommitment_create(*, user, model=GuidanceCommitment, data: dict):
    _lock_sub_fund(data)
    return object_create(user=user, model=model, data=data, check=check_share_caps)


@transaction.atomic
def guidancecommitment_update(*, user, instance, data: dict):
    _lock_sub_fund(data, instance)
    return object_update(user=user, instance=instance, data=data, check=check_share_caps)


def fundinvestment_create(*, user, model=FundInvestment, data: dict):
    return object_create(user=user, model=model, data=data)


def fundinvestment_update(*, user, instance, data: dict):
    return object_update(user=user, instance=instance, data=data)


def _refuse_closing_fields(data: dict) -> None:
    if data.get("closed") or data.get("closing_note"):
        raise ValidationError({"closed": _("A check is closed by its action, which records the note.")})


def supervisioncheck_create(*, user, model=SupervisionCheck, data: dict):
    _refuse_closing_fields(data)
    return object_create(user=user, model=model, data=data)


def supervisioncheck_update(*, user, instance, data: dict):
    return object_update(user=user, instance=instance, data=data)


def fundservice_create(*, user, model=FundService, data: dict):
    return object_create(user=user, model=model, data=data)


def fundservice_update(*, user, instance, data: dict):
    return object_update(user=user, instance=instance, data=data)


# ----- the close of a supervision check ------------------------------------------------------------------------
@action(SupervisionCheck, "close", label=pgettext_lazy("supervision check", "Close"), roles=OFFICERS, sources=[CheckState.OPEN],
        target=CheckState.CLOSED, state_field="state", form=CloseCheckForm, style="outline-success",
        help=gettext_lazy("The follow-up is done: the check is closed with a note, and no longer shows as open."),
        example=lambda check: {"closing_note": "整改已完成，复核无问题"})
def supervisioncheck_close(*, user, instance: SupervisionCheck, closing_note: str) -> SupervisionCheck:
    if not (closing_note or "").strip():
        raise ValidationError({"closing_note": _("Say how the follow-up was done.")})
    before = audit.snapshot(instance)
    instance.closed, instance.closing_note = True, closing_note.strip()
    instance.full_clean()
    instance.save()
    audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(instance))
    return instance


# ----- cohorts: programmes, intakes, members and resources --------------------------------------------------------
def programme_create(*, user, model=Programme, data: dict):
    return object_create(user=user, model=model, data=data)


def programme_update(*, user, instance, data: dict):
    return object_update(user=user, instance=instance, data=data)


def intake_create(*, user, model=Intake, data: dict):
    return object_create(user=user, model=model, data=data)


def _members_still_within(intake: Intake) -> None:
    """An intake's dates moved keep its members' days joined within them."""
    for member in intake.members.select_related("enterprise").order_by("pk"):
        if intake.ends_on and not (intake.starts_on <= member.joined_on <= intake.ends_on):
            raise ValidationError({"ends_on": _("%(enterprise)s joined on %(day)s, outside these dates.") % {
                "enterprise": member.enterprise, "day": member.joined_on}})


def intake_update(*, user, instance, data: dict):
    return object_update(user=user, instance=instance, data=data, check=_members_still_within)


# Set by the actions alone: a form, a spreadsheet or the API does not graduate a member or take it out.
MEMBER_KEPT_BY_ACTIONS = ("status", "outcome_on", "reason")


def _refuse_member_outcome(data: dict) -> None:
    if any(data.get(name) not in (None, "", MemberStatus.ACTIVE) for name in MEMBER_KEPT_BY_ACTIONS):
        raise ValidationError({"status": _("A member graduates or leaves by its action, which records the day.")})


def _without_programme(data: dict) -> dict:
    """The member form's programme only finds the intake by its name in a spreadsheet; it is not stored, and
    must be the intake's own when given."""
    data = dict(data)
    programme = data.pop("programme", None)
    intake = data.get("intake")
    if programme is not None and intake is not None and intake.programme_id != programme.pk:
        raise ValidationError({"intake": _("%(intake)s is not an intake of %(programme)s.") % {
            "intake": intake, "programme": programme}})
    return data


def member_create(*, user, model=Member, data: dict):
    _refuse_member_outcome(data)
    return object_create(user=user, model=model, data=_without_programme(data))


def member_update(*, user, instance, data: dict):
    return object_update(user=user, instance=instance, data=_without_programme(data))


def _member_only(data: dict) -> dict:
    """The resource form's programme and intake only find the member in a spreadsheet; they are not stored, and
    must be the member's own when given."""
    data = dict(data)
    programme, intake = data.pop("programme", None), data.pop("intake", None)
    member = data.get("member")
    if member is not None and intake is not None and member.intake_id != intake.pk:
        raise ValidationError({"member": _("%(member)s is not a member of %(intake)s.") % {
            "member": member, "intake": intake}})
    if intake is not None and programme is not None and intake.programme_id != programme.pk:
        raise ValidationError({"intake": _("%(intake)s is not an intake of %(programme)s.") % {
            "intake": intake, "programme": programme}})
    return data


def resource_create(*, user, model=Resource, data: dict):
    return object_create(user=user, model=model, data=_member_only(data))


def resource_update(*, user, instance, data: dict):
    return object_update(user=user, instance=instance, data=_member_only(data))


def _member_outcome(instance: Member, user, status: str, outcome_on: datetime.date, reason: str = "") -> Member:
    if outcome_on < instance.joined_on:
        raise ValidationError({"outcome_on": _("Must not be before the day joined.")})
    if outcome_on > timezone.localdate():
        raise ValidationError({"outcome_on": _("The date cannot be in the future.")})
    before = audit.snapshot(instance)
    instance.status, instance.outcome_on, instance.reason = status, outcome_on, reason
    instance.full_clean()
    instance.save()
    audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(instance))
    return instance


@action(Member, "graduate", label=gettext_lazy("Graduate"), roles=OFFICERS, sources=[MemberStatus.ACTIVE],
        target=MemberStatus.GRADUATED, form=GraduateForm, style="outline-success",
        help=gettext_lazy("The enterprise has completed the programme: it graduates on this day."),
        initial=lambda member: {"outcome_on": timezone.localdate()},
        example=lambda member: {"outcome_on": member.joined_on})
def member_graduate(*, user, instance: Member, outcome_on: datetime.date) -> Member:
    return _member_outcome(instance, user, MemberStatus.GRADUATED, outcome_on)


@action(Member, "leave", label=gettext_lazy("Leave the programme"), roles=OFFICERS, sources=[MemberStatus.ACTIVE],
        target=MemberStatus.LEFT, form=LeaveForm, style="outline-danger",
        help=gettext_lazy("The enterprise leaves the programme before graduating, for the reason given."),
        initial=lambda member: {"outcome_on": timezone.localdate()},
        example=lambda member: {"outcome_on": member.joined_on, "reason": "迁出本区"})
def member_leave(*, user, instance: Member, outcome_on: datetime.date, reason: str) -> Member:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason.")})
    return _member_outcome(instance, user, MemberStatus.LEFT, outcome_on, reason.strip())
