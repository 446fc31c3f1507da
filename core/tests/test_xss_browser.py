"""In Chromium: markup typed into any name or text field is shown as the text it is, everywhere it appears
(lists, detail pages, the stacking plan, map popups and tooltips, the chart, change records, import
previews, error pages), and never runs: no dialog opens and no element of the payload enters the page."""

import io
import re

import pytest
from openpyxl import Workbook

from core.models import ApiToken, Department
from core.tests.test_csp import Watch, browser_login
from enterprises.models import IndustryCategory
from spaces.tests.test_browser import SHOTS

IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
INJECTED = "img[src='x'], img[onerror], svg[onload]"


def store_payloads(world):
    """The payloads in every name and text field of the world that reaches a page."""
    area = world.area
    area.name, area.description = IMG + "片区", SVG + "片区说明"
    # A polygon around park A, so that the map draws the zone with its tooltip.
    area.geometry = {"type": "Polygon", "coordinates": [[[114.06, 22.51], [114.08, 22.51], [114.08, 22.53],
                                                         [114.06, 22.53], [114.06, 22.51]]]}
    area.save()
    world.op_a.name = SVG + "运营"
    world.op_a.save()
    park = world.park_a
    park.name, park.address, park.description = SVG + "园区", SVG + "路", IMG + "园区简介"
    park.save()
    building = world.building_a
    building.name, building.address = IMG + "大厦", SVG + "号"
    building.save()
    world.floor_a.name = SVG
    world.floor_a.save()
    world.unit_a2.code = IMG
    world.unit_a2.save()
    tenant = world.tenant_a
    tenant.name, tenant.address, tenant.description = IMG + "公司", SVG + "地址", SVG + "企业简介"
    tenant.save()
    world.contact_a.name, world.contact_a.title = SVG + "张", IMG
    world.contact_a.save()
    world.lease_a.contract_number = SVG + "HT"
    world.lease_a.save()
    officer = world.users["officer"]
    officer.display_name = IMG + "经办人"
    officer.save()
    Department.objects.filter(pk=officer.department_id).update(short_name=SVG)
    IndustryCategory.objects.filter(pk__in=["65", "6511"]).update(name=IMG + "软件")
    ApiToken.objects.create(user=officer, name=SVG + "令牌", prefix="abcd1234", digest="0" * 64)


def payload_workbook(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["楼宇编码", "楼层", "房号", "面积（㎡）", "用途", "租金"])
    sheet.append(["a-1", "12", IMG + "1", "120", "办公", "88"])
    sheet.append(["a-1", "12", "1299", SVG, "办公", IMG])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.browser
