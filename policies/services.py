"""Every write of policy support beyond plain edits: <entity>_<verb>(*, ..., user), in a transaction, audited.

Money moves only by conditional updates guarded by CHECK constraints (RULES.md point 10)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.choices import VersionStatus
from core import audit, reminders
from core import services as core_services
from core.access.permissions import ADD, CHANGE, DELETE, ensure_can, in_scope, record_refusal
from core.actions import Refused, action
from core.reference.choices import ChangeAction, Role
from core.rules import (
    FactType,
    ParameterSet,
    ParameterUndefined,
    div_half_up,
    money_from_yuan,
    money_to_yuan,
    validate,
    yuan_text,
)
from core.rules.amounts import amount_errors
from core.services import object_create, object_delete, object_update
from core.versions import RuleVersions

from . import builder, engine, forms, obligations
from .catalogue import CATALOGUE
from .choices import (
    AWARD_HOLDING_STATUSES,
    AllocationStatus,
    ApplicationStatus,
    AwardStatus,
    ClawbackStatus,
    DecisionPurpose,
    LedgerKind,
    OfferStatus,
    PolicyCategory,
    RunStatus,
    TrancheStatus,
)
from .forms import NewPolicyVersionForm
from .models import (
    Allowance,
    Application,
    Award,
    Budget,
    ClawbackCase,
    Decision,
    LedgerEntry,
    Offer,
    Policy,
    PolicyTestCase,
    PolicyVersion,
    ScreeningRun,
    SpaceAllocation,
    Tranche,
)

# ----- policies and their versions -----------------------------------------------------------------------------
POLICY_MANAGERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
RULE_FIELDS = ("conditions", "amount", "parameters", "annual_cap", "cumulative_cap", "max_years", "obligations")
COPIED_FIELDS = (*RULE_FIELDS, "source_document", "notes")


VERSIONS = RuleVersions(
    PolicyVersion, parent="policy", copied=COPIED_FIELDS,
    draft_exists=lambda policy: _("%(policy)s already has a draft version: finish or delete it before starting "
                                  "another.") % {"policy": policy},
    moved=gettext_lazy("A version stays with its policy; start a version of the other policy."),
    taken=lambda day: _("Another published version of this policy takes effect on %(day)s: choose another "
                        "date.") % {"day": day.isoformat()},
    dependents=lambda version: version.test_cases.all())


@transaction.atomic
def policyversion_create(*, user, model=PolicyVersion, data):
    """A new draft version of a policy, numbered after the last one. One draft a policy at a time (the
    constraint ``policy_one_draft`` holds it when two people start one at the same moment)."""
    return VERSIONS.create(user=user, model=model, data=data)


@transaction.atomic
def policyversion_update(*, user, instance, data):
    """Only a draft changes; a published or retired version is the record of the decisions taken under it."""
    return VERSIONS.update(user=user, instance=instance, data=data)


@transaction.atomic
def policyversion_delete(*, user, instance):
    """Only a draft is deleted (its test cases with it)."""
    VERSIONS.delete(user=user, instance=instance)


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
    _rows, errors = builder.obligations_from_rows(builder.obligations_to_rows(obligations))
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
    VERSIONS.refuse_if_fixed(locked, "change")
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


@action(PolicyVersion, "new_version", label=gettext_lazy("Start a new version"), roles=POLICY_MANAGERS,
        sources=[VersionStatus.PUBLISHED, VersionStatus.RETIRED], form=NewPolicyVersionForm,
        condition=VERSIONS.refuse_second_draft, event_data=lambda version, new: {"new_version": new.pk},
        help=gettext_lazy("Copies the policy's latest version (conditions, amount formula, parameters, caps, obligations "
                   "and test cases) into a new draft that takes effect on the date given once it is published."),
        initial=lambda version: {"effective_from": datetime.date.today()},
        example=lambda version: {"effective_from": version.effective_from + datetime.timedelta(days=365)})
def policyversion_new_version(*, user, instance: PolicyVersion, effective_from: datetime.date) -> PolicyVersion:
    """Start the next version of a policy from its latest: a draft with the same rules and test cases (their
    results cleared). Refused while the policy has a draft; two people starting one at the same moment get one
    draft and one refusal (the constraint ``policy_one_draft``)."""
    latest = VERSIONS.latest(instance) or instance
    copy = VERSIONS.start_from(user=user, source=latest, effective_from=effective_from)
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
    facts = builder.facts_from_json(case.facts)
    try:
        rules = engine.rules_of(version)
        result = engine.decide_facts(rules, builder.case_facts_for_part(facts, case.period_start,
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


@action(PolicyVersion, "run_cases", label=gettext_lazy("Run the test cases"), roles=POLICY_MANAGERS,
        sources=[VersionStatus.DRAFT, VersionStatus.PUBLISHED, VersionStatus.RETIRED], style="outline-secondary",
        event_data=lambda version, result: result,
        help=gettext_lazy("Decides every saved case by this version's rules and keeps each result beside what it expects."),
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


@action(PolicyVersion, "dry_run", label=gettext_lazy("Dry run on every enterprise"), roles=POLICY_MANAGERS,
        sources=[VersionStatus.DRAFT], style="outline-secondary",
        event_data=lambda version, result: {key: result.get(key) for key in ("hash", "eligible", "total_amount")},
        help=gettext_lazy("Decides this draft for every enterprise with a lease over last calendar year, and compares it "
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


@action(PolicyVersion, "publish", label=gettext_lazy("Publish"), roles=[Role.BUREAU_ADMIN],
        sources=[VersionStatus.DRAFT], target=VersionStatus.PUBLISHED, condition=_publish_check,
        style="outline-success", event_data=lambda version, result: {"content_hash": version.content_hash},
        help=gettext_lazy("Needs every test case passing and a dry run of this very content. From its effective date the "
                   "published version decides; it can no longer be changed."),
        example=lambda version: {})
def policyversion_publish(*, user, instance: PolicyVersion) -> PolicyVersion:
    """Publish a draft: the evidence checked once more under the row's lock, the content hash fixed."""
    return VERSIONS.publish(instance, user=user, content_hash=engine.version_hash(instance))


@action(PolicyVersion, "retire", label=gettext_lazy("Retire"), roles=[Role.BUREAU_ADMIN],
        sources=[VersionStatus.PUBLISHED], target=VersionStatus.RETIRED, style="outline-danger",
        help=gettext_lazy("A retired version stays the record of the decisions taken under it; it is no longer offered "
                   "for new work."),
        example=lambda version: {})
def policyversion_retire(*, user, instance: PolicyVersion) -> PolicyVersion:
    return VERSIONS.retire(instance, user=user)


def version_in_force(policy: Policy, on: datetime.date) -> PolicyVersion | None:
    return policy.version_on(on)


# ----- screening and offers (免申即享) -----------------------------------------------------------------------------
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


