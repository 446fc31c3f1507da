"""A list filtered without a reload shows the count of the filtered rows, and its export links export
exactly those rows (not the whole list, not only the page shown)."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.tests.test_csp import browser_login
from spaces.choices import UnitStatus
from spaces.models import Unit
from spaces.tests.test_browser import SHOTS


def more_vacant_units(world, n=30):
    for i in range(n):
        Unit.objects.create(building=world.building_a, floor=world.floor_a, code=f"V{i:02d}", area=Decimal("50.00"),
                            status=UnitStatus.VACANT)


def test_a_live_filter_answers_the_count_and_export_links_of_its_rows(world, client_for):
    more_vacant_units(world)
    client = client_for(world.users["officer"])
    response = client.get(reverse("spaces:unit_list"), {"status": "vacant", "page": "2"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="yq-count"' in html and 'id="yq-exports"' in html and html.count('hx-swap-oob="true"') == 2
    assert 'data-count="31"' in html and "共 31 条记录" in html
    export = reverse("spaces:unit_export")
    assert f'href="{export}?status=vacant&amp;format=xlsx"' in html
    assert f'href="{export}?status=vacant&amp;format=csv"' in html
    # The whole page (a reload, or the browser restoring its history) is the page, not the fragment.
    full = client.get(reverse("spaces:unit_list"), {"status": "vacant"}, HTTP_HX_REQUEST="true",
                      HTTP_HX_HISTORY_RESTORE_REQUEST="true").content.decode()
    assert "<html" in full and 'hx-swap-oob' not in full and 'data-count="31"' in full


@pytest.mark.browser
def test_filtering_without_reload_updates_count_and_exports(live_server, transactional_db, world, page):
    more_vacant_units(world)
    browser_login(page, live_server, "t_officer")
    page.goto(f"{live_server.url}/spaces/units/")
    count = page.get_by_test_id("record-count")
    assert count.get_attribute("data-count") == "34"
    page.evaluate("() => { window.__notReloaded = true; }")

    page.select_option("select[name=status]", "vacant")
    page.wait_for_function("() => document.querySelector('[data-testid=record-count]').dataset.count !== '34'")
    assert page.evaluate("() => window.__notReloaded === true")  # the page was not reloaded
    shown = int(count.get_attribute("data-count"))
    assert shown == Unit.objects.filter(status=UnitStatus.VACANT).count() == 31
    assert "共 31 条记录" in count.inner_text()
    assert page.locator("#yq-table tbody tr").count() == 25  # one page of the 31
    page.screenshot(path=str(SHOTS / "list-live-filter.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    sheet = load_workbook(io.BytesIO(download_info.value.path().read_bytes()), read_only=True).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    codes = {row[0] for row in rows}
    assert len(rows) == shown
    assert codes == set(Unit.objects.filter(status=UnitStatus.VACANT).values_list("code", flat=True))

    # A second filter narrows further; the CSV follows too.
    page.locator("input[name=q]").press_sequentially("V1")  # typing filters after a pause
    page.wait_for_function("() => document.querySelector('[data-testid=record-count]').dataset.count === '10'")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-csv").click()
    text = open(download_info.value.path(), encoding="utf-8-sig").read()
    lines = list(csv.reader(io.StringIO(text)))[1:]
    assert sorted(line[0] for line in lines) == [f"V1{i}" for i in range(10)]
