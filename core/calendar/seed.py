"""The years ``chinese-calendar`` covers, written into the calendar tables: by migration core 0014, and again by
``calendar_seed`` wherever the tables were emptied (a transactional test's flush) or a year is missing."""

import datetime

# chinese-calendar 1.11.0 covers 2004–2026 and raises for any other year.
SEEDED_YEARS = range(2004, 2027)


def seed_years(year_model, day_model, years=SEEDED_YEARS) -> int:
    """Write every day of each of ``years`` (working or not, with the holiday's Chinese name where the library
    gives one: a make-up working day carries the name of the holiday it makes up for) and a seed row per year.
    Takes the models, so that the migration passes its historical ones. Returns the days written."""
    import chinese_calendar

    chinese = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    days = []
    for year in years:
        day = datetime.date(year, 1, 1)
        while day.year == year:
            _, english = chinese_calendar.get_holiday_detail(day)
            days.append(day_model(date=day, working=chinese_calendar.is_workday(day),
                                  name=chinese.get(english, "") if english else ""))
            day += datetime.timedelta(days=1)
    year_model.objects.bulk_create([year_model(year=year, source="seed") for year in years])
    day_model.objects.bulk_create(days, batch_size=2000)
    return len(days)


def calendar_seed() -> int:
    """Seed the covered years that have no calendar (none entered from a notice is touched). Returns the days
    written."""
    from django.db import transaction

    from core.calendar.models import CalendarDay, WorkingCalendarYear

    with transaction.atomic():
        present = set(WorkingCalendarYear.objects.filter(year__in=SEEDED_YEARS).values_list("year", flat=True))
        missing = [year for year in SEEDED_YEARS if year not in present]
        CalendarDay.objects.filter(date__year__in=missing).delete()
        return seed_years(WorkingCalendarYear, CalendarDay, missing) if missing else 0
