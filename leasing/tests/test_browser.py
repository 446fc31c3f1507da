"""In Chromium: an operator records a new lease — types the tenant, picks a building, ticks a unit."""

import datetime
import re

import pytest

from leasing.models import Lease
from spaces.tests.test_browser import SHOTS, login


@pytest.mark.browser
def test_operator_records_a_lease_with_dependent_unit_choices(live_server, transactional_db, world, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, live_server, "t_operator")
    page.goto(f"{live_server.url}/leasing/leases/add/")
    enterprise = page.locator("#id_enterprise")
    enterprise.fill("ryzd")
    page.wait_for_function("() => document.querySelectorAll('#enterprise-options option').length > 0")
    suggestion = page.locator("#enterprise-options option").first.get_attribute("value")
    assert suggestion.endswith("荣耀终端有限公司")
    enterprise.fill(suggestion)
    page.select_option("#id_building", str(world.building_a.pk))
    page.wait_for_selector("#yq-unit-options input[type=checkbox]")
    labels = page.locator("#yq-unit-options label").all_inner_texts()
    assert any("1202" in label for label in labels) and not any("301" in label for label in labels)
    page.locator("#yq-unit-options label", has_text="1202").click()
    today = datetime.date.today()
    page.fill("#id_start_date", today.isoformat())
    page.fill("#id_end_date", (today + datetime.timedelta(days=365)).isoformat())
    page.fill("#id_monthly_rent", "155")
    page.fill("#id_contract_number", "HT-UI-001")
    page.screenshot(path=str(SHOTS / "lease-form.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/leasing/leases/\d+/$"))
    assert "HT-UI-001" in page.content()
    lease = Lease.objects.get(contract_number="HT-UI-001")
    assert list(lease.units.values_list("code", flat=True)) == ["1202"]
    assert lease.enterprise == world.tenant_a
