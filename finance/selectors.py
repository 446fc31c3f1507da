"""Reads of funds: what a user may see, whether an investment counts as local (from the enterprise register and
the leases on its date, never stored), a fund's figures (commitments, leverage, verified against self-reported
local investment, the verified reinvestment ratio against the required one) and the fund park's counts.

Every read starts from ``for_user``: a user who may not see a fund gets nothing of it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.rules.types import MISSING
from leasing.choices import HOLDING_STATUSES
from leasing.models import Lease

from . import measures
from .choices import FundKind, MemberStatus, Presence, ResourceKind
from .display import to_fen
from .models import (
    Fund,
    FundInvestment,
    FundService,
    GuidanceCommitment,
    Intake,
    Member,
    Programme,
    Resource,
    ShareLimit,
    SupervisionCheck,
)

NOT_REGISTERED = _("Not registered in the district on the day invested")
MOVED_OUT = _("Had moved out of the district by the day invested")
NO_LEASE = _("Held no lease in the district on the day invested")
LOCAL = _("Registered in the district and holding a lease there on the day invested")


def fund_list(*, user):
    return Fund.objects.for_user(user).select_related("manager", "enterprise")


def lease_periods(enterprise_ids) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
    """{enterprise id: [(start, end)]} of the leases that hold space (a terminated lease up to its end date as
    stored), in one query."""
    periods: dict[int, list] = defaultdict(list)
    rows = Lease.objects.filter(enterprise_id__in=set(enterprise_ids), status__in=HOLDING_STATUSES)
    for enterprise_id, start, end in rows.values_list("enterprise_id", "start_date", "end_date"):
        periods[enterprise_id].append((start, end))
    return periods


@dataclass
class Locality:
    local: bool
    reason: object  # a lazy Chinese sentence


def registered_in_district_on(enterprise) -> datetime.date | None:
    """The day the enterprise registered in the district: its 落户 date, or, when none is recorded, its date of
    establishment (as policies read it: policies/catalogue.py, "未登记落户日期的，以成立日期计")."""
    return enterprise.moved_in_on or enterprise.established_on


def locality(investment: FundInvestment, periods: list) -> Locality:
    """Whether ``investment`` counts as local (finance.measures.counts_as_local), and why, in words."""
    enterprise = investment.enterprise
    registered = registered_in_district_on(enterprise)
    local = measures.counts_as_local(invested_on=investment.invested_on,
                                     registered_in_district_on=registered,
                                     moved_out_on=enterprise.moved_out_on, lease_periods=periods)
    if local:
        return Locality(True, LOCAL)
    day = investment.invested_on
    if registered is None or registered > day:
        return Locality(False, NOT_REGISTERED)
    if enterprise.moved_out_on is not None and enterprise.moved_out_on <= day:
        return Locality(False, MOVED_OUT)
    return Locality(False, NO_LEASE)


def investments_with_locality(investments) -> list[tuple[FundInvestment, Locality]]:
    investments = list(investments)
    periods = lease_periods(i.enterprise_id for i in investments)
    return [(i, locality(i, periods.get(i.enterprise_id, []))) for i in investments]


@dataclass
class CommitmentRow:
    commitment: GuidanceCommitment
    share_bp: object  # the guidance fund's share of the sub-fund's size, bp (MISSING for a size of 0)
    leverage: object  # hundredths of ×


@dataclass
class FundFigures:
    fund: Fund
    received: list = field(default_factory=list)  # [CommitmentRow]: the guidance commitments the fund received
    made: list = field(default_factory=list)  # [CommitmentRow]: those it made (a guidance fund)
    investments: list = field(default_factory=list)  # [(FundInvestment, Locality)]
    committed_fen: int = 0  # the guidance commitments received
    paid_in_fen: int = 0
    total_fen: object = 0  # all its investments
    verified_local_fen: object = 0
    reported_local_fen: object = MISSING
    ratio_bp: object = MISSING  # verified local ÷ guidance commitments received
    required_bp: int | None = None
    meets_required: bool = False
    limit: ShareLimit | None = None


def _row(commitment: GuidanceCommitment) -> CommitmentRow:
    from core.rules.numbers import share_of

    size, committed = to_fen(commitment.sub_fund.size), to_fen(commitment.committed)
    return CommitmentRow(commitment, share_of(committed, size) if size else MISSING,
                         measures.leverage(size, committed))


def required_limit(fund: Fund, commitments) -> ShareLimit | None:
    """The limit whose required ratio a sub-fund is held to: the one in force for its focus on the day of the
    first guidance commitment it received (the terms it signed up to)."""
    first = min((c.committed_on for c in commitments), default=None)
    if not fund.focus or first is None:
        return None
    return ShareLimit.in_force(fund.focus, first)


def fund_figures(*, user, fund: Fund) -> FundFigures:
    """The fund's figures, computed with finance.measures from what ``user`` may see (nothing when the fund is
    out of the user's scope: Fund.DoesNotExist)."""
    fund = fund_list(user=user).get(pk=fund.pk)
    figures = FundFigures(fund=fund)
    commitments = GuidanceCommitment.objects.for_user(user).select_related("guidance_fund", "sub_fund")
    received = list(commitments.filter(sub_fund=fund).order_by("committed_on"))
    figures.received = [_row(c) for c in received]
    figures.made = [_row(c) for c in commitments.filter(guidance_fund=fund).order_by("committed_on")]
    figures.committed_fen = sum(to_fen(c.committed) for c in received)
    figures.paid_in_fen = sum(to_fen(c.paid_in) for c in received)
    investments = (FundInvestment.objects.for_user(user).filter(fund=fund).select_related("enterprise")
                   .order_by("-invested_on", "-pk"))
    figures.investments = investments_with_locality(investments)
    figures.total_fen, figures.verified_local_fen = measures.verified_local_total(
        measures.Investment(amount_fen=to_fen(i.amount), invested_on=i.invested_on, local=where.local)
        for i, where in figures.investments)
    if fund.reported_local_investment is not None:
        figures.reported_local_fen = to_fen(fund.reported_local_investment)
    figures.ratio_bp = measures.reinvestment_ratio(figures.verified_local_fen, figures.committed_fen)
    figures.limit = required_limit(fund, received)
    if figures.limit is not None:
        figures.required_bp = figures.limit.required_reinvestment_bp
        figures.meets_required = measures.required_ratio_met(figures.ratio_bp, figures.required_bp)
    return figures


