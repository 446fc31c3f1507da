"""Reads of the working-day calendar: the days a count needs (one query for its span), the years and a year's
days for the administrator's pages."""

import datetime

from core.calendar import days as pure
from core.calendar.errors import CalendarMissing
from core.calendar.models import CalendarDay, WorkingCalendarYear


def calendar_span(first: datetime.date, last: datetime.date) -> dict[datetime.date, bool]:
    """The known days from ``first`` to ``last`` inclusive, working or not (one query)."""
    return dict(CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list("date", "working"))


def calendar_add_working_days(*, start: datetime.date, days: int) -> datetime.date:
    if days < 0:
        raise ValueError("a number of working days is not negative")
    # Long enough for the count in one query (no holiday in China rests more than nine days in a row); a span
    # that runs out is read again twice as long.
    span = 2 * days + 31
    while True:
        last = start + datetime.timedelta(days=span)
        try:
            return _count(lambda calendar: pure.add_working_days(start, days, calendar), start, last)
        except _Beyond:
            span *= 2


def calendar_working_days_between(*, a: datetime.date, b: datetime.date) -> int:
    if b <= a:
        return 0
    return _count(lambda calendar: pure.working_days_between(a, b, calendar), a, b)


def calendar_is_working_day(*, day: datetime.date) -> bool:
    working = CalendarDay.objects.filter(date=day).values_list("working", flat=True).first()
    if working is None:
        raise CalendarMissing(day.year)
    return working


class _Beyond(Exception):
    """The count went past the span read: read a longer one."""


def _count(count, start: datetime.date, last: datetime.date):
    calendar = calendar_span(start + datetime.timedelta(days=1), last)
    try:
        return count(calendar)
    except pure.YearMissing as missing:
        if missing.day > last:
            raise _Beyond from None
        raise CalendarMissing(missing.year) from None


def calendar_years(*, user):
    """Every year with a calendar the user may see, newest first, with who entered it."""
    return WorkingCalendarYear.objects.for_user(user).select_related("entered_by").order_by("-year")


def calendar_year_days(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31))
                .order_by("date"))


def calendar_working_day_counts() -> dict[int, int]:
    """Each year's number of working days (one query)."""
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractYear

    rows = (CalendarDay.objects.annotate(year=ExtractYear("date")).values("year")
            .annotate(working=Count("date", filter=Q(working=True))).order_by())
    return {row["year"]: row["working"] for row in rows}
