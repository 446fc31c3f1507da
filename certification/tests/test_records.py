"""The rules of incubatees and service records, by name: what the edit page, the API and the Excel import refuse."""

import datetime
import json

import pytest
from django.urls import reverse

from certification.choices import ExitReason, GraduationBasis, ServiceArea
from certification.models import Incubatee, ServiceRecord
from core.importing import jobs
from core.models import ImportBatch, ObjectChange
from core.reference.choices import ImportStatus
from core.surfaces import surface_for
from yuanqu.generic_tests import workbook
from yuanqu.testing import bearer

pytestmark = pytest.mark.django_db


def incubatee_data(world, **changes):
    data = {"park": world.park_a.pk, "enterprise": world.tenant_a.credit_code, "entered_on": "2024-03-01"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_incubatee(client_for, world, user="operator", **changes):
    return client_for(world.users[user]).post(reverse("certification:incubatee_add"), incubatee_data(world, **changes))


def field_errors(response) -> dict:
    return {name: [str(m) for m in messages] for name, messages in response.context["form"].errors.items()}


def test_a_graduate_needs_a_graduation_basis(world, client_for):
    response = post_incubatee(client_for, world, left_on="2025-12-31", exit_reason=ExitReason.GRADUATED)
    assert response.status_code == 400
    assert field_errors(response)["graduation_basis"] == ["毕业企业须符合一项毕业条件，请选择依据。"]
    assert "毕业依据：" in response.content.decode()
    assert not Incubatee.objects.exists()
    response = post_incubatee(client_for, world, left_on="2025-12-31", exit_reason=ExitReason.GRADUATED,
                              graduation_basis=GraduationBasis.HIGH_TECH)
    assert response.status_code == 302
    graduate = Incubatee.objects.get()
    assert (graduate.exit_reason, graduate.graduation_basis) == (ExitReason.GRADUATED, GraduationBasis.HIGH_TECH)
    assert ObjectChange.objects.filter(object_id=str(graduate.pk), action="create").exists()


def test_only_a_graduate_has_a_graduation_basis(world, client_for):
    response = post_incubatee(client_for, world, left_on="2025-12-31", exit_reason=ExitReason.MOVED_OUT,
                              graduation_basis=GraduationBasis.REVENUE)
    assert "graduation_basis" in field_errors(response)
    assert not Incubatee.objects.exists()


def test_leaving_needs_a_date_and_a_reason(world, client_for):
    no_reason = post_incubatee(client_for, world, left_on="2025-06-30")
    assert field_errors(no_reason)["exit_reason"] == ["请填写离孵原因。"]
    no_date = post_incubatee(client_for, world, exit_reason=ExitReason.CLOSED)
    assert field_errors(no_date)["left_on"] == ["请填写离孵日期。"]
    before_entry = post_incubatee(client_for, world, left_on="2024-02-01", exit_reason=ExitReason.CLOSED)
    assert "left_on" in field_errors(before_entry)
    assert not Incubatee.objects.exists()


def test_a_building_of_another_park_is_refused(world, client_for):
    """The administrator sees both parks' buildings, and still cannot file park A's incubatee under park B's."""
    response = post_incubatee(client_for, world, user="admin", building=world.building_b.pk)
    assert field_errors(response)["building"] == ["楼宇必须属于所选园区。"]
    response = client_for(world.users["admin"]).post(reverse("certification:servicerecord_add"), {
        "park": world.park_a.pk, "building": world.building_b.pk, "enterprise": world.tenant_a.credit_code,
        "area": ServiceArea.FINANCE, "served_on": "2026-01-05", "description": "融资对接"})
    assert field_errors(response)["building"] == ["楼宇必须属于所选园区。"]
    assert not Incubatee.objects.exists() and not ServiceRecord.objects.exists()
    assert post_incubatee(client_for, world, user="admin", building=world.building_a.pk).status_code == 302


def test_an_operator_cannot_record_for_another_operators_park(world, client, client_for):
    response = post_incubatee(client_for, world, park=world.park_b.pk)
    assert "park" in field_errors(response)
    response = client.post("/api/certification/service-records", data=json.dumps({
        "park": world.park_b.pk, "enterprise": world.tenant_b.pk, "area": ServiceArea.FINANCE,
        "served_on": "2026-01-05", "description": "融资对接"}), content_type="application/json",
        **bearer(world.users["operator"]))
    assert response.status_code == 400, response.content
    assert any(error["field"] == "park" for error in response.json()["errors"])
    assert not Incubatee.objects.exists() and not ServiceRecord.objects.exists()


def test_a_service_record_in_one_of_the_seven_areas(world, client, client_for):
    response = client.post("/api/certification/service-records", data=json.dumps({
        "park": world.park_a.pk, "enterprise": world.tenant_a.pk, "area": "training",
        "served_on": "2026-01-05", "description": "融资对接"}), content_type="application/json",
        **bearer(world.users["operator"]))
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["area"]
    assert len(ServiceArea.choices) == 7


def import_batch(world, user, model, rows) -> ImportBatch:
    content = workbook(rows[0]) if len(rows) == 1 else _book(rows)
    return jobs.batch_check(jobs.batch_create(user=world.users[user], surface=surface_for(model),
                                              filename="导入.xlsx", content=content))


def _book(rows):
    import io

    from core.reference import spreadsheets

    book = spreadsheets.Book()
    sheet = book.sheet("导入")
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_service_records_import_by_credit_code_park_name_and_chinese_area(world):
    rows = [{"园区名称": world.park_a.name, "企业信用代码": world.tenant_a.credit_code, "服务类别": "科技金融",
             "服务日期": "2026年3月18日", "服务内容": "组织银企对接会", "服务成效": "获得贷款300万元"},
            {"园区名称": world.park_a.name, "企业信用代码": world.tenant_a.name, "服务类别": "国际合作",
             "服务日期": "2026-04-02", "服务内容": "对接香港科技园", "服务成效": ""}]
    batch = import_batch(world, "operator", ServiceRecord, rows)
    assert batch.status == ImportStatus.CHECKED, (batch.message, batch.errors)
    jobs.batch_commit(batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED, batch.errors
    stored = sorted(ServiceRecord.objects.values_list("park_id", "enterprise_id", "area", "served_on"))
    assert stored == [(world.park_a.pk, world.tenant_a.pk, ServiceArea.FINANCE, datetime.date(2026, 3, 18)),
                      (world.park_a.pk, world.tenant_a.pk, ServiceArea.INTERNATIONAL, datetime.date(2026, 4, 2))]


def test_an_import_row_error_names_the_row_and_the_field_in_chinese(world):
    rows = [{"园区编码": world.park_a.code, "统一社会信用代码": world.tenant_a.credit_code, "入孵日期": "2024-03-01"},
            {"园区编码": world.park_a.code, "统一社会信用代码": world.tenant_a.credit_code, "入孵日期": "2024-04-01",
             "离孵日期": "2025-12-31", "离孵原因": "已毕业", "毕业条件": ""},
            {"园区编码": world.park_b.code, "统一社会信用代码": world.tenant_b.credit_code, "入孵日期": "2024-05-01",
             "离孵日期": "", "离孵原因": "", "毕业条件": ""}]
    rows[0] = {**rows[0], "离孵日期": "", "离孵原因": "", "毕业条件": ""}
    batch = import_batch(world, "operator", Incubatee, rows)
    assert batch.counts["error"] == 2, batch.errors
    by_line = {entry["line"]: dict(entry["errors"]) for entry in batch.errors}
    assert by_line == {3: {"毕业依据": "毕业企业须符合一项毕业条件，请选择依据。"},
                       4: {"孵化载体": f"“{world.park_b.code}”不在您管理的范围内",
                           "企业": f"“{world.tenant_b.credit_code}”不在您管理的范围内"}}
    jobs.batch_commit(batch)
    assert not Incubatee.objects.exists()
