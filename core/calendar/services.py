"""Writing the working-day calendar: the administrator enters a year's State Council holiday notice."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.access.permissions import CHANGE, ensure_can
from core.calendar.models import CalendarDay, WorkingCalendarYear
from core.calendar.notice import read_notice
from core.reference.choices import CalendarSource, ChangeAction

FIRST_YEAR, LAST_YEAR = 1949, 2200  # as the table's check constraint
MAX_NUMBER = WorkingCalendarYear._meta.get_field("document_number").max_length

NOTICE_ENTERED = audit.register_event("core.calendar.notice_enter", gettext_lazy("Holiday notice entered"))


@transaction.atomic
def calendar_notice_enter(*, user, year: int, document_number: str, published_on: datetime.date | None,
                          holidays: str, make_up: str) -> WorkingCalendarYear:
    """Replace every day of ``year`` by what the State Council's notice says (e.g. 国办发明电〔2025〕7号):
    Saturdays and Sundays rest, weekdays work, the notice's holidays rest and its make-up days (调休上班) work.
    A year seeded from chinese-calendar may be corrected so. Only the bureau administrator enters a notice;
    the year's row is locked while its days are written, and the change is audited with its counts."""
    ensure_can(user, CHANGE, WorkingCalendarYear)
    problems = {}
    document_number = (document_number or "").strip()
    if not document_number:
        problems["document_number"] = [_("Enter the notice's document number.")]
    elif len(document_number) > MAX_NUMBER:
        problems["document_number"] = [_("A document number is at most %(max)s characters.") % {"max": MAX_NUMBER}]
    if not FIRST_YEAR <= year <= LAST_YEAR:
        problems["year"] = [_("Enter a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}]
    if problems:
        raise ValidationError(problems)
    days = read_notice(year=year, holidays=holidays, make_up=make_up)

    entry = WorkingCalendarYear.objects.select_for_update().filter(year=year).first()
    created = entry is None
    before = None if created else audit.snapshot(entry)
    replaced = None if created else entry.source
    if created:
        entry = WorkingCalendarYear(year=year)
    entry.source = CalendarSource.NOTICE
    entry.document_number = document_number
    entry.published_on = published_on
    entry.entered_by = user
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # the same year's first notice, entered at the same moment by someone else
        raise ValidationError(_("The notice of %(year)s was entered by someone else just now; look at the year "
                                "and enter it again if need be.") % {"year": year}) from None

    span = {"date__gte": datetime.date(year, 1, 1), "date__lte": datetime.date(year, 12, 31)}
    previous = dict(CalendarDay.objects.filter(**span).values_list("date", "working"))
    CalendarDay.objects.filter(**span).delete()
    CalendarDay.objects.bulk_create([CalendarDay(date=day, working=working, name=name)
                                     for day, (working, name) in sorted(days.items())])

    audit.record_change(instance=entry, action=ChangeAction.CREATE if created else ChangeAction.UPDATE, user=user,
                        before=before, after=audit.snapshot(entry))
    working_days = sum(working for working, _name in days.values())
    audit.record_event(NOTICE_ENTERED, user=user, instance=entry, data={
        "year": year,
        "document_number": document_number,
        "working_days": working_days,
        "rest_days": len(days) - working_days,
        "holidays_on_weekdays": sum(1 for day, (working, name) in days.items() if not working and day.weekday() < 5),
        "make_up_days": sum(1 for day, (working, name) in days.items() if working and day.weekday() >= 5),
        "replaced": replaced,
        # a seeded or earlier notice's days that the notice turned (working ↔ rest)
        "changed_days": sorted(day for day, working in previous.items() if days[day][0] != working),
    })
    return entry
