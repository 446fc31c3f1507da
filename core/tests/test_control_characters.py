"""Control characters (NUL, U+0001, a vertical tab, DEL, C1 controls, a lone surrogate) are refused wherever
a value comes in — edit pages, the API, imports, query parameters — with a Chinese message naming the field,
never a 500; values stored before the rule export and show without breaking anything."""

import csv
import datetime
import io
import json
import os
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.importing import jobs
from core.models import ApiToken, ImportBatch, ImportStatus, ObjectChange
from core.surfaces import surface_for
from enterprises.models import Enterprise
from leasing.models import Lease
from spaces.models import Building, Park, Unit, Zone
from yuanqu.testing import bearer

UNIT_HEADER = ["楼宇编码", "楼层", "房号", "面积（㎡）", "用途", "租金"]
REFUSED = ["\x00", "\x01", "\x0b", "\x1f", "\x7f", "\x85", "\ud800", "\uffff"]


def excel_file(rows, marks: dict[str, str]) -> bytes:
    """An .xlsx whose cells hold control characters as Excel stores them (_x0001_): openpyxl refuses to
    write them, so placeholders are replaced in the saved XML."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    saved = io.BytesIO()
    workbook.save(saved)
    source, result = zipfile.ZipFile(saved), io.BytesIO()
    with zipfile.ZipFile(result, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            for placeholder, escaped in marks.items():
                data = data.replace(placeholder.encode(), escaped.encode())
            target.writestr(item, data)
    return result.getvalue()


def unsafe_client():
    """A client that answers a server error with its 500 page instead of raising it in the test."""
    return Client(raise_request_exception=False)


def patch(client, url, payload, user):
    return client.patch(url, data=json.dumps(payload), content_type="application/json", **bearer(user))


# ----- the API and the edit pages --------------------------------------------------------------------------------
@pytest.mark.parametrize("char", REFUSED, ids=[f"U+{ord(c):04X}" for c in REFUSED])
def test_the_api_refuses_a_control_character_naming_the_field(world, char):
    response = patch(unsafe_client(), f"/api/spaces/buildings/{world.building_a.pk}", {"name": f"科技{char}楼"},
                     world.users["officer"])
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "name" and error["message"].startswith("名称：")
    assert "不可见的控制字符" in error["message"] and f"U+{ord(char):04X}" in error["message"]
    world.building_a.refresh_from_db()
    assert world.building_a.name == "科技楼A座"
    assert not ObjectChange.objects.filter(object_repr__contains="科技").exclude(action="create").exists()


def test_line_breaks_are_refused_inside_a_single_line_field_and_kept_in_a_multi_line_one(world):
    client, officer = unsafe_client(), world.users["officer"]
    one_line = patch(client, f"/api/spaces/parks/{world.park_a.pk}", {"name": "国际\n金融园"}, officer)
    assert one_line.status_code == 400
    assert "名称：" in one_line.json()["errors"][0]["message"] and "一行" in one_line.json()["errors"][0]["message"]
    trimmed = patch(client, f"/api/spaces/parks/{world.park_a.pk}", {"name": "国际金融园\r\n"}, officer)
    assert trimmed.status_code == 200 and trimmed.json()["name"] == "国际金融园"  # the ends are trimmed, as before
    several = patch(client, f"/api/spaces/parks/{world.park_a.pk}",
                    {"description": "第一行\r\n\t第二行", "name": "国际金融园"}, officer)
    assert several.status_code == 200
    assert Park.objects.get(pk=world.park_a.pk).description == "第一行\r\n\t第二行"
    still = patch(client, f"/api/spaces/parks/{world.park_a.pk}", {"description": "第一行\x0c第二行"}, officer)
    assert still.status_code == 400 and "简介：" in still.json()["errors"][0]["message"]


def test_the_strings_inside_a_json_field_are_checked(world, client_for):
    zone = Zone.objects.get(code="hetao")
    geometry = {"type": "Polygon", "coordinates": [[[114.0, 22.5], [114.1, 22.5], [114.1, 22.6], [114.0, 22.5]]],
                "note": "界\x00线"}
    response = client_for(world.users["officer"]).post(reverse("spaces:zone_edit", args=[zone.pk]), {
        "code": zone.code, "name": zone.name, "kind": zone.kind, "parent": zone.parent_id, "sort_order": 0,
        "geometry": json.dumps(geometry), "description": ""})
    assert response.status_code == 400
    assert "U+0000" in response.content.decode()
    zone.refresh_from_db()
    assert zone.geometry in (None, {})


def test_the_edit_page_shows_the_refusal_beside_the_field_and_saves_nothing(world, client_for):
    client = client_for(world.users["operator"])
    response = client.post(reverse("spaces:building_edit", args=[world.building_a.pk]), {
        "park": world.park_a.pk, "code": "a-1", "name": "科技\x01楼", "floors_above": 10, "floors_below": 0})
    assert response.status_code == 400
    page = response.content.decode()
    assert "不可见的控制字符（U+0001）" in page and 'id="form-errors"' in page
    assert Building.objects.get(pk=world.building_a.pk).name == "科技楼A座"


def test_an_enterprise_typed_by_credit_code_is_checked_before_it_is_looked_up(world):
    """The lease form's enterprise field searches by credit code: a NUL must not reach that query (PostgreSQL
    refuses it with an error, not an answer)."""
    response = patch(unsafe_client(), f"/api/leasing/leases/{world.lease_a.pk}",
                     {"enterprise": "91440300\x00MA5FUB5E0X"}, world.users["officer"])
    assert response.status_code == 400
    assert "U+0000" in response.json()["errors"][0]["message"]


def test_a_token_request_with_a_control_character_in_the_username_is_refused_as_a_wrong_login(world):
    response = unsafe_client().post("/api/token", data=json.dumps({"username": "t_officer\x00", "password": "x"}),
                                    content_type="application/json")
    assert response.status_code == 401


def test_a_token_name_keeps_its_text_without_the_control_characters(world, client_for):
    """A token's name is only a label: what could not be stored is dropped (PostgreSQL refuses a NUL)."""
    client = client_for(world.users["officer"])
    client.raise_request_exception = False
    assert client.post(reverse("token_list"), {"name": "报表\x00脚本\x01"}).status_code == 200
    assert ApiToken.objects.get(user=world.users["officer"]).name == "报表脚本"


