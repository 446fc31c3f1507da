"""An enterprise's business licence and certificates: uploaded once by the enterprise itself, attached again to
its other records without uploading, seen by whoever sees the enterprise, and by nobody else."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.attachments import selectors, services
from core.models import Attachment, Document
from core.tests import attachment_files as samples
from enterprises.models import Qualification

pytestmark = pytest.mark.usefixtures("attachment_root")


def licence_of(world, user=None):
    return services.document_upload(user=user or world.users["enterprise"], record=world.tenant_a,
                                    kind="business_licence", upload=samples.upload("营业执照.jpg", samples.JPEG),
                                    title="荣耀终端营业执照")


@pytest.fixture
def certificate(world):
    return Qualification.objects.create(enterprise=world.tenant_a, kind="high_tech", certificate_number="GR202344200001",
                                        issued_on=datetime.date(2023, 11, 15))


def test_the_enterprise_uploads_its_business_licence_on_its_own_page(world, client_for):
    client = client_for(world.users["enterprise"])
    page = client.get(world.tenant_a.get_absolute_url()).content.decode()
    assert 'data-testid="attachment-upload"' in page and "营业执照" in page
    response = client.post(reverse("core:attachment_upload", args=["enterprises.enterprise", world.tenant_a.pk]),
                           {"kind": "business_licence", "file": samples.upload("营业执照.jpg", samples.JPEG)})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind_label, document.title) == ("营业执照", "营业执照")  # titled by the file's name
    assert (document.owner_type.model, document.owner_id) == ("enterprise", world.tenant_a.pk)
    # Another enterprise's page does not exist for it.
    other = reverse("core:attachment_upload", args=["enterprises.enterprise", world.tenant_b.pk])
    assert client.post(other, {"kind": "business_licence",
                               "file": samples.upload("营业执照.jpg", samples.JPEG)}).status_code == 404


def test_the_licence_is_reused_on_a_lease_without_uploading_it_again(world, client_for, attachment_root):
    licence = licence_of(world).document
    client = client_for(world.users["operator"])  # the operator of the tenant's park
    page = client.get(world.lease_a.get_absolute_url()).content.decode()
    assert 'data-testid="attach-existing"' in page and "营业执照 · 荣耀终端营业执照" in page
    response = client.post(reverse("core:attachment_attach", args=["leasing.lease", world.lease_a.pk]),
                           {"document": licence.pk})
    assert response.status_code == 302
    assert sorted(Attachment.objects.values_list("content_type__model", "object_id")) == [
        ("enterprise", world.tenant_a.pk), ("lease", world.lease_a.pk)]
    assert Document.objects.count() == 1 and licence.versions.count() == 1
    assert len([p for p in attachment_root.rglob("*") if p.is_file()]) == 1
    on_lease = Attachment.objects.get(object_id=world.lease_a.pk, content_type__model="lease")
    assert client.get(reverse("core:attachment_download", args=[on_lease.pk])).status_code == 200
    # Once attached, it is no longer offered there.
    assert not selectors.reusable_documents(user=world.users["operator"], record=world.lease_a).exists()


def test_a_new_licence_version_reaches_every_record_it_is_attached_to(world):
    first = licence_of(world)
    services.document_attach(user=world.users["operator"], record=world.lease_a, document=first.document)
    services.document_version_add(user=world.users["enterprise"], attachment=first,
                                  upload=samples.upload("营业执照-变更后.pdf", samples.PDF))
    on_lease = Attachment.objects.get(content_type__model="lease")
    version, handle = services.version_open(user=world.users["operator"], attachment=on_lease)
    with handle:
        assert (version.number, handle.read()) == (2, samples.PDF)


def test_a_document_of_one_enterprise_cannot_be_attached_to_another_enterprise_record(world):
    licence = licence_of(world).document
    assert not selectors.reusable_documents(user=world.users["officer"], record=world.lease_b).exists()
    with pytest.raises(ValidationError) as caught:
        services.document_attach(user=world.users["officer"], record=world.lease_b, document=licence)
    assert "尚未关联到这里的文档" in caught.value.message_dict["document"][0]
    assert Attachment.objects.count() == 1


def test_the_licence_is_seen_by_those_who_see_the_enterprise_only(world, client_for):
    attachment = licence_of(world)
    url = reverse("core:attachment_download", args=[attachment.pk])
    for role, status in (("enterprise", 200), ("operator", 200), ("officer", 200), ("leader", 200),
                         ("operator_b", 404)):
        assert client_for(world.users[role]).get(url).status_code == status, role
    assert set(Document.objects.for_user(world.users["operator"])) == {attachment.document}
    assert not Document.objects.for_user(world.users["operator_b"]).exists()


def test_the_enterprise_attaches_the_certificate_to_its_own_qualification(world, client_for, certificate):
    client = client_for(world.users["enterprise"])
    page = client.get(certificate.get_absolute_url()).content.decode()
    assert 'data-testid="attachment-upload"' in page
    response = client.post(reverse("core:attachment_upload", args=["enterprises.qualification", certificate.pk]),
                           {"kind": "qualification_certificate", "title": "高新技术企业证书",
                            "file": samples.upload("高新证书.pdf", samples.PDF)})
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.kind, document.owner_id) == ("qualification_certificate", world.tenant_a.pk)
    # The operator sees the certificate (it sees the enterprise) but may not attach to a qualification.
    operator = client_for(world.users["operator"])
    page = operator.get(certificate.get_absolute_url()).content.decode()
    assert "高新技术企业证书" in page and 'data-testid="attachment-upload"' not in page
    assert not services.may_attach(world.users["operator"], certificate)
    with pytest.raises(PermissionDenied):
        services.document_upload(user=world.users["operator"], record=certificate, kind="qualification_certificate",
                                 upload=samples.upload("证书.pdf", samples.PDF))
