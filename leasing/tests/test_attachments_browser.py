"""In Chromium: an operator uploads the signed contract on a lease's page and downloads it; another operator's
browser gets a 404 for the same link."""

import re

import pytest

from core.models import Attachment, DomainEvent
from core.tests import attachment_files as samples
from spaces.tests.test_browser import SHOTS, login


@pytest.mark.browser
def test_operator_uploads_a_contract_on_the_lease_page_and_downloads_it(live_server, transactional_db, world, page,
                                                                      browser, tmp_path, attachment_root):
    SHOTS.mkdir(parents=True, exist_ok=True)
    contract = tmp_path / "租赁合同-HT-A-001.pdf"
    contract.write_bytes(samples.PDF)
    login(page, live_server, "t_operator")
    page.goto(f"{live_server.url}{world.lease_a.get_absolute_url()}")
    panel = page.get_by_test_id("attachments")
    assert "没有附件。" in panel.inner_text()
    page.set_input_files("#id_attachment_file", str(contract))
    page.select_option("#id_attachment_kind", "lease_contract")
    page.get_by_test_id("upload").click()
    page.wait_for_url(re.compile(r"/leasing/leases/\d+/#attachments$"))
    row = page.get_by_test_id("attachment")
    assert "租赁合同-HT-A-001.pdf" in row.inner_text() and "租赁合同" in row.inner_text()
    assert "已上传附件：租赁合同-HT-A-001" in page.content()
    page.screenshot(path=str(SHOTS / "lease-attachments.png"), full_page=True)

    with page.expect_download() as caught:
        row.get_by_test_id("download").click()
    download = caught.value
    assert download.suggested_filename == "租赁合同-HT-A-001.pdf"
    assert open(download.path(), "rb").read() == samples.PDF
    attachment = Attachment.objects.get()
    assert DomainEvent.objects.filter(name="core.document.download", object_id=str(world.lease_a.pk)).count() == 1

    other = browser.new_context(locale="zh-CN")
    try:
        other_page = other.new_page()
        login(other_page, live_server, "t_operator_b")
        response = other_page.goto(f"{live_server.url}/core/attachments/{attachment.pk}/download/")
        assert response.status == 404
    finally:
        other.close()


@pytest.mark.browser
def test_a_refused_file_is_explained_beside_its_field(live_server, transactional_db, world, page, tmp_path,
                                                      attachment_root):
    program = tmp_path / "合同.pdf"
    program.write_bytes(samples.EXE)
    login(page, live_server, "t_operator")
    page.goto(f"{live_server.url}{world.lease_a.get_absolute_url()}")
    page.set_input_files("#id_attachment_file", str(program))
    page.get_by_test_id("upload").click()
    page.wait_for_selector("[data-testid=field-error]")
    assert page.get_by_test_id("field-error").inner_text().startswith("文件：这个文件是程序，不是文档")
    page.screenshot(path=str(SHOTS / "lease-attachment-refused.png"), full_page=True)
    assert not Attachment.objects.exists()