def screening_run(*, on: datetime.date, start: datetime.date, end: datetime.date, user, policies=None,
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


def offer_decision(offer: Offer, *, user) -> Decision:
    """The decision shown with an offer: made the first time the offer is opened (as of its run's day, for its
    period, by its version, through ``evaluation.decide``), stored and kept; later views show it as it was
    made."""
    if offer.decision_id:
        return offer.decision
    from .evaluation import decide

    with transaction.atomic():
        locked = Offer.objects.select_for_update().select_related("version__policy", "run", "enterprise").get(
            pk=offer.pk)
        if locked.decision_id:
            return locked.decision
        decision = decide(locked.enterprise, locked.version, locked.period_start, locked.period_end,
                          locked.run.decided_on, purpose=DecisionPurpose.OFFER, user=user)
        Offer.objects.filter(pk=locked.pk).update(decision=decision)
        audit.record_event(OFFER_DECIDED, user=user, instance=locked, data={
            "decision": decision.pk, "eligible": decision.eligible, "amount": decision.amount})
    offer.decision = decision
    offer.decision_id = decision.pk
    return decision


def _offer_answerable(user, offer) -> None:
    if offer.period_end and Application.objects.filter(policy_id=offer.policy_id, enterprise_id=offer.enterprise_id,
                                                       year=offer.period_start.year).exclude(
            status=ApplicationStatus.WITHDRAWN).exclude(offer=offer).exists():
        raise Refused(_("The enterprise has applied for this policy for this year already."))


@action(Offer, "confirm", label=gettext_lazy("Confirm and apply"), roles=[Role.ENTERPRISE],
        sources=[OfferStatus.PROPOSED], target=OfferStatus.CONFIRMED, style="primary",
        condition=_offer_answerable, event="policies.offer.confirm_and_apply",
        event_label=gettext_lazy("Proactive offer confirmed and applied for"),
        help=gettext_lazy("One step: a submitted application is made from this offer; officers review it as any "
                          "application."),
        result_of=lambda application: application.offer,
        message=lambda application: _("Application %(number)s submitted.") % {"number": application.number},
        example=lambda offer: {})
def offer_confirm(*, user, instance: Offer) -> Application:
    """The decision shown with the offer is made first (if it was not opened before), then the application
    workflow's ``application_create_from_offer`` makes and submits the application and confirms the offer."""
    offer_decision(instance, user=user)
    return application_create_from_offer(offer=instance, user=user)


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


# ----- applications, awards, budgets and tranches --------------------------------------------------------------
# Applications (初审 → 复审 → 审批), awards, tranches, budgets, allowances and the ledger. Money moves only by
# conditional UPDATEs that the CHECK constraints of policies.models back (ADR 0031).


AWARD_OFFICERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
AWARD_APPLICANTS = (Role.ENTERPRISE,)
# Above this amount (fen) an award is paid in two halves by default: 1,000,000.00 元.
TWO_TRANCHES_ABOVE = 100_000_000
# The payout deadline: this many working days after the approval day (settings.POLICY_PAYOUT_WORKING_DAYS).
PAYOUT_WORKING_DAYS = 20
_DAY = datetime.timedelta(days=1)

# The application's workflow: verb → (the states it starts from, the state it leads to, who takes it).
AWARD_APPLICATION_TRANSITIONS = {
    "submit": ((ApplicationStatus.DRAFT, ApplicationStatus.RETURNED), ApplicationStatus.SUBMITTED, AWARD_APPLICANTS),
    "return": ((ApplicationStatus.SUBMITTED, ApplicationStatus.FIRST_PASSED, ApplicationStatus.SECOND_PASSED), ApplicationStatus.RETURNED, AWARD_OFFICERS),
    "first_review": ((ApplicationStatus.SUBMITTED,), ApplicationStatus.FIRST_PASSED, AWARD_OFFICERS),
    "second_review": ((ApplicationStatus.FIRST_PASSED,), ApplicationStatus.SECOND_PASSED, AWARD_OFFICERS),
    "approve": ((ApplicationStatus.SECOND_PASSED,), ApplicationStatus.APPROVED, AWARD_OFFICERS),
    "reject": ((ApplicationStatus.SUBMITTED, ApplicationStatus.FIRST_PASSED, ApplicationStatus.SECOND_PASSED), ApplicationStatus.REJECTED, AWARD_OFFICERS),
    "withdraw": ((ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED, ApplicationStatus.FIRST_PASSED, ApplicationStatus.SECOND_PASSED), ApplicationStatus.WITHDRAWN,
                 AWARD_APPLICANTS),
}

AWARD_TRANCHE_PAY = audit.register_event("policies.tranche.pay", gettext_lazy("Tranche paid"))
AWARD_CANCEL = audit.register_event("policies.award.cancel", gettext_lazy("Award cancelled"))
AWARD_PLAN = audit.register_event("policies.award.plan", gettext_lazy("Tranches of an award planned"))
AWARD_OFFER_CONFIRM = audit.register_event("policies.offer.confirm", gettext_lazy("Proactive offer confirmed"))


def _awards_transition(verb):
    sources, target, roles = AWARD_APPLICATION_TRANSITIONS[verb]
    return {"sources": list(sources), "target": target, "roles": roles}


def money_text(fen) -> str:
    """Fen as people read it: 1,200,000.00 元."""
    return "—" if fen is None else f"{money_to_yuan(int(fen)):,.2f} 元"


def application_period(year: int) -> tuple[datetime.date, datetime.date]:
    """The period an application for ``year`` supports: that calendar year."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def decision_day(period_end: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """The day a decision is made as of: the period's end, or today while the period runs."""
    return min(period_end, today or timezone.localdate())


def _application_numbered(make):
    """Save under the next free number of the year, ZC-2026-0001 (a number taken meanwhile is skipped)."""
    prefix = f"ZC-{timezone.localdate().year}-"
    for _attempt in range(5):
        last = (Application.objects.filter(number__startswith=prefix).order_by("-number")
                .values_list("number", flat=True).first())
        tail = last[len(prefix):] if last else ""
        number = f"{prefix}{(int(tail) + 1 if tail.isdigit() else 1):04d}"
        try:
            with transaction.atomic():
                return make(number)
        except (IntegrityError, ValidationError) as error:
            clash = isinstance(error, IntegrityError) or "number" in getattr(error, "error_dict", {})
            if not clash or not Application.objects.filter(number=number).exists():
                raise
    raise ValidationError(_("Could not give the application a number; try again."))


def _application_check(application) -> None:
    errors = {}
    if application.lease_id and application.lease.enterprise_id != application.enterprise_id:
        errors["lease"] = _("The lease is not the enterprise's.")
    policy = application.policy
    if policy.valid_from.year > application.year or (policy.valid_until and policy.valid_until.year
                                                     < application.year):
        errors["year"] = _("The policy is not in force in %(year)s.") % {"year": application.year}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_create(*, user, model=Application, data):
    """Open an application (a draft): the period is the calendar year named; the next number of the year."""
    year = data.get("year")
    preset = {}
    if year:
        preset["period_start"], preset["period_end"] = application_period(int(year))
    return _application_numbered(lambda number: object_create(
        user=user, model=model, data=data, preset={**preset, "number": number}, check=_application_check))


@transaction.atomic
def application_update(*, user, instance, data):
    from core.services import object_update

    if data.get("year"):
        data = {**data, **dict(zip(("period_start", "period_end"), application_period(int(data["year"])),
                                   strict=True))}
    return object_update(user=user, instance=instance, data=data, check=_application_check)


def _evaluation():
    # policies.evaluation (decide one enterprise × one version × period, and keep the decision) is read when
    # called, so that this module loads before it.
    from . import evaluation

    return evaluation


def application_version(application):
    """The published version of the application's policy that decides it: the one in force on the decision day."""
    return application.policy.version_on(decision_day(application.period_end))


def _decide(application, *, user, purpose):
    on = decision_day(application.period_end)
    version = application.policy.version_on(on)
    if version is None:
        raise Refused(_("No published version of %(policy)s is in force on %(day)s: the application cannot be "
                          "decided.") % {"policy": application.policy, "day": on.isoformat()})
    return _evaluation().decide(application.enterprise, version, application.period_start, application.period_end,
                                on, purpose=purpose, user=user)


def decision_sentences(decision) -> list[str]:
    """The plain sentences of a stored decision's trace, in order."""
    if decision is None:
        return []
    return [str(sentence) for sentence in (decision.trace or {}).get("sentences", [])]


def _application_saved(application, user, before) -> Application:
    application.full_clean()
    application.save()
    audit.record_change(instance=application, action=ChangeAction.UPDATE, user=user, before=before,
                         after=audit.snapshot(application))
    return application


@action(Application, "submit", label=gettext_lazy("Submit"), **_awards_transition("submit"), style="primary",
         event_label=gettext_lazy("Support application submitted"),
         help=gettext_lazy("The policy's rules are applied to the enterprise's records for the year, and what they "
                    "decide is kept with the application and shown to the enterprise."),
         event_data=lambda application, _result: {"decision": application.decision_id,
                                                  "eligible": application.decision.eligible if application.decision
                                                  else None},
         example=lambda application: {})
def application_submit(*, user, instance: Application) -> Application:
    """Submit a draft or returned application: the version in force is fixed and a decision (purpose
    application) is made and kept; an enterprise that the rules find not eligible may still submit, and reads
    why."""
    application = instance
    before = audit.snapshot(application)
    decision = _decide(application, user=user, purpose=DecisionPurpose.APPLICATION)
    application.version = decision.version
    application.decision = decision
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    return _application_saved(application, user, before)


def _reviewed(application, user, *, status, comment, field=None) -> Application:
    before = audit.snapshot(application)
    application.status = status
    application.review_comment = comment
    if field:
        setattr(application, field, user)
    return _application_saved(application, user, before)


def _comment_required(comment, message):
    if not (comment or "").strip():
        raise ValidationError({"comment": message})


@action(Application, "return", label=gettext_lazy("Return for correction"), **_awards_transition("return"),
         form=forms.ApplicationCommentForm, event_label=gettext_lazy("Support application returned"),
         style="outline-warning", help=gettext_lazy("The enterprise corrects the application and submits it again; say "
                                             "what to correct."),
         example=lambda application: {"comment": "请补充2026年度租金缴纳凭证"})
def application_return(*, user, instance: Application, comment: str) -> Application:
    """Return an application under review to the enterprise for correction, saying what to correct; its reviews
    start again when it comes back."""
    _comment_required(comment, _("Say what the enterprise should correct."))
    instance.first_reviewed_by = None
    instance.second_reviewed_by = None
    return _reviewed(instance, user, status=ApplicationStatus.RETURNED, comment=comment)


@action(Application, "first_review", label=gettext_lazy("Pass first review"), **_awards_transition("first_review"),
         form=forms.ApplicationNoteForm, event_label=gettext_lazy("Support application passed first review"),
         style="outline-success", help=gettext_lazy("First review: a second officer then reviews it again."),
         example=lambda application: {"comment": "材料齐全，符合申报条件"})
def application_first_review(*, user, instance: Application, comment: str = "") -> Application:
    """初审: the officer is recorded as the first reviewer."""
    return _reviewed(instance, user, status=ApplicationStatus.FIRST_PASSED, comment=comment, field="first_reviewed_by")


def _not_the_first_reviewer(user, application) -> None:
    if application.first_reviewed_by_id is not None and application.first_reviewed_by_id == user.pk:
        raise Refused(_("The second reviewer cannot be the first reviewer."))


@action(Application, "second_review", label=gettext_lazy("Pass second review"), **_awards_transition("second_review"),
         form=forms.ApplicationNoteForm, condition=_not_the_first_reviewer,
         event_label=gettext_lazy("Support application passed second review"), style="outline-success",
         help=gettext_lazy("Second review, by an officer other than the first reviewer."),
         example=lambda application: {"comment": "复核无误"})
def application_second_review(*, user, instance: Application, comment: str = "") -> Application:
    """复审 by an officer other than the first reviewer."""
    return _reviewed(instance, user, status=ApplicationStatus.SECOND_PASSED, comment=comment, field="second_reviewed_by")


def _approver_check(user, application) -> None:
    """审批: by an administrator or an officer who reviewed it at neither step (three people in all)."""
    if application.first_reviewed_by_id is not None and application.first_reviewed_by_id == user.pk:
        raise Refused(_("The approver cannot be the first reviewer."))
    if application.second_reviewed_by_id is not None and application.second_reviewed_by_id == user.pk:
        raise Refused(_("The approver cannot be the second reviewer."))


def payout_working_days() -> int:
    return int(getattr(settings, "POLICY_PAYOUT_WORKING_DAYS", PAYOUT_WORKING_DAYS))


def _weekdays_after(start: datetime.date, days: int) -> datetime.date:
    day, left = start, days
    while left > 0:
        day += _DAY
        if day.weekday() < 5:
            left -= 1
    return day


def payout_due_for(approved_on: datetime.date) -> tuple[datetime.date | None, str]:
    """The payout deadline, N working days after the approval day, and a warning when it cannot be computed (a
    year on the way without its holiday calendar: the award is made and the deadline left empty)."""
    days = payout_working_days()
    try:
        from core import calendar as working_calendar
    except ImportError:  # a checkout without the working calendar: weekdays only
        return _weekdays_after(approved_on, days), ""
    try:
        return working_calendar.add_working_days(approved_on, days), ""
    except working_calendar.CalendarMissing as missing:
        # The calendar names the first year without its notice; lacking that, the year after the approval's.
        year = getattr(missing, "year", None) or approved_on.year + 1
        return None, _("The %(year)s holiday calendar has not been entered: the payout deadline cannot be "
                        "computed yet.") % {"year": year}


def default_plan(amount: int, due_on: datetime.date | None) -> list[tuple[int, datetime.date | None]]:
    """One tranche, or two halves when the award is over 1,000,000.00 元 (the second without a date: the officer
    sets it, or changes the plan, before the first payment)."""
    if amount > TWO_TRANCHES_ABOVE:
        first = amount // 2
        return [(first, due_on), (amount - first, None)]
    return [(amount, due_on)]


@transaction.atomic
def ledger_record(*, budget, kind, amount: int, user=None, award=None, tranche=None, clawback=None,
                  note: str = "") -> LedgerEntry:
    """Add one movement of money to a budget's ledger (reserve, release, pay, recover), audited. The budget's
    figures are moved by the caller's conditional update in the same transaction."""
    entry = LedgerEntry(budget=budget, kind=kind, amount=int(amount), award=award, tranche=tranche,
                         clawback=clawback, note=note[:300], user=user if user and user.is_authenticated else None,
                         user_name=getattr(user, "username", "") or "")
    entry.full_clean()
    entry.save()
    audit.record_change(instance=entry, action=ChangeAction.CREATE, user=user, before=None,
                         after=audit.snapshot(entry))
    return entry


def budget_reserve(*, policy, year: int, amount: int) -> Budget:
    """committed += amount within total, by one conditional UPDATE (refused: 预算不足)."""
    changed = (Budget.objects.filter(policy=policy, year=year, committed__lte=F("total") - amount)
               .update(committed=F("committed") + amount))
    budget = Budget.objects.filter(policy=policy, year=year).first()
    if budget is None:
        raise Refused(_("%(policy)s has no budget for %(year)s.") % {"policy": policy, "year": year})
    if changed != 1:
        raise Refused(_("Budget insufficient: %(policy)s has %(available)s left for %(year)s, the award needs "
                          "%(amount)s.") % {"policy": policy, "year": year, "available": money_text(budget.available),
                                            "amount": money_text(amount)})
    return budget


def _cap_value(version, name: str, on: datetime.date) -> int | None:
    if not name:
        return None
    try:
        return int(ParameterSet.from_json(version.parameters or {})[name].value_on(on))
    except (KeyError, ValueError, LookupError):
        return None


def _allowance_reserve(*, policy, enterprise, year, cap: int, amount: int, message: str) -> Allowance:
    try:
        with transaction.atomic():
            allowance, _created = Allowance.objects.get_or_create(policy=policy, enterprise=enterprise, year=year,
                                                                   defaults={"cap": cap})
    except IntegrityError:  # made meanwhile by a writer that committed first
        allowance = Allowance.objects.get(policy=policy, enterprise=enterprise, year=year)
    changed = (Allowance.objects.filter(pk=allowance.pk, committed__lte=F("cap") - amount)
               .update(committed=F("committed") + amount))
    if changed != 1:
        allowance.refresh_from_db()
        raise Refused(message % {"cap": money_text(allowance.cap), "left": money_text(allowance.cap
                                                                                    - allowance.committed)})
    return allowance


def _allowances_reserve(application, version, amount, on) -> None:
    annual = _cap_value(version, version.annual_cap, on)
    if annual is not None:
        _allowance_reserve(policy=application.policy, enterprise=application.enterprise, year=application.year,
                           cap=annual, amount=amount,
                           message=_("Over the annual cap: %(cap)s a year, %(left)s left this year."))
    cumulative = _cap_value(version, version.cumulative_cap, on)
    if cumulative is not None:
        _allowance_reserve(policy=application.policy, enterprise=application.enterprise, year=None,
                           cap=cumulative, amount=amount,
                           message=_("Over the cumulative cap: %(cap)s in all, %(left)s left."))


def _allowances_release(award, amount) -> None:
    for year in (award.year, None):
        Allowance.objects.filter(policy_id=award.policy_id, enterprise_id=award.enterprise_id, year=year,
                                  committed__gte=amount).update(committed=F("committed") - amount)


def _award_create(application, *, budget, amount, version) -> Award:
    award = Award(application=application, policy=application.policy, enterprise=application.enterprise,
                   budget=budget, year=application.year, amount=amount,
                   exclusivity_group=application.policy.exclusivity_group,
                   obligations=list(version.obligations or []), period_start=application.period_start,
                   period_end=application.period_end)
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError as error:
        text = str(error)
        if "exclusivity" in text or (award.exclusivity_group and Award.objects.filter(
                enterprise=award.enterprise, year=award.year, exclusivity_group=award.exclusivity_group,
                status__in=[AwardStatus.ACTIVE, AwardStatus.COMPLETED]).exclude(policy=award.policy).exists()):
            raise Refused(_("Policies of one exclusivity group are enjoyed one a year: the enterprise holds an "
                              "award of the group for %(year)s.") % {"year": award.year}) from error
        raise Refused(_("A policy is enjoyed once a year: the enterprise holds an award of %(policy)s for "
                          "%(year)s.") % {"policy": award.policy, "year": award.year}) from error
    return award


def _approve_message(application):
    award = getattr(application, "award", None)
    text = _("Approved: %(amount)s.") % {"amount": money_text(application.approved_amount)}
    warning = getattr(application, "_payout_warning", "")
    return f"{text} {warning}".strip() if award else text


@action(Application, "approve", label=gettext_lazy("Approve the support"), **_awards_transition("approve"),
         form=forms.ApplicationNoteForm, condition=_approver_check,
         event_label=gettext_lazy("Support application approved"), style="success",
         event_data=lambda application, _result: {"amount": application.approved_amount,
                                                  "decision": application.approved_decision_id,
                                                  "award": application.award.pk,
                                                  "payout_due": application.payout_due},
         message=_approve_message,
         help=gettext_lazy("The rules decide the amount again as of today; the budget, the caps and the exclusivity "
                    "group are reserved at once, or nothing is. The approver reviewed it at neither step."),
         example=lambda application: {"comment": "同意拨付"})
def _application_approve(*, user, instance: Application, comment: str = "") -> Application:
    """审批 (by an administrator or a third officer): a fresh decision fixes the amount, refused with its sentences
    when not eligible now; then, in this one transaction, the budget, the annual and cumulative allowances are
    reserved by conditional updates, the award made (once a policy a year, one of an exclusivity group a year),
    its tranches planned, the reserve written to the ledger and the payout deadline set."""
    application = instance
    decision = _decide(application, user=user, purpose=DecisionPurpose.APPROVAL)
    if not decision.eligible or not decision.amount:
        sentences = "；".join(decision_sentences(decision)) or _("the amount is zero")
        raise Refused(_("Not eligible as of %(day)s, so it cannot be approved: %(why)s")
                       % {"day": decision.decided_on.isoformat(), "why": sentences})
    amount = int(decision.amount)
    before = audit.snapshot(application)
    budget = budget_reserve(policy=application.policy, year=application.year, amount=amount)
    _allowances_reserve(application, decision.version, amount, decision.decided_on)
    today = timezone.localdate()
    due, warning = payout_due_for(today)
    award = _award_create(application, budget=budget, amount=amount, version=decision.version)
    for number, (part, due_on) in enumerate(default_plan(amount, due), start=1):
        Tranche.objects.create(award=award, number=number, amount=part, due_on=due_on)
    ledger_record(budget=budget, kind=LedgerKind.RESERVE, amount=amount, user=user, award=award,
                  note=_("Approval of %(number)s") % {"number": application.number})
    audit.record_change(instance=award, action=ChangeAction.CREATE, user=user, before=None,
                         after=audit.snapshot(award))
    reminders.refresh_for(award)
    application.version = decision.version
    application.approved_decision = decision
    application.approved_amount = amount
    application.status = ApplicationStatus.APPROVED
    application.decided_by = user
    application.decided_at = timezone.now()
    application.review_comment = comment
    application.payout_due = due
    _application_saved(application, user, before)
    application._payout_warning = warning
    return application


def application_approve(application, *, user, comment: str = "") -> Application:
    """审批 of ``application`` (see the action ``approve``): refused unless eligible now and within the budget,
    the caps and the exclusivity group."""
    return _application_approve(user=user, instance=application, comment=comment)


@action(Application, "reject", label=gettext_lazy("Do not support"), **_awards_transition("reject"),
         form=forms.ApplicationCommentForm, event_label=gettext_lazy("Support application rejected"),
         style="outline-danger", help=gettext_lazy("Say why the application is not supported."),
         example=lambda application: {"comment": "不符合申报条件"})
def application_reject(*, user, instance: Application, comment: str) -> Application:
    """Reject an application under review, saying why (nothing was reserved, so nothing is released)."""
    _comment_required(comment, _("Say why the application is not supported."))
    before = audit.snapshot(instance)
    instance.status = ApplicationStatus.REJECTED
    instance.decided_by = user
    instance.decided_at = timezone.now()
    instance.review_comment = comment
    return _application_saved(instance, user, before)


@action(Application, "withdraw", label=gettext_lazy("Withdraw"), **_awards_transition("withdraw"),
         form=forms.ApplicationNoteForm, event_label=gettext_lazy("Support application withdrawn"),
         style="outline-secondary", help=gettext_lazy("The enterprise withdraws its application before approval."),
         example=lambda application: {"comment": ""})
def application_withdraw(*, user, instance: Application, comment: str = "") -> Application:
    """The enterprise withdraws its application, at any step before approval."""
    before = audit.snapshot(instance)
    instance.status = ApplicationStatus.WITHDRAWN
    if comment:
        instance.review_comment = comment
    return _application_saved(instance, user, before)


@transaction.atomic
def application_create_from_offer(*, offer, user) -> Application:
    """The enterprise confirms a proactive offer (免申即享): an application for the offer's policy and period is
    made and submitted in one step (its decision made as any submission's), and the offer marked confirmed."""
    offer = Offer.objects.select_for_update().select_related("policy", "enterprise").get(pk=offer.pk)
    if getattr(user, "role", None) != Role.ENTERPRISE or not in_scope(user, offer):
        raise PermissionDenied(_("You do not have permission to do this."))
    if offer.status != OfferStatus.PROPOSED:
        raise Refused(_("This offer is %(status)s: it cannot be confirmed.")
                       % {"status": offer.get_status_display()})
    year = offer.period_start.year
    start, end = application_period(year)
    if (offer.period_start, offer.period_end) != (start, end):
        start, end = offer.period_start, offer.period_end
    application = _application_numbered(lambda number: object_create(
        user=user, model=Application,
        data={"policy": offer.policy, "enterprise": offer.enterprise, "year": year,
              "statement": _("Confirmed from the proactive offer of %(day)s.")
              % {"day": timezone.localtime(offer.created).date().isoformat()}},
        preset={"number": number, "period_start": start, "period_end": end, "offer": offer}))
    application = application_submit(user=user, instance=application)
    before = audit.snapshot(offer)
    offer.status = OfferStatus.CONFIRMED
    offer.answered_at = timezone.now()
    offer.save(update_fields=["status", "answered_at", "last_updated"])
    audit.record_change(instance=offer, action=ChangeAction.UPDATE, user=user, before=before,
                         after=audit.snapshot(offer))
    audit.record_event(AWARD_OFFER_CONFIRM, user=user, instance=offer, data={"application": application.pk})
    return application


def _ensure_officer(user) -> None:
    if getattr(user, "role", None) not in AWARD_OFFICERS or not user.is_active:
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def tranche_pay(tranche, *, user, paid_on: datetime.date, reference: str) -> Tranche:
    """Record a tranche paid: the budget's and the award's paid grow by its amount (conditional updates within
    committed and the award's amount), the ledger says so, and the award is completed once paid in full. A
    tranche is paid once: a second payment of it is refused."""
    _ensure_officer(user)
    # The award first, then the tranche: the order cancelling and re-planning take, so that they wait for each
    # other instead of deadlocking, and the award's status read here is the one the payment rests on.
    award = Award.objects.select_for_update().get(pk=tranche.award_id)
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    tranche.award = award
    if tranche.status != TrancheStatus.SCHEDULED:
        raise Refused(_("Tranche %(number)s is %(status)s: it cannot be paid.")
                       % {"number": tranche.number, "status": tranche.get_status_display()})
    if award.status != AwardStatus.ACTIVE:
        raise Refused(_("The award is %(status)s: its tranches cannot be paid.")
                       % {"status": award.get_status_display()})
    if not (reference or "").strip():
        raise ValidationError({"reference": _("Give the payment's reference.")})
    if paid_on is None or paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    amount = tranche.amount
    if Budget.objects.filter(pk=award.budget_id, paid__lte=F("committed") - amount).update(
            paid=F("paid") + amount) != 1:
        raise Refused(_("The budget's payments would exceed what is committed."))
    if Award.objects.filter(pk=award.pk, paid__lte=F("amount") - amount).update(paid=F("paid") + amount) != 1:
        raise Refused(_("The award's payments would exceed its amount."))
    before = audit.snapshot(tranche)
    tranche.status = TrancheStatus.PAID
    tranche.paid_on = paid_on
    tranche.reference = reference.strip()
    tranche.full_clean()
    tranche.save()
    audit.record_change(instance=tranche, action=ChangeAction.UPDATE, user=user, before=before,
                         after=audit.snapshot(tranche))
    ledger_record(budget=award.budget, kind=LedgerKind.PAY, amount=amount, user=user, award=award, tranche=tranche,
                  note=_("Tranche %(number)s, %(reference)s") % {"number": tranche.number,
                                                                  "reference": tranche.reference})
    award.refresh_from_db()
    if award.paid == award.amount:
        award_before = audit.snapshot(award)
        award.status = AwardStatus.COMPLETED
        award.save(update_fields=["status", "last_updated"])
        audit.record_change(instance=award, action=ChangeAction.UPDATE, user=user, before=award_before,
                             after=audit.snapshot(award))
    reminders.refresh_for(award)
    audit.record_event(AWARD_TRANCHE_PAY, user=user, instance=award,
                        data={"tranche": tranche.number, "amount": amount, "paid_on": paid_on,
                              "reference": tranche.reference})
    return tranche


@transaction.atomic
def award_release(award, *, user, reason: str) -> Award:
    """Cancel an award before any payment: what it reserved is released (the budget's and the allowances'
    committed, by conditional updates), its tranches cancelled, the ledger says so. It no longer holds its
    place for the year or in its exclusivity group."""
    _ensure_officer(user)
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the award is cancelled.")})
    if award.status != AwardStatus.ACTIVE or award.paid:
        raise Refused(_("Only an award nothing of which is paid yet can be cancelled; recover what was paid "
                          "instead."))
    unpaid = award.amount - award.paid
    if Budget.objects.filter(pk=award.budget_id, committed__gte=F("paid") + unpaid).update(
            committed=F("committed") - unpaid) != 1:
        raise Refused(_("The budget's committed amount would fall below what is paid."))
    _allowances_release(award, unpaid)
    before = audit.snapshot(award)
    award.status = AwardStatus.CANCELLED
    award.save(update_fields=["status", "last_updated"])
    Tranche.objects.filter(award=award, status=TrancheStatus.SCHEDULED).update(status=TrancheStatus.CANCELLED)
    audit.record_change(instance=award, action=ChangeAction.UPDATE, user=user, before=before,
                         after=audit.snapshot(award))
    ledger_record(budget=award.budget, kind=LedgerKind.RELEASE, amount=unpaid, user=user, award=award,
                  note=reason.strip())
    reminders.refresh_for(award)
    audit.record_event(AWARD_CANCEL, user=user, instance=award, data={"released": unpaid, "reason": reason.strip()})
    return award


def parse_plan(text: str, total: int) -> list[tuple[int, datetime.date | None]]:
    """Lines "amount-in-yuan [YYYY-MM-DD]" → [(fen, due date)], adding up to ``total`` (errors name the line)."""
    from core.rules import money_from_yuan

    plan = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.replace("，", " ").replace(",", "").split()
        if not parts:
            continue
        try:
            amount = money_from_yuan(parts[0])
            due = datetime.date.fromisoformat(parts[1]) if len(parts) > 1 else None
        except (ValueError, ArithmeticError, TypeError) as error:
            raise ValidationError({"plan": _("Line %(line)s: write an amount in yuan and, if known, a date "
                                                "YYYY-MM-DD.") % {"line": number}}) from error
        if amount <= 0 or len(parts) > 2:
            raise ValidationError({"plan": _("Line %(line)s: write an amount in yuan and, if known, a date "
                                                "YYYY-MM-DD.") % {"line": number}})
        plan.append((amount, due))
    if not plan or sum(amount for amount, _due in plan) != total:
        raise ValidationError({"plan": _("The tranches must add up to the award, %(total)s.")
                                % {"total": money_text(total)}})
    return plan


@transaction.atomic
def award_tranches_plan(award, *, user, plan: str) -> Award:
    """Change an award's tranches before its first payment (amounts adding up to the award, due dates)."""
    _ensure_officer(user)
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.status != AwardStatus.ACTIVE or award.paid or award.tranches.exclude(
            status=TrancheStatus.SCHEDULED).exists():
        raise Refused(_("The tranches cannot be changed once a payment is made."))
    parts = parse_plan(plan, award.amount)
    before = [(t.amount, t.due_on) for t in award.tranches.all()]
    award.tranches.all().delete()
    for number, (amount, due_on) in enumerate(parts, start=1):
        Tranche.objects.create(award=award, number=number, amount=amount, due_on=due_on)
    reminders.refresh_for(award)
    audit.record_event(AWARD_PLAN, user=user, instance=award,
                        data={"before": [[a, d] for a, d in before], "after": [[a, d] for a, d in parts]})
    return award


@transaction.atomic
def payout_due_fill(*, today: datetime.date | None = None, user=None) -> int:
    """Approved applications whose payout deadline could not be computed (the holiday calendar of a year on the
    way was missing) get it once the calendar is entered, counted from the approval day; their award's first
    tranche takes it when it has no date. Run daily. Returns how many were filled."""
    filled = 0
    waiting = (Application.objects.select_for_update().filter(status=ApplicationStatus.APPROVED, payout_due__isnull=True,
                                                              decided_at__isnull=False).order_by("pk"))
    for application in waiting:
        due, _warning = payout_due_for(timezone.localtime(application.decided_at).date())
        if due is None:
            continue
        before = audit.snapshot(application)
        application.payout_due = due
        application.save(update_fields=["payout_due", "last_updated"])
        audit.record_change(instance=application, action=ChangeAction.UPDATE, user=user, before=before,
                             after=audit.snapshot(application))
        award = Award.objects.filter(application=application).first()
        if award is not None:
            Tranche.objects.filter(award=award, number=1, due_on__isnull=True,
                                    status=TrancheStatus.SCHEDULED).update(due_on=due)
            reminders.refresh_for(award)
        filled += 1
    return filled


@transaction.atomic
def budget_create(*, user, model=Budget, data):
    return object_create(user=user, model=model, data=data)


# ----- obligations and clawback --------------------------------------------------------------------------------
CLAWBACK_DECIDERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
_CB_DAY = datetime.timedelta(days=1)
# Cases still claiming money from their award: a waived one claims nothing.
CLAWBACK_OPEN = (ClawbackStatus.RAISED, ClawbackStatus.CONFIRMED)


def _cb_yuan(fen: int) -> str:
    return yuan_text(fen)


def _cb_day(day) -> str:
    return date_format(day, "DATE_FORMAT")


def _cb_detail(breach, award) -> str:
    """What happened, in one sentence of the platform's language (stored: it is read later, by anyone)."""
    evidence = breach.evidence
    values = {"day": _cb_day(breach.breached_on), "until": _cb_day(breach.holds_until),
              "lease": evidence.get("contract_number") or f"#{evidence.get('lease', '')}",
              "subtenant": evidence.get("subtenant_name", ""), "qualification": evidence.get("qualification_label", "")}
    kind = breach.obligation.kind
    if kind == obligations.LEASE_KEPT:
        text = _("Lease %(lease)s ended early: without it from %(day)s, the lease was to be kept until %(until)s.")
    elif kind == obligations.NO_SUBLET:
        text = _("Lease %(lease)s sublet to %(subtenant)s from %(day)s; no subletting until %(until)s.")
    elif kind == obligations.STAY_IN_DISTRICT:
        text = _("Moved out of the district on %(day)s; the enterprise was to stay until %(until)s.")
    else:
        text = _("No valid %(qualification)s from %(day)s; it was to be kept until %(until)s.")
    return (text % values)[:300]


def _cb_evidence(breach, award) -> dict:
    """The records and dates the case rests on, and how its amount was reached (kept with the case)."""
    obligation = breach.obligation
    return {**breach.evidence, "award": award.pk, "policy": award.policy_id, "period_start": award.period_start.isoformat(),
            "period_end": award.period_end.isoformat(), "years": obligation.years, "recover": obligation.recover,
            "label": obligation.label, "qualification": obligation.qualification,
            "holds_until": breach.holds_until.isoformat(), "paid": award.paid, "term_days": breach.term_days,
            "days_after": breach.days_after, "computed": breach.amount}


def clawback_events(awards, *, on: datetime.date) -> dict:
    """{award id: [obligations.Event]}: what happened to the awards' enterprises up to ``on``, read in a fixed
    number of queries whatever the number of awards (the leases, their sublets, the enterprises, the
    qualifications).

    The leases watched for an award are its application's lease, or else the enterprise's leases holding at some
    day of the supported period; a lease renewed or moved (its successor names it) is followed to the lease that
    continues it. A watched lease terminated without a successor ended early (the day after its termination); a
    sublet of a watched lease breaks the no-subletting obligation from its first day."""
    from enterprises.choices import QualificationKind
    from enterprises.models import Enterprise, Qualification
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
              if o.get("kind") == obligations.KEEP_QUALIFICATION}
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
                events.append(obligations.Event("lease_ended", row["terminated_on"] + _CB_DAY, evidence={
                    "lease": pk, "contract_number": row["contract_number"],
                    "terminated_on": row["terminated_on"].isoformat()}))
            for sublet in sublets.get(pk, ()):
                events.append(obligations.Event("sublet", sublet["starts_on"], until=sublet["ends_on"], evidence={
                    "lease": pk, "contract_number": row["contract_number"], "sublet": sublet["pk"],
                    "subtenant_name": sublet["subtenant_name"], "starts_on": sublet["starts_on"].isoformat(),
                    "found_on": sublet["found_on"].isoformat()}))
        if award.enterprise_id in moved_out:
            day = moved_out[award.enterprise_id]
            events.append(obligations.Event("moved_out", day, evidence={
                "enterprise": award.enterprise_id, "moved_out_on": day.isoformat()}))
        for entry in award.obligations or ():
            if entry.get("kind") != obligations.KEEP_QUALIFICATION:
                continue
            kind = entry.get("qualification") or ""
            until = min(obligations.holds_until(award.period_end, int(entry.get("years") or 0)), on)
            lapsed = obligations.first_day_without(held.get((award.enterprise_id, kind), ()),
                                                        award.period_start, until) if award.period_start <= until else None
            if lapsed:
                events.append(obligations.Event("qualification_lapsed", lapsed, qualification=kind, evidence={
                    "enterprise": award.enterprise_id, "qualification_kind": kind,
                    "qualification_label": str(kind_labels.get(kind, kind)), "lapsed_on": lapsed.isoformat()}))
        found[award.pk] = events
    return found


