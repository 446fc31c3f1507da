"""An award's obligations and what breaks them (pure: dates and integers in, no ORM).

An award binds the enterprise to the obligations of the version it was decided under (PolicyVersion.obligations,
copied onto the Award): keep the lease, do not sublet, stay in the district, keep a qualification. Each holds
from the first day of the supported period until ``years`` years after its last day (0: the supported period
only). What happened is given as events, each dated by the first day on which the obligation is no longer kept:

- ``lease_ended``: a watched lease terminated early on T and not continued by another lease: T + 1 day;
- ``sublet``: a sublet of a watched lease, from its first day (``until`` its last day, when known);
- ``moved_out``: the enterprise moved out of the district on that day (Enterprise.moved_out_on);
- ``qualification_lapsed``: the first day no qualification of the named kind was valid.

An event breaks the obligation of its kind when it falls within the obligation's term (an event that began before
the term and still lasted into it breaks it on the term's first day). What is recovered:

- ``all``: everything paid under the award so far;
- ``pro_rata``: paid × the days of the term from the breach on (the breach day included) ÷ the days of the term,
  half-up. With ``years`` 0 the term is the supported period: the share of the period after the breach. With a
  lock-in the term runs to its end, so that an enterprise that leaves in the last year of a three-year lock-in
  returns the share of the commitment it did not keep (ADR 0032)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.rules import div_half_up

DAY = datetime.timedelta(days=1)

LEASE_KEPT = "lease_kept"
NO_SUBLET = "no_sublet"
STAY_IN_DISTRICT = "stay_in_district"
KEEP_QUALIFICATION = "keep_qualification"
KINDS = (LEASE_KEPT, NO_SUBLET, STAY_IN_DISTRICT, KEEP_QUALIFICATION)

RECOVER_ALL = "all"
RECOVER_PRO_RATA = "pro_rata"
RECOVER_MODES = (RECOVER_ALL, RECOVER_PRO_RATA)

# Which obligation an event breaks.
BREAKS = {"lease_ended": LEASE_KEPT, "sublet": NO_SUBLET, "moved_out": STAY_IN_DISTRICT,
          "qualification_lapsed": KEEP_QUALIFICATION}


@dataclass(frozen=True)
class Obligation:
    kind: str
    years: int = 0
    recover: str = RECOVER_ALL
    qualification: str = ""
    label: str = ""

    @classmethod
    def from_json(cls, data: dict) -> "Obligation":
        """One entry of an Obligations JSON list (contracts: kind, years, qualification, recover, label)."""
        kind = data.get("kind")
        if kind not in KINDS:
            raise ValueError(f"unknown obligation kind: {kind!r}")
        recover = data.get("recover") or RECOVER_ALL
        if recover not in RECOVER_MODES:
            raise ValueError(f"unknown recovery: {recover!r}")
        years = int(data.get("years") or 0)
        if years < 0:
            raise ValueError("years cannot be negative")
        return cls(kind=kind, years=years, recover=recover, qualification=data.get("qualification") or "",
                   label=data.get("label") or "")


@dataclass(frozen=True)
class Terms:
    """What an award says: its supported period, what has been paid under it (fen) and its obligations."""

    period_start: datetime.date
    period_end: datetime.date
    paid: int
    obligations: tuple = ()

    @classmethod
    def of(cls, *, period_start, period_end, paid, obligations: Iterable[dict]) -> "Terms":
        return cls(period_start, period_end, int(paid), tuple(Obligation.from_json(o) for o in obligations or ()))


@dataclass(frozen=True)
class Event:
    """Something that happened: ``on`` is the first day the obligation of its kind is not kept, ``until`` the last
    day it lasted (None: still lasting, or for good)."""

    kind: str
    on: datetime.date
    until: datetime.date | None = None
    qualification: str = ""
    evidence: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Breach:
    obligation: Obligation
    breached_on: datetime.date
    holds_until: datetime.date
    amount: int  # fen to recover
    term_days: int
    days_after: int  # days of the term from the breach on (the breach day included)
    evidence: dict = field(default_factory=dict, compare=False)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def holds_until(period_end: datetime.date, years: int) -> datetime.date:
    """The last day an obligation of ``years`` lock-in holds: ``years`` years after the period's last day."""
    return add_years(period_end, years)


def recover_amount(recover: str, *, paid: int, term_start: datetime.date, term_end: datetime.date,
                   breached_on: datetime.date) -> tuple[int, int, int]:
    """(amount, days of the term, days from the breach on) for a breach on ``breached_on`` within the term."""
    if not term_start <= breached_on <= term_end:
        raise ValueError("the breach is outside the obligation's term")
    term_days = (term_end - term_start).days + 1
    days_after = (term_end - breached_on).days + 1
    if recover == RECOVER_ALL:
        return paid, term_days, days_after
    if recover == RECOVER_PRO_RATA:
        return div_half_up(paid * days_after, term_days), term_days, days_after
    raise ValueError(f"unknown recovery: {recover!r}")


def breach_day(obligation: Obligation, event: Event, term_start: datetime.date,
               term_end: datetime.date) -> datetime.date | None:
    """The day ``event`` breaks ``obligation`` within its term, or None when it does not."""
    if BREAKS.get(event.kind) != obligation.kind:
        return None
    if obligation.kind == KEEP_QUALIFICATION and event.qualification != obligation.qualification:
        return None
    if event.on > term_end or (event.until is not None and event.until < term_start):
        return None
    return max(event.on, term_start)


def breaches(terms: Terms, events: Iterable[Event], *, on: datetime.date | None = None) -> list[Breach]:
    """Each obligation of ``terms`` broken by ``events`` (the earliest breach of each), with the amount to recover.
    ``on``: the day of the check; events from a later day have not happened yet."""
    events = [e for e in events if on is None or e.on <= on]
    found = []
    for obligation in terms.obligations:
        term_end = holds_until(terms.period_end, obligation.years)
        days = [(day, event) for event in events
                if (day := breach_day(obligation, event, terms.period_start, term_end)) is not None]
        if not days:
            continue
        day, event = min(days, key=lambda pair: pair[0])
        amount, term_days, days_after = recover_amount(obligation.recover, paid=terms.paid,
                                                       term_start=terms.period_start, term_end=term_end,
                                                       breached_on=day)
        found.append(Breach(obligation, day, term_end, amount, term_days, days_after, dict(event.evidence)))
    return found


def first_day_without(intervals: Iterable[tuple[datetime.date, datetime.date | None]], start: datetime.date,
                      end: datetime.date) -> datetime.date | None:
    """The first day of [start, end] that none of ``intervals`` (first day, last day or None: open) covers, or
    None when they cover it all: when a qualification renewed in time leaves no gap, nothing lapsed."""
    day = start
    for first, last in sorted(intervals, key=lambda pair: pair[0]):
        if day > end:
            return None
        if first > day:
            return day
        if last is None:
            return None
        day = max(day, last + DAY)
    return day if day <= end else None
