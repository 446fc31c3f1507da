"""Counting working days over a calendar given as a mapping of days, with no database: ``calendar[day]`` is True
for a working day and False for a rest day, and a day missing from it is a day nobody knows about. Nothing is
guessed for such a day (not even that a Saturday rests): the count stops and names its year.

A deadline of n working days after a day counts the days after it: the first working day after ``start`` is
day 1, the day itself never counts. ``working_days_between(a, b)`` counts the
working days in (a, b], so that ``working_days_between(a, add_working_days(a, n, calendar), calendar) == n``.
"""

import datetime
from collections.abc import Mapping

ONE_DAY = datetime.timedelta(days=1)


class YearMissing(LookupError):
    """A count reached a day the calendar does not hold; ``year`` is its year, ``day`` the day."""

    def __init__(self, day: datetime.date):
        self.day = day
        self.year = day.year
        super().__init__(f"no working-day calendar for the year {day.year} (reached {day.isoformat()})")


def is_working_day(day: datetime.date, calendar: Mapping[datetime.date, bool]) -> bool:
    try:
        return bool(calendar[day])
    except KeyError:
        raise YearMissing(day) from None


def add_working_days(start: datetime.date, days: int, calendar: Mapping[datetime.date, bool]) -> datetime.date:
    """The day on which the ``days``-th working day after ``start`` falls (``start`` itself if ``days`` is 0)."""
    if days < 0:
        raise ValueError("a number of working days is not negative")
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if is_working_day(day, calendar):
            counted += 1
    return day


def working_days_between(a: datetime.date, b: datetime.date, calendar: Mapping[datetime.date, bool]) -> int:
    """The working days after ``a`` up to and including ``b`` (0 when ``b`` is not after ``a``)."""
    count, day = 0, a + ONE_DAY
    while day <= b:
        count += is_working_day(day, calendar)
        day += ONE_DAY
    return count
