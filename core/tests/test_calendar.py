"""The working-day calendar: the seed from chinese-calendar, counts over it, and a year without a notice."""

import datetime

import pytest

from core import calendar
from core.calendar import CalendarMissing, days
from core.calendar.models import CalendarDay, WorkingCalendarYear
from core.calendar.seed import SEEDED_YEARS, calendar_seed

D = datetime.date


def test_the_seed_holds_every_day_of_every_covered_year(db):
    assert list(WorkingCalendarYear.objects.order_by("year").values_list("year", "source").distinct()) == [
        (year, "seed") for year in range(2004, 2027)]
    assert CalendarDay.objects.count() == sum(366 if year % 4 == 0 else 365 for year in range(2004, 2027)) == 8401
    assert CalendarDay.objects.filter(date__lt=D(2004, 1, 1)).count() == 0
    assert CalendarDay.objects.filter(date__gt=D(2026, 12, 31)).count() == 0


def test_the_seed_knows_make_up_days_and_holidays(db):
    sunday_working = CalendarDay.objects.get(date=D(2024, 2, 4))  # a Sunday, worked for the Spring Festival
    assert (sunday_working.date.weekday(), sunday_working.working, sunday_working.name) == (6, True, "春节")
    national_day = CalendarDay.objects.get(date=D(2024, 10, 1))
    assert (national_day.working, national_day.name) == (False, "国庆节")
    assert CalendarDay.objects.get(date=D(2025, 1, 26)).working is True  # Sunday before the 2025 Spring Festival
    assert CalendarDay.objects.get(date=D(2025, 1, 25)).working is False  # a plain Saturday
    plain = CalendarDay.objects.get(date=D(2024, 3, 2))
    assert (plain.working, plain.name) == (False, "")
    # 2024: 366 days − 104 weekend days − 19 holidays on weekdays + 8 make-up Saturdays and Sundays
    assert CalendarDay.objects.filter(date__year=2024, working=True).count() == 251
    assert CalendarDay.objects.filter(date__year=2024, working=True, date__week_day__in=(1, 7)).count() == 8


def test_deadlines_step_over_the_spring_festival(db):
    # 2025: rest 1-28 to 2-4; Sunday 1-26 and Saturday 2-8 are worked.
    assert calendar.add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert calendar.add_working_days(D(2025, 1, 26), 1) == D(2025, 1, 27)
    assert calendar.add_working_days(D(2025, 1, 27), 1) == D(2025, 2, 5)
    assert calendar.add_working_days(D(2025, 1, 27), 4) == D(2025, 2, 8)
    assert calendar.add_working_days(D(2025, 1, 27), 5) == D(2025, 2, 10)
    assert calendar.add_working_days(D(2025, 1, 27), 0) == D(2025, 1, 27)
    assert calendar.working_days_between(D(2025, 1, 27), D(2025, 2, 10)) == 5
    assert calendar.working_days_between(D(2025, 2, 10), D(2025, 1, 27)) == 0
    assert calendar.is_working_day(D(2025, 1, 26)) is True
    assert calendar.is_working_day(D(2025, 1, 28)) is False


def test_a_long_count_takes_one_query(db, django_assert_max_num_queries):
    # 250 working days from the first of 2024 reach the end of that year; the answer agrees with a plain walk.
    walked, day, counted = None, D(2024, 1, 1), 0
    while counted < 250:
        day += datetime.timedelta(days=1)
        counted += CalendarDay.objects.get(date=day).working
    walked = day
    with django_assert_max_num_queries(1):
        assert calendar.add_working_days(D(2024, 1, 1), 250) == walked
    with django_assert_max_num_queries(1):
        assert calendar.working_days_between(D(2024, 1, 1), walked) == 250


def test_a_count_that_outruns_its_span_reads_a_longer_one(db, django_assert_num_queries):
    # A quarter of rest (no real year has one) outruns the first span of 33 days: read again at 66, then 132.
    CalendarDay.objects.filter(date__gte=D(2025, 1, 1), date__lte=D(2025, 3, 31)).update(working=False)
    with django_assert_num_queries(3):
        assert calendar.add_working_days(D(2024, 12, 31), 1) == D(2025, 4, 1)


def test_a_year_without_a_notice_is_refused_in_chinese(db):
    with pytest.raises(CalendarMissing) as refused:
        calendar.add_working_days(D(2026, 12, 25), 10)
    assert refused.value.year == 2027
    assert refused.value.messages == ["2027 年的节假日安排尚未录入，无法计算工作日期限"]
    with pytest.raises(CalendarMissing, match="2027 年"):
        calendar.working_days_between(D(2026, 12, 1), D(2027, 1, 10))
    with pytest.raises(CalendarMissing, match="2003 年"):
        calendar.is_working_day(D(2003, 12, 31))
    # the last covered days still count
    assert calendar.add_working_days(D(2026, 12, 28), 3) == D(2026, 12, 31)


def test_the_pure_count_names_the_year_it_lacks():
    week = {D(2027, 1, 4) + datetime.timedelta(days=i): i < 5 for i in range(7)}  # Mon..Sun
    assert days.add_working_days(D(2027, 1, 3), 5, week) == D(2027, 1, 8)
    assert days.working_days_between(D(2027, 1, 3), D(2027, 1, 10), week) == 5
    with pytest.raises(days.YearMissing) as missing:
        days.add_working_days(D(2027, 1, 8), 1, week)
    assert (missing.value.year, missing.value.day) == (2027, D(2027, 1, 11))
    assert "2027" in str(missing.value)
    with pytest.raises(ValueError):
        days.add_working_days(D(2027, 1, 3), -1, week)


def test_the_seed_writes_again_what_a_flush_emptied(db):
    CalendarDay.objects.filter(date__year=2025).delete()
    WorkingCalendarYear.objects.filter(year=2025).delete()
    assert calendar_seed() == 365
    assert calendar.add_working_days(D(2025, 1, 27), 1) == D(2025, 2, 5)
    assert calendar_seed() == 0
    assert WorkingCalendarYear.objects.filter(year__in=SEEDED_YEARS).count() == 23
