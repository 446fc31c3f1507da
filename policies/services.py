"""Every write of policy support beyond plain edits: <entity>_<verb>(*, ..., user), in a transaction, audited.

Money moves only by conditional updates guarded by CHECK constraints (RULES.md point 10)."""


# ===== versions ====
import datetime as _dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from certification.choices import VersionStatus
from core import audit
from core.access.permissions import CHANGE, ensure_can, record_refusal
from core.actions import Refused, action
from core.reference.choices import ChangeAction, Role
from core.rules import FactType, ParameterSet, validate
from core.rules.amounts import amount_errors
from core.services import object_create, object_delete, object_update

from . import builder as policy_builder
from . import engine
from .catalogue import CATALOGUE
from .forms import NewPolicyVersionForm
from .models import Policy, PolicyTestCase, PolicyVersion

POLICY_MANAGERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
RULE_FIELDS = ("conditions", "amount", "parameters", "annual_cap", "cumulative_cap", "max_years", "obligations")
COPIED_FIELDS = (*RULE_FIELDS, "source_document", "notes")


def _draft_exists_message(policy) -> str:
    return _("%(policy)s already has a draft version: finish or delete it before starting another.") % {
        "policy": policy}


def _refuse_if_fixed(instance, verb: str) -> None:
    refused = record_refusal(instance, verb)
    if refused:
        raise ValidationError(refused)


