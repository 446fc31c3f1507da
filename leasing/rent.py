"""The rent a lease charges on a day, from its money terms: one rule, plain data in and out (no ORM), read by
the lease page (leasing.selectors.rent_on) and by the policy facts, one lease or a whole population at a time.

The rule: during the rent-free months, counted in calendar months from the lease's start, the rent is 0;
after them it is the latest step of the escalation schedule that starts on or before the day, or the lease's
own monthly rent before its first step. A rent is per m² per month, in whatever unit the caller holds it
(yuan as a Decimal on the lease, fen as an int in the facts): the rule only chooses among the values given.
"""

import bisect
import calendar
import datetime
from collections.abc import Sequence


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later; the month's last day when it is shorter (31 Jan + 1 month
    = 28 or 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def rent_due_from(start: datetime.date, rent_free_months: int) -> datetime.date:
    """The first day rent is due: ``rent_free_months`` calendar months after the start (the start itself when
    there are none). A lease from 15 March with 3 rent-free months pays from 15 June."""
    return months_after(start, rent_free_months or 0)


def rent_on_day(*, day: datetime.date, start: datetime.date, monthly_rent, rent_free_months: int = 0,
                steps: Sequence[tuple[datetime.date, object]] = ()):
    """The rent per m² per month on ``day`` of a lease starting on ``start`` at ``monthly_rent``, with
    ``rent_free_months`` and its escalation ``steps`` ((starts on, rent), in any order). The day is not checked
    against the lease's dates: a caller asks about days the lease is in force."""
    if start <= day < rent_due_from(start, rent_free_months):
        return monthly_rent * 0  # zero of the caller's type
    ordered = sorted(steps)
    position = bisect.bisect_right([starts_on for starts_on, _rent in ordered], day)
    return ordered[position - 1][1] if position else monthly_rent


def amount_within(amount: int, period_start: datetime.date, period_end: datetime.date, start: datetime.date,
                  end: datetime.date) -> int:
    """The part of an ``amount`` paid for [period_start, period_end] that falls within [start, end], by days,
    rounded half-up (integers: fen). A payment wholly inside counts whole, one wholly outside counts 0."""
    first, last = max(period_start, start), min(period_end, end)
    if last < first:
        return 0
    days, within = (period_end - period_start).days + 1, (last - first).days + 1
    if within == days:
        return amount
    return (2 * amount * within + days) // (2 * days)
