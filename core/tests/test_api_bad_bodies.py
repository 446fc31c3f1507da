"""What the API answers to a body it cannot use: in Chinese, naming the field, never a 500 and never English."""

import json

import pytest

from leasing.models import Lease
from yuanqu.testing import bearer

pytestmark = pytest.mark.django_db


def _post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **bearer(user))


@pytest.mark.parametrize("body", ["nope", "{\"status\": ", "[" * 50000 + "]" * 50000])
def test_an_action_refuses_a_body_that_is_not_json_in_chinese(world, client, body):
    response = _post(client, f"/api/leasing/leases/{world.lease_a.pk}/follow_up", body, world.users["operator"])
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容不是有效的 JSON，未作任何修改。"
    assert not world.lease_a.follow_ups.exists()


def test_a_bulk_edit_refuses_a_body_that_is_not_json_in_chinese(world, client):
    response = _post(client, "/api/leasing/leases/bulk-update", "{ids: [1]}", world.users["operator"])
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容不是有效的 JSON，未作任何修改。"


def test_an_action_names_the_field_of_a_value_of_the_wrong_type(world, client):
    response = _post(client, f"/api/leasing/leases/{world.lease_a.pk}/move",
                     json.dumps({"units": [1e20], "moved_on": {"a": 1}}), world.users["operator"])
    assert response.status_code == 400
    messages = {row["field"]: row["message"] for row in response.json()["errors"]}
    assert messages["units"].startswith("新单元：")
    assert messages["moved_on"].startswith("换房日期：")
    assert Lease.objects.count() == 2


def test_a_bulk_edit_names_the_field_of_a_value_out_of_range(world, client):
    response = _post(client, "/api/leasing/leases/bulk-update",
                     json.dumps({"ids": [world.lease_a.pk], "data": {"monthly_rent": 1e20}}), world.users["operator"])
    assert response.status_code == 400
    [row] = response.json()["errors"]
    assert row["field"] == "monthly_rent"
    assert row["message"] == "租金（元/㎡/月）：数值超出范围。"
    world.lease_a.refresh_from_db()
    assert str(world.lease_a.monthly_rent) == "140.00"


def test_a_body_over_the_limit_is_refused_in_chinese_json(world, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"status": "talking", "note": "长" * (1024 * 1024)})
    response = _post(client, f"/api/leasing/leases/{world.lease_a.pk}/follow_up", body, world.users["operator"])
    assert response.status_code == 413
    assert response.json()["detail"] == "请求内容超过 1 MB，即接口接受的上限，未作任何修改。"
    assert not world.lease_a.follow_ups.exists()