@transaction.atomic
def clawback_scan(*, on: datetime.date, user=None) -> dict:
    """Find the awards that hold (being paid or paid in full) whose obligations broke up to ``on`` and raise a
    clawback case for each obligation broken, with the amount to recover (policies.obligations). Run every day
    (manage.py daily) and by an officer from the clawback list (a lease just ended early shows at once).

    An obligation already under a case that is not waived is left alone; after a waiver, only a breach later
    than the waived one raises a new case. The amount is at most what the award still has to give back: paid,
    less what is recovered and what its other open cases claim."""
    if user is not None:
        ensure_can(user, "add", ClawbackCase)
    awards = [a for a in Award.objects.filter(status__in=[str(s) for s in AWARD_HOLDING_STATUSES], period_start__lte=on)
              .select_related("application", "policy", "enterprise").order_by("pk") if a.obligations]
    events = clawback_events(awards, on=on)
    cases: dict[int, list] = {}
    for row in ClawbackCase.objects.filter(award__in=awards).values("award_id", "obligation", "status", "breached_on",
                                                                "amount_due", "repaid"):
        cases.setdefault(row["award_id"], []).append(row)
    raised = []
    with translation.override(settings.LANGUAGE_CODE):
        for award in awards:
            try:
                terms = obligations.Terms.of(period_start=award.period_start, period_end=award.period_end,
                                                 paid=award.paid, obligations=award.obligations)
            except ValueError:
                continue  # obligations the version's form could not have written: nothing to watch
            mine = cases.get(award.pk, [])
            for breach in obligations.breaches(terms, events.get(award.pk, ()), on=on):
                kind = breach.obligation.kind
                same = [c for c in mine if c["obligation"] == kind]
                if any(c["status"] != ClawbackStatus.WAIVED for c in same):
                    continue
                waived = max((c["breached_on"] for c in same), default=None)
                if waived is not None:
                    later = [e for e in events.get(award.pk, ()) if e.on > waived]
                    again = [b for b in obligations.breaches(terms, later, on=on) if b.obligation.kind == kind]
                    if not again:
                        continue
                    breach = again[0]
                try:
                    with transaction.atomic():
                        # Under the award's lock, what is left to claim now (another scan or an officer may have
                        # raised a case since the reads above).
                        _locked, room = _clawback_room(award.pk)
                        amount = max(0, min(breach.amount, room))
                        case = ClawbackCase(award=award, enterprise_id=award.enterprise_id, obligation=kind,
                                       breached_on=breach.breached_on, detail=_cb_detail(breach, award),
                                       evidence=_cb_evidence(breach, award), amount_due=amount)
                        case.save()
                except IntegrityError:  # a scan running at the same time raised it first
                    continue
                mine.append({"obligation": kind, "status": ClawbackStatus.RAISED, "breached_on": case.breached_on,
                             "amount_due": amount, "repaid": 0})
                audit.record_change(instance=case, action=ChangeAction.CREATE, user=user, before=None,
                                        after=audit.snapshot(case))
                reminders.refresh_for(case, today=on)
                raised.append(case)
    if user is not None:
        audit.record_event("policies.clawback.scan", user=user, data={
            "on": on.isoformat(), "awards": len(awards), "raised": [c.pk for c in raised]})
    return {"awards": len(awards), "raised": len(raised), "cases": [c.pk for c in raised]}


