"""The working-day calendar (ADR 0028): which days people work in China, year by year, and deadlines counted in
working days over it.

Years 2004–2026 are seeded from the ``chinese-calendar`` library; every later year is entered by the
administrator from the State Council's holiday notice (core.calendar.services.calendar_notice_enter). A count
that reaches a year without a calendar is refused with ``CalendarMissing``: the platform says so and does not
guess. The counting itself is pure (``core.calendar.days``); the functions here read the days it needs in one
query.
"""

from core.calendar.errors import CalendarMissing

__all__ = ["CalendarMissing", "add_working_days", "is_working_day", "working_days_between"]


def add_working_days(start, days: int):
    """The day on which the ``days``-th working day after ``start`` falls (the day after ``start`` counts as 1
    when it is a working day); raises CalendarMissing naming the first year on the way without a calendar."""
    from core.calendar.selectors import calendar_add_working_days

    return calendar_add_working_days(start=start, days=days)


def working_days_between(a, b) -> int:
    """The working days after ``a`` up to and including ``b``; raises CalendarMissing like add_working_days."""
    from core.calendar.selectors import calendar_working_days_between

    return calendar_working_days_between(a=a, b=b)


def is_working_day(day) -> bool:
    """Whether people work on ``day``; raises CalendarMissing when its year has no calendar."""
    from core.calendar.selectors import calendar_is_working_day

    return calendar_is_working_day(day=day)
