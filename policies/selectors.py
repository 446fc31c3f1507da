"""Every read of policy support that matters, scoped to the user."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext

from certification.choices import VersionStatus
from core import audit
from core.access.permissions import VIEW, role_may
from core.rules import FactType, ParameterSet, format_value, money_to_yuan, yuan_text
from core.rules.conditions import leaves
from core.rules.operators import OPERATORS

from . import builder
from .catalogue import CATALOGUE
from .choices import ApplicationStatus, AwardStatus, LedgerKind, OfferStatus, TrancheStatus
from .models import (
    Application,
    Award,
    Budget,
    ClawbackCase,
    Decision,
    LedgerEntry,
    Offer,
    Policy,
    PolicyVersion,
    Tranche,
)


# ----- policies and their versions -----------------------------------------------------------------------------
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


def condition_rows(version, on: datetime.date | None = None) -> list[dict]:
    """The conditions as plain Chinese rows: "租赁面积 ≤ 不超过 1,000 ㎡", with group, NOT and note."""
    on = on or max(version.effective_from, datetime.date.today())
    parameters = _parameters(version)
    rows = []
    for path, leaf in leaves(version.conditions or {}):
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
                         "value": yuan_text(value) if parameter.type is FactType.MONEY
                         else format_value(parameter.type, value)})
    return rows


def cap_rows(version, on: datetime.date | None = None) -> list[dict]:
    on = on or max(version.effective_from, datetime.date.today())
    parameters = _parameters(version)
    rows = []
    for label, name in (("年度上限", version.annual_cap), ("累计上限", version.cumulative_cap)):
        if name:
            parameter = parameters.get(name)
            try:
                value = yuan_text(parameter.value_on(on)) if parameter else "—"
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
        rows.append({"case": case, "facts": builder.facts_shown(case.facts),
                     "expected_amount": None if case.expected_amount is None else
                     yuan_text(case.expected_amount),
                     "ran": bool(result), "eligible": result.get("eligible"),
                     "amount": None if result.get("amount") is None else yuan_text(result["amount"]),
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


def open_policies(*, user, on: datetime.date):
    return Policy.objects.for_user(user).filter(versions__status=VersionStatus.PUBLISHED).distinct()


# ----- screening and offers (免申即享) -----------------------------------------------------------------------------
def offers_proposed(*, user):
    """The offers still open to ``user`` (an enterprise user: its own), best first."""
    return (Offer.objects.for_user(user).filter(status=OfferStatus.PROPOSED)
            .select_related("policy", "version", "run", "enterprise", "decision").order_by("-amount", "policy__code"))


def offers_answered(*, user):
    return (Offer.objects.for_user(user).exclude(status=OfferStatus.PROPOSED)
            .select_related("policy", "enterprise").order_by("-answered_at", "-id"))


def offers_summary(*, user) -> dict:
    """How many offers are open to ``user`` and their likely total (fen): the home page's block."""
    totals = Offer.objects.for_user(user).filter(status=OfferStatus.PROPOSED).aggregate(
        count=Count("id"), amount=Sum("amount"))
    return {"count": totals["count"] or 0, "amount": totals["amount"] or 0}


# ----- applications, awards, budgets and tranches --------------------------------------------------------------
# The steps of an application whose events its page lists, with the comment each kept.
APPLICATION_STEPS = ("submit", "return", "first_review", "second_review", "approve", "reject", "withdraw")


def application_queue(*, user) -> list[dict]:
    """How many applications the user sees wait at each step: [{status, label, count}], in workflow order."""
    counts = dict(Application.objects.for_user(user).values_list("status").annotate(n=Count("pk"))
                  .order_by())
    return [{"status": value, "label": label, "count": counts.get(value, 0)}
            for value, label in ApplicationStatus.choices]


def application_steps(application) -> list:
    """The steps taken on an application, oldest first, each with who took it, when, and its comment."""
    names = [f"policies.application.{verb}" for verb in APPLICATION_STEPS]
    return list(audit.events_for(application).filter(name__in=names).order_by("time", "id"))


def awards_for(*, user):
    return (Award.objects.for_user(user).select_related("policy", "enterprise", "application")
            .order_by("-year", "-id"))


def award_tranches(award):
    return list(award.tranches.order_by("number"))


def ledger_visible(user) -> bool:
    """The ledger is the bureau's books: administrators, officers and leaders read it."""
    return role_may(user, VIEW, LedgerEntry) and user.role in ("bureau_admin",
                                                                                       "bureau_officer", "leader")


def ledger_of(*, user, budget=None, award=None):
    if not ledger_visible(user):
        return LedgerEntry.objects.none()
    entries = LedgerEntry.objects.select_related("award__enterprise", "tranche")
    if budget is not None:
        entries = entries.filter(budget=budget)
    if award is not None:
        entries = entries.filter(award=award)
    return entries.order_by("id")


def budget_awards(*, user, budget):
    return awards_for(user=user).filter(budget=budget)


