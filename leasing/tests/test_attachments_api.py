"""The attachments API: the same scope, checks, messages and records as the lease page."""

import pytest

from core.models import Attachment, Document, DomainEvent
from core.tests import attachment_files as samples
from yuanqu.testing import bearer

pytestmark = pytest.mark.usefixtures("attachment_root")


def of(lease):
    return f"/api/attachments/of/leasing.lease/{lease.pk}"


def upload(client, user, lease, content=samples.PDF, name="租赁合同.pdf", **fields):
    return client.post(of(lease), {"kind": "lease_contract", "file": samples.upload(name, content), **fields},
                       **bearer(user))


def test_operator_uploads_lists_and_downloads_a_contract(world, client):
    operator = world.users["operator"]
    response = upload(client, operator, world.lease_a, title="HT-A-001 合同")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["document"]["title"] == "HT-A-001 合同" and body["document"]["kind_label"] == "租赁合同"
    assert body["document"]["versions"][0]["number"] == 1 and body["document"]["versions"][0]["size"] == len(samples.PDF)

    listed = client.get(of(world.lease_a), **bearer(world.users["enterprise"]))
    assert [a["id"] for a in listed.json()] == [body["id"]]

    download = client.get(f"/api/attachments/{body['id']}/download", **bearer(world.users["enterprise"]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == samples.PDF
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    names = list(DomainEvent.objects.filter(object_id=str(world.lease_a.pk), content_type__model="lease")
                 .values_list("name", flat=True))
    assert set(names) == {"core.document.upload", "core.document.download"}


def test_out_of_scope_is_404_and_no_attach_right_is_403(world, client):
    response = upload(client, world.users["operator"], world.lease_a)
    attachment_id = response.json()["id"]
    operator_b = world.users["operator_b"]
    assert client.get(of(world.lease_a), **bearer(operator_b)).status_code == 404
    assert client.get(f"/api/attachments/{attachment_id}/download", **bearer(operator_b)).status_code == 404
    assert client.delete(f"/api/attachments/{attachment_id}", **bearer(operator_b)).status_code == 404
    assert upload(client, operator_b, world.lease_a).status_code == 404
    assert upload(client, world.users["enterprise"], world.lease_a).status_code == 403
    assert client.get("/api/attachments/of/core.user/1", **bearer(world.users["officer"])).status_code == 404
    assert Attachment.objects.count() == 1


def test_refusals_name_the_field_in_chinese(world, client, settings):
    officer = world.users["officer"]
    response = upload(client, officer, world.lease_a, content=samples.EXE, name="合同.pdf")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "file" and error["message"].startswith("文件：这个文件是程序，不是文档")
    [error] = upload(client, officer, world.lease_a, kind="bogus").json()["errors"]
    assert error["message"] == "类型：请从所列类型中选择。"
    settings.YUANQU_ATTACHMENT_MAX_BYTES = 100_000
    [error] = upload(client, officer, world.lease_a, content=samples.pdf_of(300_000)).json()["errors"]
    assert error["message"].startswith("文件：文件超过了文档的上限 0.1 MB")
    assert not Document.objects.exists()


def test_versions_and_removal_through_the_api(world, client):
    operator = world.users["operator"]
    attachment_id = upload(client, operator, world.lease_a).json()["id"]
    response = client.post(f"/api/attachments/{attachment_id}/versions",
                           {"file": samples.upload("合同-盖章.pdf", samples.PDF + b"%signed")}, **bearer(operator))
    assert response.status_code == 201 and response.json()["number"] == 2
    first = client.get(f"/api/attachments/{attachment_id}/download?version=1", **bearer(operator))
    assert b"".join(first.streaming_content) == samples.PDF
    assert client.delete(f"/api/attachments/{attachment_id}", **bearer(operator)).status_code == 204
    assert not Attachment.objects.exists() and Document.objects.count() == 1


def test_reusable_documents_are_attached_by_id(world, client):
    enterprise = world.users["enterprise"]
    licence = client.post(f"/api/attachments/of/enterprises.enterprise/{world.tenant_a.pk}",
                          {"kind": "business_licence", "file": samples.upload("营业执照.png", samples.PNG)},
                          **bearer(enterprise)).json()["document"]
    operator = world.users["operator"]
    offered = client.get(f"{of(world.lease_a)}/reusable", **bearer(operator)).json()
    assert [d["id"] for d in offered] == [licence["id"]]
    response = client.post(of(world.lease_a), {"document": licence["id"]}, **bearer(operator))
    assert response.status_code == 201 and response.json()["document"]["id"] == licence["id"]
    [error] = client.post(of(world.lease_b), {"document": licence["id"]}, **bearer(world.users["officer"])).json()["errors"]
    assert error["field"] == "document" and "尚未关联到这里的文档" in error["message"]


def test_the_schema_documents_the_attachment_operations(world, client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/attachments/of/{record}/{pk}", "/api/attachments/{attachment_id}/download",
            "/api/attachments/{attachment_id}/versions"} <= set(paths)
    assert "multipart/form-data" in paths["/api/attachments/of/{record}/{pk}"]["post"]["requestBody"]["content"]
