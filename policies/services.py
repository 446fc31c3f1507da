"""Every write of policy support beyond plain edits: <entity>_<verb>(*, ..., user), in a transaction, audited.

Money moves only by conditional updates guarded by CHECK constraints (RULES.md point 10)."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====
import datetime as _cb_datetime  # noqa: E402

from django.conf import settings as _cb_settings  # noqa: E402
from django.core.exceptions import ValidationError as _CbValidationError  # noqa: E402
from django.db import IntegrityError as _CbIntegrityError  # noqa: E402
from django.db import transaction as _cb_transaction  # noqa: E402
from django.db.models import F as _CbF  # noqa: E402
from django.utils import translation as _cb_translation  # noqa: E402
from django.utils.formats import date_format as _cb_date_format  # noqa: E402
from django.utils.translation import gettext as _cb_  # noqa: E402
from django.utils.translation import gettext_lazy as _cb_lazy  # noqa: E402

from core import audit as _cb_audit  # noqa: E402
from core import reminders as _cb_reminders  # noqa: E402
from core.access.permissions import ensure_can as _cb_ensure_can  # noqa: E402
from core.actions import Refused as _CbRefused  # noqa: E402
from core.actions import action as _cb_action  # noqa: E402
from core.reference.choices import ChangeAction as _CbChangeAction  # noqa: E402
from core.reference.choices import Role as _CbRole  # noqa: E402
from core.rules import format_value as _cb_format_value  # noqa: E402
from core.rules.types import FactType as _CbFactType  # noqa: E402
from core import services as _cb_core_services  # noqa: E402

from core.rules import money_to_yuan as _cb_money_to_yuan  # noqa: E402

from . import forms as _cb_forms  # noqa: E402
from . import obligations as _cb_obligations  # noqa: E402
from .choices import AWARD_HOLDING_STATUSES as _CB_HOLDING  # noqa: E402
from .choices import AwardStatus as _CbAwardStatus  # noqa: E402
from .choices import ClawbackStatus as _CbStatus  # noqa: E402
from .choices import LedgerKind as _CbLedgerKind  # noqa: E402
from .choices import ObligationKind as _CbObligationKind  # noqa: E402
from .models import Award as _CbAward  # noqa: E402
from .models import ClawbackCase as _CbCase  # noqa: E402
from .models import LedgerEntry as _CbLedgerEntry  # noqa: E402

CLAWBACK_DECIDERS = (_CbRole.BUREAU_ADMIN, _CbRole.BUREAU_OFFICER)
_CB_DAY = _cb_datetime.timedelta(days=1)
# Cases still claiming money from their award: a waived one claims nothing.
CLAWBACK_OPEN = (_CbStatus.RAISED, _CbStatus.CONFIRMED)


def _cb_yuan(fen: int) -> str:
    return _cb_format_value(_CbFactType.MONEY, fen)


def _cb_day(day) -> str:
    return _cb_date_format(day, "DATE_FORMAT")


def _cb_detail(breach, award) -> str:
    """What happened, in one sentence of the platform's language (stored: it is read later, by anyone)."""
    evidence = breach.evidence
    values = {"day": _cb_day(breach.breached_on), "until": _cb_day(breach.holds_until),
              "lease": evidence.get("contract_number") or f"#{evidence.get('lease', '')}",
              "subtenant": evidence.get("subtenant_name", ""), "qualification": evidence.get("qualification_label", "")}
    kind = breach.obligation.kind
    if kind == _cb_obligations.LEASE_KEPT:
        text = _cb_("Lease %(lease)s ended early: without it from %(day)s, the lease was to be kept until %(until)s.")
    elif kind == _cb_obligations.NO_SUBLET:
        text = _cb_("Lease %(lease)s sublet to %(subtenant)s from %(day)s; no subletting until %(until)s.")
    elif kind == _cb_obligations.STAY_IN_DISTRICT:
        text = _cb_("Moved out of the district on %(day)s; the enterprise was to stay until %(until)s.")
    else:
        text = _cb_("No valid %(qualification)s from %(day)s; it was to be kept until %(until)s.")
    return (text % values)[:300]


