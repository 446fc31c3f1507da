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

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====
import datetime as _datetime  # noqa: E402
from decimal import Decimal as _Decimal  # noqa: E402

from django.core.exceptions import ValidationError as _ValidationError  # noqa: E402
from django.db import transaction as _transaction  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402
from django.utils.formats import date_format as _date_format  # noqa: E402
from django.utils.translation import gettext as _gettext  # noqa: E402
from django.utils.translation import gettext_lazy as _gettext_lazy  # noqa: E402

from core import audit as _audit  # noqa: E402
from core.access.permissions import CHANGE as _CHANGE  # noqa: E402
from core.access.permissions import DELETE as _DELETE  # noqa: E402
from core.access.permissions import ensure_can as _ensure_can  # noqa: E402
from core.access.permissions import record_refusal as _record_refusal  # noqa: E402
from core.actions import action as _action  # noqa: E402
from core.reference.choices import ChangeAction as _ChangeAction  # noqa: E402
from core.reference.choices import Role as _Role  # noqa: E402
from core.rules import FactType as _FactType  # noqa: E402
from core.rules import ParameterSet as _ParameterSet  # noqa: E402
from core.rules import ParameterUndefined as _ParameterUndefined  # noqa: E402
from core.rules import div_half_up as _div_half_up  # noqa: E402
from core.rules import money_from_yuan as _money_from_yuan  # noqa: E402
from core.rules import money_to_yuan as _money_to_yuan  # noqa: E402
from core.services import object_create as _object_create  # noqa: E402
from core.services import object_delete as _object_delete  # noqa: E402
from core.services import object_update as _object_update  # noqa: E402

from . import forms as _forms  # noqa: E402
from .choices import AllocationStatus as _AllocationStatus  # noqa: E402
from .choices import DecisionPurpose as _DecisionPurpose  # noqa: E402
from .choices import PolicyCategory as _PolicyCategory  # noqa: E402
from .models import SpaceAllocation as _SpaceAllocation  # noqa: E402

# Who allocates government-owned space: the bureau's officers (福府办规〔2020〕4号: the leading group decides, its
# office does the work). Leaders read; operators and enterprises take no part.
ALLOCATION_OFFICERS = (_Role.BUREAU_ADMIN, _Role.BUREAU_OFFICER)
# The allocation policy's parameter that says what share of the assessed market rent the enterprise pays
# (5000 basis points: half, the 2024 measures' rate for a national high-tech enterprise).
RENT_SHARE_PARAMETER = "rent_share"


def allocation_rent(assessed_rent, rent_share: int) -> _Decimal:
    """The rent per m² a month: the assessed market rent × the share, rounded half-up to the fen
    (118.35 元 × 50% = 59.18 元)."""
    return _money_to_yuan(_div_half_up(_money_from_yuan(assessed_rent) * rent_share, 10_000))


def allocation_terms(policy, on: _datetime.date):
    """(version, rent share in basis points): the policy's version in force on ``on`` and its ``rent_share`` on
    that day. Refused, naming the policy field, when there is none."""
    if policy.category != _PolicyCategory.GOVERNMENT_SPACE:
        raise _ValidationError({"policy": _gettext("%(policy)s is not a government-owned space policy.")
                                % {"policy": policy}})
    version = policy.version_on(on)
    if version is None:
        raise _ValidationError({"policy": _gettext("No published version of %(policy)s is in force on %(day)s.")
                                % {"policy": policy, "day": _date_format(on)}})
    try:
        parameter = _ParameterSet.from_json(version.parameters or {})[RENT_SHARE_PARAMETER]
        share = parameter.value_on(on)
    except KeyError:
        raise _ValidationError({"policy": _gettext(
            "%(version)s sets no rent share (the parameter rent_share: the share of the assessed market rent the "
            "enterprise pays).") % {"version": version}}) from None
    except _ParameterUndefined as error:
        raise _ValidationError({"policy": str(error)}) from None
    if parameter.type != _FactType.SHARE or not 0 <= share <= 10_000:
        raise _ValidationError({"policy": _gettext(
            "The rent share of %(version)s must be a share between 0 and 100%%.") % {"version": version}})
    return version, share