audit.register_event("policies.clawback.scan", gettext_lazy("Obligations checked"))


def _clawback_room(award_pk: int, *, leaving_out=None) -> tuple:
    """Under the award's row lock (the caller's transaction): the award, and what it still has to give back —
    paid, less what is recovered and what its open cases (but ``leaving_out``) still claim. Scans and officers
    raising cases at the same moment take the same lock, so together they never claim more than was paid."""
    award = Award.objects.select_for_update().get(pk=award_pk)
    open_cases = ClawbackCase.objects.filter(award_id=award_pk, status__in=list(CLAWBACK_OPEN))
    if leaving_out is not None:
        open_cases = open_cases.exclude(pk=leaving_out)
    claimed = sum(amount_due - repaid for amount_due, repaid in open_cases.values_list("amount_due", "repaid"))
    return award, award.paid - award.recovered - claimed


def _clawback_check(case) -> None:
    """A case's amount is at most what its award still has to give back (paid, less recovered, less what its
    other open cases claim), and its obligation one of the award's."""
    award, room = _clawback_room(case.award_id, leaving_out=case.pk)
    if case.amount_due > room:
        raise ValidationError({"amount_due": _(
            "The amount to recover cannot exceed what the award still has to give back (%(room)s: paid, less "
            "what is recovered and what its other open cases claim).") % {"room": _cb_yuan(max(room, 0))}})
    kinds = {o.get("kind") for o in award.obligations or ()}
    if case.obligation not in kinds:
        raise ValidationError({"obligation": _("The award does not bind the enterprise to this obligation.")})


