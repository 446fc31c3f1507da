"""In Chromium: the operator sees the bell's count, opens the inbox, marks one reminder read."""

import datetime
import re

import pytest
from django.utils import timezone

from core.models import Reminder
from core.reminders.services import reminders_raise
from leasing.models import Lease
from spaces.tests.test_browser import SHOTS, login

DAY = datetime.timedelta(days=1)


@pytest.mark.browser
def test_operator_opens_the_inbox_from_the_bell_and_marks_a_reminder_read(live_server, transactional_db, world,
                                                                         reminder_rules, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    today = timezone.localdate()
    Lease.objects.filter(pk=world.lease_a.pk).update(end_date=today + 20 * DAY)
    second = Lease.objects.create(enterprise=world.tenant_b, park=world.park_a, start_date=today - 100 * DAY,
                                  end_date=today + 75 * DAY, monthly_rent=140, contract_number="HT-A-009")
    second.units.add(world.unit_a2)
    reminders_raise(today=today)
    Reminder.objects.filter(object_id=str(world.lease_a.pk)).update(raised_at=timezone.now() - DAY)

    login(page, live_server, "t_operator")
    bell = page.get_by_test_id("bell")
    assert page.get_by_test_id("bell-count").inner_text() == "2"
    assert bell.get_attribute("aria-label") == "提醒，2 条未读"
    bell.click()
    page.wait_for_url(re.compile(r"/reminders/$"))
    texts = page.get_by_test_id("reminder-text").all_inner_texts()
    assert texts[0].startswith("租约 HT-A-009（深圳晶泰科技有限公司）将于") and texts[0].endswith("还有 75 天")
    assert texts[1].startswith("租约 HT-A-001（荣耀终端有限公司）将于") and texts[1].endswith("还有 20 天")
    assert "租约90天内到期" in page.content() and "租约30天内到期" in page.content()
    page.screenshot(path=str(SHOTS / "reminder-inbox.png"), full_page=True)

    page.get_by_test_id("reminder").filter(has_text="HT-A-001").get_by_role("button", name="标为已读").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("bell-count").inner_text() == "1"
    assert page.get_by_test_id("reminder-text").all_inner_texts() == [texts[0]]
    page.get_by_test_id("tab-read").click()
    assert page.get_by_test_id("reminder-text").all_inner_texts() == [texts[1]]
    page.get_by_role("link", name="查看").click()
    page.wait_for_url(re.compile(rf"/leasing/leases/{world.lease_a.pk}/$"))
    assert "HT-A-001" in page.content()