def admission_check(*, enterprise, version, on: _datetime.date, user, purpose):
    """The allocation policy's admission standard decided for the enterprise as of ``on`` (the year it falls
    in is the period), stored as a Decision with its sentences (policies.evaluation)."""
    from .evaluation import decide

    start, end = _datetime.date(on.year, 1, 1), _datetime.date(on.year, 12, 31)
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
        raise _ValidationError({"units": _gettext("Choose at least one unit.")})
    private = [unit for unit in units if not unit.government_owned]
    if private:
        raise _ValidationError({"units": _gettext(
            "Unit %(units)s is not government-owned space: only government-owned units are allocated under "
            "this policy.") % {"units": _unit_names(private)}})
    if len({unit.building.park_id for unit in units}) > 1:
        raise _ValidationError({"units": _gettext("The units of one allocation must be in one park.")})
    unavailable = [unit for unit in units if unit.status == UnitStatus.UNAVAILABLE]
    if unavailable:
        raise _ValidationError({"units": _gettext("Unit %(units)s is marked unavailable and cannot be allocated.")
                                % {"units": _unit_names(unavailable)}})
    for lease in leasing_selectors.leases_overlapping(units=units, start=allocation.start_date,
                                                     end=allocation.end_date).select_related("enterprise"):
        shared = [unit for unit in units if unit in set(lease.units.all())]
        raise _ValidationError({"units": _gettext(
            "Unit %(units)s is leased to %(tenant)s from %(start)s to %(end)s, which overlaps this allocation.")
            % {"units": _unit_names(shared), "tenant": lease.enterprise.name, "start": _date_format(lease.start_date),
               "end": _date_format(lease.end_date)}})
    if approving:
        others = (_SpaceAllocation.objects.filter(status=_AllocationStatus.APPROVED, units__in=units,
                                                  start_date__lte=allocation.end_date,
                                                  end_date__gte=allocation.start_date)
                  .exclude(pk=allocation.pk).select_related("enterprise").distinct())
        for other in others:
            shared = [unit for unit in units if unit in set(other.units.all())]
            raise _ValidationError({"units": _gettext(
                "Unit %(units)s is already approved for %(tenant)s from %(start)s to %(end)s (the lease is not yet "
                "signed).") % {"units": _unit_names(shared), "tenant": other.enterprise.name,
                               "start": _date_format(other.start_date), "end": _date_format(other.end_date)}})


def _terms(data: dict, user, on: _datetime.date) -> dict:
    """The version, share, discounted rent and admission check that the inputs give, as of ``on``."""
    policy, enterprise = data.get("policy"), data.get("enterprise")
    if policy is None or enterprise is None:
        return {}  # the model's own checks name what is missing
    version, share = allocation_terms(policy, on)
    terms = {"version": version, "rent_share": share,
             "decision": admission_check(enterprise=enterprise, version=version, on=on, user=user,
                                         purpose=_DecisionPurpose.ENQUIRY)}
    if data.get("assessed_rent") is not None:
        terms["monthly_rent"] = allocation_rent(data["assessed_rent"], share)
    return terms


def _allocation_units_lock(pk, more=()) -> None:
    """Lock an allocation's units (and ``more``) in id order before its row, as the lease services do."""
    from leasing.services import units_lock

    units = list(_SpaceAllocation.units.through.objects.filter(spaceallocation_id=pk)
                 .values_list("unit_id", flat=True))
    units_lock([*units, *[getattr(u, "pk", u) for u in more]])


