"""The bulk edit and bulk delete pages, by real POSTs as the list page sends them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import ObjectChange
from enterprises.models import Enterprise, IndustryCategory
from leasing import services as lease_services
from leasing.models import Lease
from spaces.choices import UnitStatus, UnitUse
from spaces.models import Building, Unit

TODAY = datetime.date.today()
UNIT_EDIT = reverse("spaces:unit_bulk_edit")
UNIT_DELETE = reverse("spaces:unit_bulk_delete")


def text(response) -> str:
    return response.content.decode()


def unit_1101(world):
    return Unit.objects.get(building=world.building_a, code="1101")


# ----- the list page -------------------------------------------------------------------------------------------
def test_rows_have_checkboxes_and_the_bulk_buttons_for_who_may_change(world, client_for):
    page = text(client_for(world.users["operator"]).get(reverse("spaces:unit_list")))
    assert page.count('data-bulk-row') == 3  # the operator's three units
    assert f'value="{world.unit_a2.pk}"' in page and f'value="{world.unit_b1.pk}"' not in page
    assert "批量修改" in page and "批量删除" in page and "js/bulk.js" in page
    assert "选择符合筛选条件的全部 3 条记录" in page


def test_a_leader_gets_no_checkboxes(world, client_for):
    page = text(client_for(world.users["leader"]).get(reverse("spaces:unit_list")))
    assert "data-bulk-row" not in page and "批量修改" not in page and "js/bulk.js" not in page


def test_an_operator_may_bulk_edit_enterprises_but_not_delete_them(world, client_for):
    page = text(client_for(world.users["operator"]).get(reverse("enterprises:enterprise_list")))
    assert "data-bulk-row" in page and 'data-testid="bulk-edit"' in page and 'data-testid="bulk-delete"' not in page


def test_the_live_filter_fragment_keeps_the_checkboxes(world, client_for):
    client = client_for(world.users["operator"])
    fragment = text(client.get(reverse("spaces:unit_list"), {"status": "vacant"}, HTTP_HX_REQUEST="true"))
    assert fragment.count("data-bulk-row") == 1
    assert 'name="query" value="status=vacant"' in fragment


# ----- bulk edit of units ------------------------------------------------------------------------------------------
def test_units_bulk_set_status_and_use_choose_preview_confirm(world, client_for):
    client = client_for(world.users["operator"])
    u1101 = unit_1101(world)
    pks = [world.unit_a2.pk, u1101.pk]
    chooser = client.post(UNIT_EDIT, {"pk": pks, "query": ""})
    assert chooser.status_code == 200
    page = text(chooser)
    assert "已选 2 条记录。" in page and "科技楼A座 1202" in page
    assert 'name="bulk-status"' in page and 'name="bulk-use"' in page and 'name="bulk-code"' not in page
    assert 'value="leased"' not in page  # "leased" only comes from a lease
    form = {"pk": pks, "query": "", "fields": ["status", "use"], "bulk-status": "reserved", "bulk-use": "research"}
    preview = client.post(UNIT_EDIT, {**form, "_preview": "1"})
    assert preview.status_code == 200
    page = text(preview)
    assert "将修改 2 条记录：" in page and "状态 → <strong>已预留</strong>" in page
    assert "确认修改" in page
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == UnitStatus.VACANT  # a preview keeps nothing
    done = client.post(UNIT_EDIT, {**form, "_apply": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("spaces:unit_list")
    for unit in (world.unit_a2, u1101):
        unit.refresh_from_db()
        assert (unit.status, unit.use) == (UnitStatus.RESERVED, UnitUse.RESEARCH)
    assert world.unit_a2.vacant_since is None  # the unit service's rule: only a vacant unit keeps its clock
    after = text(client.get(done["Location"]))
    assert "已批量修改 2 条单元记录" in after


def test_the_whole_filter_is_run_again_on_the_server(world, client_for):
    """select_all posts the list's query, not ids: the server selects the vacant units the operator sees."""
    client = client_for(world.users["operator"])
    Unit.objects.filter(pk=world.unit_b1.pk).update(status=UnitStatus.VACANT)
    response = client.post(UNIT_EDIT, {"select_all": "1", "query": "status=vacant&sort=-area", "pk": [world.unit_b1.pk],
                                       "fields": ["government_owned"], "bulk-government_owned": "on", "_apply": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("spaces:unit_list") + "?status=vacant&sort=-area"
    assert list(Unit.objects.filter(government_owned=True)) == [world.unit_a2]


def test_a_leased_unit_in_the_selection_is_listed_and_nothing_is_saved(world, client_for):
    client = client_for(world.users["officer"])
    response = client.post(UNIT_EDIT, {"pk": [world.unit_a1.pk, world.unit_a2.pk], "fields": ["status"],
                                       "bulk-status": "unavailable", "_apply": "1"})
    assert response.status_code == 400
    page = text(response)
    assert "未修改任何记录：所选 2 条记录中有 1 条不接受新的值" in page
    assert "科技楼A座 1201" in page and "状态：这条记录的此项不能修改（根据该单元的租约自动更新）" in page
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == UnitStatus.VACANT


def test_a_value_that_is_not_a_number_is_shown_beside_its_field(world, client_for):
    response = client_for(world.users["officer"]).post(UNIT_EDIT, {
        "pk": [world.unit_a2.pk], "fields": ["asking_rent"], "bulk-asking_rent": "一百", "_preview": "1"})
    assert response.status_code == 400
    assert "挂牌租金（元/㎡/月）：输入一个数字。" in text(response)


def test_ids_of_another_operators_units_refuse_the_request(world, client_for):
    response = client_for(world.users["operator"]).post(UNIT_EDIT, {
        "pk": [world.unit_a2.pk, world.unit_b1.pk], "fields": ["asking_rent"], "bulk-asking_rent": "1", "_apply": "1"})
    assert response.status_code == 400
    assert "所选记录中有 1 条不存在或不在您的管理范围内，未作任何修改。" in text(response)
    assert not Unit.objects.filter(asking_rent=Decimal("1")).exists()


def test_a_leader_may_not_post_a_bulk_edit(world, client_for):
    client = client_for(world.users["leader"])
    assert client.post(UNIT_EDIT, {"pk": [world.unit_a2.pk]}).status_code == 403
    assert client.post(UNIT_DELETE, {"pk": [world.unit_a2.pk], "_apply": "1"}).status_code == 403
    assert Unit.objects.filter(pk=world.unit_a2.pk).exists()


def test_an_enterprise_user_does_not_see_units_at_all(world, client_for):
    assert client_for(world.users["enterprise"]).post(UNIT_EDIT, {"pk": [world.unit_a2.pk]}).status_code == 404


def test_more_rows_than_the_limit_are_refused_in_chinese(world, client_for, settings):
    settings.YUANQU_BULK_MAX = 2
    response = client_for(world.users["officer"]).post(UNIT_DELETE, {"select_all": "1", "query": ""})
    assert response.status_code == 400
    assert "一次最多可批量修改或删除 2 条记录，现已选择 4 条。" in text(response)


def test_a_control_character_in_the_posted_query_is_refused(world, client_for):
    response = client_for(world.users["officer"]).post(UNIT_EDIT, {"select_all": "1", "query": "q=a%00b"})
    assert response.status_code == 400
    assert "查询参数“q”" in text(response)


def test_a_get_goes_back_to_the_list(world, client_for):
    response = client_for(world.users["officer"]).get(UNIT_EDIT)
    assert response.status_code == 302 and response["Location"] == reverse("spaces:unit_list")


# ----- enterprises -------------------------------------------------------------------------------------------------
def test_enterprises_bulk_set_industry(world, client_for):
    client = client_for(world.users["officer"])
    url = reverse("enterprises:enterprise_bulk_edit")
    chooser = text(client.post(url, {"pk": [world.tenant_a.pk, world.tenant_b.pk]}))
    assert 'name="bulk-industry"' in chooser and 'name="bulk-credit_code"' not in chooser
    assert 'id="industry-classes"' in chooser
    response = client.post(url, {"pk": [world.tenant_a.pk, world.tenant_b.pk], "fields": ["industry"],
                                 "bulk-industry": "6513 应用软件开发", "_apply": "1"})
    assert response.status_code == 302
    software = IndustryCategory.objects.get(pk="6513")
    assert set(Enterprise.objects.filter(industry=software)) == {world.tenant_a, world.tenant_b}
    assert ObjectChange.objects.filter(content_type__model="enterprise", action="update").count() == 2


def test_an_operator_cannot_bulk_delete_enterprises(world, client_for):
    response = client_for(world.users["operator"]).post(reverse("enterprises:enterprise_bulk_delete"),
                                                        {"pk": [world.tenant_a.pk], "_apply": "1"})
    assert response.status_code == 403
    assert Enterprise.objects.filter(pk=world.tenant_a.pk).exists()


# ----- leases ------------------------------------------------------------------------------------------------------
def test_leases_bulk_rent_change_keeps_the_overlap_rule(world, client_for):
    officer = world.users["officer"]
    lease_services.lease_create(user=officer, data={
        "enterprise": world.tenant_b, "units": [world.unit_a1], "monthly_rent": Decimal("130"),
        "start_date": TODAY + datetime.timedelta(days=100), "end_date": TODAY + datetime.timedelta(days=400)})
    client = client_for(world.users["operator"])
    url = reverse("leasing:lease_bulk_edit")
    ok = client.post(url, {"pk": [world.lease_a.pk], "fields": ["monthly_rent"], "bulk-monthly_rent": "155",
                           "_apply": "1"})
    assert ok.status_code == 302
    world.lease_a.refresh_from_db()
    assert world.lease_a.monthly_rent == Decimal("155.00")
    # Pushing its end past the next lease's start would make unit 1201 carry two leases at once.
    refused = client.post(url, {"pk": [world.lease_a.pk], "fields": ["monthly_rent", "end_date"],
                                "bulk-monthly_rent": "160", "bulk-end_date": (TODAY + datetime.timedelta(days=200)).isoformat(),
                                "_preview": "1"})
    assert refused.status_code == 400
    page = text(refused)
    assert "荣耀终端有限公司 HT-A-001" in page and "重叠" in page and "单元：" in page
    world.lease_a.refresh_from_db()
    assert world.lease_a.monthly_rent == Decimal("155.00")


# ----- bulk delete -------------------------------------------------------------------------------------------------
def test_a_building_with_units_is_refused_and_nothing_is_deleted(world, client_for):
    empty = Building.objects.create(park=world.park_a, code="a-9", name="空楼")
    client = client_for(world.users["operator"])
    url = reverse("spaces:building_bulk_delete")
    confirm = client.post(url, {"pk": [world.building_a.pk, empty.pk]})
    assert confirm.status_code == 400
    page = text(confirm)
    assert "未删除任何记录：所选 2 条记录中有 1 条不能删除" in page
    assert "科技楼A座" in page and "仍有" in page
    assert "确认删除" not in page
    assert client.post(url, {"pk": [world.building_a.pk, empty.pk], "_apply": "1"}).status_code == 400
    assert Building.objects.filter(pk__in=[world.building_a.pk, empty.pk]).count() == 2


def test_leases_bulk_delete_confirm_then_delete(world, client_for):
    client = client_for(world.users["operator"])
    url = reverse("leasing:lease_bulk_delete")
    confirm = client.post(url, {"pk": [world.lease_a.pk], "query": "status=active"})
    assert confirm.status_code == 200
    page = text(confirm)
    assert "确定删除这 1 条记录吗？" in page and "荣耀终端有限公司 HT-A-001" in page
    assert Lease.objects.filter(pk=world.lease_a.pk).exists()
    done = client.post(url, {"pk": [world.lease_a.pk], "query": "status=active", "_apply": "1"})
    assert done.status_code == 302 and done["Location"] == reverse("leasing:lease_list") + "?status=active"
    assert not Lease.objects.filter(pk=world.lease_a.pk).exists()
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.status == UnitStatus.VACANT


@pytest.mark.parametrize("name", ["spaces:zone_bulk_edit", "spaces:floor_bulk_edit"])
def test_a_surface_without_bulk_fields_offers_no_bulk_edit(world, client_for, name):
    client = client_for(world.users["admin"])
    if name == "spaces:zone_bulk_edit":
        assert client.post(reverse(name), {"pk": [world.zone.pk]}).status_code == 200
    else:
        assert client.post(reverse(name), {"pk": [world.floor_a.pk]}).status_code == 404
        page = text(client.get(reverse("spaces:floor_list")))
        assert 'data-testid="bulk-edit"' not in page and 'data-testid="bulk-delete"' in page


# ----- the API -----------------------------------------------------------------------------------------------------
def api_post(client, path, body, user):
    import json

    from yuanqu.testing import bearer

    return client.post(path, json.dumps(body), content_type="application/json", **bearer(user))


def test_api_bulk_update_by_filter_within_the_scope(world, client):
    Unit.objects.filter(pk=world.unit_b1.pk).update(status=UnitStatus.VACANT)
    response = api_post(client, "/api/spaces/units/bulk-update",
                        {"filter": {"status": "vacant"}, "data": {"asking_rent": 88, "government_owned": True}},
                        world.users["operator"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["count"], body["changed"], body["dry_run"]) == (1, 1, False) and body["request_id"]
    assert list(Unit.objects.filter(asking_rent=Decimal("88"), government_owned=True)) == [world.unit_a2]


def test_api_bulk_update_lists_each_record_that_refused(world, client):
    response = api_post(client, "/api/spaces/units/bulk-update",
                        {"ids": [world.unit_a1.pk, world.unit_a2.pk], "data": {"status": "unavailable"}},
                        world.users["officer"])
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "未作任何修改：所选 2 条记录中有 1 条未通过检查。"
    (error,) = body["errors"]
    assert error["id"] == world.unit_a1.pk and error["field"] == "status"
    assert error["message"].startswith("单元“科技楼A座 1201”：状态：")
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == UnitStatus.VACANT


def test_api_bulk_ids_out_of_scope_and_roles(world, client):
    refused = api_post(client, "/api/spaces/units/bulk-update",
                       {"ids": [world.unit_b1.pk], "data": {"asking_rent": "1"}}, world.users["operator"])
    assert refused.status_code == 400 and "管理范围" in refused.json()["errors"][0]["message"]
    leader = api_post(client, "/api/spaces/units/bulk-delete", {"ids": [world.unit_a2.pk]}, world.users["leader"])
    assert leader.status_code == 403
    both = api_post(client, "/api/spaces/units/bulk-delete", {"ids": [world.unit_a2.pk], "filter": {}},
                    world.users["officer"])
    assert both.status_code == 400
    assert Unit.objects.filter(pk=world.unit_a2.pk).exists()


def test_api_bulk_delete_refused_by_protect_then_a_dry_run_that_passes(world, client):
    refused = api_post(client, "/api/spaces/buildings/bulk-delete", {"ids": [world.building_a.pk]},
                       world.users["officer"])
    assert refused.status_code == 400 and "仍有" in refused.json()["errors"][0]["message"]
    preview = api_post(client, "/api/spaces/units/bulk-delete", {"ids": [world.unit_a2.pk], "dry_run": True},
                       world.users["officer"])
    assert preview.status_code == 200 and preview.json()["dry_run"] is True
    assert Unit.objects.filter(pk=world.unit_a2.pk).exists()


def test_api_bulk_operations_are_in_the_schema(world, client_for):
    paths = client_for(world.users["officer"]).get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/spaces/units/bulk-update"] and "post" in paths["/api/leasing/leases/bulk-delete"]