def clawbackcase_create(*, user, data: dict, **kwargs):
    """An officer raises a case by hand (a breach the records do not show): the enterprise is the award's."""
    award = data.get("award")
    preset = {}
    if award is not None:
        # What the award says of this obligation: whether everything is recovered (the award is then clawed
        # back once the case is repaid) or a share.
        entry = next((o for o in award.obligations or () if o.get("kind") == data.get("obligation")), {})
        preset = {"enterprise": award.enterprise, "evidence": {
            "award": award.pk, "recover": entry.get("recover") or obligations.RECOVER_ALL,
            "label": entry.get("label", ""), "by_hand": True}}
    case = core_services.object_create(user=user, model=ClawbackCase, data=data, preset=preset, check=_clawback_check)
    reminders.refresh_for(case)
    return case


def _clawback_still_raised(case, verb: str) -> None:
    refused = case.refusal(verb)
    if refused:
        raise ValidationError(refused)


def clawbackcase_update(*, user, instance, data: dict, **kwargs):
    """A raised case corrected (its date, what happened, the amount); a decided one is the record (its refusal,
    asked again on the locked row)."""
    def check(case):
        _clawback_still_raised(case, "change")
        _clawback_check(case)

    return core_services.object_update(user=user, instance=instance, data=data, check=check)


