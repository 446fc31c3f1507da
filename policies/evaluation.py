"""Deciding a policy for an enterprise, and for every enterprise before a version is published.

``decide`` reads the enterprise's facts from the records (policies.facts.compute, for the whole period and for each
part of it a parameter's change cuts), lets the engine decide (policies.engine.decide_facts, pure) and stores a
Decision: the version and its content hash, the facts read, the trace with one sentence per condition and cap. The
decision's page shows what was stored and never decides again.

``dry_run`` decides a draft for every enterprise with a lease in the period and compares it with the version in
force: how many are eligible, the total against the year's budget, who gains and who loses.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit
from core.reference.choices import ChangeAction, Role
from core.rules import MISSING, div_half_up, is_missing
from core.rules.types import value_to_json
from enterprises.models import Enterprise
from leasing.choices import HOLDING_STATUSES
from leasing.models import Lease

from . import engine
from .choices import DecisionPurpose
from .models import Budget, Decision, Policy, PolicyVersion

TOP = 20


def last_calendar_year(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or datetime.date.today()
    return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)


def _compute(ids, *, on, start, end, policy):
    from .facts import compute

    return compute(ids, on=on, start=start, end=end, policy=policy)


class FactsCache:
    """The facts of many enterprises for the period and each part of it, computed once per part (set-based)."""

    def __init__(self, ids, *, policy, start, end, on):
        self.ids, self.policy, self.start, self.end, self.on = list(ids), policy, start, end, on
        self.parts: dict = {}

    def of(self, part_start, part_end) -> dict:
        key = (part_start, part_end)
        if key not in self.parts:
            # A part of the period asks for its own period facts (rent paid, months); the day D is unchanged.
            self.parts[key] = _compute(self.ids, on=self.on, start=part_start, end=part_end, policy=self.policy)
        return self.parts[key]

    def for_enterprise(self, enterprise_id):
        return lambda part_start, part_end: self.of(part_start, part_end).get(enterprise_id, {})


# Who may ask for a decision (政策测算), which is stored: the bureau's officers, and an enterprise for itself.
# Leaders read; operators have no say in an enterprise's support.
ENQUIRERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER, Role.ENTERPRISE)


def may_enquire(user) -> bool:
    return user is None or getattr(user, "role", None) in ENQUIRERS


def _may_decide_for(user, enterprise) -> bool:
    return user is None or Enterprise.objects.for_user(user).filter(pk=enterprise.pk).exists()


def decide(enterprise, version: PolicyVersion, start: datetime.date, end: datetime.date,
           on: datetime.date | None = None, *, purpose=DecisionPurpose.ENQUIRY, user=None,
           save: bool = True) -> Decision:
    """What ``version`` decides for ``enterprise`` over [start, end] as of ``on`` (the period's end when not
    given), stored as a Decision (unless ``save`` is False). A user may decide only for an enterprise in its
    scope: an enterprise user for its own."""
    if end < start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    on = on or end
    if not _may_decide_for(user, enterprise) or (purpose == DecisionPurpose.ENQUIRY and not may_enquire(user)):
        raise PermissionDenied(_("You do not have permission to do this."))
    rules = engine.rules_of(version)
    cache = FactsCache([enterprise.pk], policy=version.policy, start=start, end=end, on=on)
    result = engine.decide_facts(rules, cache.for_enterprise(enterprise.pk), start, end, on)
    decision = Decision(
        policy_id=version.policy_id, version=version, content_hash=rules.hash, enterprise=enterprise,
        decided_on=on, period_start=start, period_end=end, eligible=result.eligible, amount=result.amount,
        facts={name: value_to_json(value) for name, value in result.facts_used.items()}, trace=result.trace,
        purpose=purpose, user=user if getattr(user, "is_authenticated", False) else None,
        user_name=getattr(user, "username", "") or "")
    if save:
        with transaction.atomic():
            decision.save()
            audit.record_change(instance=decision, action=ChangeAction.CREATE, user=user, before=None,
                                after=audit.snapshot(decision))
    return decision


def decide_policy(enterprise, policy: Policy, start: datetime.date, end: datetime.date,
                  on: datetime.date | None = None, **kwargs) -> Decision:
    """``decide`` by the version of ``policy`` in force on ``on`` (the period's end when not given)."""
    on = on or end
    version = policy.version_on(on)
    if version is None:
        raise ValidationError(_("%(policy)s has no published version in force on %(day)s.")
                              % {"policy": policy, "day": on.isoformat()})
    return decide(enterprise, version, start, end, on, **kwargs)


# ----- the dry run ------------------------------------------------------------------------------------------------
def population(start: datetime.date, end: datetime.date) -> list[int]:
    """The enterprises a dry run decides: those with a lease that holds some day of [start, end]."""
    return sorted(set(Lease.objects.filter(status__in=HOLDING_STATUSES, start_date__lte=end, end_date__gte=start)
                      .values_list("enterprise_id", flat=True)))


def decide_all(version, ids, start, end, on) -> dict:
    """Each enterprise of ``ids`` decided by ``version``, not stored: {id: (eligible, amount or 0)}."""
    rules = engine.rules_of(version)
    cache = FactsCache(ids, policy=version.policy, start=start, end=end, on=on)
    results = {}
    for enterprise_id in ids:
        result = engine.decide_facts(rules, cache.for_enterprise(enterprise_id), start, end, on)
        results[enterprise_id] = (result.eligible, result.amount if result.eligible else 0)
    return results


def dry_run(version: PolicyVersion, start: datetime.date | None = None, end: datetime.date | None = None,
            on: datetime.date | None = None) -> dict:
    """The draft decided for every enterprise with a lease over [start, end] (last calendar year when not
    given), beside the version in force on ``on``: {hash, on, period, enterprises, eligible, total_amount,
    budget, in_force {version, eligible, total_amount}, gains, losses, top (20 largest changes)}. Amounts in
    fen."""
    if start is None or end is None:
        start, end = last_calendar_year()
    on = on or end
    ids = population(start, end)
    new = decide_all(version, ids, start, end, on)
    current = version.policy.version_on(on)
    if current is not None and current.pk == version.pk:
        current = None
    old = decide_all(current, ids, start, end, on) if current is not None else {}
    names = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "name"))
    changes = []
    for enterprise_id in ids:
        before = old.get(enterprise_id, (False, 0))[1] or 0
        after = new[enterprise_id][1] or 0
        if after != before:
            changes.append({"enterprise": enterprise_id, "name": names.get(enterprise_id, ""), "before": before,
                            "after": after, "change": after - before})
    changes.sort(key=lambda row: (-abs(row["change"]), row["enterprise"]))
    budget = Budget.objects.filter(policy_id=version.policy_id, year=end.year).first()
    total = sum(amount or 0 for _eligible, amount in new.values())
    return {
        "hash": engine.version_hash(version), "on": on.isoformat(), "period": [start.isoformat(), end.isoformat()],
        "ran_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "enterprises": len(ids), "eligible": sum(1 for eligible, _a in new.values() if eligible),
        "total_amount": total,
        "budget": None if budget is None else {"year": budget.year, "total": budget.total,
                                               "committed": budget.committed, "available": budget.available,
                                               "share": None if not budget.total else
                                               div_half_up(total * 10000, budget.total)},
        "in_force": None if current is None else {
            "version": current.number, "id": current.pk,
            "eligible": sum(1 for eligible, _a in old.values() if eligible),
            "total_amount": sum(amount or 0 for _eligible, amount in old.values())},
        "gains": sum(1 for row in changes if row["change"] > 0),
        "losses": sum(1 for row in changes if row["change"] < 0),
        "top": changes[:TOP],
    }


def stored_facts_shown(decision: Decision) -> list[dict]:
    """The facts a decision read, as its page writes them, from what it stored."""
    from core.rules import format_value, yuan_text
    from core.rules.types import value_from_json

    from .catalogue import CATALOGUE

    shown = []
    for name, raw in (decision.facts or {}).items():
        fact = CATALOGUE.get(name)
        if fact is None:
            shown.append({"name": name, "label": name, "value": str(raw)})
            continue
        value = MISSING if raw is None else value_from_json(fact.type, raw)
        text = yuan_text(value) if fact.type.value == "money" and not is_missing(value) else format_value(
            fact.type, value, fact.unit)
        shown.append({"name": name, "label": fact.label, "value": text, "missing": is_missing(value)})
    return shown