def _next_number(policy_id) -> int:
    return (PolicyVersion.objects.filter(policy_id=policy_id).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def policyversion_create(*, user, model=PolicyVersion, data):
    """A new draft version of a policy, numbered after the last one. One draft a policy at a time (the
    constraint ``policy_one_draft`` holds it when two people start one at the same moment)."""
    policy = data.get("policy")
    if policy is not None and PolicyVersion.objects.filter(policy=policy, status=VersionStatus.DRAFT).exists():
        raise ValidationError({"policy": _draft_exists_message(policy)})
    preset = {"status": VersionStatus.DRAFT, "number": _next_number(getattr(policy, "pk", policy))}
    try:
        with transaction.atomic():
            return object_create(user=user, model=model, data=data, preset=preset)
    except (ValidationError, IntegrityError):
        if policy is not None and PolicyVersion.objects.filter(policy=policy, status=VersionStatus.DRAFT).exists():
            raise ValidationError({"policy": _draft_exists_message(policy)}) from None
        raise


@transaction.atomic
def policyversion_update(*, user, instance, data):
    """Only a draft changes; a published or retired version is the record of the decisions taken under it."""
    ensure_can(user, CHANGE, PolicyVersion)
    locked = PolicyVersion.objects.select_for_update().get(pk=instance.pk)
    _refuse_if_fixed(locked, "change")
    policy = data.get("policy")
    if policy is not None and getattr(policy, "pk", policy) != locked.policy_id:
        raise ValidationError({"policy": _("A version stays with its policy; start a version of the other policy.")})
    return object_update(user=user, instance=locked, data=data)


@transaction.atomic
def policyversion_delete(*, user, instance):
    """Only a draft is deleted (its test cases with it)."""
    locked = PolicyVersion.objects.select_for_update().filter(pk=instance.pk).first()
    if locked is not None:
        _refuse_if_fixed(locked, "delete")
        for case in locked.test_cases.all():
            audit.record_change(instance=case, action=ChangeAction.DELETE, user=user, before=audit.snapshot(case),
                                after=None)
    object_delete(user=user, instance=instance)


def version_problems(version: PolicyVersion, *, complete: bool = True) -> list[str]:
    """What keeps a version's rules from being applied, in Chinese: conditions or an amount formula that do not
    check against the facts and parameters, caps that name no money parameter, obligations that are not rows of
    the form. ``complete``: also what a published version must have (at least a condition)."""
    problems = []
    try:
        parameters = ParameterSet.from_json(version.parameters or {})
    except ValueError as error:
        return [_("Parameters: %(error)s") % {"error": error}]
    if version.conditions:
        problems += [_("Conditions: %(error)s") % {"error": e}
                     for e in validate(version.conditions, CATALOGUE, parameters)]
    elif complete:
        problems.append(_("Conditions: a version needs at least one condition."))
    if version.amount:
        problems += [_("Amount formula: %(error)s") % {"error": e}
                     for e in amount_errors(version.amount, CATALOGUE, parameters, result_type=FactType.MONEY)]
    for label, name in ((_("annual cap"), version.annual_cap), (_("cumulative cap"), version.cumulative_cap)):
        if name and (name not in parameters or parameters[name].type is not FactType.MONEY):
            problems.append(_("The %(cap)s names %(name)s, which is not a money parameter of this version.")
                            % {"cap": label, "name": name})
    if (version.annual_cap or version.cumulative_cap) and not version.amount:
        problems.append(_("Caps apply to an amount: give the amount formula too."))
    obligations = version.obligations or []
    _rows, errors = policy_builder.obligations_from_rows(policy_builder.obligations_to_rows(obligations))
    if len(_rows) != len(obligations) or errors:
        problems += [_("Obligations, row %(row)s: %(error)s") % {"row": n, "error": m}
                     for n, messages in errors.items() for m in messages] or [_("Obligations: each is an object.")]
    return problems


@transaction.atomic
def policyversion_rules_set(*, user, instance, **rules):
    """Set a draft's conditions, amount formula, parameters, caps, maximum years and obligations (built in rows
    on the builder page and checked there); refused for a published or retired version, as any change is."""
    ensure_can(user, CHANGE, PolicyVersion)
    locked = PolicyVersion.objects.for_user(user).select_for_update().get(pk=instance.pk)
    _refuse_if_fixed(locked, "change")
    data = {name: rules[name] for name in RULE_FIELDS if name in rules}
    probe = PolicyVersion(**{name: getattr(locked, name) for name in RULE_FIELDS})
    for name, value in data.items():
        setattr(probe, name, value)
    problems = version_problems(probe, complete=False)
    if problems:
        raise ValidationError(problems)
    before = audit.snapshot(locked)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.save()
    audit.record_change(instance=locked, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(locked))
    return locked


def _copy(version: PolicyVersion, effective_from) -> PolicyVersion:
    copy = PolicyVersion(policy_id=version.policy_id, number=_next_number(version.policy_id),
                         status=VersionStatus.DRAFT, effective_from=effective_from)
    for name in COPIED_FIELDS:
        setattr(copy, name, getattr(version, name))
    return copy


def _refuse_second_draft(user, version):
    if PolicyVersion.objects.filter(policy_id=version.policy_id, status=VersionStatus.DRAFT).exists():
        raise Refused(_draft_exists_message(version.policy))


def _latest(version):
    return PolicyVersion.objects.filter(policy_id=version.policy_id).order_by("-number").first()


@action(PolicyVersion, "new_version", label=_lazy("Start a new version"), roles=POLICY_MANAGERS,
        sources=[VersionStatus.PUBLISHED, VersionStatus.RETIRED], form=NewPolicyVersionForm,
        condition=_refuse_second_draft, event_data=lambda version, new: {"new_version": new.pk},
        help=_lazy("Copies the policy's latest version (conditions, amount formula, parameters, caps, obligations "
                   "and test cases) into a new draft that takes effect on the date given once it is published."),
        initial=lambda version: {"effective_from": _dt.date.today()},
        example=lambda version: {"effective_from": version.effective_from + _dt.timedelta(days=365)})
def policyversion_new_version(*, user, instance: PolicyVersion, effective_from: _dt.date) -> PolicyVersion:
    """Start the next version of a policy from its latest: a draft with the same rules and test cases (their
    results cleared). Refused while the policy has a draft; two people starting one at the same moment get one
    draft and one refusal (the constraint ``policy_one_draft``)."""
    latest = _latest(instance) or instance
    copy = _copy(latest, effective_from)
    try:
        with transaction.atomic():
            copy.full_clean(validate_constraints=False, validate_unique=False)
            copy.save()
    except IntegrityError:
        raise Refused(_draft_exists_message(instance.policy)) from None
    audit.record_change(instance=copy, action=ChangeAction.CREATE, user=user, before=None,
                        after=audit.snapshot(copy))
    for case in latest.test_cases.all():
        new = PolicyTestCase.objects.create(version=copy, name=case.name, facts=case.facts,
                                            period_start=case.period_start, period_end=case.period_end,
                                            expected_eligible=case.expected_eligible,
                                            expected_amount=case.expected_amount)
        audit.record_change(instance=new, action=ChangeAction.CREATE, user=user, before=None,
                            after=audit.snapshot(new))
    return copy


# ----- test cases -------------------------------------------------------------------------------------------------
def run_case(case: PolicyTestCase, version: PolicyVersion | None = None) -> dict:
    """A case decided by the version's rules (the engine, pure): eligible, amount, sentences, and whether it gave
    what the case expects."""
    version = version or case.version
    facts = policy_builder.facts_from_json(case.facts)
    try:
        rules = engine.rules_of(version)
        result = engine.decide_facts(rules, policy_builder.case_facts_for_part(facts, case.period_start,
                                                                               case.period_end),
                                     case.period_start, case.period_end, case.period_end)
    except Exception as error:  # an unfinished draft: its rules do not decide yet
        return {"hash": engine.version_hash(version), "error": str(error), "passed": False, "eligible": None,
                "amount": None, "sentences": []}
    passed = result.eligible == case.expected_eligible and (
        case.expected_amount is None or (result.amount or 0) == case.expected_amount)
    return {"hash": rules.hash, "eligible": result.eligible, "amount": result.amount, "passed": passed,
            "sentences": result.trace.get("sentences", []), "ran_at": timezone.now().isoformat()}


def _case_draft(user, version):
    ensure_can(user, CHANGE, PolicyVersion)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("The cases of a published version cannot be changed."))