def fund_checks(*, user, fund: Fund):
    return SupervisionCheck.objects.for_user(user).filter(fund=fund).order_by("-checked_on", "-pk")


def fund_services(*, user, fund: Fund):
    return FundService.objects.for_user(user).filter(fund=fund).order_by("-served_on", "-pk")


def fund_lease(fund: Fund, day: datetime.date | None = None):
    """The lease the fund's entity holds today (the latest starting), with its units; None without one."""
    from leasing.selectors import current_leases

    if not fund.enterprise_id:
        return None
    return (current_leases(day).filter(enterprise_id=fund.enterprise_id).select_related("park")
            .prefetch_related("units__building").order_by("-start_date").first())


def overdue_checks(*, user, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return SupervisionCheck.objects.for_user(user).filter(closed=False, follow_up_due__lt=today)


@dataclass
class FundParkCounts:
    funds: int = 0
    physical: int = 0
    virtual: int = 0
    aum: object = 0  # yuan
    size: object = 0  # yuan
    by_kind: list = field(default_factory=list)  # [(value, label, n, aum)]
    overdue_checks: int = 0
    guidance: int = 0  # the guidance funds, counted apart: the district's money, not funds of the park
    committed: object = 0  # the guidance commitments, yuan
    paid_in: object = 0


def fund_park_counts(*, user, today: datetime.date | None = None) -> FundParkCounts:
    """The funds ``user`` may see, counted from the records (guidance funds apart: they are the district's own
    money, not the park's funds): how many, working on site or registered virtually,
    their assets under management, by kind; the guidance commitments and the overdue checks."""
    every = Fund.objects.for_user(user)
    funds = every.exclude(kind=FundKind.GUIDANCE)
    row = funds.aggregate(n=Count("pk"), physical=Count("pk", filter=Q(presence=Presence.PHYSICAL)),
                          virtual=Count("pk", filter=Q(presence=Presence.VIRTUAL)), aum=Sum("aum"), size=Sum("size"))
    counts = FundParkCounts(funds=row["n"], physical=row["physical"], virtual=row["virtual"], aum=row["aum"] or 0,
                            size=row["size"] or 0)
    kinds = {r["kind"]: (r["n"], r["aum"]) for r in funds.values("kind").annotate(n=Count("pk"), aum=Sum("aum"))}
    counts.guidance = every.filter(kind=FundKind.GUIDANCE).count()
    counts.by_kind = [(value, label, *kinds[value]) for value, label in FundKind.choices if value in kinds]
    money = GuidanceCommitment.objects.for_user(user).aggregate(committed=Sum("committed"), paid_in=Sum("paid_in"))
    counts.committed, counts.paid_in = money["committed"] or 0, money["paid_in"] or 0
    counts.overdue_checks = overdue_checks(user=user, today=today).count()
    return counts


# ----- cohorts: members' outcomes and the figures of intakes and programmes ---------------------------------------
def with_outcomes(members):
    """Members annotated with the two outcomes read from the records, never typed in: ``invested`` (a sub-fund
    investment in the enterprise dated on or after the day joined) and ``high_tech`` (a national high-tech
    qualification issued on or after the day joined). Read from all records: a badge on a membership the user
    may see tells it, not the investment or certificate itself."""
    from enterprises.choices import QualificationKind
    from enterprises.models import Qualification

    invested = FundInvestment.objects.filter(enterprise_id=OuterRef("enterprise_id"),
                                             invested_on__gte=OuterRef("joined_on"))
    high_tech = Qualification.objects.filter(enterprise_id=OuterRef("enterprise_id"),
                                             kind=QualificationKind.HIGH_TECH, issued_on__gte=OuterRef("joined_on"))
    return members.annotate(invested=Exists(invested), high_tech=Exists(high_tech))


def intake_members(*, user, intake: Intake):
    return with_outcomes(Member.objects.for_user(user).filter(intake=intake).select_related("enterprise")
                         .order_by("enterprise__name"))


@dataclass
class CohortFigures:
    members: int = 0
    active: int = 0
    graduated: int = 0
    left: int = 0
    invested: int = 0
    high_tech: int = 0
    # kind → (count, total amount in yuan), every kind listed in the order of the choice set
    resources: dict = field(default_factory=lambda: {kind: [0, 0] for kind in ResourceKind.values})

    def add(self, other: CohortFigures) -> None:
        for name in ("members", "active", "graduated", "left", "invested", "high_tech"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for kind, (count, amount) in other.resources.items():
            self.resources[kind][0] += count
            self.resources[kind][1] += amount

    @property
    def resource_rows(self):
        """[(kind, label, count, total amount in yuan)] for the pages."""
        return [(kind, ResourceKind(kind).label, count, amount) for kind, (count, amount) in self.resources.items()]


def intake_figures(*, user, intake: Intake) -> CohortFigures:
    """An intake's members by status, those invested in and recognised high-tech since joining, and the resources
    given by kind (how many, and the amount in yuan), of what ``user`` may see."""
    figures = CohortFigures()
    members = with_outcomes(Member.objects.for_user(user).filter(intake=intake))
    for row in members.values("status", "invested", "high_tech"):
        figures.members += 1
        if row["status"] == MemberStatus.ACTIVE:
            figures.active += 1
        elif row["status"] == MemberStatus.GRADUATED:
            figures.graduated += 1
        else:
            figures.left += 1
        figures.invested += row["invested"]
        figures.high_tech += row["high_tech"]
    resources = Resource.objects.for_user(user).filter(member__intake=intake)
    for row in resources.values("kind").annotate(n=Count("pk"), total=Sum("amount")):
        figures.resources[row["kind"]] = [row["n"], row["total"] or 0]
    return figures


def programme_figures(*, user, programme: Programme) -> CohortFigures:
    """A programme's figures: the sum of its intakes'."""
    figures = CohortFigures()
    for intake in programme.intakes.all():
        figures.add(intake_figures(user=user, intake=intake))
    return figures


def programme_intakes(*, user, programme: Programme) -> list:
    """[(intake, its figures)] of a programme, the latest first."""
    intakes = Intake.objects.for_user(user).filter(programme=programme).order_by("-starts_on")
    return [(intake, intake_figures(user=user, intake=intake)) for intake in intakes]
