"""Data quality: implausible areas are confirmed before they are saved (form, API, service, import), the
数据质量 lists find what distorts the figures within the user's scope, and a building generates its floors."""

import io
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from core.importing import jobs
from core.models import DomainEvent, ImportBatch
from core.reference.choices import ImportStatus
from core.surfaces import surface_for
from core.surfaces.navigation import menu_for
from spaces import quality, services
from spaces.models import Building, Floor, Unit
from yuanqu.testing import bearer, units_file

CEILING = Decimal("20000")


@pytest.fixture(autouse=True)
def _ceiling(settings):
    settings.YUANQU_UNIT_AREA_CEILING = CEILING
    settings.YUANQU_RENT_OUTLIER_FACTOR = Decimal("2")
    settings.YUANQU_RENT_MEDIAN_MIN_UNITS = 3


def unit_form_data(unit, **changes):
    data = {"building": unit.building_id, "floor": unit.floor_id, "code": unit.code, "area": unit.area,
            "use": unit.use, "asking_rent": unit.asking_rent or "", "status": unit.status}
    if unit.government_owned:
        data["government_owned"] = "on"
    data.update(changes)
    return data


def confirmations(unit):
    return DomainEvent.objects.filter(name="spaces.unit.warnings_confirm", object_id=str(unit.pk))


