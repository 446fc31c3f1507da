"""The administrator enters a year's holiday notice: the page, its line errors, who may, and the audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core import calendar
from core.calendar.models import CalendarDay, WorkingCalendarYear
from core.calendar.notice import notice_lines, read_notice
from core.calendar.seed import SEEDED_YEARS
from core.calendar.services import calendar_notice_enter
from core.models import DomainEvent, ObjectChange

D = datetime.date

HOLIDAYS_2027 = """元旦 2027-01-01 至 2027-01-03
春节 2027-02-06 至 2027-02-14

国庆节 2027年10月1日 到 2027年10月7日"""
MAKE_UP_2027 = "春节 2027-02-20\n2027/10/9"
NOTICE_2027 = {"year": "2027", "document_number": "国办发明电〔2026〕9号", "published_on": "2026-11-12",
               "holidays": HOLIDAYS_2027, "make_up": MAKE_UP_2027}


def year_days(year):
    return {day.date: (day.working, day.name) for day in CalendarDay.objects.filter(date__year=year)}


def test_a_notice_gives_a_year_its_days_and_deadlines_reach_it(world, client_for):
    admin = world.users["admin"]
    with pytest.raises(calendar.CalendarMissing):
        calendar.add_working_days(D(2027, 2, 5), 1)
    response = client_for(admin).post(reverse("calendar_notice"), NOTICE_2027)
    assert response.status_code == 302 and response["Location"] == reverse("calendar_year", args=[2027])

    days = year_days(2027)
    assert len(days) == 365
    # 365 days − 104 weekend days − 11 holidays on weekdays + 2 make-up days
    assert sum(working for working, _name in days.values()) == 252
    assert days[D(2027, 2, 8)] == (False, "春节")
    assert days[D(2027, 2, 14)] == (False, "春节")  # a Sunday within the holiday keeps its name
    assert days[D(2027, 2, 20)] == (True, "春节")  # a Saturday worked
    assert days[D(2027, 10, 9)] == (True, "")
    assert days[D(2027, 10, 1)] == (False, "国庆节")
    assert days[D(2027, 3, 6)] == (False, "")  # a plain Saturday
    entry = WorkingCalendarYear.objects.get(year=2027)
    assert (entry.source, entry.document_number, entry.published_on, entry.entered_by) == (
        "notice", "国办发明电〔2026〕9号", D(2026, 11, 12), admin)

    assert calendar.add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 15)
    assert calendar.add_working_days(D(2027, 2, 5), 6) == D(2027, 2, 20)
    assert calendar.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert calendar.working_days_between(D(2026, 12, 30), D(2027, 1, 4)) == 2

    event = DomainEvent.objects.get(name="core.calendar.notice_enter", object_id=str(entry.pk))
    assert event.user == admin
    assert event.data == {"year": 2027, "document_number": "国办发明电〔2026〕9号", "working_days": 252,
                          "rest_days": 113, "holidays_on_weekdays": 11, "make_up_days": 2, "replaced": None,
                          "changed_days": []}
    change = ObjectChange.objects.get(content_type__model="workingcalendaryear", object_id=str(entry.pk))
    assert (change.action, change.data_before, change.data_after["source"]) == ("create", None, "notice")


def test_a_seeded_year_is_corrected_by_its_notice(world):
    admin = world.users["admin"]
    before = year_days(2026)
    holidays, make_up = notice_lines(before)
    # the notice moves one holiday: Wednesday 2026-10-07 is worked after all, Thursday 2026-10-08 rested instead
    holidays = holidays.replace("国庆节 2026-10-01 至 2026-10-07", "国庆节 2026-10-01 至 2026-10-06\n国庆节 2026-10-08")
    assert "国庆节 2026-10-08" in holidays
    entry = calendar_notice_enter(user=admin, year=2026, document_number="国办发明电〔2025〕7号",
                                  published_on=D(2025, 11, 4), holidays=holidays, make_up=make_up)
    after = year_days(2026)
    assert after[D(2026, 10, 7)] == (True, "") and after[D(2026, 10, 8)] == (False, "国庆节")
    assert {day for day in after if after[day] != before[day]} == {D(2026, 10, 7), D(2026, 10, 8)}
    assert entry.source == "notice" and WorkingCalendarYear.objects.filter(year=2026).count() == 1
    event = DomainEvent.objects.get(name="core.calendar.notice_enter")
    assert event.data["replaced"] == "seed"
    assert event.data["changed_days"] == ["2026-10-07", "2026-10-08"]
    change = ObjectChange.objects.get(content_type__model="workingcalendaryear", object_id=str(entry.pk))
    assert (change.action, change.data_before["source"], change.data_after["source"]) == ("update", "seed", "notice")
    assert CalendarDay.objects.filter(date__year=2025).count() == 365  # the neighbours untouched


@pytest.mark.parametrize("year", list(SEEDED_YEARS))
def test_every_seeded_year_reads_back_from_its_own_lists(db, year):
    days = year_days(year)
    holidays, make_up = notice_lines(days)
    assert read_notice(year=year, holidays=holidays, make_up=make_up) == days


def test_the_notice_form_names_each_line_at_fault_and_writes_nothing(world, client_for):
    client = client_for(world.users["admin"])
    rows = CalendarDay.objects.count()
    response = client.post(reverse("calendar_notice"), {
        **NOTICE_2027,
        "holidays": "元旦 2027-01-01\n春节 2027-02-30 至 2027-03-06\n清明\n劳动节 2027-05-05 至 2027-05-01\n"
                    "端午 2026-06-09\n国庆节 2027-10-01 至 2027-10-30\n中秋 2027-01-01",
        "make_up": "2027-02-22\n春节 2027-01-01\n2027-02-20\n2027-02-20",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["holidays"] == [
        "第 2 行：“2027-02-30”不是有效的日期。",
        "第 3 行无法识别：请依次写名称、起始日期和结束日期，如“春节 2027-02-06 至 2027-02-13”。",
        "第 4 行：结束日期早于起始日期。",
        "第 5 行：2026-06-09 不在 2027 年内，一年的通知只录入该年的日期。",
        "第 6 行：连续超过 15 天，请核对日期。",
        "第 7 行：2027-01-01 已在第 1 行录入。",
    ]
    assert errors["make_up"] == [
        "第 1 行：2027-02-22 是星期一，本来就是工作日；调休上班日应为周六或周日。",
        "第 2 行：2027-01-01 是放假日（放假安排第 1 行）。",
        "第 4 行：2027-02-20 已在第 3 行录入。",
    ]
    page = response.content.decode()
    assert "放假安排：第 2 行：“2027-02-30”不是有效的日期。" in page
    assert "调休上班：第 1 行：2027-02-22 是星期一" in page
    assert CalendarDay.objects.count() == rows and not WorkingCalendarYear.objects.filter(year=2027).exists()
    assert not DomainEvent.objects.filter(name="core.calendar.notice_enter").exists()


def test_the_notice_needs_a_number_and_a_holiday(world, client_for):
    response = client_for(world.users["admin"]).post(reverse("calendar_notice"), {
        **NOTICE_2027, "document_number": " ", "holidays": "\n \n"})
    errors = response.context["form"].errors
    assert set(errors) == {"document_number", "holidays"}
    with pytest.raises(ValidationError) as refused:
        calendar_notice_enter(user=world.users["admin"], year=2027, document_number="国办发明电〔2026〕9号",
                              published_on=None, holidays="", make_up="")
    assert refused.value.message_dict == {"holidays": ["请至少录入一行放假安排。"]}
    assert not WorkingCalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize("role", ["officer", "leader", "operator", "enterprise", "expert"])
def test_only_the_administrator_sees_or_writes_the_calendar(world, client_for, role):
    user = world.users[role]
    client = client_for(user)
    assert client.get(reverse("calendar_years")).status_code == 403
    assert client.get(reverse("calendar_year", args=[2024])).status_code == 403
    assert client.get(reverse("calendar_notice")).status_code == 403
    assert client.post(reverse("calendar_notice"), NOTICE_2027).status_code == 403
    with pytest.raises(PermissionDenied):
        calendar_notice_enter(user=user, year=2027, document_number="国办发明电〔2026〕9号", published_on=None,
                              holidays=HOLIDAYS_2027, make_up=MAKE_UP_2027)
    assert not WorkingCalendarYear.objects.filter(year=2027).exists()
    assert reverse("calendar_years") not in client.get(reverse("home")).content.decode()


def test_the_administrator_sees_the_years_and_the_missing_one(world, client_for):
    client = client_for(world.users["admin"])
    page = client.get(reverse("home")).content.decode()
    assert reverse("calendar_years") in page and "工作日历" in page
    page = client.get(reverse("calendar_years")).content.decode()
    assert page.count('href="/calendar/20') == 23
    assert "chinese-calendar 数据导入" in page
    assert ">251<" in page  # 2024's working days
    next_year = timezone.localdate().year + 1
    assert f"{next_year} 年的节假日安排尚未录入" in page and f'href="/calendar/notice/?year={next_year}"' in page


def test_a_year_page_shows_its_months_with_rest_days_marked(world, client_for):
    client = client_for(world.users["admin"])
    page = client.get(reverse("calendar_year", args=[2024])).content.decode()
    assert page.count("<table") == 12
    assert '<td class="yq-cal-make-up" data-date="2024-02-04" title="春节">' in page
    assert '<td class="yq-cal-holiday" data-date="2024-10-01" title="国庆节">' in page
    assert '<td class="yq-cal-rest" data-date="2024-03-02">' in page
    assert '<td class="yq-cal-work" data-date="2024-03-04">' in page
    assert "251 个工作日" in page
    missing = client.get(reverse("calendar_year", args=[2027])).content.decode()
    assert "2027 年的节假日安排尚未录入" in missing and "<table" not in missing


def test_a_holiday_name_is_shown_as_text(world, client_for):
    client = client_for(world.users["admin"])
    response = client.post(reverse("calendar_notice"), {**NOTICE_2027, "holidays": "<b>春节</b> 2027-02-08"})
    assert response.status_code == 302
    page = client.get(reverse("calendar_year", args=[2027])).content.decode()
    assert "<b>春节</b>" not in page and "&lt;b&gt;春节&lt;/b&gt;" in page


def test_the_notice_page_offers_a_year_s_present_days_to_correct(world, client_for):
    page = client_for(world.users["admin"]).get(reverse("calendar_notice") + "?year=2024").content.decode()
    assert "春节 2024-02-10 至 2024-02-17" in page
    assert "春节 2024-02-04" in page
    assert 'value="2024"' in page


def test_the_notice_form_refuses_control_characters_and_implausible_dates(world, client_for):
    response = client_for(world.users["admin"]).post(reverse("calendar_notice"), {
        **NOTICE_2027, "document_number": "国办发明电\x07〔2026〕9号", "published_on": "9999-01-01"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"document_number", "published_on"}
    assert not WorkingCalendarYear.objects.filter(year=2027).exists()