@transaction.atomic
def policytestcase_save(*, user, version: PolicyVersion, instance: PolicyTestCase | None = None, name: str,
                        facts: dict, period_start, period_end, expected_eligible: bool, expected_amount):
    """Add or change a draft's test case (facts in storage units' JSON, the expected amount in fen)."""
    version = PolicyVersion.objects.for_user(user).select_for_update().get(pk=version.pk)
    _case_draft(user, version)
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    case = instance if instance is not None else PolicyTestCase(version=version)
    if case.version_id != version.pk:
        raise ValidationError(_("This case belongs to another version."))
    before = audit.snapshot(case) if case.pk else None
    case.name, case.facts = name, facts
    case.period_start, case.period_end = period_start, period_end
    case.expected_eligible, case.expected_amount = expected_eligible, expected_amount
    case.last_result = {}
    case.full_clean()
    case.save()
    audit.record_change(instance=case, action=ChangeAction.UPDATE if before else ChangeAction.CREATE, user=user,
                        before=before, after=audit.snapshot(case))
    return case


@transaction.atomic
def policytestcase_delete(*, user, instance: PolicyTestCase):
    version = PolicyVersion.objects.for_user(user).select_for_update().get(pk=instance.version_id)
    _case_draft(user, version)
    audit.record_change(instance=instance, action=ChangeAction.DELETE, user=user, before=audit.snapshot(instance),
                        after=None)
    instance.delete()


@action(PolicyVersion, "run_cases", label=_lazy("Run the test cases"), roles=POLICY_MANAGERS,
        sources=[VersionStatus.DRAFT, VersionStatus.PUBLISHED, VersionStatus.RETIRED], style="outline-secondary",
        event_data=lambda version, result: result,
        help=_lazy("Decides every saved case by this version's rules and keeps each result beside what it expects."),
        example=lambda version: {})