def spaceallocations_lock(ids) -> None:
    """Lock stored allocations as their writers do: all their units first, then the allocations, in id order (a
    bulk deletion locks its whole selection so before it reads it)."""
    from leasing.services import units_lock

    units_lock(_SpaceAllocation.units.through.objects.filter(spaceallocation_id__in=ids)
               .values_list("unit_id", flat=True))
    list(_SpaceAllocation.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


@_transaction.atomic
def spaceallocation_create(*, user, model=_SpaceAllocation, data):
    """Propose an allocation: the units (government-owned, free over the period), the version of the policy in
    force today with its rent share, the discounted rent, and the admission standard decided for the enterprise
    (kept as a Decision, shown with its sentences). An enterprise that does not meet it is recorded as proposed
    and cannot be approved."""
    from leasing.services import units_lock

    _ensure_can(user, "add", model)  # before anything is decided for the enterprise
    units_lock(data.get("units") or (), all_present=True)
    return _object_create(user=user, model=model, data=data, check=_check_units,
                          preset=_terms(data, user, _datetime.date.today()))


@_transaction.atomic
def spaceallocation_update(*, user, instance, data):
    """Change a proposed allocation: its rent and admission check are worked out again."""
    _ensure_can(user, _CHANGE, _SpaceAllocation)
    _allocation_units_lock(instance.pk, data.get("units") or ())
    refused = _record_refusal(_SpaceAllocation.objects.get(pk=instance.pk), _CHANGE)
    if refused:
        raise _ValidationError(refused)
    merged = {"policy": instance.policy, "enterprise": instance.enterprise, "assessed_rent": instance.assessed_rent,
              **data}
    return _object_update(user=user, instance=instance, data={**data, **_terms(merged, user, _datetime.date.today())},
                          check=_check_units)


@_transaction.atomic
def spaceallocation_delete(*, user, instance):
    _allocation_units_lock(instance.pk)
    refused = _record_refusal(_SpaceAllocation.objects.get(pk=instance.pk), _DELETE)
    if refused:
        raise _ValidationError(refused)
    _object_delete(user=user, instance=instance)


def _allocation_save(allocation, user, before, **fields) -> None:
    for name, value in fields.items():
        setattr(allocation, name, value)
    allocation.full_clean()
    allocation.save()
    _audit.record_change(instance=allocation, action=_ChangeAction.UPDATE, user=user, before=before,
                         after=_audit.snapshot(allocation))


def _refuse_not_admitted(allocation, decision) -> None:
    if not admitted(decision):
        failed = [leaf.get("sentence") for leaf in (decision.trace.get("conditions") or {}).get("leaves", [])
                  if not leaf.get("passed")]
        failed += [leaf.get("sentence") for leaf in (decision.trace.get("max_years") or {}).get("leaves", [])
                   if not leaf.get("passed")]
        raise _ValidationError(_gettext("%(enterprise)s does not meet the admission standard of %(policy)s: "
                                        "%(reasons)s.") % {
            "enterprise": allocation.enterprise.name, "policy": allocation.policy,
            "reasons": "；".join(s for s in failed if s) or _gettext("see the admission check")})


@_action(_SpaceAllocation, "approve", label=_gettext_lazy("Approve"), roles=ALLOCATION_OFFICERS,
         sources=[_AllocationStatus.PROPOSED], target=_AllocationStatus.APPROVED, style="outline-success",
         locks=_allocation_units_lock, event_label=_gettext_lazy("Government space allocation approved"),
         event_data=lambda allocation, _result: {"decision": allocation.approved_decision_id,
                                                 "rent_share": allocation.rent_share,
                                                 "monthly_rent": str(allocation.monthly_rent)},
         help=_gettext_lazy("The admission standard is decided again as of today under the version then in force, "
                            "the rent fixed at its share of the assessed market rent, and the units held for this "
                            "enterprise until the lease is signed."),
         example=lambda allocation: {})
def spaceallocation_approve(*, user, instance):
    """Approve a proposed allocation: the enterprise meets the admission standard today (decided again and kept),
    the units are still government-owned and free, and no other approved allocation holds them; the rent is fixed
    at the policy's share of the assessed market rent."""
    allocation = instance
    today = _datetime.date.today()
    _check_units(allocation, approving=True)
    version, share = allocation_terms(allocation.policy, today)
    decision = admission_check(enterprise=allocation.enterprise, version=version, on=today, user=user,
                               purpose=_DecisionPurpose.APPROVAL)
    _refuse_not_admitted(allocation, decision)
    _allocation_save(allocation, user, _audit.snapshot(allocation), version=version, rent_share=share,
                     monthly_rent=allocation_rent(allocation.assessed_rent, share), approved_decision=decision,
                     status=_AllocationStatus.APPROVED, decided_by=user, decided_at=_timezone.now())
    return allocation


@_action(_SpaceAllocation, "lease", label=_gettext_lazy("Sign the lease"), roles=ALLOCATION_OFFICERS,
         sources=[_AllocationStatus.APPROVED], target=_AllocationStatus.LEASED, style="primary",
         form=_forms.AllocationLeaseForm, locks=_allocation_units_lock,
         event_label=_gettext_lazy("Government space leased"),
         event_data=lambda allocation, _result: {"lease": allocation.lease_id},
         help=_gettext_lazy("The lease of the allocated units is recorded at the approved rent, with the assessed "
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
    _allocation_save(allocation, user, _audit.snapshot(allocation), lease=lease, status=_AllocationStatus.LEASED)
    return allocation


@_action(_SpaceAllocation, "reject", label=_gettext_lazy("Reject"), roles=ALLOCATION_OFFICERS,
         sources=[_AllocationStatus.PROPOSED, _AllocationStatus.APPROVED], target=_AllocationStatus.REJECTED,
         style="outline-danger", form=_forms.AllocationRejectForm,
         event_label=_gettext_lazy("Government space allocation rejected"),
         help=_gettext_lazy("The units are free for another allocation; say why."),
         example=lambda allocation: {"reason": "企业未达到准入标准"})
def spaceallocation_reject(*, user, instance, reason: str):
    """Reject a proposed or approved (not yet leased) allocation, with the reason."""
    if not reason.strip():
        raise _ValidationError({"reason": _gettext("Say why the allocation is rejected.")})
    allocation = instance
    _allocation_save(allocation, user, _audit.snapshot(allocation), status=_AllocationStatus.REJECTED,
                     reason=reason.strip(), decided_by=user, decided_at=_timezone.now())
    return allocation
# (end of this part)