# ----- obligations and clawback --------------------------------------------------------------------------------
def clawback_cases(*, user, award=None, enterprise=None):
    """The clawback cases ``user`` sees (an enterprise its own), of one award or one enterprise."""
    cases = ClawbackCase.objects.for_user(user).select_related("award__policy", "enterprise")
    if award is not None:
        cases = cases.filter(award=award)
    if enterprise is not None:
        cases = cases.filter(enterprise=enterprise)
    return cases.order_by("-breached_on", "-id")


def clawback_repayments(*, user, case):
    """The repayments recorded on a case (ledger entries of kind 'recovered'): the bureau's books, which an
    enterprise does not read (it sees the case's repaid total)."""
    from core.access.permissions import role_may

    if not role_may(user, "view", LedgerEntry):
        return LedgerEntry.objects.none()
    return LedgerEntry.objects.filter(clawback=case).order_by("id")


def clawback_evidence_rows(case) -> list[tuple[str, str]]:
    """The case's evidence as (label, value) rows a person reads: the records and dates it rests on and how the
    amount was reached."""
    import datetime

    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from core.rules import yuan_text

    evidence = case.evidence or {}

    def day(key):
        value = evidence.get(key)
        return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT") if value else None

    rows = [
        (_("lease"), evidence.get("contract_number") or (f"#{evidence['lease']}" if evidence.get("lease") else None)),
        (_("terminated on"), day("terminated_on")),
        (_("subtenant"), evidence.get("subtenant_name")),
        (_("sublet from"), day("starts_on")),
        (_("sublet found on"), day("found_on")),
        (_("moved out of the district on"), day("moved_out_on")),
        (_("qualification"), evidence.get("qualification_label")),
        (_("no longer valid from"), day("lapsed_on")),
        (_("supported period"), f"{day('period_start')} — {day('period_end')}" if evidence.get("period_start") else None),
        (_("obligation holds until"), day("holds_until")),
        (_("recovery"), {"all": _("everything paid"), "pro_rata": _("pro rata by days")}.get(evidence.get("recover"))),
        (_("paid under the award when raised"),
         yuan_text(evidence["paid"]) if "paid" in evidence else None),
    ]
    if evidence.get("recover") == "pro_rata" and evidence.get("term_days"):
        rows.append((_("days of the term after the breach"),
                     _("%(after)s of %(days)s days") % {"after": evidence["days_after"], "days": evidence["term_days"]}))
    if "computed" in evidence and evidence["computed"] != case.amount_due:
        rows.append((_("computed amount (capped by what remains to recover)"),
                     yuan_text(evidence["computed"])))
    return [(label, value) for label, value in rows if value]


def clawback_yuan(fen) -> object:
    return None if fen is None else money_to_yuan(fen)


# ----- government-owned space and the funds report -------------------------------------------------------------
@dataclass
class FundsFigures:
    """Money of a budget or a slice of it, in fen: reserved by approvals less released (committed), paid out in
    tranches, recovered by clawback, tranches scheduled and not yet paid; and the enterprises supported (an award
    not cancelled)."""

    committed: int = 0
    paid: int = 0
    recovered: int = 0
    enterprises: int = 0
    scheduled: int = 0  # tranches scheduled and not yet paid

    @property
    def net_paid(self) -> int:
        return self.paid - self.recovered

    @property
    def unpaid(self) -> int:
        return self.committed - self.paid

    @property
    def yuan(self) -> dict:
        """The figures in yuan (Decimal, 2 places), as pages show them."""
        from core.rules import money_to_yuan

        money = {name: getattr(self, name) for name in ("committed", "paid", "recovered", "net_paid", "unpaid",
                                                        "scheduled")}
        if isinstance(self, BudgetRow):
            money.update(total=self.budget.total, available=self.available)
        return {name: money_to_yuan(value) for name, value in money.items()}


@dataclass
class BudgetRow(FundsFigures):
    budget: object = None
    available: int = 0  # the whole budget's: its total less everything committed against it


@dataclass
class SliceRow(FundsFigures):
    key: str | int | None = None
    label: str = ""


@dataclass
class FundsReport:
    budgets: list = field(default_factory=list)
    zones: list = field(default_factory=list)
    divisions: list = field(default_factory=list)
    total: FundsFigures = field(default_factory=FundsFigures)
    sliced: bool = False  # a zone or an industry filter narrows the figures of each budget to that slice


def funds_report_visible(user) -> bool:
    """The bureau's books: administrators, officers and leaders (a restricted role sees none of them)."""
    return role_may(user, VIEW, Budget) and role_may(user, VIEW, LedgerEntry)