def _cb_evidence(breach, award) -> dict:
    """The records and dates the case rests on, and how its amount was reached (kept with the case)."""
    obligation = breach.obligation
    return {**breach.evidence, "award": award.pk, "policy": award.policy_id, "period_start": award.period_start.isoformat(),
            "period_end": award.period_end.isoformat(), "years": obligation.years, "recover": obligation.recover,
            "label": obligation.label, "qualification": obligation.qualification,
            "holds_until": breach.holds_until.isoformat(), "paid": award.paid, "term_days": breach.term_days,
            "days_after": breach.days_after, "computed": breach.amount}


def clawback_events(awards, *, on: _cb_datetime.date) -> dict:
    """{award id: [obligations.Event]}: what happened to the awards' enterprises up to ``on``, read in a fixed
    number of queries whatever the number of awards (the leases, their sublets, the enterprises, the
    qualifications).

    The leases watched for an award are its application's lease, or else the enterprise's leases holding at some
    day of the supported period; a lease renewed or moved (its successor names it) is followed to the lease that
    continues it. A watched lease terminated without a successor ended early (the day after its termination); a
    sublet of a watched lease breaks the no-subletting obligation from its first day."""
    from enterprises.models import Enterprise, Qualification
    from enterprises.choices import QualificationKind
    from leasing.choices import HOLDING_STATUSES, LeaseStatus
    from leasing.models import Lease, Sublet

    awards = list(awards)
    enterprise_ids = {a.enterprise_id for a in awards}
    leases = {row["pk"]: row for row in Lease.objects.filter(enterprise_id__in=enterprise_ids).values(
        "pk", "enterprise_id", "start_date", "end_date", "status", "terminated_on", "predecessor_id",
        "contract_number")}
    successors: dict[int, list[int]] = {}
    for row in leases.values():
        if row["predecessor_id"]:
            successors.setdefault(row["predecessor_id"], []).append(row["pk"])
    sublets: dict[int, list[dict]] = {}
    for row in Sublet.objects.filter(lease_id__in=list(leases)).values(
            "pk", "lease_id", "subtenant_name", "starts_on", "ends_on", "found_on"):
        sublets.setdefault(row["lease_id"], []).append(row)
    moved_out = dict(Enterprise.objects.filter(pk__in=enterprise_ids, moved_out_on__isnull=False)
                     .values_list("pk", "moved_out_on"))
    wanted = {o.get("qualification") for a in awards for o in a.obligations or ()
              if o.get("kind") == _cb_obligations.KEEP_QUALIFICATION}
    held: dict[tuple, list] = {}
    for row in Qualification.objects.filter(enterprise_id__in=enterprise_ids, kind__in=wanted).values(
            "enterprise_id", "kind", "issued_on", "valid_until"):
        held.setdefault((row["enterprise_id"], row["kind"]), []).append((row["issued_on"], row["valid_until"]))
    kind_labels = dict(QualificationKind.choices)
    holding = {str(s) for s in HOLDING_STATUSES}

    found: dict[int, list] = {}
    for award in awards:
        lease_id = getattr(award.application, "lease_id", None) if award.application_id else None
        if lease_id and lease_id in leases:
            watched = [lease_id]
        else:
            watched = [pk for pk, row in leases.items() if row["enterprise_id"] == award.enterprise_id
                       and row["status"] in holding and row["start_date"] <= award.period_end
                       and row["end_date"] >= award.period_start]
        seen: set = set()
        while watched:  # the leases that continue a watched one are watched too
            pk = watched.pop()
            if pk not in seen:
                seen.add(pk)
                watched.extend(successors.get(pk, ()))
        events = []
        for pk in sorted(seen):
            row = leases[pk]
            if row["status"] == LeaseStatus.TERMINATED and row["terminated_on"] and pk not in successors:
                events.append(_cb_obligations.Event("lease_ended", row["terminated_on"] + _CB_DAY, evidence={
                    "lease": pk, "contract_number": row["contract_number"],
                    "terminated_on": row["terminated_on"].isoformat()}))
            for sublet in sublets.get(pk, ()):
                events.append(_cb_obligations.Event("sublet", sublet["starts_on"], until=sublet["ends_on"], evidence={
                    "lease": pk, "contract_number": row["contract_number"], "sublet": sublet["pk"],
                    "subtenant_name": sublet["subtenant_name"], "starts_on": sublet["starts_on"].isoformat(),
                    "found_on": sublet["found_on"].isoformat()}))
        if award.enterprise_id in moved_out:
            day = moved_out[award.enterprise_id]
            events.append(_cb_obligations.Event("moved_out", day, evidence={
                "enterprise": award.enterprise_id, "moved_out_on": day.isoformat()}))
        for entry in award.obligations or ():
            if entry.get("kind") != _cb_obligations.KEEP_QUALIFICATION:
                continue
            kind = entry.get("qualification") or ""
            until = min(_cb_obligations.holds_until(award.period_end, int(entry.get("years") or 0)), on)
            lapsed = _cb_obligations.first_day_without(held.get((award.enterprise_id, kind), ()),
                                                        award.period_start, until) if award.period_start <= until else None
            if lapsed:
                events.append(_cb_obligations.Event("qualification_lapsed", lapsed, qualification=kind, evidence={
                    "enterprise": award.enterprise_id, "qualification_kind": kind,
                    "qualification_label": str(kind_labels.get(kind, kind)), "lapsed_on": lapsed.isoformat()}))
        found[award.pk] = events
    return found


