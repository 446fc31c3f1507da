"""Every write of policy support beyond plain edits: <entity>_<verb>(*, ..., user), in a transaction, audited.

Money moves only by conditional updates guarded by CHECK constraints (RULES.md point 10)."""


# ===== versions ====

# (end of this part)


# ===== screening ====
import datetime as _datetime  # noqa: E402

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.utils.translation import gettext_lazy  # noqa: E402

from core import audit  # noqa: E402
from core.access.permissions import ADD, ensure_can  # noqa: E402
from core.actions import Refused, action  # noqa: E402
from core.reference.choices import ChangeAction, Role  # noqa: E402
from core.rules.types import value_to_json  # noqa: E402

from .choices import ApplicationStatus, DecisionPurpose, OfferStatus, RunStatus  # noqa: E402
from .models import Application, Decision, Offer, ScreeningRun  # noqa: E402

SCREENING_ROLES = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
SCREENING_RUN = audit.register_event("policies.screeningrun.run", gettext_lazy("Policy screening run"))
OFFER_DECIDED = audit.register_event("policies.offer.decided", gettext_lazy("Offer's decision made"))


def _period_errors(on, start, end) -> dict:
    errors = {}
    if start and end and end < start:
        errors["period_end"] = _("The period cannot end before it starts.")
    if start and on and on < start:
        errors["decided_on"] = _("The screening day cannot be before the period starts.")
    return errors


def screening_run(*, on: _datetime.date, start: _datetime.date, end: _datetime.date, user, policies=None,
                  sample: int | None = None, seed: int | None = None) -> ScreeningRun:
    """Screen every enterprise against every proactive policy in force (``policies``: only those) for [start,
    end] as of ``on`` and propose offers (policies.screening). Bureau officers and administrators only. The run
    is saved first (running) so that it is kept whatever happens; it ends done or failed."""
    from . import screening

    if getattr(user, "role", None) not in SCREENING_ROLES:
        raise PermissionDenied(_("You do not have permission to do this."))
    ensure_can(user, ADD, ScreeningRun)
    errors = _period_errors(on, start, end)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        run = ScreeningRun.objects.create(decided_on=on, period_start=start, period_end=end, user=user,
                                          status=RunStatus.RUNNING)
        audit.record_change(instance=run, action=ChangeAction.CREATE, user=user, before=None,
                            after=audit.snapshot(run))
    chosen = None if policies is None else [getattr(p, "pk", p) for p in policies]
    run = screening.run(run, policies=chosen, seed=seed, **({} if sample is None else {"sample": sample}))
    audit.record_event(SCREENING_RUN, user=user, instance=run, data={
        "status": run.status, "enterprises": run.enterprises, "offers": run.offers, "total_amount": run.total_amount,
        "sample_checked": run.sample_checked, "mismatches": run.mismatches, "seconds": run.seconds})
    return run


def screeningrun_create(*, user, model=ScreeningRun, data: dict) -> ScreeningRun:
    """The add form of the screening page: run a screening for the period as of the day."""
    return screening_run(on=data["decided_on"], start=data["period_start"], end=data["period_end"], user=user)


def screeningrun_update(*, user, instance, data: dict):
    raise ValidationError(_("A screening run is kept as it was made."))


def screeningrun_delete(*, user, instance) -> None:
    raise ValidationError(_("A screening run is kept as it was made."))


@action(ScreeningRun, "rerun", label=gettext_lazy("Screen again"), roles=SCREENING_ROLES,
        sources=[RunStatus.DONE, RunStatus.FAILED],
        help=gettext_lazy("Screen every enterprise again for the same period, as of the same day, with the "
                          "versions in force now. Offers already made are not repeated."),
        result_of=lambda run: run, message=lambda run: _("Screening done: %(offers)s new offers.") % {
            "offers": run.offers} if run.status == RunStatus.DONE else _("The screening failed its check."),
        example=lambda run: {})
def screeningrun_rerun(*, user, instance: ScreeningRun) -> ScreeningRun:
    return screening_run(on=instance.decided_on, start=instance.period_start, end=instance.period_end, user=user)


def offer_create(*, user, model=Offer, data: dict):
    raise ValidationError(_("Offers are made by screenings."))


def offer_update(*, user, instance, data: dict):
    raise ValidationError(_("An offer is answered by its actions: confirm or decline."))


def offer_delete(*, user, instance) -> None:
    raise ValidationError(_("An offer is kept as it was made."))


def _facts_for(offer_or_version, enterprise_id, on, start, end, rules):
    """facts_for_part of one enterprise, computed from the records (one compute per part)."""
    from . import facts as policy_facts

    cache = {}

    def facts_for_part(part_start, part_end):
        key = (part_start, part_end)
        if key not in cache:
            cache[key] = policy_facts.compute([enterprise_id], on=on, start=part_start, end=part_end,
                                              policy=offer_or_version.policy_id)[enterprise_id]
        return cache[key]

    return facts_for_part


