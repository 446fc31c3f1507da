"""In Chromium: an operator opens a building, reads its stacking plan, changes a unit's asking rent,
finds the change in 变更记录, and cannot open another operator's building."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from yuanqu.testing import PASSWORD

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def login(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.browser
def test_operator_changes_asking_rent_from_the_stacking_plan(live_server, transactional_db, world, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, live_server, "t_operator")
    page.goto(f"{live_server.url}{world.building_a.get_absolute_url()}")
    plan = page.get_by_test_id("stacking-plan")
    assert plan.is_visible()
    assert page.get_by_text("楼宇租控图").is_visible()
    floors = page.locator(".yq-plan-label").all_inner_texts()
    assert floors == ["12F", "11F"]
    leased = page.locator('.yq-unit[data-unit="1201"]')
    assert "荣耀终端有限公司" in leased.inner_text()
    assert "yq-unit-leased" in leased.get_attribute("class")
    page.screenshot(path=str(SHOTS / "building-stacking-plan.png"), full_page=True)

    page.locator('.yq-unit[data-unit="1202"]').click()
    page.wait_for_url(re.compile(r"/spaces/units/\d+/$"))
    page.get_by_role("link", name="编辑").click()
    page.fill("#id_asking_rent", "188.50")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/spaces/units/\d+/$"))
    changes = page.locator("#changes")
    assert "188.50" in changes.inner_text() and "150.00" in changes.inner_text()
    assert "t_operator" in changes.inner_text()
    page.screenshot(path=str(SHOTS / "unit-change-record.png"), full_page=True)

    response = page.goto(f"{live_server.url}{world.building_b.get_absolute_url()}")
    assert response.status == 404


@pytest.mark.browser
def test_map_draws_boundary_and_parks(live_server, transactional_db, world, page):
    login(page, live_server, "t_officer")
    page.goto(f"{live_server.url}/spaces/map/")
    page.wait_for_selector("#yq-map[data-ready]")
    assert page.locator("#yq-map").get_attribute("data-ready") == "1"
    assert page.locator("path.leaflet-interactive").count() >= 1
    page.screenshot(path=str(SHOTS / "map.png"))
