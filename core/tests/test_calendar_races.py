"""Two administrators enter a year's holiday notice at the same moment (PostgreSQL: real threads): the year
ends with one row and the days of one notice whole, never a mix, and a refused writer is told why."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.calendar.models import CalendarDay, WorkingCalendarYear
from core.calendar.notice import read_notice
from core.calendar.services import calendar_notice_enter
from core.reference.choices import Role
from yuanqu.racing import postgres_only, race
from yuanqu.testing import make_user

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

ROUNDS = 10


def notices(year):
    """Two notices of one year that differ in a week of October."""
    return [f"元旦 {year}-01-01\n国庆节 {year}-10-01 至 {year}-10-07",
            f"元旦 {year}-01-01\n国庆节 {year}-10-04 至 {year}-10-10"]


def test_two_notices_of_one_year_at_once_leave_one_of_them_whole(world):
    admins = [world.users["admin"], make_user("t_admin_2", Role.BUREAU_ADMIN)]
    first_year = 2031  # new years each round: both writers find no row and insert one

    def enter(which):
        def call(number):
            year = first_year + number
            return calendar_notice_enter(user=admins[which], year=year, document_number=f"第{which}号",
                                         published_on=None, holidays=notices(year)[which], make_up="")
        return call

    outcomes = race([enter(0), enter(1)], rounds=ROUNDS)
    for number, outcome in enumerate(outcomes):
        year = first_year + number
        entry = WorkingCalendarYear.objects.get(year=year)
        days = {day.date: (day.working, day.name) for day in CalendarDay.objects.filter(date__year=year)}
        written = [read_notice(year=year, holidays=text, make_up="") for text in notices(year)]
        assert days == written[int(entry.document_number == "第1号")], year
        for result in outcome:
            assert isinstance(result, WorkingCalendarYear) or (
                isinstance(result, ValidationError) and "刚被他人录入" in result.messages[0]), result
        assert any(isinstance(result, WorkingCalendarYear) for result in outcome)

    # an existing year: both lock its row in turn, the later one's days stand whole
    outcomes = race([enter(0), enter(1)], rounds=1)
    assert all(isinstance(result, WorkingCalendarYear) for result in outcomes[0])
    entry = WorkingCalendarYear.objects.get(year=first_year)
    days = {day.date: (day.working, day.name) for day in CalendarDay.objects.filter(date__year=first_year)}
    assert days == read_notice(year=first_year, holidays=notices(first_year)[int(entry.document_number == "第1号")],
                               make_up="")
    assert datetime.date(first_year, 12, 31) in days