def test_stored_markup_is_shown_as_text_and_never_runs(live_server, transactional_db, world, page, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    store_payloads(world)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    watch = Watch(page)
    base = live_server.url

    def check(where, *literal):
        """Nothing of the payload became an element, no dialog opened, and the text is shown as typed."""
        page.wait_for_timeout(150)  # an injected onerror/onload would have fired by now
        assert page.locator(INJECTED).count() == 0, where
        assert dialogs == [], where
        body = page.inner_text("body")
        for text in literal:
            assert text in body, f"{where}: {text!r} not shown"
        assert [p for p in watch.check() if "status of 40" not in p] == [], where

    def visit(path, *literal, status=200):
        response = page.goto(f"{base}{path}")
        assert response.status == status, path
        check(path, *literal)

    browser_login(page, live_server, "t_officer")
    check("home", IMG + "经办人", SVG, IMG + "软件")

    # The chart's tooltip names the zone as text.
    page.wait_for_selector("#zone-chart[data-ready] canvas")
    box = page.locator("#zone-chart").bounding_box()
    for y in range(40, 330, 15):
        page.mouse.move(box["x"] + 300, box["y"] + y)
        if IMG + "片区" in page.inner_text("#zone-chart"):
            break
    check("chart tooltip")
    assert IMG + "片区" in page.inner_text("#zone-chart")

    # The map: a zone's tooltip on hover, a park's tooltip and popup.
    page.goto(f"{base}/spaces/map/")
    page.wait_for_selector("#yq-map[data-ready]")
    zone = page.locator("path.yq-map-zone").first
    zone_box = zone.bounding_box()
    page.mouse.move(zone_box["x"] + 6, zone_box["y"] + zone_box["height"] / 2)
    page.wait_for_selector(".leaflet-tooltip")
    assert IMG + "片区" in page.inner_text(".leaflet-tooltip")
    park = page.locator("path.yq-map-park").first
    park.hover()
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.leaflet-tooltip')).some(t => t.textContent.includes('svg onload'))")
    park.click()
    page.wait_for_selector(".leaflet-popup-content")
    popup = page.inner_text(".leaflet-popup-content")
    assert SVG + "园区" in popup and IMG + "片区" in popup
    check("map")
    page.screenshot(path=str(SHOTS / "xss-map-popup.png"))

    # Edit the park's name in the form: the change record then holds a payload before and one after.
    page.goto(f"{base}/spaces/parks/{world.park_a.pk}/edit/")
    page.fill("#id_name", IMG + "园区")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(rf"/spaces/parks/{world.park_a.pk}/$"))
    check("park saved", IMG + "园区", SVG + "运营", IMG + "园区简介")
    page.goto(f"{base}/spaces/parks/{world.park_a.pk}/edit/")
    page.fill("#id_name", SVG + "园区")
    page.fill("#id_code", "")  # a required field left empty: the form comes back with the payload in it
    page.get_by_role("button", name="保存").click()
    check("park form with errors")
    assert page.input_value("#id_name") == SVG + "园区"

    # Lists, detail pages and the stacking plan.
    visit("/spaces/zones/", IMG + "片区")
    visit("/spaces/zones/tree/", IMG + "片区")
    visit(f"/spaces/zones/{world.area.pk}/", IMG + "片区", SVG + "片区说明")
    visit("/spaces/parks/", IMG + "园区", SVG + "运营")
    visit("/spaces/operators/", SVG + "运营")
    visit(f"/spaces/operators/{world.op_a.pk}/", SVG + "运营")
    visit("/spaces/buildings/", IMG + "大厦")
    visit(f"/spaces/buildings/{world.building_a.pk}/", IMG + "大厦", IMG, SVG, IMG + "公司", IMG + "软件")
    page.screenshot(path=str(SHOTS / "xss-building-detail.png"), full_page=True)
    visit("/spaces/floors/", SVG)
    visit(f"/spaces/floors/{world.floor_a.pk}/", SVG)
    visit("/spaces/units/", IMG, IMG + "大厦")
    visit(f"/spaces/units/{world.unit_a2.pk}/", IMG, IMG + "大厦")
    visit(f"/spaces/units/?q={IMG}", IMG)
    visit("/spaces/vacancy/", IMG)
    visit("/enterprises/enterprises/", IMG + "公司")
    visit(f"/enterprises/enterprises/{world.tenant_a.pk}/", IMG + "公司", SVG + "企业简介", IMG)
    page.get_by_role("button", name="查看").first.click()  # the contact revealed over htmx
    page.wait_for_function("() => document.body.innerText.includes('13812345678')")
    check("contact revealed", SVG + "张")
    visit("/enterprises/contacts/", IMG)
    visit(f"/enterprises/contacts/{world.contact_a.pk}/", IMG)
    visit("/enterprises/industries/?code=6511", IMG + "软件")
    visit("/leasing/leases/", SVG + "HT", IMG + "公司")
    visit(f"/leasing/leases/{world.lease_a.pk}/", SVG + "HT", IMG + "公司")
    visit(f"/leasing/leases/{world.lease_a.pk}/edit/")
    visit("/leasing/expiring/", IMG + "公司")
    visit("/tokens/", SVG + "令牌")

    # The unit list's building filter loads its options over htmx when a park is chosen.
    page.goto(f"{base}/spaces/units/")
    page.select_option("select[name=park]", str(world.park_a.pk))
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('select[name=building] option')).some(o => o.text.includes('大厦'))")
    check("building options")

    # The park's change records.
    visit(f"/spaces/parks/{world.park_a.pk}/changes/", SVG + "园区", IMG + "园区")

    # An import preview of a file whose cells hold the payloads.
    page.goto(f"{base}/spaces/units/import/")
    page.set_input_files("#id_file", str(payload_workbook(tmp_path / "单元.xlsx")))
    page.get_by_test_id("upload").click()
    page.wait_for_selector("[data-testid=status]")
    check("import preview", SVG)

    # The bulk pages name the records they touch: a bulk edit's selection, and a bulk delete refused.
    page.goto(f"{base}/spaces/units/")
    page.check(f'input[data-bulk-row][value="{world.unit_a2.pk}"]')
    page.get_by_test_id("bulk-edit").click()
    page.wait_for_selector("[data-testid=bulk-count]")
    check("bulk edit", f"{IMG}大厦 {IMG}")
    page.goto(f"{base}/spaces/buildings/")
    page.check(f'input[data-bulk-row][value="{world.building_a.pk}"]')
    page.get_by_test_id("bulk-delete").click()
    page.wait_for_selector("[data-testid=bulk-failures]")
    check("bulk delete refused", IMG + "大厦")

    # Administrator's pages: the district's change records, users (the officer's display name), error pages.
    page.context.clear_cookies()
    browser_login(page, live_server, "t_admin")
    visit("/changes/", IMG + "园区")
    visit("/users/", IMG + "经办人")
    visit(f"/users/{world.users['officer'].pk}/", IMG + "经办人")
    visit(f"/users/{world.users['officer'].pk}/edit/")
    assert page.input_value("#id_display_name") == IMG + "经办人"
    visit(f"/spaces/parks/{IMG}/", status=404)
    visit("/spaces/parks/999999/", status=404)
    assert dialogs == []