@_cb_transaction.atomic
def clawback_scan(*, on: _cb_datetime.date, user=None) -> dict:
    """Find the awards that hold (being paid or paid in full) whose obligations broke up to ``on`` and raise a
    clawback case for each obligation broken, with the amount to recover (policies.obligations). Run every day
    (manage.py daily) and by an officer from the clawback list (a lease just ended early shows at once).

    An obligation already under a case that is not waived is left alone; after a waiver, only a breach later
    than the waived one raises a new case. The amount is at most what the award still has to give back: paid,
    less what is recovered and what its other open cases claim."""
    if user is not None:
        _cb_ensure_can(user, "add", _CbCase)
    awards = [a for a in _CbAward.objects.filter(status__in=[str(s) for s in _CB_HOLDING], period_start__lte=on)
              .select_related("application", "policy", "enterprise").order_by("pk") if a.obligations]
    events = clawback_events(awards, on=on)
    cases: dict[int, list] = {}
    for row in _CbCase.objects.filter(award__in=awards).values("award_id", "obligation", "status", "breached_on",
                                                                "amount_due", "repaid"):
        cases.setdefault(row["award_id"], []).append(row)
    raised = []
    with _cb_translation.override(_cb_settings.LANGUAGE_CODE):
        for award in awards:
            try:
                terms = _cb_obligations.Terms.of(period_start=award.period_start, period_end=award.period_end,
                                                 paid=award.paid, obligations=award.obligations)
            except ValueError:
                continue  # obligations the version's form could not have written: nothing to watch
            mine = cases.get(award.pk, [])
            claimed = award.recovered + sum(c["amount_due"] - c["repaid"] for c in mine if c["status"] in CLAWBACK_OPEN)
            for breach in _cb_obligations.breaches(terms, events.get(award.pk, ()), on=on):
                kind = breach.obligation.kind
                same = [c for c in mine if c["obligation"] == kind]
                if any(c["status"] != _CbStatus.WAIVED for c in same):
                    continue
                waived = max((c["breached_on"] for c in same), default=None)
                if waived is not None:
                    later = [e for e in events.get(award.pk, ()) if e.on > waived]
                    again = [b for b in _cb_obligations.breaches(terms, later, on=on) if b.obligation.kind == kind]
                    if not again:
                        continue
                    breach = again[0]
                amount = max(0, min(breach.amount, award.paid - claimed))
                case = _CbCase(award=award, enterprise_id=award.enterprise_id, obligation=kind,
                               breached_on=breach.breached_on, detail=_cb_detail(breach, award),
                               evidence=_cb_evidence(breach, award), amount_due=amount)
                try:
                    with _cb_transaction.atomic():  # a scan running at the same time raised it first
                        case.save()
                except _CbIntegrityError:
                    continue
                claimed += amount
                mine.append({"obligation": kind, "status": _CbStatus.RAISED, "breached_on": case.breached_on,
                             "amount_due": amount, "repaid": 0})
                _cb_audit.record_change(instance=case, action=_CbChangeAction.CREATE, user=user, before=None,
                                        after=_cb_audit.snapshot(case))
                _cb_reminders.refresh_for(case, today=on)
                raised.append(case)
    if user is not None:
        _cb_audit.record_event("policies.clawback.scan", user=user, data={
            "on": on.isoformat(), "awards": len(awards), "raised": [c.pk for c in raised]})
    return {"awards": len(awards), "raised": len(raised), "cases": [c.pk for c in raised]}


