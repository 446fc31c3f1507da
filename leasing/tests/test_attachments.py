"""A lease's signed contract: uploaded by its park's operator, checked by its content and size, kept in versions,
downloaded by those who see the lease (each download recorded), a 404 for anyone else."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.attachments import services
from core.models import Attachment, Document, DocumentVersion, DomainEvent, ObjectChange
from core.tests import attachment_files as samples
from leasing.services import lease_delete

pytestmark = pytest.mark.usefixtures("attachment_root")


def upload_url(lease):
    return reverse("core:attachment_upload", args=["leasing.lease", lease.pk])


def post_contract(client, lease, content=samples.PDF, name="租赁合同-HT-A-001.pdf", **fields):
    data = {"kind": "lease_contract", "title": "", "file": samples.upload(name, content), **fields}
    return client.post(upload_url(lease), data)


def stored_files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def events(name, lease):
    return DomainEvent.objects.filter(name=name, object_id=str(lease.pk), content_type__model="lease")


def test_operator_uploads_the_signed_contract_on_the_lease_page(world, client_for, attachment_root):
    client = client_for(world.users["operator"])
    page = client.get(world.lease_a.get_absolute_url()).content.decode()
    assert 'data-testid="attachment-upload"' in page and "没有附件。" in page and "租赁合同" in page

    response = post_contract(client, world.lease_a)
    assert response.status_code == 302 and response["Location"].endswith("#attachments")
    attachment = Attachment.objects.get()
    document, version = attachment.document, attachment.document.versions.get()
    assert (attachment.object_id, document.kind, document.title) == (world.lease_a.pk, "lease_contract", "租赁合同-HT-A-001")
    assert document.owner_id is None  # a contract belongs to its lease, not to the tenant's reusable documents
    assert (version.number, version.size, version.content_type) == (1, len(samples.PDF), "application/pdf")
    assert version.original_name == "租赁合同-HT-A-001.pdf" and version.uploaded_by == world.users["operator"]
    assert version.sha256 == __import__("hashlib").sha256(samples.PDF).hexdigest()
    # Stored privately under a random name; the original name is only data.
    [path] = stored_files(attachment_root)
    assert path.suffix == ".pdf" and "合同" not in str(path) and len(path.stem) == 32
    assert (attachment_root / path).read_bytes() == samples.PDF

    page = client.get(world.lease_a.get_absolute_url()).content.decode()
    assert "租赁合同-HT-A-001.pdf" in page and reverse("core:attachment_download", args=[attachment.pk]) in page
    assert "上传附件" in page  # the event, in the lease's history


def test_every_upload_is_recorded(world, client_for):
    post_contract(client_for(world.users["operator"]), world.lease_a)
    [event] = events("core.document.upload", world.lease_a)
    assert event.user == world.users["operator"] and event.label == "上传附件"
    assert event.data["file"] == "租赁合同-HT-A-001.pdf" and event.data["version"] == 1
    created = set(ObjectChange.objects.filter(action="create").values_list("content_type__model", flat=True))
    assert {"document", "documentversion", "attachment"} <= created


def test_the_contract_downloads_under_its_chinese_name_with_its_type(world, client_for):
    client = client_for(world.users["operator"])
    post_contract(client, world.lease_a)
    attachment = Attachment.objects.get()
    response = client.get(reverse("core:attachment_download", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == samples.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%E7%A7%9F%E8%B5%81%E5%90%88%E5%90%8C-HT-A-001.pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"] and "no-store" in response["Cache-Control"]


def test_every_download_is_recorded_with_its_version(world, client_for):
    post_contract(client_for(world.users["operator"]), world.lease_a)
    attachment = Attachment.objects.get()
    client = client_for(world.users["enterprise"])
    assert client.get(reverse("core:attachment_download", args=[attachment.pk])).status_code == 200
    [event] = events("core.document.download", world.lease_a)
    assert event.user == world.users["enterprise"] and event.label == "下载附件"
    assert (event.data["document"], event.data["version"]) == (attachment.document_id, 1)


def test_operator_b_cannot_download_or_touch_operator_a_lease_contract(world, client_for):
    post_contract(client_for(world.users["operator"]), world.lease_a)
    attachment = Attachment.objects.get()
    client = client_for(world.users["operator_b"])
    for url in (reverse("core:attachment_download", args=[attachment.pk]),
                reverse("core:attachment_version_download", args=[attachment.pk, 1]),
                reverse("core:attachment_version", args=[attachment.pk]), upload_url(world.lease_a)):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("core:attachment_detach", args=[attachment.pk])).status_code == 404
    assert post_contract(client, world.lease_a).status_code == 404
    assert Attachment.objects.count() == 1 and Document.objects.count() == 1
    assert not events("core.document.download", world.lease_a).exists()
    with pytest.raises(Attachment.DoesNotExist):
        services.version_open(user=world.users["operator_b"], attachment=attachment)


def test_the_tenant_and_a_leader_see_the_contract_but_may_not_attach_to_the_lease(world, client_for):
    post_contract(client_for(world.users["operator"]), world.lease_a)
    attachment = Attachment.objects.get()
    for role in ("enterprise", "leader"):
        client = client_for(world.users[role])
        page = client.get(world.lease_a.get_absolute_url()).content.decode()
        assert "租赁合同-HT-A-001.pdf" in page and 'data-testid="attachment-upload"' not in page
        assert 'data-testid="detach"' not in page
        assert client.get(reverse("core:attachment_download", args=[attachment.pk])).status_code == 200
        assert post_contract(client, world.lease_a).status_code == 403
        assert client.post(reverse("core:attachment_detach", args=[attachment.pk])).status_code == 403
    assert Attachment.objects.count() == 1


def test_a_pdf_named_file_holding_a_png_is_kept_and_served_as_png(world, client_for):
    client = client_for(world.users["operator"])
    post_contract(client, world.lease_a, content=samples.PNG, name="合同照片.pdf")
    version = DocumentVersion.objects.get()
    assert version.content_type == "image/png" and version.original_name == "合同照片.pdf"
    assert version.file.name.endswith(".png")
    response = client.get(reverse("core:attachment_download", args=[version.document.attachments.get().pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith("%E5%90%88%E5%90%8C%E7%85%A7%E7%89%87.png")


def test_a_program_renamed_pdf_is_refused_beside_the_file_field_and_nothing_is_kept(world, client_for,
                                                                                    attachment_root):
    response = post_contract(client_for(world.users["operator"]), world.lease_a, content=samples.EXE,
                             name="租赁合同.pdf")
    assert response.status_code == 400
    errors = [e.strip() for e in response.content.decode().split('data-testid="field-error">')[1:]]
    assert errors and errors[0].startswith("文件：这个文件是程序，不是文档")
    assert not Document.objects.exists() and not DocumentVersion.objects.exists()
    assert stored_files(attachment_root) == [] and not events("core.document.upload", world.lease_a).exists()


def test_a_file_over_the_limit_is_refused_while_it_arrives(world, client_for, settings, attachment_root):
    settings.YUANQU_ATTACHMENT_MAX_BYTES = 100_000
    response = post_contract(client_for(world.users["operator"]), world.lease_a, content=samples.pdf_of(400_000))
    assert response.status_code == 400
    page = response.content.decode()
    assert "文件：文件超过了文档的上限 0.1 MB，没有保存。" in page
    assert not Document.objects.exists() and stored_files(attachment_root) == []


def test_the_service_refuses_a_file_over_the_limit_from_its_size(world, settings):
    settings.YUANQU_ATTACHMENT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        services.document_upload(user=world.users["operator"], record=world.lease_a, kind="lease_contract",
                                 upload=samples.upload("扫描件.pdf", samples.pdf_of(3 * 1024 * 1024)))
    assert caught.value.message_dict == {"file": ["文件大小为 3 MB，超过了文档的上限 1 MB，没有保存。请降低扫描分辨率或分成几个文件。"]}
    assert not Document.objects.exists()


def test_a_new_version_keeps_the_earlier_ones(world, client_for, attachment_root):
    client = client_for(world.users["operator"])
    post_contract(client, world.lease_a)
    attachment = Attachment.objects.get()
    signed = samples.PDF + b"% signed by both parties\n"
    response = client.post(reverse("core:attachment_version", args=[attachment.pk]),
                           {"file": samples.upload("租赁合同-HT-A-001-盖章版.pdf", signed)})
    assert response.status_code == 302
    assert list(attachment.document.versions.values_list("number", "original_name")) == [
        (2, "租赁合同-HT-A-001-盖章版.pdf"), (1, "租赁合同-HT-A-001.pdf")]
    assert len(stored_files(attachment_root)) == 2
    latest = client.get(reverse("core:attachment_download", args=[attachment.pk]))
    first = client.get(reverse("core:attachment_version_download", args=[attachment.pk, 1]))
    assert b"".join(latest.streaming_content) == signed and b"".join(first.streaming_content) == samples.PDF
    assert client.get(reverse("core:attachment_version_download", args=[attachment.pk, 3])).status_code == 404
    [event] = events("core.document.version_add", world.lease_a)
    assert event.data["version"] == 2
    page = client.get(world.lease_a.get_absolute_url()).content.decode()
    assert "共 2 个版本" in page and "v2" in page


def test_removing_an_attachment_is_recorded_and_keeps_the_document(world, client_for):
    client = client_for(world.users["operator"])
    post_contract(client, world.lease_a)
    attachment = Attachment.objects.get()
    response = client.post(reverse("core:attachment_detach", args=[attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists() and Document.objects.count() == 1
    assert events("core.document.detach", world.lease_a).get().user == world.users["operator"]
    assert ObjectChange.objects.filter(action="delete", content_type__model="attachment").count() == 1


def test_a_lease_with_attachments_cannot_be_deleted_until_they_are_removed(world, client_for):
    post_contract(client_for(world.users["operator"]), world.lease_a)
    with pytest.raises(ValidationError) as caught:
        lease_delete(user=world.users["operator"], instance=world.lease_a)
    assert caught.value.messages == [f"{world.lease_a} 不能删除：它还有 1 个附件，请先移除附件。"]
    services.attachment_remove(user=world.users["operator"], attachment=Attachment.objects.get())
    lease_delete(user=world.users["operator"], instance=world.lease_a)


def test_kinds_the_lease_does_not_take_are_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.document_upload(user=world.users["operator"], record=world.lease_a, kind="qualification_certificate",
                                 upload=samples.upload("证书.pdf", samples.PDF))
    assert caught.value.message_dict == {"kind": ["请从所列类型中选择。"]}


def test_the_service_decides_who_may_attach(world):
    assert services.may_attach(world.users["operator"], world.lease_a)
    assert services.may_attach(world.users["officer"], world.lease_b)
    assert not services.may_attach(world.users["operator"], world.lease_b)
    assert not services.may_attach(world.users["enterprise"], world.lease_a)
    assert not services.may_attach(world.users["leader"], world.lease_a)
    with pytest.raises(PermissionDenied):
        services.document_upload(user=world.users["enterprise"], record=world.lease_a, kind="lease_contract",
                                 upload=samples.upload("合同.pdf", samples.PDF))


def test_the_same_document_is_attached_to_a_record_once(world):
    attachment = services.document_upload(user=world.users["officer"], record=world.lease_a, kind="lease_contract",
                                          upload=samples.upload("合同.pdf", samples.PDF))
    # A second link of the same pair, as a writer that skipped the check would make it: the constraint answers.
    from core.services import save_or_explain

    with pytest.raises(ValidationError) as caught:
        save_or_explain(Attachment(document=attachment.document, content_type=attachment.content_type,
                                   object_id=world.lease_a.pk, attached_by=world.users["officer"]))
    assert caught.value.message_dict == {"document": ["这份文档已经关联在这条记录上。"]}


def test_attaching_a_document_not_offered_says_why_on_the_page(world, client_for):
    other = services.document_upload(user=world.users["officer"], record=world.lease_b, kind="lease_contract",
                                     upload=samples.upload("乙合同.pdf", samples.PDF)).document
    client = client_for(world.users["operator"])
    response = client.post(reverse("core:attachment_attach", args=["leasing.lease", world.lease_a.pk]),
                           {"document": other.pk}, follow=True)
    page = response.content.decode()
    assert "没有关联任何文档：文档：" in page
    assert Attachment.objects.filter(object_id=world.lease_a.pk).count() == 0


def test_a_title_with_markup_is_shown_as_text(world, client_for):
    client = client_for(world.users["operator"])
    post_contract(client, world.lease_a, title='<img src=x onerror="alert(1)">合同')
    page = client.get(world.lease_a.get_absolute_url()).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;合同" in page and "<img src=x" not in page