def clawbackcase_delete(*, user, instance, **kwargs):
    """A raised case deleted (raised in error); a decided one is the record."""
    return core_services.object_delete(user=user, instance=instance,
                                           check=lambda case: _clawback_still_raised(case, "delete"))


def _clawback_example(case) -> dict:
    return {}


@action(ClawbackCase, "confirm", label=gettext_lazy("Confirm"), roles=CLAWBACK_DECIDERS, sources=[ClawbackStatus.RAISED],
            target=ClawbackStatus.CONFIRMED, event="policies.clawback.confirm", event_label=gettext_lazy("Clawback confirmed"),
            style="outline-danger",
            help=gettext_lazy("The enterprise is to repay the amount to recover; repayments are recorded on the case."),
            example=_clawback_example)
def clawbackcase_confirm(*, user, instance):
    """Confirm that the obligation broke and the amount is to be recovered."""
    before = audit.snapshot(instance)
    instance.status = ClawbackStatus.CONFIRMED
    instance.decided_by = user
    instance.save(update_fields=["status", "decided_by", "last_updated"])
    audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                            after=audit.snapshot(instance))
    reminders.refresh_for(instance)
    return instance


@action(ClawbackCase, "waive", label=gettext_lazy("Waive"), roles=CLAWBACK_DECIDERS,
            sources=[ClawbackStatus.RAISED, ClawbackStatus.CONFIRMED], target=ClawbackStatus.WAIVED,
            event="policies.clawback.waive", event_label=gettext_lazy("Clawback waived"),
            form=forms.ClawbackWaiveForm, style="outline-secondary",
            help=gettext_lazy("Nothing (more) is recovered; the reason is kept with the case."),
            example=lambda case: {"reason": "经核实，企业因园区整体改造被动搬迁，经局务会研究同意豁免"})
