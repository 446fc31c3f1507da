"""Every write of policy support beyond plain edits: <entity>_<verb>(*, ..., user), in a transaction, audited.

Money moves only by conditional updates guarded by CHECK constraints (RULES.md point 10)."""


# ===== versions ====
import datetime as _dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


@action(PolicyVersion, "new_version", label=gettext_lazy("Start a new version"), roles=POLICY_MANAGERS,
        sources=[VersionStatus.PUBLISHED, VersionStatus.RETIRED], form=NewPolicyVersionForm,
        condition=_refuse_second_draft, event_data=lambda version, new: {"new_version": new.pk},
        help=gettext_lazy("Copies the policy's latest version (conditions, amount formula, parameters, caps, obligations "
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


@action(PolicyVersion, "retire", label=gettext_lazy("Retire"), roles=[Role.BUREAU_ADMIN],
        sources=[VersionStatus.PUBLISHED], target=VersionStatus.RETIRED, style="outline-danger",
        help=gettext_lazy("A retired version stays the record of the decisions taken under it; it is no longer offered "
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

# (end of this part)


# ===== awards ====
# Applications (初审 → 复审 → 审批), awards, tranches, budgets, allowances and the ledger. Money moves only by
# conditional UPDATEs that the CHECK constraints of policies.models back (ADR 0031).
import datetime as _dt  # noqa: E402

from django.conf import settings as _settings  # noqa: E402
from django.core.exceptions import PermissionDenied as _PermissionDenied  # noqa: E402
from django.core.exceptions import ValidationError as _ValidationError  # noqa: E402
from django.db import IntegrityError as _IntegrityError  # noqa: E402
from django.db import transaction as _transaction  # noqa: E402
from django.db.models import F as _F  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402
from django.utils.translation import gettext as _t  # noqa: E402
from django.utils.translation import gettext_lazy as _lazy  # noqa: E402

from core import audit as _audit  # noqa: E402
from core import reminders as _reminders  # noqa: E402
from core.access.permissions import in_scope as _in_scope  # noqa: E402
from core.actions import Refused as _Refused  # noqa: E402
from core.actions import action as _action  # noqa: E402
from core.reference.choices import ChangeAction as _ChangeAction  # noqa: E402
from core.reference.choices import Role as _Role  # noqa: E402
from core.rules import ParameterSet as _ParameterSet  # noqa: E402
from core.rules import money_to_yuan as _money_to_yuan  # noqa: E402
from core.services import object_create as _object_create  # noqa: E402

from . import forms as _forms  # noqa: E402
from .choices import ApplicationStatus as _AS  # noqa: E402
from .choices import AwardStatus as _AwardStatus  # noqa: E402
from .choices import DecisionPurpose as _Purpose  # noqa: E402
from .choices import LedgerKind as _LedgerKind  # noqa: E402
from .choices import OfferStatus as _OfferStatus  # noqa: E402
from .choices import TrancheStatus as _TrancheStatus  # noqa: E402
from .models import Allowance as _Allowance  # noqa: E402
from .models import Application as _Application  # noqa: E402
from .models import Award as _Award  # noqa: E402
from .models import Budget as _Budget  # noqa: E402
from .models import LedgerEntry as _LedgerEntry  # noqa: E402
from .models import Offer as _Offer  # noqa: E402
from .models import Tranche as _Tranche  # noqa: E402

AWARD_OFFICERS = (_Role.BUREAU_ADMIN, _Role.BUREAU_OFFICER)
AWARD_APPLICANTS = (_Role.ENTERPRISE,)
# Above this amount (fen) an award is paid in two halves by default: 1,000,000.00 元.
TWO_TRANCHES_ABOVE = 100_000_000
# The payout deadline: this many working days after the approval day (settings.POLICY_PAYOUT_WORKING_DAYS).
PAYOUT_WORKING_DAYS = 20
_DAY = _dt.timedelta(days=1)

# The application's workflow: verb → (the states it starts from, the state it leads to, who takes it).
AWARD_APPLICATION_TRANSITIONS = {
    "submit": ((_AS.DRAFT, _AS.RETURNED), _AS.SUBMITTED, AWARD_APPLICANTS),
    "return": ((_AS.SUBMITTED, _AS.FIRST_PASSED, _AS.SECOND_PASSED), _AS.RETURNED, AWARD_OFFICERS),
    "first_review": ((_AS.SUBMITTED,), _AS.FIRST_PASSED, AWARD_OFFICERS),
    "second_review": ((_AS.FIRST_PASSED,), _AS.SECOND_PASSED, AWARD_OFFICERS),
    "approve": ((_AS.SECOND_PASSED,), _AS.APPROVED, AWARD_OFFICERS),
    "reject": ((_AS.SUBMITTED, _AS.FIRST_PASSED, _AS.SECOND_PASSED), _AS.REJECTED, AWARD_OFFICERS),
    "withdraw": ((_AS.DRAFT, _AS.SUBMITTED, _AS.RETURNED, _AS.FIRST_PASSED, _AS.SECOND_PASSED), _AS.WITHDRAWN,
                 AWARD_APPLICANTS),
}

AWARD_TRANCHE_PAY = _audit.register_event("policies.tranche.pay", _lazy("Tranche paid"))
AWARD_CANCEL = _audit.register_event("policies.award.cancel", _lazy("Award cancelled"))
AWARD_PLAN = _audit.register_event("policies.award.plan", _lazy("Tranches of an award planned"))
AWARD_OFFER_CONFIRM = _audit.register_event("policies.offer.confirm", _lazy("Proactive offer confirmed"))


def _awards_transition(verb):
    sources, target, roles = AWARD_APPLICATION_TRANSITIONS[verb]
    return {"sources": list(sources), "target": target, "roles": roles}


def money_text(fen) -> str:
    """Fen as people read it: 1,200,000.00 元."""
    return "—" if fen is None else f"{_money_to_yuan(int(fen)):,.2f} 元"


def application_period(year: int) -> tuple[_dt.date, _dt.date]:
    """The period an application for ``year`` supports: that calendar year."""
    return _dt.date(year, 1, 1), _dt.date(year, 12, 31)


def decision_day(period_end: _dt.date, today: _dt.date | None = None) -> _dt.date:
    """The day a decision is made as of: the period's end, or today while the period runs."""
    return min(period_end, today or _timezone.localdate())


def _application_numbered(make):
    """Save under the next free number of the year, ZC-2026-0001 (a number taken meanwhile is skipped)."""
    prefix = f"ZC-{_timezone.localdate().year}-"
    for _attempt in range(5):
        last = (_Application.objects.filter(number__startswith=prefix).order_by("-number")
                .values_list("number", flat=True).first())
        tail = last[len(prefix):] if last else ""
        number = f"{prefix}{(int(tail) + 1 if tail.isdigit() else 1):04d}"
        try:
            with _transaction.atomic():
                return make(number)
        except (_IntegrityError, _ValidationError) as error:
            clash = isinstance(error, _IntegrityError) or "number" in getattr(error, "error_dict", {})
            if not clash or not _Application.objects.filter(number=number).exists():
                raise
    raise _ValidationError(_t("Could not give the application a number; try again."))


def _application_check(application) -> None:
    errors = {}
    if application.lease_id and application.lease.enterprise_id != application.enterprise_id:
        errors["lease"] = _t("The lease is not the enterprise's.")
    policy = application.policy
    if policy.valid_from.year > application.year or (policy.valid_until and policy.valid_until.year
                                                     < application.year):
        errors["year"] = _t("The policy is not in force in %(year)s.") % {"year": application.year}
    if errors:
        raise _ValidationError(errors)


@_transaction.atomic
def application_create(*, user, model=_Application, data):
    """Open an application (a draft): the period is the calendar year named; the next number of the year."""
    year = data.get("year")
    preset = {}
    if year:
        preset["period_start"], preset["period_end"] = application_period(int(year))
    return _application_numbered(lambda number: _object_create(
        user=user, model=model, data=data, preset={**preset, "number": number}, check=_application_check))


@_transaction.atomic
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
        raise _Refused(_t("No published version of %(policy)s is in force on %(day)s: the application cannot be "
                          "decided.") % {"policy": application.policy, "day": on.isoformat()})
    return _evaluation().decide(application.enterprise, version, application.period_start, application.period_end,
                                on, purpose=purpose, user=user)


def decision_sentences(decision) -> list[str]:
    """The plain sentences of a stored decision's trace, in order."""
    if decision is None:
        return []
    return [str(sentence) for sentence in (decision.trace or {}).get("sentences", [])]


def _application_saved(application, user, before) -> _Application:
    application.full_clean()
    application.save()
    _audit.record_change(instance=application, action=_ChangeAction.UPDATE, user=user, before=before,
                         after=_audit.snapshot(application))
    return application


@_action(_Application, "submit", label=_lazy("Submit"), **_awards_transition("submit"), style="primary",
         event_label=_lazy("Support application submitted"),
         help=_lazy("The policy's rules are applied to the enterprise's records for the year, and what they "
                    "decide is kept with the application and shown to the enterprise."),
         event_data=lambda application, _result: {"decision": application.decision_id,
                                                  "eligible": application.decision.eligible if application.decision
                                                  else None},
         example=lambda application: {})
def application_submit(*, user, instance: _Application) -> _Application:
    """Submit a draft or returned application: the version in force is fixed and a decision (purpose
    application) is made and kept; an enterprise that the rules find not eligible may still submit, and reads
    why."""
    application = instance
    before = _audit.snapshot(application)
    decision = _decide(application, user=user, purpose=_Purpose.APPLICATION)
    application.version = decision.version
    application.decision = decision
    application.status = _AS.SUBMITTED
    application.submitted_at = _timezone.now()
    return _application_saved(application, user, before)


def _reviewed(application, user, *, status, comment, field=None) -> _Application:
    before = _audit.snapshot(application)
    application.status = status
    application.review_comment = comment
    if field:
        setattr(application, field, user)
    return _application_saved(application, user, before)


def _comment_required(comment, message):
    if not (comment or "").strip():
        raise _ValidationError({"comment": message})


@_action(_Application, "return", label=_lazy("Return for correction"), **_awards_transition("return"),
         form=_forms.ApplicationCommentForm, event_label=_lazy("Support application returned"),
         style="outline-warning", help=_lazy("The enterprise corrects the application and submits it again; say "
                                             "what to correct."),
         example=lambda application: {"comment": "请补充2026年度租金缴纳凭证"})
def application_return(*, user, instance: _Application, comment: str) -> _Application:
    """Return an application under review to the enterprise for correction, saying what to correct; its reviews
    start again when it comes back."""
    _comment_required(comment, _t("Say what the enterprise should correct."))
    instance.first_reviewed_by = None
    instance.second_reviewed_by = None
    return _reviewed(instance, user, status=_AS.RETURNED, comment=comment)


@_action(_Application, "first_review", label=_lazy("Pass first review"), **_awards_transition("first_review"),
         form=_forms.ApplicationNoteForm, event_label=_lazy("Support application passed first review"),
         style="outline-success", help=_lazy("First review: a second officer then reviews it again."),
         example=lambda application: {"comment": "材料齐全，符合申报条件"})
def application_first_review(*, user, instance: _Application, comment: str = "") -> _Application:
    """初审: the officer is recorded as the first reviewer."""
    return _reviewed(instance, user, status=_AS.FIRST_PASSED, comment=comment, field="first_reviewed_by")


def _not_the_first_reviewer(user, application) -> None:
    if application.first_reviewed_by_id is not None and application.first_reviewed_by_id == user.pk:
        raise _Refused(_t("The second reviewer cannot be the first reviewer."))


@_action(_Application, "second_review", label=_lazy("Pass second review"), **_awards_transition("second_review"),
         form=_forms.ApplicationNoteForm, condition=_not_the_first_reviewer,
         event_label=_lazy("Support application passed second review"), style="outline-success",
         help=_lazy("Second review, by an officer other than the first reviewer."),
         example=lambda application: {"comment": "复核无误"})
def application_second_review(*, user, instance: _Application, comment: str = "") -> _Application:
    """复审 by an officer other than the first reviewer."""
    return _reviewed(instance, user, status=_AS.SECOND_PASSED, comment=comment, field="second_reviewed_by")


def _approver_check(user, application) -> None:
    """审批: by an administrator or an officer who reviewed it at neither step (three people in all)."""
    if application.first_reviewed_by_id is not None and application.first_reviewed_by_id == user.pk:
        raise _Refused(_t("The approver cannot be the first reviewer."))
    if application.second_reviewed_by_id is not None and application.second_reviewed_by_id == user.pk:
        raise _Refused(_t("The approver cannot be the second reviewer."))


def payout_working_days() -> int:
    return int(getattr(_settings, "POLICY_PAYOUT_WORKING_DAYS", PAYOUT_WORKING_DAYS))


def _weekdays_after(start: _dt.date, days: int) -> _dt.date:
    day, left = start, days
    while left > 0:
        day += _DAY
        if day.weekday() < 5:
            left -= 1
    return day


def payout_due_for(approved_on: _dt.date) -> tuple[_dt.date | None, str]:
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
        return None, _t("The %(year)s holiday calendar has not been entered: the payout deadline cannot be "
                        "computed yet.") % {"year": year}


def default_plan(amount: int, due_on: _dt.date | None) -> list[tuple[int, _dt.date | None]]:
    """One tranche, or two halves when the award is over 1,000,000.00 元 (the second without a date: the officer
    sets it, or changes the plan, before the first payment)."""
    if amount > TWO_TRANCHES_ABOVE:
        first = amount // 2
        return [(first, due_on), (amount - first, None)]
    return [(amount, due_on)]


@_transaction.atomic
def ledger_record(*, budget, kind, amount: int, user=None, award=None, tranche=None, clawback=None,
                  note: str = "") -> _LedgerEntry:
    """Add one movement of money to a budget's ledger (reserve, release, pay, recover), audited. The budget's
    figures are moved by the caller's conditional update in the same transaction."""
    entry = _LedgerEntry(budget=budget, kind=kind, amount=int(amount), award=award, tranche=tranche,
                         clawback=clawback, note=note[:300], user=user if user and user.is_authenticated else None,
                         user_name=getattr(user, "username", "") or "")
    entry.full_clean()
    entry.save()
    _audit.record_change(instance=entry, action=_ChangeAction.CREATE, user=user, before=None,
                         after=_audit.snapshot(entry))
    return entry


def budget_reserve(*, policy, year: int, amount: int) -> _Budget:
    """committed += amount within total, by one conditional UPDATE (refused: 预算不足)."""
    changed = (_Budget.objects.filter(policy=policy, year=year, committed__lte=_F("total") - amount)
               .update(committed=_F("committed") + amount))
    budget = _Budget.objects.filter(policy=policy, year=year).first()
    if budget is None:
        raise _Refused(_t("%(policy)s has no budget for %(year)s.") % {"policy": policy, "year": year})
    if changed != 1:
        raise _Refused(_t("Budget insufficient: %(policy)s has %(available)s left for %(year)s, the award needs "
                          "%(amount)s.") % {"policy": policy, "year": year, "available": money_text(budget.available),
                                            "amount": money_text(amount)})
    return budget


def _cap_value(version, name: str, on: _dt.date) -> int | None:
    if not name:
        return None
    try:
        return int(_ParameterSet.from_json(version.parameters or {})[name].value_on(on))
    except (KeyError, ValueError, LookupError):
        return None


def _allowance_reserve(*, policy, enterprise, year, cap: int, amount: int, message: str) -> _Allowance:
    try:
        with _transaction.atomic():
            allowance, _created = _Allowance.objects.get_or_create(policy=policy, enterprise=enterprise, year=year,
                                                                   defaults={"cap": cap})
    except _IntegrityError:  # made meanwhile by a writer that committed first
        allowance = _Allowance.objects.get(policy=policy, enterprise=enterprise, year=year)
    changed = (_Allowance.objects.filter(pk=allowance.pk, committed__lte=_F("cap") - amount)
               .update(committed=_F("committed") + amount))
    if changed != 1:
        allowance.refresh_from_db()
        raise _Refused(message % {"cap": money_text(allowance.cap), "left": money_text(allowance.cap
                                                                                    - allowance.committed)})
    return allowance


def _allowances_reserve(application, version, amount, on) -> None:
    annual = _cap_value(version, version.annual_cap, on)
    if annual is not None:
        _allowance_reserve(policy=application.policy, enterprise=application.enterprise, year=application.year,
                           cap=annual, amount=amount,
                           message=_t("Over the annual cap: %(cap)s a year, %(left)s left this year."))
    cumulative = _cap_value(version, version.cumulative_cap, on)
    if cumulative is not None:
        _allowance_reserve(policy=application.policy, enterprise=application.enterprise, year=None,
                           cap=cumulative, amount=amount,
                           message=_t("Over the cumulative cap: %(cap)s in all, %(left)s left."))


def _allowances_release(award, amount) -> None:
    for year in (award.year, None):
        _Allowance.objects.filter(policy_id=award.policy_id, enterprise_id=award.enterprise_id, year=year,
                                  committed__gte=amount).update(committed=_F("committed") - amount)


def _award_create(application, *, budget, amount, version) -> _Award:
    award = _Award(application=application, policy=application.policy, enterprise=application.enterprise,
                   budget=budget, year=application.year, amount=amount,
                   exclusivity_group=application.policy.exclusivity_group,
                   obligations=list(version.obligations or []), period_start=application.period_start,
                   period_end=application.period_end)
    try:
        with _transaction.atomic():
            award.save()
    except _IntegrityError as error:
        text = str(error)
        if "exclusivity" in text or (award.exclusivity_group and _Award.objects.filter(
                enterprise=award.enterprise, year=award.year, exclusivity_group=award.exclusivity_group,
                status__in=[_AwardStatus.ACTIVE, _AwardStatus.COMPLETED]).exclude(policy=award.policy).exists()):
            raise _Refused(_t("Policies of one exclusivity group are enjoyed one a year: the enterprise holds an "
                              "award of the group for %(year)s.") % {"year": award.year}) from error
        raise _Refused(_t("A policy is enjoyed once a year: the enterprise holds an award of %(policy)s for "
                          "%(year)s.") % {"policy": award.policy, "year": award.year}) from error
    return award


def _approve_message(application):
    award = getattr(application, "award", None)
    text = _t("Approved: %(amount)s.") % {"amount": money_text(application.approved_amount)}
    warning = getattr(application, "_payout_warning", "")
    return f"{text} {warning}".strip() if award else text


@_action(_Application, "approve", label=_lazy("Approve the support"), **_awards_transition("approve"),
         form=_forms.ApplicationNoteForm, condition=_approver_check,
         event_label=_lazy("Support application approved"), style="success",
         event_data=lambda application, _result: {"amount": application.approved_amount,
                                                  "decision": application.approved_decision_id,
                                                  "award": application.award.pk,
                                                  "payout_due": application.payout_due},
         message=_approve_message,
         help=_lazy("The rules decide the amount again as of today; the budget, the caps and the exclusivity "
                    "group are reserved at once, or nothing is. The approver reviewed it at neither step."),
         example=lambda application: {"comment": "同意拨付"})
def _application_approve(*, user, instance: _Application, comment: str = "") -> _Application:
    """审批 (by an administrator or a third officer): a fresh decision fixes the amount, refused with its sentences
    when not eligible now; then, in this one transaction, the budget, the annual and cumulative allowances are
    reserved by conditional updates, the award made (once a policy a year, one of an exclusivity group a year),
    its tranches planned, the reserve written to the ledger and the payout deadline set."""
    application = instance
    decision = _decide(application, user=user, purpose=_Purpose.APPROVAL)
    if not decision.eligible or not decision.amount:
        sentences = "；".join(decision_sentences(decision)) or _t("the amount is zero")
        raise _Refused(_t("Not eligible as of %(day)s, so it cannot be approved: %(why)s")
                       % {"day": decision.decided_on.isoformat(), "why": sentences})
    amount = int(decision.amount)
    before = _audit.snapshot(application)
    budget = budget_reserve(policy=application.policy, year=application.year, amount=amount)
    _allowances_reserve(application, decision.version, amount, decision.decided_on)
    today = _timezone.localdate()
    due, warning = payout_due_for(today)
    award = _award_create(application, budget=budget, amount=amount, version=decision.version)
    for number, (part, due_on) in enumerate(default_plan(amount, due), start=1):
        _Tranche.objects.create(award=award, number=number, amount=part, due_on=due_on)
    ledger_record(budget=budget, kind=_LedgerKind.RESERVE, amount=amount, user=user, award=award,
                  note=_t("Approval of %(number)s") % {"number": application.number})
    _audit.record_change(instance=award, action=_ChangeAction.CREATE, user=user, before=None,
                         after=_audit.snapshot(award))
    _reminders.refresh_for(award)
    application.version = decision.version
    application.approved_decision = decision
    application.approved_amount = amount
    application.status = _AS.APPROVED
    application.decided_by = user
    application.decided_at = _timezone.now()
    application.review_comment = comment
    application.payout_due = due
    _application_saved(application, user, before)
    application._payout_warning = warning
    return application


def application_approve(application, *, user, comment: str = "") -> _Application:
    """审批 of ``application`` (see the action ``approve``): refused unless eligible now and within the budget,
    the caps and the exclusivity group."""
    return _application_approve(user=user, instance=application, comment=comment)


@_action(_Application, "reject", label=_lazy("Do not support"), **_awards_transition("reject"),
         form=_forms.ApplicationCommentForm, event_label=_lazy("Support application rejected"),
         style="outline-danger", help=_lazy("Say why the application is not supported."),
         example=lambda application: {"comment": "不符合申报条件"})
def application_reject(*, user, instance: _Application, comment: str) -> _Application:
    """Reject an application under review, saying why (nothing was reserved, so nothing is released)."""
    _comment_required(comment, _t("Say why the application is not supported."))
    before = _audit.snapshot(instance)
    instance.status = _AS.REJECTED
    instance.decided_by = user
    instance.decided_at = _timezone.now()
    instance.review_comment = comment
    return _application_saved(instance, user, before)


@_action(_Application, "withdraw", label=_lazy("Withdraw"), **_awards_transition("withdraw"),
         form=_forms.ApplicationNoteForm, event_label=_lazy("Support application withdrawn"),
         style="outline-secondary", help=_lazy("The enterprise withdraws its application before approval."),
         example=lambda application: {"comment": ""})
def application_withdraw(*, user, instance: _Application, comment: str = "") -> _Application:
    """The enterprise withdraws its application, at any step before approval."""
    before = _audit.snapshot(instance)
    instance.status = _AS.WITHDRAWN
    if comment:
        instance.review_comment = comment
    return _application_saved(instance, user, before)


@_transaction.atomic
def application_create_from_offer(*, offer, user) -> _Application:
    """The enterprise confirms a proactive offer (免申即享): an application for the offer's policy and period is
    made and submitted in one step (its decision made as any submission's), and the offer marked confirmed."""
    offer = _Offer.objects.select_for_update().select_related("policy", "enterprise").get(pk=offer.pk)
    if getattr(user, "role", None) != _Role.ENTERPRISE or not _in_scope(user, offer):
        raise _PermissionDenied(_t("You do not have permission to do this."))
    if offer.status != _OfferStatus.PROPOSED:
        raise _Refused(_t("This offer is %(status)s: it cannot be confirmed.")
                       % {"status": offer.get_status_display()})
    year = offer.period_start.year
    start, end = application_period(year)
    if (offer.period_start, offer.period_end) != (start, end):
        start, end = offer.period_start, offer.period_end
    application = _application_numbered(lambda number: _object_create(
        user=user, model=_Application,
        data={"policy": offer.policy, "enterprise": offer.enterprise, "year": year,
              "statement": _t("Confirmed from the proactive offer of %(day)s.")
              % {"day": _timezone.localtime(offer.created).date().isoformat()}},
        preset={"number": number, "period_start": start, "period_end": end, "offer": offer}))
    application = application_submit(user=user, instance=application)
    before = _audit.snapshot(offer)
    offer.status = _OfferStatus.CONFIRMED
    offer.answered_at = _timezone.now()
    offer.save(update_fields=["status", "answered_at", "last_updated"])
    _audit.record_change(instance=offer, action=_ChangeAction.UPDATE, user=user, before=before,
                         after=_audit.snapshot(offer))
    _audit.record_event(AWARD_OFFER_CONFIRM, user=user, instance=offer, data={"application": application.pk})
    return application


def _ensure_officer(user) -> None:
    if getattr(user, "role", None) not in AWARD_OFFICERS or not user.is_active:
        raise _PermissionDenied(_t("You do not have permission to do this."))


@_transaction.atomic
def tranche_pay(tranche, *, user, paid_on: _dt.date, reference: str) -> _Tranche:
    """Record a tranche paid: the budget's and the award's paid grow by its amount (conditional updates within
    committed and the award's amount), the ledger says so, and the award is completed once paid in full. A
    tranche is paid once: a second payment of it is refused."""
    _ensure_officer(user)
    tranche = _Tranche.objects.select_for_update().select_related("award").get(pk=tranche.pk)
    award = tranche.award
    if tranche.status != _TrancheStatus.SCHEDULED:
        raise _Refused(_t("Tranche %(number)s is %(status)s: it cannot be paid.")
                       % {"number": tranche.number, "status": tranche.get_status_display()})
    if award.status != _AwardStatus.ACTIVE:
        raise _Refused(_t("The award is %(status)s: its tranches cannot be paid.")
                       % {"status": award.get_status_display()})
    if not (reference or "").strip():
        raise _ValidationError({"reference": _t("Give the payment's reference.")})
    if paid_on is None or paid_on > _timezone.localdate():
        raise _ValidationError({"paid_on": _t("The payment date cannot be in the future.")})
    amount = tranche.amount
    if _Budget.objects.filter(pk=award.budget_id, paid__lte=_F("committed") - amount).update(
            paid=_F("paid") + amount) != 1:
        raise _Refused(_t("The budget's payments would exceed what is committed."))
    if _Award.objects.filter(pk=award.pk, paid__lte=_F("amount") - amount).update(paid=_F("paid") + amount) != 1:
        raise _Refused(_t("The award's payments would exceed its amount."))
    before = _audit.snapshot(tranche)
    tranche.status = _TrancheStatus.PAID
    tranche.paid_on = paid_on
    tranche.reference = reference.strip()
    tranche.full_clean()
    tranche.save()
    _audit.record_change(instance=tranche, action=_ChangeAction.UPDATE, user=user, before=before,
                         after=_audit.snapshot(tranche))
    ledger_record(budget=award.budget, kind=_LedgerKind.PAY, amount=amount, user=user, award=award, tranche=tranche,
                  note=_t("Tranche %(number)s, %(reference)s") % {"number": tranche.number,
                                                                  "reference": tranche.reference})
    award.refresh_from_db()
    if award.paid == award.amount:
        award_before = _audit.snapshot(award)
        award.status = _AwardStatus.COMPLETED
        award.save(update_fields=["status", "last_updated"])
        _audit.record_change(instance=award, action=_ChangeAction.UPDATE, user=user, before=award_before,
                             after=_audit.snapshot(award))
    _reminders.refresh_for(award)
    _audit.record_event(AWARD_TRANCHE_PAY, user=user, instance=award,
                        data={"tranche": tranche.number, "amount": amount, "paid_on": paid_on,
                              "reference": tranche.reference})
    return tranche


@_transaction.atomic
def award_release(award, *, user, reason: str) -> _Award:
    """Cancel an award before any payment: what it reserved is released (the budget's and the allowances'
    committed, by conditional updates), its tranches cancelled, the ledger says so. It no longer holds its
    place for the year or in its exclusivity group."""
    _ensure_officer(user)
    award = _Award.objects.select_for_update().get(pk=award.pk)
    if not (reason or "").strip():
        raise _ValidationError({"reason": _t("Say why the award is cancelled.")})
    if award.status != _AwardStatus.ACTIVE or award.paid:
        raise _Refused(_t("Only an award nothing of which is paid yet can be cancelled; recover what was paid "
                          "instead."))
    unpaid = award.amount - award.paid
    if _Budget.objects.filter(pk=award.budget_id, committed__gte=_F("paid") + unpaid).update(
            committed=_F("committed") - unpaid) != 1:
        raise _Refused(_t("The budget's committed amount would fall below what is paid."))
    _allowances_release(award, unpaid)
    before = _audit.snapshot(award)
    award.status = _AwardStatus.CANCELLED
    award.save(update_fields=["status", "last_updated"])
    _Tranche.objects.filter(award=award, status=_TrancheStatus.SCHEDULED).update(status=_TrancheStatus.CANCELLED)
    _audit.record_change(instance=award, action=_ChangeAction.UPDATE, user=user, before=before,
                         after=_audit.snapshot(award))
    ledger_record(budget=award.budget, kind=_LedgerKind.RELEASE, amount=unpaid, user=user, award=award,
                  note=reason.strip())
    _reminders.refresh_for(award)
    _audit.record_event(AWARD_CANCEL, user=user, instance=award, data={"released": unpaid, "reason": reason.strip()})
    return award


def parse_plan(text: str, total: int) -> list[tuple[int, _dt.date | None]]:
    """Lines "amount-in-yuan [YYYY-MM-DD]" → [(fen, due date)], adding up to ``total`` (errors name the line)."""
    from core.rules import money_from_yuan

    plan = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.replace("，", " ").replace(",", "").split()
        if not parts:
            continue
        try:
            amount = money_from_yuan(parts[0])
            due = _dt.date.fromisoformat(parts[1]) if len(parts) > 1 else None
        except (ValueError, ArithmeticError, TypeError) as error:
            raise _ValidationError({"plan": _t("Line %(line)s: write an amount in yuan and, if known, a date "
                                                "YYYY-MM-DD.") % {"line": number}}) from error
        if amount <= 0 or len(parts) > 2:
            raise _ValidationError({"plan": _t("Line %(line)s: write an amount in yuan and, if known, a date "
                                                "YYYY-MM-DD.") % {"line": number}})
        plan.append((amount, due))
    if not plan or sum(amount for amount, _due in plan) != total:
        raise _ValidationError({"plan": _t("The tranches must add up to the award, %(total)s.")
                                % {"total": money_text(total)}})
    return plan


@_transaction.atomic
def award_tranches_plan(award, *, user, plan: str) -> _Award:
    """Change an award's tranches before its first payment (amounts adding up to the award, due dates)."""
    _ensure_officer(user)
    award = _Award.objects.select_for_update().get(pk=award.pk)
    if award.status != _AwardStatus.ACTIVE or award.paid or award.tranches.exclude(
            status=_TrancheStatus.SCHEDULED).exists():
        raise _Refused(_t("The tranches cannot be changed once a payment is made."))
    parts = parse_plan(plan, award.amount)
    before = [(t.amount, t.due_on) for t in award.tranches.all()]
    award.tranches.all().delete()
    for number, (amount, due_on) in enumerate(parts, start=1):
        _Tranche.objects.create(award=award, number=number, amount=amount, due_on=due_on)
    _reminders.refresh_for(award)
    _audit.record_event(AWARD_PLAN, user=user, instance=award,
                        data={"before": [[a, d] for a, d in before], "after": [[a, d] for a, d in parts]})
    return award


@_transaction.atomic
def payout_due_fill(*, today: _dt.date | None = None, user=None) -> int:
    """Approved applications whose payout deadline could not be computed (the holiday calendar of a year on the
    way was missing) get it once the calendar is entered, counted from the approval day; their award's first
    tranche takes it when it has no date. Run daily. Returns how many were filled."""
    filled = 0
    waiting = (_Application.objects.select_for_update().filter(status=_AS.APPROVED, payout_due__isnull=True,
                                                              decided_at__isnull=False).order_by("pk"))
    for application in waiting:
        due, _warning = payout_due_for(_timezone.localtime(application.decided_at).date())
        if due is None:
            continue
        before = _audit.snapshot(application)
        application.payout_due = due
        application.save(update_fields=["payout_due", "last_updated"])
        _audit.record_change(instance=application, action=_ChangeAction.UPDATE, user=user, before=before,
                             after=_audit.snapshot(application))
        award = _Award.objects.filter(application=application).first()
        if award is not None:
            _Tranche.objects.filter(award=award, number=1, due_on__isnull=True,
                                    status=_TrancheStatus.SCHEDULED).update(due_on=due)
            _reminders.refresh_for(award)
        filled += 1
    return filled


@_transaction.atomic
def budget_create(*, user, model=_Budget, data):
    return _object_create(user=user, model=model, data=data)


# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
