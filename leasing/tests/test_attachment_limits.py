"""The size limit of a document, at its edge: a file of exactly the limit is taken, one byte more is refused
while it arrives, in the page and the API alike; an empty file and a zip bomb dressed as .docx are refused by
what they are, without unpacking anything."""

import io
import zipfile

import pytest
from django.urls import reverse

from core.models import Document
from core.tests import attachment_files as samples
from yuanqu.testing import bearer

pytestmark = pytest.mark.usefixtures("attachment_root")
LIMIT = 200_000


def page_upload(client, lease, content, name="合同.pdf"):
    return client.post(reverse("core:attachment_upload", args=["leasing.lease", lease.pk]),
                       {"kind": "lease_contract", "title": "", "file": samples.upload(name, content)})


def api_upload(client, user, lease, content, name="合同.pdf"):
    return client.post(f"/api/attachments/of/leasing.lease/{lease.pk}",
                       {"kind": "lease_contract", "file": samples.upload(name, content)}, **bearer(user))


def test_a_file_of_exactly_the_limit_is_taken_and_one_byte_more_is_not(world, client_for, settings):
    settings.YUANQU_ATTACHMENT_MAX_BYTES = LIMIT
    client = client_for(world.users["operator"])
    assert page_upload(client, world.lease_a, samples.pdf_of(LIMIT + 1)).status_code == 400
    assert not Document.objects.exists()
    assert page_upload(client, world.lease_a, samples.pdf_of(LIMIT)).status_code == 302
    assert Document.objects.get().versions.get().size == LIMIT


def test_the_api_draws_the_same_edge(world, client, settings):
    settings.YUANQU_ATTACHMENT_MAX_BYTES = LIMIT
    operator = world.users["operator"]
    refused = api_upload(client, operator, world.lease_a, samples.pdf_of(LIMIT + 1))
    assert refused.status_code == 400 and refused.json()["errors"][0]["message"].startswith("文件：文件超过了文档的上限")
    assert api_upload(client, operator, world.lease_a, samples.pdf_of(LIMIT)).status_code == 201


def test_an_empty_file_is_refused_naming_the_field(world, client):
    response = api_upload(client, world.users["operator"], world.lease_a, b"")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "文件：文件是空的。"
    assert not Document.objects.exists()


def test_a_zip_bomb_named_docx_is_refused_without_unpacking(world, client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"\0" * (50 * 1024 * 1024))  # 50 MB of zeros, a few KB packed
    response = api_upload(client, world.users["operator"], world.lease_a, buffer.getvalue(), name="合同.docx")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("文件：文件是一个压缩包，不是文档。")
    assert not Document.objects.exists()