def zone_and_within(zone) -> list[int]:
    """The zone's id and those of the zones within it, at any depth (the zones are a few dozen)."""
    from spaces.models import Zone

    children: dict = {}
    for pk, parent in Zone.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, stack = [], [zone.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


def _with_place(queryset):
    """Rows that name an award (ledger entries, tranches) with the award's zone and GB/T 4754 division: the zone
    of the park of the application's lease or, for an application naming no lease, of the enterprise's latest
    lease begun by the end of the period supported; the division, the first two digits of the enterprise's
    industry class."""
    from leasing.models import Lease

    latest_lease_zone = (Lease.objects.filter(enterprise_id=OuterRef("award__enterprise_id"),
                                              start_date__lte=OuterRef("award__period_end"))
                         .order_by("-start_date", "-id").values("park__zone_id")[:1])
    return queryset.annotate(
        zone_id=Coalesce(F("award__application__lease__park__zone_id"), Subquery(latest_lease_zone),
                          output_field=BigIntegerField()),
        division=Substr("award__enterprise__industry_id", 1, 2))


def _scheduled(tranches, key: str) -> dict:
    """Tranches scheduled and not yet paid, summed by ``key``."""
    return {row[key]: row["scheduled"] for row in tranches.values(key).annotate(scheduled=Sum("amount"))}


def _figures():
    """Sums of the ledger by kind, and the enterprises with an award that was not cancelled."""
    def kind(value):
        return Coalesce(Sum("amount", filter=Q(kind=value)), 0)

    return {"reserved": kind(LedgerKind.RESERVE), "released": kind(LedgerKind.RELEASE),
            "paid": kind(LedgerKind.PAY), "recovered": kind(LedgerKind.RECOVER),
            "enterprises": Count("award__enterprise", distinct=True,
                                  filter=Q(kind=LedgerKind.RESERVE) & ~Q(award__status=AwardStatus.CANCELLED))}


def _fill(row, sums) -> None:
    row.committed = sums["reserved"] - sums["released"]
    row.paid, row.recovered, row.enterprises = sums["paid"], sums["recovered"], sums["enterprises"]


def funds_report(*, user, policy=None, year=None, zone=None, division: str = "") -> FundsReport:
    """Budget and payout by policy and year, and the same money by zone and by industry (GB/T 4754 division),
    from the budgets, their ledger and the awards' tranches: committed = reserved − released, paid, recovered,
    scheduled (tranches not yet paid), available = the budget less what is committed against it, and the
    enterprises supported. A zone or an industry narrows the money
    to the awards of that zone or industry (the budget and what is available stay the whole budget's)."""
    if not funds_report_visible(user):
        raise PermissionDenied
    budgets = Budget.objects.select_related("policy").order_by("policy__category", "policy__code", "-year")
    if policy is not None:
        budgets = budgets.filter(policy=policy)
    if year:
        budgets = budgets.filter(year=year)
    budgets = list(budgets)
    entries = _with_place(LedgerEntry.objects.filter(budget__in=[b.pk for b in budgets]))
    tranches = _with_place(Tranche.objects.filter(award__budget__in=[b.pk for b in budgets],
                                                   status=TrancheStatus.SCHEDULED)).annotate(
        budget_key=F("award__budget_id"))
    whole = {row["budget_id"]: row for row in entries.values("budget_id").annotate(**_figures())}
    if zone is not None:
        entries = entries.filter(zone_id__in=zone_and_within(zone))
    if division:
        entries = entries.filter(division=division)
    if zone is not None:
        tranches = tranches.filter(zone_id__in=zone_and_within(zone))
    if division:
        tranches = tranches.filter(division=division)
    scheduled = _scheduled(tranches, "budget_key")
    sliced = {row["budget_id"]: row for row in entries.values("budget_id").annotate(**_figures())}
    empty = {"reserved": 0, "released": 0, "paid": 0, "recovered": 0, "enterprises": 0}
    report = FundsReport(sliced=zone is not None or bool(division))
    for budget in budgets:
        row = BudgetRow(budget=budget)
        _fill(row, sliced.get(budget.pk, empty))
        row.scheduled = scheduled.get(budget.pk, 0)
        all_sums = whole.get(budget.pk, empty)
        row.available = budget.total - (all_sums["reserved"] - all_sums["released"])
        report.budgets.append(row)
    _fill(report.total, entries.aggregate(**_figures()) if budgets else empty)
    report.total.scheduled = sum(scheduled.values())
    report.zones = _slices(entries, tranches, "zone_id", _zone_labels())
    report.divisions = _slices(entries, tranches, "division", _division_labels())
    return report


def _slices(entries, tranches, key: str, labels: dict) -> list:
    rows = []
    scheduled = _scheduled(tranches, key)
    for sums in entries.values(key).annotate(**_figures()).order_by(key):
        row = SliceRow(key=sums[key], label=labels.get(sums[key]) or str(sums[key] or gettext("not known")))
        _fill(row, sums)
        row.scheduled = scheduled.get(sums[key], 0)
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.committed, str(r.label)))


def _zone_labels() -> dict:
    from spaces.models import Zone

    return dict(Zone.objects.values_list("pk", "name"))


def _division_labels() -> dict:
    from enterprises.choices import IndustryLevel
    from enterprises.models import IndustryCategory

    return {code: f"{code} {name}" for code, name in
            IndustryCategory.objects.filter(level=IndustryLevel.DIVISION).values_list("code", "name")}