# ----- query parameters ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["/users/?q=a%00b", "/changes/?user=%00", "/changes/?request_id=a%01",
                                 "/spaces/units/?q=%C2%85"])
def test_a_query_parameter_with_a_control_character_is_refused_naming_it(world, client_for, url):
    client = client_for(world.users["admin"])
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400
    name = url.split("?")[1].split("=")[0]
    assert f"查询参数“{name}”" in response.content.decode() and "控制字符" in response.content.decode()


def test_an_api_query_parameter_with_a_control_character_gets_the_apis_error_shape(world):
    response = unsafe_client().get("/api/spaces/units?q=a%01b", **bearer(world.users["officer"]))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "q"


def test_tabs_and_line_breaks_in_a_search_are_spaces(world, client_for):
    response = client_for(world.users["officer"]).get(reverse("spaces:unit_list"), {"q": "1201\t"})
    assert response.status_code == 200


# ----- imports ---------------------------------------------------------------------------------------------------
def check(world, content, model=Unit, filename="data.xlsx"):
    batch = jobs.batch_create(user=world.users["admin"], surface=surface_for(model), filename=filename,
                              content=content)
    return jobs.batch_check(batch)


def test_an_import_cell_with_a_control_character_is_an_error_of_its_row_and_column(world):
    content = excel_file([UNIT_HEADER,
                          ["a-1", "12F", "1303", "100", "办公", "1"],
                          ["a-1", "12F", "13@@04", "abc", "办公", "1"],
                          ["a-1", "12F", "1305", "1@@00", "办公", "1"]], {"@@": "_x0001_"})
    batch = check(world, content)
    assert batch.status == ImportStatus.CHECKED
    assert batch.counts["create"] == 1 and batch.counts["error"] == 2
    errors = {e["line"]: dict(e["errors"]) for e in batch.errors}
    assert "不可见的控制字符（U+0001）" in errors[3]["单元号"] and "不是数字" in errors[3]["面积（㎡）"]
    assert "U+0001" in errors[4]["面积（㎡）"]
    # The error workbook holds the rows as they were, less the character it could not hold.
    sheet = load_workbook(os.path.join(batch.error_file.storage.location, batch.error_file.name)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == "1304" and rows[2][3] == "100" and "U+0001" in rows[1][-1]


def test_a_csv_with_a_nul_becomes_a_row_error_through_the_upload_page(world, client_for):
    text = "楼宇编码,楼层,房号,面积（㎡）,用途\r\na-1,12F,13\x0007,100,办公\r\na-1,12F,1308,100,办公\r\n"
    client = client_for(world.users["admin"])
    response = client.post(reverse("spaces:unit_import"), {"file": _named(text.encode("utf-8"), "units.csv")})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.CHECKED
    assert batch.counts["error"] == 1 and "U+0000" in dict(batch.errors[0]["errors"])["单元号"]
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("import_errors", args=[batch.pk])).status_code == 200


