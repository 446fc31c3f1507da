"""Every read of policy support that matters, scoped to the user."""


# ===== versions ====
import datetime as _dt

from certification.choices import VersionStatus
from core.rules import ParameterSet, format_value
from core.rules.conditions import leaves as _leaves
from core.rules.operators import OPERATORS

from . import builder as _policy_builder
from .catalogue import CATALOGUE
from .models import Budget, Decision, Policy, PolicyVersion


def policy_versions(*, user, policy: Policy):
    return PolicyVersion.objects.for_user(user).filter(policy=policy).order_by("-number")


def policy_budgets(*, user, policy: Policy) -> list[dict]:
    """The policy's budgets by year: total, committed, paid and available (fen)."""
    return [{"year": b.year, "total": b.total, "committed": b.committed, "paid": b.paid, "available": b.available}
            for b in Budget.objects.for_user(user).filter(policy=policy).order_by("-year")]


def _parameters(version) -> ParameterSet:
    try:
        return ParameterSet.from_json(version.parameters or {})
    except ValueError:
        return ParameterSet()


def _threshold(fact, op, raw, parameters, on) -> str:
    def one(item):
        if isinstance(item, dict) and "param" in item:
            parameter = parameters.get(item["param"])
            if parameter is None:
                return item["param"]
            try:
                value = format_value(parameter.type, parameter.value_on(on), fact.unit)
            except LookupError:
                value = "—"
            return f"{parameter.label}（{value}）"
        try:
            from core.rules.types import value_from_json

            return format_value(fact.type, value_from_json(fact.type, item), fact.unit)
        except (ValueError, TypeError):
            return str(item)

    if op.arity == "none":
        return ""
    if op.arity == "pair":
        return " 至 ".join(one(item) for item in raw)
    if op.arity == "list":
        return "、".join(one(item) for item in raw)
    return one(raw)


def condition_rows(version, on: _dt.date | None = None) -> list[dict]:
    """The conditions as plain Chinese rows: "租赁面积 ≤ 不超过 1,000 ㎡", with group, NOT and note."""
    on = on or max(version.effective_from, _dt.date.today())
    parameters = _parameters(version)
    rows = []
    for path, leaf in _leaves(version.conditions or {}):
        fact, op = CATALOGUE.get(leaf.get("fact", "")), OPERATORS.get(leaf.get("op", ""))
        negated = path.endswith(".1") and path.count(".") >= 1 and _is_negated(version.conditions, path)
        label = leaf.get("label") or (fact.label if fact else leaf.get("fact", ""))
        threshold = _threshold(fact, op, leaf.get("value"), parameters, on) if fact and op else ""
        text = f"{label}：{op.label if op else leaf.get('op')} {threshold}".strip()
        rows.append({"path": path, "group": path.split(".")[0], "label": label,
                     "fact": fact.label if fact else leaf.get("fact", ""), "operator": op.label if op else "",
                     "threshold": threshold, "negated": negated, "note": leaf.get("note", ""),
                     "text": ("并非 " if negated else "") + text})
    return rows


def _is_negated(tree, path: str) -> bool:
    node = tree
    parts = path.split(".")
    for index, part in enumerate(parts):
        if not isinstance(node, dict):
            return False
        if "not" in node:
            if index == len(parts) - 1:
                return True
            node = node["not"]
            continue
        kind = "all" if "all" in node else "any" if "any" in node else None
        if kind is None:
            return False
        children = node[kind]
        number = int(part) - 1
        if number >= len(children):
            return False
        node = children[number]
    return isinstance(node, dict) and "not" in node


def parameter_rows(version) -> list[dict]:
    rows = []
    for name, parameter in _parameters(version).items():
        for day, value in parameter.values:
            rows.append({"name": name, "label": parameter.label, "from": day,
                         "value": format_value(parameter.type, value)})
    return rows


def cap_rows(version, on: _dt.date | None = None) -> list[dict]:
    on = on or max(version.effective_from, _dt.date.today())
    parameters = _parameters(version)
    rows = []
    for label, name in (("年度上限", version.annual_cap), ("累计上限", version.cumulative_cap)):
        if name:
            parameter = parameters.get(name)
            try:
                value = _policy_builder.yuan_text(parameter.value_on(on)) if parameter else "—"
            except LookupError:
                value = "—"
            rows.append({"label": label, "parameter": parameter.label if parameter else name, "value": value})
    return rows