# ----- the unit form, the service and the API --------------------------------------------------------------------
def test_unit_form_warns_of_an_area_above_the_ceiling_and_saves_it_once_confirmed(world, client_for):
    client = client_for(world.users["officer"])
    url = reverse("spaces:unit_edit", args=[world.unit_a2.pk])
    response = client.post(url, unit_form_data(world.unit_a2, area="35000"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="unit-warnings"' in page and "确认保存" in page
    assert "35,000.00" in page and "20,000.00" in page  # the area and the ceiling, in the warning
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.area == Decimal("200.00")  # nothing saved
    assert not confirmations(world.unit_a2).exists()

    response = client.post(url, unit_form_data(world.unit_a2, area="35000", confirm_warnings="on"))
    assert response.status_code == 302
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.area == Decimal("35000")
    event = confirmations(world.unit_a2).get()
    assert event.user == world.users["officer"] and "35,000.00" in event.data["warnings"][0]


def test_unit_form_warns_when_the_buildings_units_would_exceed_its_floor_area(world, client_for):
    Building.objects.filter(pk=world.building_a.pk).update(gross_floor_area=Decimal("1100"))  # units: 1,000 m²
    client = client_for(world.users["operator"])
    data = unit_form_data(world.unit_a2, area="350")  # 1,000 − 200 + 350 = 1,150 m² > 1,100 m²
    response = client.post(reverse("spaces:unit_edit", args=[world.unit_a2.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "1,150.00" in page and "1,100.00" in page and "科技楼A座" in page
    # A plausible area needs no confirmation.
    response = client.post(reverse("spaces:unit_edit", args=[world.unit_a2.pk]), unit_form_data(world.unit_a2, area="250"))
    assert response.status_code == 302
    # Adding a unit that tips the building over asks too.
    add = {"building": world.building_a.pk, "floor": world.floor_a.pk, "code": "1299", "area": "100",
           "use": "office", "status": "vacant"}
    assert client.post(reverse("spaces:unit_add"), add).status_code == 400
    assert not Unit.objects.filter(code="1299").exists()
    assert client.post(reverse("spaces:unit_add"), {**add, "confirm_warnings": "on"}).status_code == 302
    unit = Unit.objects.get(code="1299")
    assert "1,150.00" in confirmations(unit).get().data["warnings"][0]


def test_the_service_refuses_an_implausible_area_without_confirmation(world):
    officer = world.users["officer"]
    with pytest.raises(ValidationError) as refused:
        services.unit_update_checked(user=officer, instance=world.unit_a2, data={"area": Decimal("25000")})
    assert "confirm_warnings" in refused.value.message_dict
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.area == Decimal("200.00")
    services.unit_update_checked(user=officer, instance=world.unit_a2,
                                 data={"area": Decimal("25000"), "confirm_warnings": True})
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.area == Decimal("25000")
    assert confirmations(world.unit_a2).count() == 1
    # Changing something else leaves the confirmed area alone: no new question.
    services.unit_update_checked(user=officer, instance=world.unit_a2, data={"asking_rent": Decimal("90")})
    assert confirmations(world.unit_a2).count() == 1


def test_the_api_asks_for_the_same_confirmation(world, client):
    auth = bearer(world.users["officer"])
    url = f"/api/spaces/units/{world.unit_a2.pk}"
    response = client.patch(url, {"area": "30000"}, content_type="application/json", **auth)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["confirm_warnings"]
    response = client.patch(url, {"area": "30000", "confirm_warnings": True}, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    assert Decimal(response.json()["area"]) == Decimal("30000")


# ----- the import ----------------------------------------------------------------------------------------------
def test_import_preview_lists_warnings_by_row_and_column_and_commit_needs_confirmation(world, client_for):
    Building.objects.filter(pk=world.building_a.pk).update(gross_floor_area=Decimal("1500"))  # units: 1,000 m²
    content = units_file([
        ["a-1", "12", "1203", "300", "办公", "120"],      # fine on its own …
        ["a-1", "12", "1204", "30000", "办公", "120"],    # above the ceiling
        ["a-1", "12", "1202", "", "", "99"],              # changes the rent only: no warning
    ])
    client = client_for(world.users["operator"])
    upload = io.BytesIO(content)
    upload.name = "units.xlsx"
    response = client.post(reverse("spaces:unit_import"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == ImportStatus.CHECKED
    assert batch.counts["warning"] == 2  # the building's units would exceed 1,500 m² with both new rows
    lines = {row["line"]: row["warnings"] for row in batch.warnings}
    assert set(lines) == {2, 3}
    assert lines[3][0][0] == "面积（㎡）" and "30,000.00" in lines[3][0][1] and "20,000.00" in lines[3][0][1]
    assert "1,500.00" in lines[2][0][1]
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'data-testid="warnings"' in page and "第 3 行" in page and 'name="confirm_warnings"' in page

    # Without the confirmation nothing is written.
    response = client.post(reverse("import_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED and not batch.warnings_confirmed
    assert not Unit.objects.filter(code__in=["1203", "1204"]).exists()
    # With it, the rows are written and the confirmation is in the commit's audit event.
    client.post(reverse("import_commit", args=[batch.pk]), {"confirm_warnings": "1"})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED, batch.message
    assert Unit.objects.get(code="1204").area == Decimal("30000")
    event = DomainEvent.objects.get(name="core.import.commit")
    assert event.data["warnings_confirmed"] is True and event.data["warning"] == 2
    assert event.data["warnings"][1]["line"] == 3


def test_an_import_without_confirmation_writes_nothing_even_without_a_preview(world):
    content = units_file([["a-1", "12", "1204", "30000", "办公", "120"], ["a-1", "12", "1205", "80", "办公", "120"]])
    batch = jobs.batch_create(user=world.users["admin"], surface=surface_for(Unit), filename="u.xlsx", content=content)
    batch = jobs.batch_commit(batch)
    assert batch.status == ImportStatus.CHECKED and "1" in batch.message
    assert not Unit.objects.filter(code__in=["1204", "1205"]).exists()
    assert jobs.request_commit(batch, user=world.users["admin"]) is False
    assert jobs.request_commit(batch, user=world.users["admin"], confirm_warnings=True) is True
    assert jobs.batch_commit(batch).status == ImportStatus.COMMITTED
    assert Unit.objects.filter(code__in=["1204", "1205"]).count() == 2


def test_a_plausible_import_has_no_warnings(world):
    content = units_file([["a-1", "12", "1206", "80", "办公", "120"]])
    batch = jobs.batch_create(user=world.users["admin"], surface=surface_for(Unit), filename="u.xlsx", content=content)
    batch = jobs.batch_check(batch)
    assert "warning" not in batch.counts and batch.warnings == []
    assert jobs.request_commit(batch, user=world.users["admin"]) is True


# ----- the 数据质量 lists -------------------------------------------------------------------------------------
def rent_world(world):
    """Park A's building: rents 100, 100, 150, 150, 320 (median 150: 320 is above double) and a unit of 60
    (below half); park B's building the same shape. Building A is over its floor area, a new building has
    no floors."""
    for code, rent in (("1203", "100"), ("1204", "100"), ("1205", "320"), ("1206", "60")):
        Unit.objects.create(building=world.building_a, floor=world.floor_a, code=code, area=Decimal("10"),
                            asking_rent=Decimal(rent))
    for code, rent in (("302", "100"), ("303", "150"), ("304", "400")):
        Unit.objects.create(building=world.building_b, floor=world.floor_b, code=code, area=Decimal("10"),
                            asking_rent=Decimal(rent))
    Building.objects.filter(pk=world.building_a.pk).update(gross_floor_area=Decimal("900"))
    Building.objects.filter(pk=world.building_b.pk).update(gross_floor_area=Decimal("100"))
    Building.objects.create(park=world.park_a, code="a-2", name="科技楼B座", floors_above=5)
    Building.objects.create(park=world.park_b, code="b-2", name="时尚大厦二期", floors_above=5)


def codes(rows):
    return sorted(r.code for r in rows)


def test_quality_lists_find_each_kind_of_problem(world):
    rent_world(world)
    officer = world.users["officer"]
    assert codes(quality.buildings_over_floor_area(user=officer)) == ["a-1", "b-1"]  # 1,040 > 900; 330 > 100
    over = quality.buildings_over_floor_area(user=officer).get(code="a-1")
    assert over.units_area == Decimal("1040.00") and over.unit_count == 7
    assert codes(quality.buildings_without_floors(user=officer)) == ["a-2", "b-2"]
    assert codes(quality.units_without_rent(user=officer)) == ["1101", "301"]
    far = quality.with_rent_medians(list(quality.units_with_outlying_rent(user=officer)))
    # A: rents 60, 100, 100, 150, 150, 320 → median 125; 60 < 62.5 and 320 > 250. B: 100, 150, 400 → 150; 400 > 300.
    assert codes(far) == ["1205", "1206", "304"]
    assert {u.code: u.median_rent for u in far} == {"1205": Decimal("125"), "1206": Decimal("125"),
                                                     "304": Decimal("150")}


def test_a_building_with_too_few_rents_has_no_median(world, settings):
    rent_world(world)
    settings.YUANQU_RENT_MEDIAN_MIN_UNITS = 4  # building B has 3 rents
    assert codes(quality.units_with_outlying_rent(user=world.users["officer"])) == ["1205", "1206"]


def test_an_operator_sees_only_its_parks(world, client_for):
    rent_world(world)
    operator = world.users["operator"]
    assert codes(quality.buildings_over_floor_area(user=operator)) == ["a-1"]
    assert codes(quality.buildings_without_floors(user=operator)) == ["a-2"]
    assert codes(quality.units_without_rent(user=operator)) == ["1101"]
    assert codes(quality.units_with_outlying_rent(user=operator)) == ["1205", "1206"]
    client = client_for(operator)
    response = client.get(reverse("spaces:park_quality", args=[world.park_a.pk]))
    assert response.status_code == 200
    counts = {s["list"].slug: s["count"] for s in response.context["sections"]}
    assert counts == {"over-area": 1, "no-floors": 1, "no-rent": 1, "far-rent": 2}
    assert client.get(reverse("spaces:park_quality", args=[world.park_b.pk])).status_code == 404
    assert client.get(reverse("spaces:park_quality_export", args=[world.park_b.pk, "no-rent"])).status_code == 404
    page = client.get(reverse("spaces:quality")).content.decode()  # the district page, as the operator sees it
    assert "科技楼B座" in page and "时尚大厦二期" not in page


def test_the_park_page_lists_its_own_parks_problems_only(world, client_for):
    rent_world(world)
    response = client_for(world.users["officer"]).get(reverse("spaces:park_quality", args=[world.park_b.pk]))
    counts = {s["list"].slug: s["count"] for s in response.context["sections"]}
    assert counts == {"over-area": 1, "no-floors": 1, "no-rent": 1, "far-rent": 1}
    page = response.content.decode()
    assert world.building_b.get_absolute_url() in page and "时尚大厦二期" in page and "科技楼B座" not in page
    park_page = client_for(world.users["officer"]).get(world.park_b.get_absolute_url()).content.decode()
    assert reverse("spaces:park_quality", args=[world.park_b.pk]) in park_page


def test_who_sees_the_district_page_and_its_menu_entry(world, client_for):
    url = reverse("spaces:quality")
    for role in ("admin", "officer", "leader"):
        user = world.users[role]
        assert client_for(user).get(url).status_code == 200
        assert any(item["url"] == url for group in menu_for(user) for item in group["items"])
    assert not any(item["url"] == url for group in menu_for(world.users["operator"]) for item in group["items"])
    assert client_for(world.users["enterprise"]).get(url).status_code == 403


def test_quality_export_writes_the_listed_rows(world, client_for):
    rent_world(world)
    client = client_for(world.users["officer"])
    response = client.get(reverse("spaces:quality_export", args=["far-rent"]), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "单元号" and rows[0][-1] == "所在楼宇挂牌租金中位数"
    assert sorted(r[0] for r in rows[1:]) == ["1205", "1206", "304"]
    assert DomainEvent.objects.filter(name="core.export", data__quality="far-rent").exists()
    response = client.get(reverse("spaces:quality_export", args=["no-floors"]), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "科技楼B座" in text and "时尚大厦二期" in text and "科技楼A座" not in text


def test_the_quality_page_makes_the_same_queries_whatever_the_number_of_rows(world, client_for):
    rent_world(world)
    client = client_for(world.users["operator"])
    url = reverse("spaces:quality")

    def queries():
        if connection.vendor == "postgresql":
            # Fresh tables have no planner statistics; production's are kept by autovacuum (and `generate`
            # gathers them after loading). Without them PostgreSQL may plan the far-rent list's count as a
            # nested loop that takes tens of seconds here, which is not what this test is about.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE spaces_unit, spaces_building, spaces_floor")
        client.get(url)  # warm the session and the content-type cache
        caches["counts"].clear()  # measure the page as it is when its counts are not cached (core/surfaces/counting.py)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        # The page's own queries: a session written because a minute has passed (core.accounts.lockout) is not one.
        session_write = ("UPDATE \"django_session\"", "INSERT INTO \"django_session\"", "SAVEPOINT", "RELEASE SAVEPOINT")
        return len([q for q in captured if not q["sql"].startswith(session_write)])

    before = queries()
    for n in range(30):
        building = Building.objects.create(park=world.park_a, code=f"g-{n}", name=f"生成楼{n}",
                                           gross_floor_area=Decimal("10"))
        floor = Floor.objects.create(building=building, number=1)
        for k, rent in enumerate(("100", "100", "900", None)):
            Unit.objects.create(building=building, floor=floor, code=f"{k}", area=Decimal("50"),
                                asking_rent=Decimal(rent) if rent else None)
    assert queries() == before
    # session, user, the operator's parks (named in the scope), the count and the first rows of each of the 4
    # lists, the medians of the listed units' buildings, and the unread reminders for the bell in the top bar.
    assert before == 13, before


# ----- floors from 地上层数 -------------------------------------------------------------------------------------
def test_a_building_generates_its_missing_floors_and_keeps_the_rest(world, client_for):
    building = world.building_a  # 10 floors above ground; floors 11 and 12 exist already
    Building.objects.filter(pk=building.pk).update(floors_above=12, floors_below=2)
    Floor.objects.create(building=building, number=3, name="三层（餐厅）")
    client = client_for(world.users["operator"])
    url = reverse("spaces:building_floors_generate", args=[building.pk])
    assert client.post(url).status_code == 302
    numbers = sorted(Floor.objects.filter(building=building).values_list("number", flat=True))
    assert numbers == [-2, -1, *range(1, 13)]
    assert Floor.objects.get(building=building, number=3).name == "三层（餐厅）"  # kept as it was
    event = DomainEvent.objects.get(name="spaces.building.floors_generate")
    assert sorted(event.data["created"]) == [-2, -1, 1, 2, 4, 5, 6, 7, 8, 9, 10]
    assert event.data["kept"] == [3, 11, 12]
    # Twice is once.
    assert client.post(url).status_code == 302
    assert Floor.objects.filter(building=building).count() == 14
    second = DomainEvent.objects.filter(name="spaces.building.floors_generate").latest("pk")
    assert second.pk != event.pk and second.data["created"] == []  # the second click is recorded, and made nothing
    page = client.get(building.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page and 'data-action="floors_generate"' in page


def test_floor_generation_holds_scope_and_permission(world, client_for):
    url = reverse("spaces:building_floors_generate", args=[world.building_b.pk])
    assert client_for(world.users["operator"]).post(url).status_code == 404
    assert client_for(world.users["leader"]).post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.building_floors_generate(instance=world.building_b, user=world.users["leader"])
    with pytest.raises(PermissionDenied):
        services.building_floors_generate(instance=world.building_b, user=world.users["operator"])
    assert Floor.objects.filter(building=world.building_b).count() == 1


def test_a_checked_import_is_not_committed_behind_the_confirmation(world):
    """The commit that writes what the check kept asks for the confirmation as well."""
    content = units_file([["a-1", "12", "1204", "30000", "办公", "120"]])
    batch = jobs.batch_create(user=world.users["admin"], surface=surface_for(Unit), filename="u.xlsx", content=content)
    batch = jobs.batch_commit(jobs.batch_check(batch))
    assert batch.status == ImportStatus.CHECKED and not Unit.objects.filter(code="1204").exists()


# ----- in the browser ------------------------------------------------------------------------------------------
@pytest.mark.browser
def test_an_officer_confirms_a_warning_and_reads_the_quality_page(live_server, transactional_db, world, page):
    from spaces.tests.test_browser import SHOTS, login

    rent_world(world)
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, live_server, "t_officer")
    page.goto(f"{live_server.url}{reverse('spaces:unit_edit', args=[world.unit_a2.pk])}")
    page.fill("#id_area", "35000")
    page.get_by_role("button", name="保存").click()
    warning = page.get_by_test_id("unit-warnings")
    assert "35,000.00" in warning.inner_text() and "20,000.00" in warning.inner_text()
    page.screenshot(path=str(SHOTS / "unit-warning.png"), full_page=True)
    page.check("#id_confirm_warnings")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}{world.unit_a2.get_absolute_url()}")
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.area == Decimal("35000")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="数据质量").click()
    page.wait_for_url(f"{live_server.url}{reverse('spaces:quality')}")
    assert page.get_by_test_id("count-no-floors").inner_text() == "2"
    assert page.get_by_test_id("quality-far-rent").get_by_role("link", name="1205").is_visible()
    page.screenshot(path=str(SHOTS / "quality.png"), full_page=True)


def test_a_quality_list_pages_through_all_its_rows(world, client_for, settings):
    rent_world(world)
    settings.YUANQU_PAGE_SIZE = 1  # two rows a page
    for n in range(3):
        Building.objects.create(park=world.park_a, code=f"e-{n}", name=f"空楼{n}", floors_above=3)
    client = client_for(world.users["leader"])
    url = reverse("spaces:quality_list", args=["no-floors"])
    first, last = client.get(url), client.get(url, {"page": 3})
    assert first.context["page"].paginator.count == 5
    assert len(first.context["page"].object_list) == 2 and len(last.context["page"].object_list) == 1
    far = client.get(reverse("spaces:park_quality_list", args=[world.park_a.pk, "far-rent"]))
    assert {u.code: u.median_rent for u in far.context["page"].object_list} == {"1205": Decimal("125"),
                                                                                 "1206": Decimal("125")}
    assert client.get(reverse("spaces:quality_list", args=["no-such-list"])).status_code == 404


def test_errors_still_come_first_and_valid_rows_need_the_confirmation_too(world):
    content = units_file([["a-1", "12", "1204", "30000", "办公", "120"], ["a-1", "99", "1205", "80", "办公", "120"]])
    batch = jobs.batch_create(user=world.users["admin"], surface=surface_for(Unit), filename="u.xlsx", content=content)
    batch = jobs.batch_commit(batch)
    assert batch.status == ImportStatus.REFUSED and batch.counts["error"] == 1 and batch.counts["warning"] == 1
    batch = jobs.batch_check(jobs.batch_create(user=world.users["admin"], surface=surface_for(Unit),
                                               filename="u.xlsx", content=content))
    assert jobs.request_commit(batch, user=world.users["admin"], valid_only=True) is False
    assert jobs.request_commit(batch, user=world.users["admin"], valid_only=True, confirm_warnings=True) is True
    assert jobs.batch_commit(batch).status == ImportStatus.COMMITTED
    assert list(Unit.objects.filter(code__in=["1204", "1205"]).values_list("code", flat=True)) == ["1204"]