_cb_audit.register_event("policies.clawback.scan", _cb_lazy("Obligations checked"))


def _clawback_check(case) -> None:
    """A case's amount is at most what its award has paid, and its obligation one of the award's."""
    award = case.award
    if case.amount_due > award.paid:
        raise _CbValidationError({"amount_due": _cb_("The amount to recover cannot exceed what was paid under the "
                                                     "award (%(paid)s).") % {"paid": _cb_yuan(award.paid)}})
    kinds = {o.get("kind") for o in award.obligations or ()}
    if case.obligation not in kinds:
        raise _CbValidationError({"obligation": _cb_("The award does not bind the enterprise to this obligation.")})


def clawbackcase_create(*, user, data: dict, **kwargs):
    """An officer raises a case by hand (a breach the records do not show): the enterprise is the award's."""
    award = data.get("award")
    preset = {"enterprise": award.enterprise} if award is not None else {}
    case = _cb_core_services.object_create(user=user, model=_CbCase, data=data, preset=preset, check=_clawback_check)
    _cb_reminders.refresh_for(case)
    return case


def clawbackcase_update(*, user, instance, data: dict, **kwargs):
    """Only a raised case is corrected (its date, what happened, the amount); a decided one is the record."""
    if instance.status != _CbStatus.RAISED:
        raise _CbRefused(_cb_("Only a raised case can be changed; a confirmed, waived or repaid case is kept as "
                              "it was decided."))
    return _cb_core_services.object_update(user=user, instance=instance, data=data, check=_clawback_check)


def clawbackcase_delete(*, user, instance, **kwargs):
    """Only a raised case is deleted (raised in error); a decided one is the record."""
    if instance.status != _CbStatus.RAISED:
        raise _CbRefused(_cb_("Only a raised case can be deleted; a confirmed, waived or repaid case is kept."))
    return _cb_core_services.object_delete(user=user, instance=instance)


def _clawback_example(case) -> dict:
    return {}


@_cb_action(_CbCase, "confirm", label=_cb_lazy("Confirm"), roles=CLAWBACK_DECIDERS, sources=[_CbStatus.RAISED],
            target=_CbStatus.CONFIRMED, event="policies.clawback.confirm", event_label=_cb_lazy("Clawback confirmed"),
            style="outline-danger",
            help=_cb_lazy("The enterprise is to repay the amount to recover; repayments are recorded on the case."),
            example=_clawback_example)
def clawbackcase_confirm(*, user, instance):
    """Confirm that the obligation broke and the amount is to be recovered."""
    before = _cb_audit.snapshot(instance)
    instance.status = _CbStatus.CONFIRMED
    instance.decided_by = user
    instance.save(update_fields=["status", "decided_by", "last_updated"])
    _cb_audit.record_change(instance=instance, action=_CbChangeAction.UPDATE, user=user, before=before,
                            after=_cb_audit.snapshot(instance))
    _cb_reminders.refresh_for(instance)
    return instance


@_cb_action(_CbCase, "waive", label=_cb_lazy("Waive"), roles=CLAWBACK_DECIDERS,
            sources=[_CbStatus.RAISED, _CbStatus.CONFIRMED], target=_CbStatus.WAIVED,
            event="policies.clawback.waive", event_label=_cb_lazy("Clawback waived"),
            form=_cb_forms.ClawbackWaiveForm, style="outline-secondary",
            help=_cb_lazy("Nothing (more) is recovered; the reason is kept with the case."),
            example=lambda case: {"reason": "经核实，企业因园区整体改造被动搬迁，经局务会研究同意豁免"})