def policyversion_run_cases(*, user, instance: PolicyVersion) -> dict:
    """Run every case of the version and store each result (``last_result``)."""
    passed = failed = 0
    for case in instance.test_cases.select_for_update().order_by("id"):
        case.last_result = run_case(case, instance)
        case.save(update_fields=["last_result", "last_updated"])
        passed, failed = passed + case.last_result["passed"], failed + (not case.last_result["passed"])
    return {"passed": passed, "failed": failed}


# ----- the dry run, publishing and retiring ------------------------------------------------------------------------
def _dry_run_example(version):
    return {}


@action(PolicyVersion, "dry_run", label=_lazy("Dry run on every enterprise"), roles=POLICY_MANAGERS,
        sources=[VersionStatus.DRAFT], style="outline-secondary",
        event_data=lambda version, result: {key: result.get(key) for key in ("hash", "eligible", "total_amount")},
        help=_lazy("Decides this draft for every enterprise with a lease over last calendar year, and compares it "
                   "with the version in force: who gains, who loses, the cost against the year's budget."),
        example=_dry_run_example)
def policyversion_dry_run(*, user, instance: PolicyVersion) -> dict:
    from .evaluation import dry_run

    result = dry_run(instance)
    instance.dry_run = result
    instance.save(update_fields=["dry_run", "last_updated"])
    return result


def publish_missing(version: PolicyVersion) -> list[str]:
    """What the evidence for publishing still lacks, in Chinese: the rules' problems, cases (at least one, each
    passing now), a dry run of this very content."""
    missing = list(version_problems(version))
    current = engine.version_hash(version)
    cases = list(version.test_cases.all())
    if not cases:
        missing.append(_("Test cases: save at least one case with its expected decision."))
    for case in cases:
        result = run_case(case, version)
        if not result["passed"]:
            missing.append(_("Test case “%(name)s” does not give what it expects.") % {"name": case.name})
    if not version.dry_run:
        missing.append(_("Dry run: run this draft on every enterprise before publishing."))
    elif version.dry_run.get("hash") != current:
        missing.append(_("Dry run: the rules changed since the last dry run; run it again."))
    return missing


def _publish_check(user, version):
    missing = publish_missing(version)
    if missing:
        raise Refused(_("This version cannot be published yet: %(missing)s") % {"missing": "；".join(missing)})


@action(PolicyVersion, "publish", label=_lazy("Publish"), roles=[Role.BUREAU_ADMIN],
        sources=[VersionStatus.DRAFT], target=VersionStatus.PUBLISHED, condition=_publish_check,
        style="outline-success", event_data=lambda version, result: {"content_hash": version.content_hash},
        help=_lazy("Needs every test case passing and a dry run of this very content. From its effective date the "
                   "published version decides; it can no longer be changed."),
        example=lambda version: {})
def policyversion_publish(*, user, instance: PolicyVersion) -> PolicyVersion:
    """Publish a draft: the evidence checked once more under the row's lock, the content hash fixed."""
    before = audit.snapshot(instance)
    instance.status = VersionStatus.PUBLISHED
    instance.content_hash = engine.version_hash(instance)
    instance.published_at = timezone.now()
    instance.published_by = user.username
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise Refused(_("Another published version of this policy takes effect on %(day)s: choose another date.")
                      % {"day": instance.effective_from.isoformat()}) from None
    audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(instance))
    return instance


@action(PolicyVersion, "retire", label=_lazy("Retire"), roles=[Role.BUREAU_ADMIN],
        sources=[VersionStatus.PUBLISHED], target=VersionStatus.RETIRED, style="outline-danger",
        help=_lazy("A retired version stays the record of the decisions taken under it; it is no longer offered "
                   "for new work."),
        example=lambda version: {})
def policyversion_retire(*, user, instance: PolicyVersion) -> PolicyVersion:
    before = audit.snapshot(instance)
    instance.status = VersionStatus.RETIRED
    instance.save(update_fields=["status", "last_updated"])
    audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                        after=audit.snapshot(instance))
    return instance


def version_in_force(policy: Policy, on: _dt.date) -> PolicyVersion | None:
    return policy.version_on(on)

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