def clawbackcase_waive(*, user, instance, reason: str):
    """Waive the recovery, with the reason (a decision of the bureau); what was repaid already stays recovered."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for waiving the recovery.")})
    before = audit.snapshot(instance)
    instance.status = ClawbackStatus.WAIVED
    instance.reason = reason[:300]
    instance.decided_by = user
    instance.full_clean()
    instance.save(update_fields=["status", "reason", "decided_by", "last_updated"])
    audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                            after=audit.snapshot(instance))
    reminders.refresh_for(instance)
    return instance


@action(ClawbackCase, "repay", label=gettext_lazy("Record repayment"), roles=CLAWBACK_DECIDERS,
            sources=[ClawbackStatus.CONFIRMED], form=forms.ClawbackRepayForm, event="policies.clawback.repay",
            event_label=gettext_lazy("Clawback repayment recorded"), style="outline-success",
            help=gettext_lazy("Money the enterprise returned (part or all of what remains due); a ledger entry records "
                          "it against the award's budget."),
            example=lambda case: {"amount": money_to_yuan(case.amount_due - case.repaid), "repaid_on": datetime.date(2026, 3, 2),
                                  "reference": "GK-2026-0001"})
def clawbackcase_repay(*, user, instance, amount: int, repaid_on: datetime.date, reference: str = ""):
    """Record a repayment of ``amount`` fen (at most what remains due): the case's repaid and the award's
    recovered grow by conditional updates (never past what is due, never past what was paid), a ledger entry of
    kind 'recovered' records it; fully repaid, the case is 'repaid', and an award whose case recovered everything
    ('all') is 'clawed back'."""
    case = instance
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Give an amount above zero.")})
    remaining = case.amount_due - case.repaid
    if amount > remaining:
        raise ValidationError({"amount": _("The amount repaid cannot exceed what remains due (%(due)s).")
                                  % {"due": _cb_yuan(remaining)}})
    if not ClawbackCase.objects.filter(pk=case.pk, repaid__lte=F("amount_due") - amount).update(
            repaid=F("repaid") + amount):
        raise ValidationError({"amount": _("The amount repaid cannot exceed what remains due (%(due)s).")
                                  % {"due": _cb_yuan(remaining)}})
    award_before = audit.snapshot(case.award)
    if not Award.objects.filter(pk=case.award_id, recovered__lte=F("paid") - amount).update(
            recovered=F("recovered") + amount):
        raise ValidationError({"amount": _("The award would recover more than was paid under it.")})
    before = audit.snapshot(case)
    case.refresh_from_db()
    award = Award.objects.get(pk=case.award_id)
    with translation.override(settings.LANGUAGE_CODE):
        note = _("Repaid on %(day)s, reference %(reference)s") % {"day": _cb_day(repaid_on),
                                                                    "reference": reference or "—"}
    ledger_record(budget=award.budget, kind=LedgerKind.RECOVER, amount=amount, user=user, award=award,
                  clawback=case, note=note)
    if case.repaid == case.amount_due:
        case.status = ClawbackStatus.REPAID
        case.save(update_fields=["status", "last_updated"])
        if (case.evidence or {}).get("recover", obligations.RECOVER_ALL) == obligations.RECOVER_ALL and \
                Award.objects.filter(pk=award.pk, status__in=[str(s) for s in AWARD_HOLDING_STATUSES]).update(
                    status=AwardStatus.CLAWED_BACK):
            award.refresh_from_db()
    audit.record_change(instance=case, action=ChangeAction.UPDATE, user=user, before=before,
                            after=audit.snapshot(case))
    audit.record_change(instance=award, action=ChangeAction.UPDATE, user=user, before=award_before,
                            after=audit.snapshot(award))
    reminders.refresh_for(case)
    return case


# ----- government-owned space and the funds report -------------------------------------------------------------
# Who allocates government-owned space: the bureau's officers (福府办规〔2020〕4号: the leading group decides, its
# office does the work). Leaders read; operators and enterprises take no part.
ALLOCATION_OFFICERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)
# The allocation policy's parameter that says what share of the assessed market rent the enterprise pays
# (5000 basis points: half, the 2024 measures' rate for a national high-tech enterprise).
RENT_SHARE_PARAMETER = "rent_share"


def allocation_rent(assessed_rent, rent_share: int) -> Decimal:
    """The rent per m² a month: the assessed market rent × the share, rounded half-up to the fen
    (118.35 元 × 50% = 59.18 元)."""
    return money_to_yuan(div_half_up(money_from_yuan(assessed_rent) * rent_share, 10_000))


def allocation_terms(policy, on: datetime.date):
    """(version, rent share in basis points): the policy's version in force on ``on`` and its ``rent_share`` on
    that day. Refused, naming the policy field, when there is none."""
    if policy.category != PolicyCategory.GOVERNMENT_SPACE:
        raise ValidationError({"policy": _("%(policy)s is not a government-owned space policy.")
                                % {"policy": policy}})
    version = policy.version_on(on)
    if version is None:
        raise ValidationError({"policy": _("No published version of %(policy)s is in force on %(day)s.")
                                % {"policy": policy, "day": date_format(on)}})
    try:
        parameter = ParameterSet.from_json(version.parameters or {})[RENT_SHARE_PARAMETER]
        share = parameter.value_on(on)
    except KeyError:
        raise ValidationError({"policy": _(
            "%(version)s sets no rent share (the parameter rent_share: the share of the assessed market rent the "
            "enterprise pays).") % {"version": version}}) from None
    except ParameterUndefined as error:
        raise ValidationError({"policy": str(error)}) from None
    if parameter.type != FactType.SHARE or not 0 <= share <= 10_000:
        raise ValidationError({"policy": _(
            "The rent share of %(version)s must be a share between 0 and 100%%.") % {"version": version}})
    return version, share


def admission_check(*, enterprise, version, on: datetime.date, user, purpose):
    """The allocation policy's admission standard decided for the enterprise as of ``on`` (the year it falls
    in is the period), stored as a Decision with its sentences (policies.evaluation)."""
    from .evaluation import decide

    start, end = datetime.date(on.year, 1, 1), datetime.date(on.year, 12, 31)
    return decide(enterprise, version, start, end, on, purpose=purpose, user=user)


def admitted(decision) -> bool:
    """Whether the enterprise meets the admission standard: the conditions (and the limit of years, when the
    version sets one). An allocation policy's amount, if it has a formula at all, is not what admits."""
    trace = decision.trace or {}
    conditions = trace.get("conditions")
    if conditions is None:
        return bool(decision.eligible)
    return bool(conditions.get("passed")) and bool((trace.get("max_years") or {"passed": True}).get("passed"))


def admission_sentences(decision) -> list[str]:
    return list((decision.trace or {}).get("sentences") or []) if decision else []


def _unit_names(units) -> str:
    return "、".join(sorted(f"{unit.building.name} {unit.code}" for unit in units))


def _check_units(allocation, *, approving: bool = False) -> None:
    """Only government-owned units, in one park, available and not leased to anyone over the allocation's
    period; on approval, not approved to another enterprise either. The caller holds the units' locks
    (leasing.services.units_lock), so what is read stays true until its transaction ends."""
    from leasing import selectors as leasing_selectors
    from spaces.choices import UnitStatus

    units = list(allocation.units.select_related("building"))
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    private = [unit for unit in units if not unit.government_owned]
    if private:
        raise ValidationError({"units": _(
            "Unit %(units)s is not government-owned space: only government-owned units are allocated under "
            "this policy.") % {"units": _unit_names(private)}})
    if len({unit.building.park_id for unit in units}) > 1:
        raise ValidationError({"units": _("The units of one allocation must be in one park.")})
    unavailable = [unit for unit in units if unit.status == UnitStatus.UNAVAILABLE]
    if unavailable:
        raise ValidationError({"units": _("Unit %(units)s is marked unavailable and cannot be allocated.")
                                % {"units": _unit_names(unavailable)}})
    for lease in leasing_selectors.leases_overlapping(units=units, start=allocation.start_date,
                                                     end=allocation.end_date).select_related("enterprise"):
        shared = [unit for unit in units if unit in set(lease.units.all())]
        raise ValidationError({"units": _(
            "Unit %(units)s is leased to %(tenant)s from %(start)s to %(end)s, which overlaps this allocation.")
            % {"units": _unit_names(shared), "tenant": lease.enterprise.name, "start": date_format(lease.start_date),
               "end": date_format(lease.end_date)}})
    if approving:
        others = (SpaceAllocation.objects.filter(status=AllocationStatus.APPROVED, units__in=units,
                                                  start_date__lte=allocation.end_date,
                                                  end_date__gte=allocation.start_date)
                  .exclude(pk=allocation.pk).select_related("enterprise").distinct())
        for other in others:
            shared = [unit for unit in units if unit in set(other.units.all())]
            raise ValidationError({"units": _(
                "Unit %(units)s is already approved for %(tenant)s from %(start)s to %(end)s (the lease is not yet "
                "signed).") % {"units": _unit_names(shared), "tenant": other.enterprise.name,
                               "start": date_format(other.start_date), "end": date_format(other.end_date)}})