def clawbackcase_waive(*, user, instance, reason: str):
    """Waive the recovery, with the reason (a decision of the bureau); what was repaid already stays recovered."""
    reason = (reason or "").strip()
    if not reason:
        raise _CbValidationError({"reason": _cb_("Give the reason for waiving the recovery.")})
    before = _cb_audit.snapshot(instance)
    instance.status = _CbStatus.WAIVED
    instance.reason = reason[:300]
    instance.decided_by = user
    instance.full_clean()
    instance.save(update_fields=["status", "reason", "decided_by", "last_updated"])
    _cb_audit.record_change(instance=instance, action=_CbChangeAction.UPDATE, user=user, before=before,
                            after=_cb_audit.snapshot(instance))
    _cb_reminders.refresh_for(instance)
    return instance


@_cb_action(_CbCase, "repay", label=_cb_lazy("Record repayment"), roles=CLAWBACK_DECIDERS,
            sources=[_CbStatus.CONFIRMED], form=_cb_forms.ClawbackRepayForm, event="policies.clawback.repay",
            event_label=_cb_lazy("Clawback repayment recorded"), style="outline-success",
            help=_cb_lazy("Money the enterprise returned (part or all of what remains due); a ledger entry records "
                          "it against the award's budget."),
            example=lambda case: {"amount": _cb_money_to_yuan(case.amount_due - case.repaid), "repaid_on": _cb_datetime.date(2026, 3, 2),
                                  "reference": "GK-2026-0001"})
def clawbackcase_repay(*, user, instance, amount: int, repaid_on: _cb_datetime.date, reference: str = ""):
    """Record a repayment of ``amount`` fen (at most what remains due): the case's repaid and the award's
    recovered grow by conditional updates (never past what is due, never past what was paid), a ledger entry of
    kind 'recovered' records it; fully repaid, the case is 'repaid', and an award whose case recovered everything
    ('all') is 'clawed back'."""
    case = instance
    if amount is None or amount <= 0:
        raise _CbValidationError({"amount": _cb_("Give an amount above zero.")})
    remaining = case.amount_due - case.repaid
    if amount > remaining:
        raise _CbValidationError({"amount": _cb_("The amount repaid cannot exceed what remains due (%(due)s).")
                                  % {"due": _cb_yuan(remaining)}})
    if not _CbCase.objects.filter(pk=case.pk, repaid__lte=_CbF("amount_due") - amount).update(
            repaid=_CbF("repaid") + amount):
        raise _CbValidationError({"amount": _cb_("The amount repaid cannot exceed what remains due (%(due)s).")
                                  % {"due": _cb_yuan(remaining)}})
    award_before = _cb_audit.snapshot(case.award)
    if not _CbAward.objects.filter(pk=case.award_id, recovered__lte=_CbF("paid") - amount).update(
            recovered=_CbF("recovered") + amount):
        raise _CbValidationError({"amount": _cb_("The award would recover more than was paid under it.")})
    before = _cb_audit.snapshot(case)
    case.refresh_from_db()
    award = _CbAward.objects.get(pk=case.award_id)
    with _cb_translation.override(_cb_settings.LANGUAGE_CODE):
        note = _cb_("Repaid on %(day)s, reference %(reference)s") % {"day": _cb_day(repaid_on),
                                                                    "reference": reference or "—"}
    _CbLedgerEntry.objects.create(budget_id=award.budget_id, award=award, clawback=case, kind=_CbLedgerKind.RECOVER,
                                  amount=amount, note=note[:300], user=user,
                                  user_name=getattr(user, "username", "") or "")
    if case.repaid == case.amount_due:
        case.status = _CbStatus.REPAID
        case.save(update_fields=["status", "last_updated"])
        if (case.evidence or {}).get("recover", _cb_obligations.RECOVER_ALL) == _cb_obligations.RECOVER_ALL and \
                _CbAward.objects.filter(pk=award.pk, status__in=[str(s) for s in _CB_HOLDING]).update(
                    status=_CbAwardStatus.CLAWED_BACK):
            award.refresh_from_db()
    _cb_audit.record_change(instance=case, action=_CbChangeAction.UPDATE, user=user, before=before,
                            after=_cb_audit.snapshot(case))
    _cb_audit.record_change(instance=award, action=_CbChangeAction.UPDATE, user=user, before=award_before,
                            after=_cb_audit.snapshot(award))
    _cb_reminders.refresh_for(case)
    return case

# (end of this part)


# ===== govspace ====

# (end of this part)