def offer_decision(offer: Offer, *, user) -> Decision:
    """The decision shown with an offer: made the first time the offer is opened (as of its run's day, for its
    period, by its version), stored and kept; later views show it as it was made."""
    if offer.decision_id:
        return offer.decision
    from . import engine

    with transaction.atomic():
        locked = Offer.objects.select_for_update().select_related("version", "run", "enterprise").get(pk=offer.pk)
        if locked.decision_id:
            return locked.decision
        version = locked.version
        rules = engine.rules_of(version)
        on, start, end = locked.run.decided_on, locked.period_start, locked.period_end
        result = engine.decide_facts(rules, _facts_for(locked, locked.enterprise_id, on, start, end, rules),
                                     start, end, on)
        decision = Decision.objects.create(
            policy_id=locked.policy_id, version=version, content_hash=rules.hash, enterprise_id=locked.enterprise_id,
            decided_on=on, period_start=start, period_end=end, eligible=result.eligible, amount=result.amount,
            facts={name: value_to_json(value) for name, value in result.facts_used.items()}, trace=result.trace,
            purpose=DecisionPurpose.OFFER, user=user if getattr(user, "pk", None) else None,
            user_name=getattr(user, "username", "") or "")
        Offer.objects.filter(pk=locked.pk).update(decision=decision)
        audit.record_event(OFFER_DECIDED, user=user, instance=locked, data={"decision": decision.pk,
                                                                            "eligible": decision.eligible,
                                                                            "amount": decision.amount})
    offer.decision = decision
    offer.decision_id = decision.pk
    return decision


def _offer_application(*, offer: Offer, user) -> Application:
    """A submitted application made from an offer (the minimal one, until the application workflow's own
    ``application_create_from_offer`` takes its place): the offer's policy, version, period and decision."""
    number = f"MS{offer.period_start:%Y}{offer.pk:08d}"
    application = Application(
        number=number, policy_id=offer.policy_id, version_id=offer.version_id, enterprise_id=offer.enterprise_id,
        year=offer.period_start.year, period_start=offer.period_start, period_end=offer.period_end,
        status=ApplicationStatus.SUBMITTED, offer=offer, decision_id=offer.decision_id,
        submitted_at=timezone.now(), statement=_("Confirmed from a proactive offer."))
    application.full_clean()
    application.save()
    audit.record_change(instance=application, action=ChangeAction.CREATE, user=user, before=None,
                        after=audit.snapshot(application))
    return application


def _offer_answerable(user, offer) -> None:
    if offer.period_end and Application.objects.filter(policy_id=offer.policy_id, enterprise_id=offer.enterprise_id,
                                                       year=offer.period_start.year).exclude(
            status=ApplicationStatus.WITHDRAWN).exclude(offer=offer).exists():
        raise Refused(_("The enterprise has applied for this policy for this year already."))


@action(Offer, "confirm", label=gettext_lazy("Confirm and apply"), roles=[Role.ENTERPRISE],
        sources=[OfferStatus.PROPOSED], target=OfferStatus.CONFIRMED, style="primary",
        condition=_offer_answerable, event_label=gettext_lazy("Proactive offer confirmed"),
        help=gettext_lazy("One step: a submitted application is made from this offer, with the decision shown "
                          "here; officers review it as any application."),
        result_of=lambda application: application.offer,
        message=lambda application: _("Application %(number)s submitted.") % {"number": application.number},
        example=lambda offer: {})
def offer_confirm(*, user, instance: Offer) -> Application:
    offer_decision(instance, user=user)
    create = globals().get("application_create_from_offer")
    application = (create or _offer_application)(offer=instance, user=user)
    instance.status = OfferStatus.CONFIRMED
    instance.answered_at = timezone.now()
    instance.save(update_fields=["status", "answered_at", "last_updated"])
    return application


@action(Offer, "decline", label=gettext_lazy("Not needed"), roles=[Role.ENTERPRISE],
        sources=[OfferStatus.PROPOSED], target=OfferStatus.DECLINED, style="outline-secondary",
        event_label=gettext_lazy("Proactive offer declined"),
        help=gettext_lazy("The offer is closed; it is not made again for the same period."),
        message=lambda offer: _("Offer declined."), example=lambda offer: {})
def offer_decline(*, user, instance: Offer) -> Offer:
    instance.status = OfferStatus.DECLINED
    instance.answered_at = timezone.now()
    instance.save(update_fields=["status", "answered_at", "last_updated"])
    return instance

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
