"""Every read of policy support that matters, scoped to the user."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====
from dataclasses import dataclass as _dataclass  # noqa: E402
from dataclasses import field as _field  # noqa: E402

from django.core.exceptions import PermissionDenied as _PermissionDenied  # noqa: E402
from django.db.models import BigIntegerField as _BigIntegerField  # noqa: E402
from django.db.models import Count as _Count  # noqa: E402
from django.db.models import F as _F  # noqa: E402
from django.db.models import OuterRef as _OuterRef  # noqa: E402
from django.db.models import Q as _Q  # noqa: E402
from django.db.models import Subquery as _Subquery  # noqa: E402
from django.db.models import Sum as _Sum  # noqa: E402
from django.db.models.functions import Coalesce as _Coalesce  # noqa: E402
from django.db.models.functions import Substr as _Substr  # noqa: E402
from django.utils.translation import gettext as _gettext  # noqa: E402

from core.access.permissions import VIEW as _VIEW  # noqa: E402
from core.access.permissions import role_may as _role_may  # noqa: E402

from .choices import AwardStatus as _AwardStatus  # noqa: E402
from .choices import LedgerKind as _LedgerKind  # noqa: E402
from .models import Budget as _Budget  # noqa: E402
from .models import LedgerEntry as _LedgerEntry  # noqa: E402


@_dataclass
class FundsFigures:
    """Money of a budget or a slice of it, in fen: reserved by approvals less released (committed), paid out in
    tranches, recovered by clawback; and the enterprises supported (an award not cancelled)."""

    committed: int = 0
    paid: int = 0
    recovered: int = 0
    enterprises: int = 0

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

        money = {name: getattr(self, name) for name in ("committed", "paid", "recovered", "net_paid", "unpaid")}
        if isinstance(self, BudgetRow):
            money.update(total=self.budget.total, available=self.available)
        return {name: money_to_yuan(value) for name, value in money.items()}


@_dataclass
class BudgetRow(FundsFigures):
    budget: object = None
    available: int = 0  # the whole budget's: its total less everything committed against it


@_dataclass
class SliceRow(FundsFigures):
    key: str | int | None = None
    label: str = ""


@_dataclass
class FundsReport:
    budgets: list = _field(default_factory=list)
    zones: list = _field(default_factory=list)
    divisions: list = _field(default_factory=list)
    total: FundsFigures = _field(default_factory=FundsFigures)
    sliced: bool = False  # a zone or an industry filter narrows the figures of each budget to that slice


def funds_report_visible(user) -> bool:
    """The bureau's books: administrators, officers and leaders (a restricted role sees none of them)."""
    return _role_may(user, _VIEW, _Budget) and _role_may(user, _VIEW, _LedgerEntry)


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


def _ledger_with_place():
    """Ledger entries with the zone and the GB/T 4754 division of their award: the zone of the park of the
    application's lease or, for an application naming no lease, of the enterprise's latest lease begun by the end
    of the period supported; the division, the first two digits of the enterprise's industry class."""
    from leasing.models import Lease

    latest_lease_zone = (Lease.objects.filter(enterprise_id=_OuterRef("award__enterprise_id"),
                                              start_date__lte=_OuterRef("award__period_end"))
                         .order_by("-start_date", "-id").values("park__zone_id")[:1])
    return _LedgerEntry.objects.annotate(
        zone_id=_Coalesce(_F("award__application__lease__park__zone_id"), _Subquery(latest_lease_zone),
                          output_field=_BigIntegerField()),
        division=_Substr("award__enterprise__industry_id", 1, 2))


def _figures():
    """Sums of the ledger by kind, and the enterprises with an award that was not cancelled."""
    def kind(value):
        return _Coalesce(_Sum("amount", filter=_Q(kind=value)), 0)

    return {"reserved": kind(_LedgerKind.RESERVE), "released": kind(_LedgerKind.RELEASE),
            "paid": kind(_LedgerKind.PAY), "recovered": kind(_LedgerKind.RECOVER),
            "enterprises": _Count("award__enterprise", distinct=True,
                                  filter=_Q(kind=_LedgerKind.RESERVE) & ~_Q(award__status=_AwardStatus.CANCELLED))}


def _fill(row, sums) -> None:
    row.committed = sums["reserved"] - sums["released"]
    row.paid, row.recovered, row.enterprises = sums["paid"], sums["recovered"], sums["enterprises"]


def funds_report(*, user, policy=None, year=None, zone=None, division: str = "") -> FundsReport:
    """Budget and payout by policy and year, and the same money by zone and by industry (GB/T 4754 division),
    from the budgets and their ledger: committed = reserved − released, paid, recovered, available = the budget
    less what is committed against it, and the enterprises supported. A zone or an industry narrows the money
    to the awards of that zone or industry (the budget and what is available stay the whole budget's)."""
    if not funds_report_visible(user):
        raise _PermissionDenied
    budgets = _Budget.objects.select_related("policy").order_by("policy__category", "policy__code", "-year")
    if policy is not None:
        budgets = budgets.filter(policy=policy)
    if year:
        budgets = budgets.filter(year=year)
    budgets = list(budgets)
    entries = _ledger_with_place().filter(budget__in=[b.pk for b in budgets])
    whole = {row["budget_id"]: row for row in entries.values("budget_id").annotate(**_figures())}
    if zone is not None:
        entries = entries.filter(zone_id__in=zone_and_within(zone))
    if division:
        entries = entries.filter(division=division)
    sliced = {row["budget_id"]: row for row in entries.values("budget_id").annotate(**_figures())}
    empty = {"reserved": 0, "released": 0, "paid": 0, "recovered": 0, "enterprises": 0}
    report = FundsReport(sliced=zone is not None or bool(division))
    for budget in budgets:
        row = BudgetRow(budget=budget)
        _fill(row, sliced.get(budget.pk, empty))
        all_sums = whole.get(budget.pk, empty)
        row.available = budget.total - (all_sums["reserved"] - all_sums["released"])
        report.budgets.append(row)
    _fill(report.total, entries.aggregate(**_figures()) if budgets else empty)
    report.zones = _slices(entries, "zone_id", _zone_labels())
    report.divisions = _slices(entries, "division", _division_labels())
    return report


def _slices(entries, key: str, labels: dict) -> list:
    rows = []
    for sums in entries.values(key).annotate(**_figures()).order_by(key):
        row = SliceRow(key=sums[key], label=labels.get(sums[key]) or str(sums[key] or _gettext("not known")))
        _fill(row, sums)
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
# (end of this part)