def _named(data: bytes, name: str):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_a_header_with_a_control_character_is_shown_without_it(world):
    content = excel_file([UNIT_HEADER + ["备@@注"], ["a-1", "12F", "1309", "100", "办公", "", "x"]],
                         {"@@": "_x0002_"})
    batch = check(world, content)
    assert batch.status == ImportStatus.CHECKED and batch.ignored_columns == ["备注"]


# ----- values stored before the rule -----------------------------------------------------------------------------
STORED = "科技\x01楼\x0bA座\x7f\x85"


def test_stored_control_characters_export_as_xlsx_and_csv_without_them(world, client_for):
    Building.objects.filter(pk=world.building_a.pk).update(name=STORED)
    client = client_for(world.users["officer"])
    for slug in ("spaces:building_export", "spaces:unit_export"):
        response = client.get(reverse(slug), {"format": "xlsx"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert "科技楼A座" in [cell.value for row in sheet.iter_rows() for cell in row]
        text = b"".join(client.get(reverse(slug), {"format": "csv"}).streaming_content).decode("utf-8-sig")
        assert "科技楼A座" in [value for row in csv.reader(io.StringIO(text)) for value in row]


def test_stored_control_characters_in_a_reason_do_not_break_the_error_workbook(world):
    """The lease rules name the tenant already holding a unit: a stored name reaches the error workbook."""
    Enterprise.objects.filter(pk=world.tenant_a.pk).update(name="荣耀\x01终端")
    content = excel_file([["统一社会信用代码", "楼宇编码", "单元号", "合同编号", "起租日", "到期日", "租金"],
                          [world.tenant_b.credit_code, "a-1", "1201", "HT-IMP-9", datetime.date.today().isoformat(),
                           "2030-12-31", "130"]], {})
    batch = check(world, content, model=Lease)
    assert batch.status == ImportStatus.CHECKED and batch.counts["error"] == 1
    sheet = load_workbook(os.path.join(batch.error_file.storage.location, batch.error_file.name)).active
    assert "荣耀终端" in list(sheet.iter_rows(values_only=True))[1][-1]


def test_change_records_with_stored_control_characters_show(world, client_for):
    Building.objects.filter(pk=world.building_a.pk).update(name=STORED)
    building = Building.objects.get(pk=world.building_a.pk)
    surface_for(Building).update(user=world.users["officer"], instance=building,
                                 data={"park": world.park_a, "code": "a-1", "name": "科技楼A座", "floors_above": 10,
                                       "floors_below": 0})
    client = client_for(world.users["admin"])
    for url in (reverse("spaces:building_changes", args=[building.pk]), reverse("spaces:building_detail",
                                                                                  args=[building.pk]),
                reverse("change_list")):
        response = client.get(url)
        assert response.status_code == 200, url
