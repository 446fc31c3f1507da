"""The API keeps the UI's scopes, permissions and validation; tokens are created, used and revoked. Each model's
role × action × scope matrix through the API is in its app's tests/test_generic.py."""

import json

import pytest

from core.accounts import tokens
from core.models import ApiToken, ObjectChange
from spaces.models import Unit
from yuanqu.testing import PASSWORD, bearer


def test_token_endpoint_returns_a_working_token(world, client):
    response = client.post("/api/token", data=json.dumps({"username": "t_officer", "password": PASSWORD}),
                           content_type="application/json")
    assert response.status_code == 200
    key = response.json()["token"]
    listing = client.get("/api/spaces/units", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert listing.status_code == 200 and listing.json()["count"] == Unit.objects.count()


def test_wrong_password_gets_401(world, client):
    response = client.post("/api/token", data=json.dumps({"username": "t_officer", "password": "nope"}),
                           content_type="application/json")
    assert response.status_code == 401


def test_revoked_token_no_longer_works(world, client):
    token, key = tokens.token_create(user=world.users["officer"], name="x")
    assert client.get("/api/spaces/units", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    tokens.token_revoke(user=world.users["officer"], instance=token)
    assert client.get("/api/spaces/units", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    assert ApiToken.objects.get(pk=token.pk).digest != key  # only the digest is stored


def test_leader_cannot_write_through_the_api(world, client):
    headers = bearer(world.users["leader"])
    response = client.patch(f"/api/spaces/units/{world.unit_a1.pk}", data=json.dumps({"asking_rent": "99"}),
                            content_type="application/json", **headers)
    assert response.status_code == 403
    assert client.delete(f"/api/spaces/units/{world.unit_a2.pk}", **headers).status_code == 403


def test_operator_updates_own_unit_and_it_is_audited(world, client):
    headers = bearer(world.users["operator"])
    response = client.patch(f"/api/spaces/units/{world.unit_a2.pk}", data=json.dumps({"asking_rent": "168.50"}),
                            content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    assert response.json()["asking_rent"] in ("168.50", 168.5)
    change = ObjectChange.objects.filter(object_id=str(world.unit_a2.pk), action="update").first()
    assert change.user_name == "t_operator"
    assert change.data_before["asking_rent"] == "150.00" and change.data_after["asking_rent"] == "168.50"


def test_operator_cannot_touch_other_operators_unit(world, client):
    headers = bearer(world.users["operator"])
    url = f"/api/spaces/units/{world.unit_b1.pk}"
    assert client.patch(url, data=json.dumps({"asking_rent": "1"}), content_type="application/json",
                        **headers).status_code == 404
    assert client.delete(url, **headers).status_code == 404


def test_api_validation_errors_are_chinese_and_name_the_field(world, client):
    headers = bearer(world.users["officer"])
    response = client.post("/api/enterprises/enterprises", data=json.dumps(
        {"name": "测试企业", "credit_code": "914403001922038217"}), content_type="application/json", **headers)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == "credit_code"
    assert "统一社会信用代码" in errors[0]["message"]


def test_api_create_unit_then_delete(world, client):
    headers = bearer(world.users["operator"])
    payload = {"building": world.building_a.pk, "floor": world.floor_a.pk, "code": "1288", "area": "88.5",
               "use": "office", "status": "vacant"}
    created = client.post("/api/spaces/units", data=json.dumps(payload), content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client.delete(f"/api/spaces/units/{pk}", **headers).status_code == 204
    assert not Unit.objects.filter(pk=pk).exists()
    actions = list(ObjectChange.objects.filter(object_id=str(pk), content_type__model="unit")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["create", "delete"]


def test_api_list_filters_match_the_ui(world, client):
    headers = bearer(world.users["officer"])
    rows = client.get("/api/spaces/units?status=vacant", **headers).json()["results"]
    assert {r["id"] for r in rows} == {world.unit_a2.pk}
    rows = client.get("/api/enterprises/enterprises?q=ryzd", **headers).json()["results"]
    assert [r["id"] for r in rows] == [world.tenant_a.pk]


def test_openapi_schema_and_offline_docs(world, client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/spaces/units" in schema["paths"] and "/api/token" in schema["paths"]
    client.force_login(world.users["officer"])
    docs = client.get("/api/docs").content.decode()
    assert "swagger-ui-bundle.js" in docs and "cdn.jsdelivr" not in docs


READ_ONLY = {"UnitOut": {"vacant_since"}, "EnterpriseOut": {"credit_code_exception"},
             "LeaseOut": {"status", "leased_area"}}


def test_fields_a_surface_declares_read_only_are_returned_and_not_taken(world, client):
    schema = client.get("/api/openapi.json").json()
    for name, fields in READ_ONLY.items():
        assert fields <= set(schema["components"]["schemas"][name]["properties"]), name
    body = schema["paths"]["/api/leasing/leases/{pk}"]["patch"]["requestBody"]["content"]["application/json"]
    assert not {"status", "leased_area"} & set(body["schema"]["properties"])
    assert "status" not in schema["components"]["schemas"]["BuildingOut"]["properties"]  # declared nowhere

    auth = bearer(world.users["officer"])
    response = client.patch(f"/api/leasing/leases/{world.lease_a.pk}", data=json.dumps({"status": "terminated"}),
                            content_type="application/json", **auth)
    assert response.status_code == 200 and response.json()["status"] == "active"
    world.lease_a.refresh_from_db()
    assert world.lease_a.status == "active"


def test_read_only_fields_are_fields_of_the_model_the_form_does_not_take():
    from core.surfaces import discover

    for model, surface in discover().items():
        concrete = {f.name for f in model._meta.concrete_fields}
        for name in surface.api_read_only:
            assert name in concrete and name not in surface.form.base_fields, (model, name)


def test_contacts_leave_the_api_masked(world, client):
    for role_key in ("officer", "leader", "operator"):
        rows = client.get("/api/enterprises/contacts", **bearer(world.users[role_key])).json()["results"]
        assert rows and all("mobile" not in row and "name" not in row for row in rows)
        assert rows[0]["masked_mobile"] == "138****5678" and rows[0]["masked_name"] == "张**"


@pytest.mark.parametrize("bad", [[1, 2], {"a": 1}, 10**30, 3.5, True])
def test_api_refuses_malformed_json_values_with_a_field_message(world, client, bad):
    headers = bearer(world.users["officer"])
    payload = {"enterprise": bad, "kind": "high_tech", "issued_on": bad}
    response = client.post("/api/enterprises/qualifications", data=json.dumps(payload),
                           content_type="application/json", **headers)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields & {"enterprise", "issued_on"}


@pytest.mark.parametrize("query", ["page=0", "page_size=-1", "page=99999999999999999999", "page_size=abc"])
def test_bad_paging_is_a_400_naming_the_parameter(world, client, query):
    response = client.get(f"/api/spaces/units?{query}", **bearer(world.users["officer"]))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == query.split("=")[0]
    assert "无效" in response.json()["errors"][0]["message"]