def _terms(data: dict, user, on: datetime.date) -> dict:
    """The version, share, discounted rent and admission check that the inputs give, as of ``on``."""
    policy, enterprise = data.get("policy"), data.get("enterprise")
    if policy is None or enterprise is None:
        return {}  # the model's own checks name what is missing
    version, share = allocation_terms(policy, on)
    terms = {"version": version, "rent_share": share,
             "decision": admission_check(enterprise=enterprise, version=version, on=on, user=user,
                                         purpose=DecisionPurpose.ENQUIRY)}
    if data.get("assessed_rent") is not None:
        terms["monthly_rent"] = allocation_rent(data["assessed_rent"], share)
    return terms


def _allocation_units_lock(pk, more=()) -> None:
    """Lock an allocation's units (and ``more``) in id order before its row, as the lease services do."""
    from leasing.services import units_lock

    units = list(SpaceAllocation.units.through.objects.filter(spaceallocation_id=pk)
                 .values_list("unit_id", flat=True))
    units_lock([*units, *[getattr(u, "pk", u) for u in more]])


def spaceallocations_lock(ids) -> None:
    """Lock stored allocations as their writers do: all their units first, then the allocations, in id order (a
    bulk deletion locks its whole selection so before it reads it)."""
    from leasing.services import units_lock

    units_lock(SpaceAllocation.units.through.objects.filter(spaceallocation_id__in=ids)
               .values_list("unit_id", flat=True))
    list(SpaceAllocation.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def spaceallocation_create(*, user, model=SpaceAllocation, data):
    """Propose an allocation: the units (government-owned, free over the period), the version of the policy in
    force today with its rent share, the discounted rent, and the admission standard decided for the enterprise
    (kept as a Decision, shown with its sentences). An enterprise that does not meet it is recorded as proposed
    and cannot be approved."""
    from leasing.services import units_lock

    ensure_can(user, "add", model)  # before anything is decided for the enterprise
    units_lock(data.get("units") or (), all_present=True)
    return object_create(user=user, model=model, data=data, check=_check_units,
                          preset=_terms(data, user, datetime.date.today()))


@transaction.atomic
def spaceallocation_update(*, user, instance, data):
    """Change a proposed allocation: its rent and admission check are worked out again."""
    ensure_can(user, CHANGE, SpaceAllocation)
    _allocation_units_lock(instance.pk, data.get("units") or ())
    refused = record_refusal(SpaceAllocation.objects.get(pk=instance.pk), CHANGE)
    if refused:
        raise ValidationError(refused)
    merged = {"policy": instance.policy, "enterprise": instance.enterprise, "assessed_rent": instance.assessed_rent,
              **data}
    return object_update(user=user, instance=instance, data={**data, **_terms(merged, user, datetime.date.today())},
                          check=_check_units)


@transaction.atomic
def spaceallocation_delete(*, user, instance):
    _allocation_units_lock(instance.pk)
    refused = record_refusal(SpaceAllocation.objects.get(pk=instance.pk), DELETE)
    if refused:
        raise ValidationError(refused)
    object_delete(user=user, instance=instance)


def _allocation_save(allocation, user, before, **fields) -> None:
    for name, value in fields.items():
        setattr(allocation, name, value)
    allocation.full_clean()
    allocation.save()
    audit.record_change(instance=allocation, action=ChangeAction.UPDATE, user=user, before=before,
                         after=audit.snapshot(allocation))


def _refuse_not_admitted(allocation, decision) -> None:
    if not admitted(decision):
        failed = [leaf.get("sentence") for leaf in (decision.trace.get("conditions") or {}).get("leaves", [])
                  if not leaf.get("passed")]
        failed += [leaf.get("sentence") for leaf in (decision.trace.get("max_years") or {}).get("leaves", [])
                   if not leaf.get("passed")]
        raise ValidationError(_("%(enterprise)s does not meet the admission standard of %(policy)s: "
                                        "%(reasons)s.") % {
            "enterprise": allocation.enterprise.name, "policy": allocation.policy,
            "reasons": "；".join(s for s in failed if s) or _("see the admission check")})


@action(SpaceAllocation, "approve", label=gettext_lazy("Approve"), roles=ALLOCATION_OFFICERS,
         sources=[AllocationStatus.PROPOSED], target=AllocationStatus.APPROVED, style="outline-success",
         locks=_allocation_units_lock, event_label=gettext_lazy("Government space allocation approved"),
         event_data=lambda allocation, _result: {"decision": allocation.approved_decision_id,
                                                 "rent_share": allocation.rent_share,
                                                 "monthly_rent": str(allocation.monthly_rent)},
         help=gettext_lazy("The admission standard is decided again as of today under the version then in force, "
                            "the rent fixed at its share of the assessed market rent, and the units held for this "
                            "enterprise until the lease is signed."),
         example=lambda allocation: {})
def spaceallocation_approve(*, user, instance):
    """Approve a proposed allocation: the enterprise meets the admission standard today (decided again and kept),
    the units are still government-owned and free, and no other approved allocation holds them; the rent is fixed
    at the policy's share of the assessed market rent."""
    allocation = instance
    today = datetime.date.today()
    _check_units(allocation, approving=True)
    version, share = allocation_terms(allocation.policy, today)
    decision = admission_check(enterprise=allocation.enterprise, version=version, on=today, user=user,
                               purpose=DecisionPurpose.APPROVAL)
    _refuse_not_admitted(allocation, decision)
    _allocation_save(allocation, user, audit.snapshot(allocation), version=version, rent_share=share,
                     monthly_rent=allocation_rent(allocation.assessed_rent, share), approved_decision=decision,
                     status=AllocationStatus.APPROVED, decided_by=user, decided_at=timezone.now())
    return allocation


@action(SpaceAllocation, "lease", label=gettext_lazy("Sign the lease"), roles=ALLOCATION_OFFICERS,
         sources=[AllocationStatus.APPROVED], target=AllocationStatus.LEASED, style="primary",
         form=forms.AllocationLeaseForm, locks=_allocation_units_lock,
         event_label=gettext_lazy("Government space leased"),
         event_data=lambda allocation, _result: {"lease": allocation.lease_id},
         help=gettext_lazy("The lease of the allocated units is recorded at the approved rent, with the assessed "
                            "market rent it is a share of; a unit leased meanwhile stops it."),
         example=lambda allocation: {"contract_number": f"ZFYF-{allocation.pk:04d}"})
def spaceallocation_lease(*, user, instance, contract_number: str = ""):
    """Record the lease of an approved allocation through leasing's services (lease_create): the units, the
    dates, the discounted rent and the assessed market rent. The lease services hold the units' locks and refuse
    a unit that already carries an overlapping lease, so two allocations of one unit end in one lease."""
    from leasing.services import lease_create

    allocation = instance
    lease = lease_create(user=user, data={
        "enterprise": allocation.enterprise, "units": list(allocation.units.all()),
        "start_date": allocation.start_date, "end_date": allocation.end_date,
        "monthly_rent": allocation.monthly_rent, "assessed_monthly_rent": allocation.assessed_rent,
        "contract_number": contract_number})
    _allocation_save(allocation, user, audit.snapshot(allocation), lease=lease, status=AllocationStatus.LEASED)
    return allocation


@action(SpaceAllocation, "reject", label=gettext_lazy("Reject"), roles=ALLOCATION_OFFICERS,
         sources=[AllocationStatus.PROPOSED, AllocationStatus.APPROVED], target=AllocationStatus.REJECTED,
         style="outline-danger", form=forms.AllocationRejectForm,
         event_label=gettext_lazy("Government space allocation rejected"),
         help=gettext_lazy("The units are free for another allocation; say why."),
         example=lambda allocation: {"reason": "企业未达到准入标准"})
def spaceallocation_reject(*, user, instance, reason: str):
    """Reject a proposed or approved (not yet leased) allocation, with the reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the allocation is rejected.")})
    allocation = instance
    _allocation_save(allocation, user, audit.snapshot(allocation), status=AllocationStatus.REJECTED,
                     reason=reason.strip(), decided_by=user, decided_at=timezone.now())
    return allocation