OBLIGATION_LABELS = {"lease_kept": "不得提前退租", "no_sublet": "不得转租", "stay_in_district": "不得迁出本区",
                     "keep_qualification": "保持资质"}
RECOVER_LABELS = {"all": "全部追回", "pro_rata": "按剩余期限比例追回"}


def obligation_rows(version) -> list[dict]:
    return [{"kind": OBLIGATION_LABELS.get(item.get("kind"), item.get("kind")), "years": item.get("years"),
             "qualification": item.get("qualification", ""), "recover": RECOVER_LABELS.get(item.get("recover"), ""),
             "label": item.get("label", "")} for item in version.obligations or [] if isinstance(item, dict)]


def test_case_rows(version) -> list[dict]:
    rows = []
    for case in version.test_cases.order_by("id"):
        result = case.last_result or {}
        rows.append({"case": case, "facts": _policy_builder.facts_shown(case.facts),
                     "expected_amount": None if case.expected_amount is None else
                     _policy_builder.yuan_text(case.expected_amount),
                     "ran": bool(result), "eligible": result.get("eligible"),
                     "amount": None if result.get("amount") is None else _policy_builder.yuan_text(result["amount"]),
                     "passed": result.get("passed"), "sentences": result.get("sentences", []),
                     "error": result.get("error", ""), "stale": bool(result) and result.get("hash") !=
                     _current_hash(version)})
    return rows


def _current_hash(version) -> str:
    from .engine import version_hash

    return version_hash(version)


def decisions_of(*, user, enterprise=None, policy=None):
    rows = Decision.objects.for_user(user).select_related("policy", "version", "enterprise")
    if enterprise is not None:
        rows = rows.filter(enterprise=enterprise)
    if policy is not None:
        rows = rows.filter(policy=policy)
    return rows


def open_policies(*, user, on: _dt.date):
    return Policy.objects.for_user(user).filter(versions__status=VersionStatus.PUBLISHED).distinct()

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====
from django.db.models import Count as _AwardsCount  # noqa: E402

from core import audit as _awards_audit  # noqa: E402
from core.access.permissions import VIEW as _AWARDS_VIEW  # noqa: E402
from core.access.permissions import role_may as _awards_role_may  # noqa: E402

from .choices import ApplicationStatus as _AwardsStatus  # noqa: E402
from .models import Application as _AwardsApplication  # noqa: E402
from .models import Award as _AwardsAward  # noqa: E402
from .models import LedgerEntry as _AwardsLedgerEntry  # noqa: E402

# The steps of an application whose events its page lists, with the comment each kept.
APPLICATION_STEPS = ("submit", "return", "first_review", "second_review", "approve", "reject", "withdraw")


def application_queue(*, user) -> list[dict]:
    """How many applications the user sees wait at each step: [{status, label, count}], in workflow order."""
    counts = dict(_AwardsApplication.objects.for_user(user).values_list("status").annotate(n=_AwardsCount("pk"))
                  .order_by())
    return [{"status": value, "label": label, "count": counts.get(value, 0)}
            for value, label in _AwardsStatus.choices]


def application_steps(application) -> list:
    """The steps taken on an application, oldest first, each with who took it, when, and its comment."""
    names = [f"policies.application.{verb}" for verb in APPLICATION_STEPS]
    return list(_awards_audit.events_for(application).filter(name__in=names).order_by("time", "id"))


def awards_for(*, user):
    return (_AwardsAward.objects.for_user(user).select_related("policy", "enterprise", "application")
            .order_by("-year", "-id"))


def award_tranches(award):
    return list(award.tranches.order_by("number"))


def ledger_visible(user) -> bool:
    """The ledger is the bureau's books: administrators, officers and leaders read it."""
    return _awards_role_may(user, _AWARDS_VIEW, _AwardsLedgerEntry) and user.role in ("bureau_admin",
                                                                                       "bureau_officer", "leader")


def ledger_of(*, user, budget=None, award=None):
    if not ledger_visible(user):
        return _AwardsLedgerEntry.objects.none()
    entries = _AwardsLedgerEntry.objects.select_related("award__enterprise", "tranche")
    if budget is not None:
        entries = entries.filter(budget=budget)
    if award is not None:
        entries = entries.filter(award=award)
    return entries.order_by("id")


def budget_awards(*, user, budget):
    return awards_for(user=user).filter(budget=budget)

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
