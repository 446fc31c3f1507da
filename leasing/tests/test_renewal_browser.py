"""In Chromium: an operator works the expiry queue — records a follow-up, renews the lease from its row and is
brought back to the queue — then finds the new lease, the old one 已续约, the unit still 已出租 and the lease's
reminder gone from the inbox; an officer reads the old lease's change records and its 续约 event."""

import datetime
import re
from pathlib import Path

import pytest

from core.reminders.services import reminders_raise
from leasing.choices import FollowUpStatus, LeaseStatus
from leasing.models import Lease
from spaces.tests.test_browser import login

SHOTS = Path("/tmp")
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def row_of(page, contract):
    return page.get_by_test_id("expiring-leases").locator("tr", has_text=contract)


@pytest.mark.browser
def test_operator_follows_up_and_renews_from_the_expiry_queue(live_server, transactional_db, world, reminder_rules,
                                                              page, browser):
    Lease.objects.filter(pk=world.lease_a.pk).update(end_date=TODAY + 20 * DAY)
    world.lease_a.refresh_from_db()
    reminders_raise(today=TODAY)
    login(page, live_server, "t_operator")
    page.goto(f"{live_server.url}/reminders/")
    unread_before = int(page.get_by_test_id("bell-count").inner_text())
    assert "HT-A-001" in page.locator("main").inner_text()  # 租约 HT-A-001（…）将于 … 到期，还有 20 天
    queue = f"{live_server.url}/leasing/expiring/?park={world.park_a.pk}"
    page.goto(queue)
    row = row_of(page, "HT-A-001")
    assert "待跟进" in row.get_by_test_id("follow-up").inner_text()

    row.locator('[data-action="follow_up"]').click()
    page.wait_for_url(re.compile(r"/leasing/leases/\d+/follow_up/\?next="))
    page.select_option("#id_status", "talking")
    page.fill("#id_note", "企业希望续租三年，租金维持不变")
    page.fill("#id_next_contact_on", (TODAY + 7 * DAY).isoformat())
    page.screenshot(path=str(SHOTS / "lease-follow-up.png"), full_page=True)
    page.get_by_role("button", name="记录跟进").click()
    page.wait_for_url(queue)  # back in the same filtered list
    row = row_of(page, "HT-A-001")
    follow_up = row.get_by_test_id("follow-up").inner_text()
    assert "洽谈中" in follow_up and "企业希望续租三年" in follow_up
    assert f"{(TODAY + 7 * DAY).year}年" in row.get_by_test_id("next-contact").inner_text()
    page.screenshot(path=str(SHOTS / "lease-expiry-queue.png"), full_page=True)

    row.locator('[data-action="renew"]').click()
    page.wait_for_url(re.compile(r"/leasing/leases/\d+/renew/\?next="))
    start = world.lease_a.end_date + DAY
    assert f"新租约自 {start.year}年{start.month}月{start.day}日 起租" in page.content()
    page.fill("#id_end_date", (start + 3 * 365 * DAY).isoformat())
    page.fill("#id_monthly_rent", "145")
    page.fill("#id_contract_number", "HT-A-002")
    page.screenshot(path=str(SHOTS / "lease-renew.png"), full_page=True)
    page.get_by_role("button", name="续约").click()
    page.wait_for_url(queue)
    assert "已续约" in row_of(page, "HT-A-001").get_by_test_id("follow-up").inner_text()

    row_of(page, "HT-A-001").get_by_role("link", name="HT-A-001").click()
    page.wait_for_url(re.compile(r"/leasing/leases/\d+/$"))
    assert page.locator(".badge", has_text="已续约").first.is_visible()
    units = page.locator(".card", has_text="单元").filter(has_text="1201").first.inner_text()
    assert "已出租" in units
    page.get_by_test_id("next-lease").get_by_role("link").click()
    page.wait_for_url(re.compile(r"/leasing/leases/\d+/$"))
    assert "HT-A-002" in page.locator("h1").inner_text()
    assert page.locator(".badge", has_text="生效中").first.is_visible()
    page.screenshot(path=str(SHOTS / "lease-renewed.png"), full_page=True)
    new = Lease.objects.get(predecessor=world.lease_a)
    assert new.start_date == start and new.contract_number == "HT-A-002"
    old = Lease.objects.get(pk=world.lease_a.pk)
    assert old.status == LeaseStatus.RENEWED and old.follow_up == FollowUpStatus.RENEWED

    page.goto(f"{live_server.url}/reminders/")  # renewed: the lease's reminder has left the inbox
    assert "HT-A-001" not in page.locator("main").inner_text()
    bell = page.get_by_test_id("bell-count")
    assert (int(bell.inner_text()) if bell.count() else 0) == unread_before - 1
    page.screenshot(path=str(SHOTS / "lease-renewed-inbox.png"), full_page=True)

    officer = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900}).new_page()
    login(officer, live_server, "t_officer")
    officer.goto(f"{live_server.url}{world.lease_a.get_absolute_url()}")
    changes = officer.locator("#changes").inner_text()
    assert "t_operator" in changes and "生效中" in changes and "已续约" in changes
    events = officer.locator("#events").inner_text()
    assert "续约" in events and "记录续约跟进" in events
    history = officer.locator("#follow-ups").inner_text()
    assert "企业希望续租三年" in history and "已续约：新租约 HT-A-002" in history
    officer.screenshot(path=str(SHOTS / "lease-old-changes.png"), full_page=True)


@pytest.mark.browser
def test_operator_moves_a_tenant_by_building_and_unit(live_server, transactional_db, world, page):
    login(page, live_server, "t_operator")
    page.goto(f"{live_server.url}{world.lease_a.get_absolute_url()}")
    page.locator('[data-action="move"]').click()
    page.wait_for_url(re.compile(r"/leasing/leases/\d+/move/$"))
    assert page.locator("#id_building option").all_inner_texts()[1:] == ["科技楼A座"]
    page.select_option("#id_building", str(world.building_a.pk))
    page.wait_for_selector("#yq-unit-options input[type=checkbox]")
    page.locator("#yq-unit-options label", has_text="1202").click()
    moved_on = TODAY + 10 * DAY
    page.fill("#id_moved_on", moved_on.isoformat())
    page.screenshot(path=str(SHOTS / "lease-move.png"), full_page=True)
    page.get_by_role("button", name="换房").click()
    page.wait_for_url(re.compile(r"/leasing/leases/\d+/$"))
    new = Lease.objects.get(predecessor=world.lease_a)
    assert page.url.endswith(new.get_absolute_url())
    units = page.locator(".card", has_text="单元").filter(has_text="1202").first.inner_text()
    assert "已预留" in units  # the move is ten days away
    page.get_by_test_id("previous-lease").get_by_role("link").click()
    page.wait_for_url(re.compile(r"/leasing/leases/\d+/$"))
    assert page.locator(".badge", has_text="已解约").first.is_visible() and "换房" in page.content()
    assert "已出租" in page.locator(".card", has_text="单元").filter(has_text="1201").first.inner_text()
    page.screenshot(path=str(SHOTS / "lease-moved-from.png"), full_page=True)
