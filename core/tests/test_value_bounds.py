"""Values at the edge of what a computer can hold are refused with a field message, never a 500: a date in a
year no record can have (a certificate issued in 9999 made its validity run past Python's last year), and a
JSON number that is not a number (NaN)."""

import io
import json

from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from core.importing import jobs
from core.reference.choices import ImportStatus
from core.surfaces import surface_for
from enterprises.models import Qualification
from leasing.models import Lease
from yuanqu.testing import bearer


def unsafe_client():
    """Answers a server error with its 500 page instead of raising it in the test."""
    return Client(raise_request_exception=False)


def post(client, url, payload, user):
    return client.post(url, data=json.dumps(payload), content_type="application/json", **bearer(user))


def patch(client, url, payload, user):
    return client.patch(url, data=json.dumps(payload), content_type="application/json", **bearer(user))


def test_a_certificate_issued_in_year_9999_is_a_message_on_its_date(world):
    before = Qualification.objects.count()
    response = post(unsafe_client(), "/api/enterprises/qualifications",
                    {"enterprise": world.tenant_a.pk, "kind": "high_tech", "issued_on": "9999-01-01"},
                    world.users["officer"])
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "issued_on"
    assert error["message"] == "发证日期：请填写 1900-01-01 至 2199-12-31 之间的日期。"
    assert Qualification.objects.count() == before


def test_the_edit_page_refuses_a_lease_from_year_one_beside_its_field(world, client_for):
    lease = world.lease_a
    response = client_for(world.users["officer"]).post(reverse("leasing:lease_edit", args=[lease.pk]), {
        "enterprise": lease.enterprise_id, "building": world.building_a.pk,
        "units": [u.pk for u in lease.units.all()], "contract_number": lease.contract_number,
        "start_date": "0001-01-01", "end_date": lease.end_date.isoformat(), "monthly_rent": "140",
    })
    assert response.status_code == 400
    assert response.context["form"].errors["start_date"] == ["请填写 1900-01-01 至 2199-12-31 之间的日期。"]
    assert Lease.objects.get(pk=lease.pk).start_date == lease.start_date


def test_an_import_row_with_such_a_date_is_an_error_of_its_row_and_nothing_is_committed(world):
    workbook = Workbook()
    workbook.active.append(["统一社会信用代码", "类型", "发证日期"])
    workbook.active.append([world.tenant_a.credit_code, "国家高新技术企业", "9999-01-01"])
    content = io.BytesIO()
    workbook.save(content)
    batch = jobs.batch_create(user=world.users["officer"], surface=surface_for(Qualification), filename="q.xlsx",
                              content=content.getvalue())
    batch = jobs.batch_check(batch)
    assert batch.status == ImportStatus.CHECKED
    assert batch.counts["error"] == 1
    assert dict(batch.errors[0]["errors"])["发证日期"] == "请填写 1900-01-01 至 2199-12-31 之间的日期。"
    assert not jobs.may_commit(batch)


def test_a_blank_optional_date_stays_allowed(world):
    response = post(unsafe_client(), "/api/enterprises/qualifications",
                    {"enterprise": world.tenant_a.pk, "kind": "high_tech", "issued_on": "2199-12-31",
                     "valid_until": None},
                    world.users["officer"])
    assert response.status_code == 201, response.content


def test_a_json_nan_is_not_a_name(world):
    building = world.building_a
    response = patch(unsafe_client(), f"/api/spaces/buildings/{building.pk}", {"name": float("nan")},
                     world.users["officer"])
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "name" and error["message"] == "名称：数值超出范围。"
    building.refresh_from_db()
    assert building.name == "科技楼A座"
