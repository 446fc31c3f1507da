"""A year's holiday notice as the administrator types it, read into the year's days (no database).

Each line of the holidays names a holiday and the days it rests: ``春节 2027-02-06 至 2027-02-13`` (one day:
``元旦 2027-01-01``); each line of the make-up working days (调休上班) gives a Saturday or Sunday that is worked,
with the holiday's name first if wanted: ``春节 2027-02-20``. Dates are written 2027-02-06, 2027/2/6 or
2027年2月6日; the range is joined by 至, 到 or ~. Every problem names its line, and nothing is written while
one remains.

The year's days are then: Saturdays and Sundays rest, weekdays work, the holidays rest, the make-up days work.
"""

import calendar as gregorian
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

MAX_NAME = 60
MAX_HOLIDAY_DAYS = 15  # the longest holiday a notice has given is 9 days; more is a mistyped date

_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_LINE = re.compile(rf"^(?P<name>.*?)[\s:：]*(?P<first>{_DATE})(?:\s*(?:至|到|~|～)\s*(?P<last>{_DATE}))?\s*$")
_PARTS = re.compile(r"\d+")


@dataclass(frozen=True)
class Line:
    number: int
    name: str
    first: datetime.date
    last: datetime.date

    def days(self):
        day = self.first
        while day <= self.last:
            yield day
            day += datetime.timedelta(days=1)


def _date(text: str, number: int) -> datetime.date:
    year, month, day = (int(part) for part in _PARTS.findall(text))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(_("Line %(line)s: “%(text)s” is not a date.") % {"line": number, "text": text.strip()}
                              ) from None


def parse_lines(text: str, *, year: int, name_required: bool) -> tuple[list[Line], list[str]]:
    """The lines of ``text`` (blank lines skipped, numbered as typed) and the problems found, each naming its
    line."""
    lines, problems = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        raw = raw.strip()
        if not raw:
            continue
        match = _LINE.match(raw)
        if match is None:
            problems.append(_("Line %(line)s: not understood; write a name, a first day and a last day, as in "
                              "“Spring Festival 2027-02-06 to 2027-02-13”.") % {"line": number})
            continue
        name = match["name"].strip()
        try:
            first = _date(match["first"], number)
            last = _date(match["last"], number) if match["last"] else first
        except ValidationError as exc:
            problems.extend(exc.messages)
            continue
        if name_required and not name:
            problems.append(_("Line %(line)s: the holiday needs a name.") % {"line": number})
        elif len(name) > MAX_NAME:
            problems.append(_("Line %(line)s: a name is at most %(max)s characters.")
                            % {"line": number, "max": MAX_NAME})
        elif last < first:
            problems.append(_("Line %(line)s: the last day comes before the first.") % {"line": number})
        elif first.year != year or last.year != year:
            outside = first if first.year != year else last
            problems.append(_("Line %(line)s: %(day)s is not in %(year)s; the notice of a year holds only that "
                              "year's days.") % {"line": number, "day": outside.isoformat(), "year": year})
        elif (last - first).days + 1 > MAX_HOLIDAY_DAYS:
            problems.append(_("Line %(line)s: more than %(max)s days in a row; check the dates.")
                            % {"line": number, "max": MAX_HOLIDAY_DAYS})
        else:
            lines.append(Line(number, name, first, last))
    return lines, problems


def read_notice(*, year: int, holidays: str, make_up: str) -> dict[datetime.date, tuple[bool, str]]:
    """Every day of ``year`` → (working, name), from the notice's two lists; raises ValidationError with the
    problems of each list under ``holidays`` and ``make_up``."""
    holiday_lines, holiday_problems = parse_lines(holidays, year=year, name_required=True)
    make_up_lines, make_up_problems = parse_lines(make_up, year=year, name_required=False)
    if not holiday_lines and not holiday_problems:
        holiday_problems.append(_("Enter at least one holiday."))
    seen: dict[datetime.date, int] = {}
    for line in holiday_lines:
        for day in line.days():
            if day in seen:
                holiday_problems.append(_("Line %(line)s: %(day)s is already on line %(other)s.")
                                        % {"line": line.number, "day": day.isoformat(), "other": seen[day]})
                break
            seen[day] = line.number
    worked: dict[datetime.date, int] = {}
    for line in make_up_lines:
        for day in line.days():
            if day in seen:
                make_up_problems.append(_("Line %(line)s: %(day)s is a holiday (line %(other)s of the holidays).")
                                        % {"line": line.number, "day": day.isoformat(), "other": seen[day]})
                break
            if day in worked:
                make_up_problems.append(_("Line %(line)s: %(day)s is already on line %(other)s.")
                                        % {"line": line.number, "day": day.isoformat(), "other": worked[day]})
                break
            if day.weekday() < 5:
                make_up_problems.append(
                    _("Line %(line)s: %(day)s is a %(weekday)s, a working day anyway; make-up working days are "
                      "Saturdays and Sundays.") % {"line": line.number, "day": day.isoformat(),
                                                  "weekday": WEEKDAYS[day.weekday()]})
                break
            worked[day] = line.number
    errors = {}
    if holiday_problems:
        errors["holidays"] = holiday_problems
    if make_up_problems:
        errors["make_up"] = make_up_problems
    if errors:
        raise ValidationError(errors)

    names = {day: line.name for line in holiday_lines for day in line.days()}
    names.update({day: line.name for line in make_up_lines for day in line.days()})
    days = {}
    for month in range(1, 13):
        for number in range(1, gregorian.monthrange(year, month)[1] + 1):
            day = datetime.date(year, month, number)
            working = day in worked or (day.weekday() < 5 and day not in seen)
            days[day] = (working, names.get(day, ""))
    return days


def notice_lines(days: dict[datetime.date, tuple[bool, str]]) -> tuple[str, str]:
    """The two lists that give ``days`` back (a year's present days, to correct): runs of named rest days as
    holidays, worked Saturdays and Sundays as make-up days."""
    holidays, make_up, run = [], [], None
    for day in sorted(days):
        working, name = days[day]
        if not working and name:
            if run and run[0] == name and run[2] + datetime.timedelta(days=1) == day:
                run[2] = day
                continue
            if run:
                holidays.append(run)
            run = [name, day, day]
        elif working and day.weekday() >= 5:
            make_up.append(f"{name} {day.isoformat()}".strip())
    if run:
        holidays.append(run)
    return ("\n".join(f"{name} {first.isoformat()}" + (f" 至 {last.isoformat()}" if last != first else "")
                      for name, first, last in holidays),
            "\n".join(make_up))
