"""Every write of policy support beyond plain edits: <entity>_<verb>(*, ..., user), in a transaction, audited.

Money moves only by conditional updates guarded by CHECK constraints (RULES.md point 10)."""


# ===== versions ====

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
