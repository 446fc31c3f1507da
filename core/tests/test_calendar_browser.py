"""In Chromium: the administrator enters next year's holiday notice and sees its months."""

import pytest

from core.calendar.models import CalendarDay
from core.calendar.seed import calendar_seed
from spaces.tests.test_browser import SHOTS, login


@pytest.mark.browser
def test_administrator_enters_a_notice_and_sees_the_year(live_server, transactional_db, world, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    calendar_seed()  # the flush of an earlier transactional test empties the seeded years
    login(page, live_server, "t_admin")
    page.get_by_role("link", name="工作日历").first.click()
    page.wait_for_url(f"{live_server.url}/calendar/")
    assert "2027 年的节假日安排尚未录入" in page.content()
    page.get_by_test_id("enter-notice").click()
    page.fill("#id_year", "2027")
    page.fill("#id_document_number", "国办发明电〔2026〕9号")
    page.fill("#id_published_on", "2026-11-12")
    page.fill("#id_holidays", "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-30")
    page.fill("#id_make_up", "春节 2027-02-20")
    page.get_by_role("button", name="保存").click()
    assert page.locator(".invalid-feedback").all_inner_texts() == ["放假安排：第 2 行：“2027-02-30”不是有效的日期。"]
    page.fill("#id_holidays", "元旦 2027-01-01 至 2027-01-03\n春节 2027-02-06 至 2027-02-14")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/calendar/2027/")
    february = page.locator("[data-testid=calendar-months] table").nth(1)
    assert february.locator(".yq-cal-holiday").count() == 9
    assert february.locator(".yq-cal-make-up").all_inner_texts() == ["20\n班"]
    assert "256 个工作日" in page.get_by_test_id("calendar-source").inner_text()
    assert CalendarDay.objects.filter(date__year=2027).count() == 365
    page.screenshot(path=str(SHOTS / "working-calendar-2027.png"), full_page=True)
