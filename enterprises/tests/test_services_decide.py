"""Permissions live in the services: what a form hides from a role, the service refuses from it too."""

import pytest
from django.core.exceptions import ValidationError

from core.models import ObjectChange
from enterprises import services
from enterprises.models import Enterprise
from yuanqu.testing import bearer

BAD_CODE = "914403001922038217"
GOOD_CODE = "91440101MA5CJQ4N59"


def data(**overrides):
    return {"name": "深圳市测试科技有限公司", "credit_code": GOOD_CODE, "industry": None, **overrides}


def test_an_operator_cannot_store_a_confirmed_failing_code_through_the_service(world):
    with pytest.raises(ValidationError) as refused:
        services.enterprise_create(user=world.users["operator"], data=data(credit_code=BAD_CODE, credit_code_exception=True))
    assert "credit_code_exception" in refused.value.message_dict
    assert "您的角色不能设置此项" in refused.value.message_dict["credit_code_exception"][0]
    assert not Enterprise.objects.filter(credit_code=BAD_CODE).exists()
    assert not ObjectChange.objects.filter(content_type__model="enterprise", action="create").exists()


def test_an_operator_cannot_name_another_registrar_but_its_own_is_recorded(world):
    with pytest.raises(ValidationError) as refused:
        services.enterprise_create(user=world.users["operator"], data=data(registered_by=world.op_b))
    assert "registered_by" in refused.value.message_dict
    assert not Enterprise.objects.filter(credit_code=GOOD_CODE).exists()
    created = services.enterprise_create(user=world.users["operator"], data=data())
    assert created.registered_by == world.op_a


def test_the_officer_may_set_both(world):
    created = services.enterprise_create(user=world.users["officer"],
                                         data=data(credit_code=BAD_CODE, credit_code_exception=True, registered_by=world.op_b))
    assert created.credit_code_exception and created.registered_by == world.op_b


def test_an_operator_cannot_link_accounts_to_its_tenant_through_the_api(world, client):
    response = client.patch(f"/api/enterprises/enterprises/{world.tenant_a.pk}",
                            data={"users": [world.users["enterprise"].pk, world.users["operator"].pk]},
                            content_type="application/json", **bearer(world.users["operator"]))
    assert response.status_code == 400, response.content.decode()
    assert any(e["field"] == "users" for e in response.json()["errors"])
    assert sorted(world.tenant_a.users.values_list("username", flat=True)) == \
        sorted(Enterprise.objects.get(pk=world.tenant_a.pk).users.values_list("username", flat=True))


def test_an_operator_may_still_edit_a_flagged_tenant(world, client):
    Enterprise.objects.filter(pk=world.tenant_a.pk).update(credit_code=BAD_CODE, credit_code_exception=True)
    response = client.patch(f"/api/enterprises/enterprises/{world.tenant_a.pk}", data={"address": "深南大道 1 号"},
                            content_type="application/json", **bearer(world.users["operator"]))
    assert response.status_code == 200, response.content.decode()
    tenant = Enterprise.objects.get(pk=world.tenant_a.pk)
    assert tenant.address == "深南大道 1 号" and tenant.credit_code_exception


def test_an_unchanged_reserved_value_sent_back_passes(world, client):
    world.tenant_a.users.set([world.users["enterprise"]])
    response = client.patch(f"/api/enterprises/enterprises/{world.tenant_a.pk}",
                            data={"users": [str(world.users["enterprise"].pk)], "registered_by": None, "address": "一号"},
                            content_type="application/json", **bearer(world.users["operator"]))
    assert response.status_code == 200, response.content.decode()
    assert Enterprise.objects.get(pk=world.tenant_a.pk).address == "一号"
