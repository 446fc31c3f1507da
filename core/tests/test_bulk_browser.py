"""In Chromium: an operator ticks two units on the unit list, bulk-sets their asking rent, reads the preview,
confirms, and sees the new rent in the list; the whole-filter selection is offered once the page is ticked."""

import os
from decimal import Decimal

import pytest

from core.surfaces import counting
from spaces.models import Unit
from spaces.tests.test_browser import SHOTS, login


@pytest.mark.browser
def test_operator_ticks_two_units_and_sets_their_asking_rent(live_server, transactional_db, world, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, live_server, "t_operator")
    page.goto(f"{live_server.url}/spaces/units/")
    bar = page.get_by_test_id("bulk-bar")
    assert not bar.is_visible()  # nothing ticked, no buttons
    u1101 = Unit.objects.get(building=world.building_a, code="1101")
    page.check(f'input[data-bulk-row][value="{world.unit_a2.pk}"]')
    page.check(f'input[data-bulk-row][value="{u1101.pk}"]')
    assert bar.is_visible()
    assert "已选 2 条" in bar.inner_text()
    assert page.get_by_test_id("bulk-edit").is_visible() and page.get_by_test_id("bulk-delete").is_visible()
    page.get_by_test_id("bulk-edit").click()
    page.wait_for_selector("[data-testid=bulk-count]")
    assert page.get_by_test_id("bulk-count").inner_text() == "已选 2 条记录。"
    page.fill("#id_bulk-asking_rent", "166.80")  # giving a value ticks the field
    assert page.is_checked("#bulk-set-asking_rent")
    page.get_by_role("button", name="预览").click()
    page.wait_for_selector("[data-testid=bulk-preview]")
    preview = page.get_by_test_id("bulk-preview").inner_text()
    assert "将修改 2 条记录" in preview and "166.80" in preview
    page.screenshot(path=str(SHOTS / "bulk-edit-preview.png"), full_page=True)
    if os.environ.get("YUANQU_BULK_SHOT"):
        page.screenshot(path=os.environ["YUANQU_BULK_SHOT"], full_page=True)
    page.get_by_role("button", name="确认修改").click()
    page.wait_for_url(f"{live_server.url}/spaces/units/")
    assert "已批量修改 2 条单元记录" in page.locator(".alert-success").inner_text()
    table = page.locator("table.yq-table").inner_text()
    assert table.count("166.80") == 2
    for unit in (world.unit_a2, u1101):
        unit.refresh_from_db()
        assert unit.asking_rent == Decimal("166.80")
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.asking_rent == Decimal("150.00")


@pytest.mark.browser
def test_ticking_the_page_offers_every_record_the_filter_matches(live_server, transactional_db, world, page):
    Unit.objects.bulk_create([Unit(building=world.building_a, floor=world.floor_a, code=f"9{i:02d}", area=Decimal("50"))
                              for i in range(30)])
    counting.data_changed()  # bulk_create sends no signal
    login(page, live_server, "t_officer")
    page.goto(f"{live_server.url}/spaces/units/?per_page=25")
    page.check("input[data-bulk-page]")
    bar = page.get_by_test_id("bulk-bar")
    assert "已选 25 条" in bar.inner_text()
    offer = page.locator("[data-bulk-select-all]")
    assert offer.is_visible() and "全部 34 条" in offer.inner_text()
    offer.click()
    assert "已选中符合筛选条件的全部 34 条记录" in bar.inner_text()
    page.get_by_test_id("bulk-delete").click()
    page.wait_for_selector("[data-testid=bulk-count]")
    assert "符合列表筛选条件的全部 34 条记录" in page.get_by_test_id("bulk-count").inner_text()
    # Two units are named by leases: the deletion is refused as a whole and each is listed.
    failures = page.get_by_test_id("bulk-failures").inner_text()
    assert "未删除任何记录" in failures and "科技楼A座 1201" in failures
    assert Unit.objects.count() == 34
