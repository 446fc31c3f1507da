"""In Chromium: an operator applies (enters the supplied value, attaches its document, submits); officer 1 returns
it with a comment; the operator corrects it and submits again; officer 1 passes the first review; officer 2
approves; the park's page shows the certification; then the evidence behind one criterion lists its records."""

import datetime
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from certification.choices import ApplicationStatus, CertificationStatus
from certification.models import Application, Certification, Incubatee
from certification.tests.generic_records import sample_scheme
from core.models import Department, DomainEvent
from core.reference.choices import Role
from core.tests import attachment_files as samples
from spaces.tests.test_browser import SHOTS, login
from yuanqu.testing import make_user

DOCS_SHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
CRITERIA = {"all": [
    {"fact": "subject.area_controlled", "op": "ge", "value": 50000, "label": "管理面积"},
    {"fact": "subject.incubatee_count", "op": "ge", "value": 1, "label": "在孵企业数量"},
    {"fact": "subject.fund_size", "op": "ge", "value": 500000000, "label": "孵化基金规模"},
]}


def signed_in(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    login(page, live_server, username)
    return context, page


def take_action(page, verb, comment=None):
    page.locator(f'[data-action="{verb}"]').click()
    page.wait_for_url(re.compile(rf"/certification/applications/\d+/{verb}/$"))
    if comment is not None:
        page.fill("#id_comment", comment)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/certification/applications/\d+/$"))


def status_of(page):
    return page.get_by_test_id("application-status").inner_text()


@pytest.mark.browser
def test_apply_return_resubmit_review_approve_then_the_evidence(live_server, transactional_db, world, page, browser,
                                                                 tmp_path, attachment_root):
    SHOTS.mkdir(parents=True, exist_ok=True)
    scheme = sample_scheme("district-incubator", criteria=CRITERIA)
    scheme.name = "福田区科技企业孵化器认定"
    scheme.save()
    Incubatee.objects.create(park=world.park_a, enterprise=world.tenant_a, entered_on=datetime.date(2025, 1, 1),
                             industry_match=True)
    make_user("t_officer2", Role.BUREAU_OFFICER, Department.objects.get(code="kcj"))
    proof = tmp_path / "孵化基金出资证明.pdf"
    proof.write_bytes(samples.PDF)

    # The operator opens an application for its park and sees the criteria live: the fund is still missing.
    login(page, live_server, "t_operator")
    page.goto(f"{live_server.url}/certification/applications/add/")
    page.select_option("#id_park", str(world.park_a.pk))
    page.select_option("#id_scheme", str(scheme.pk))
    page.fill("#id_reference_date", "2026-03-31")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/certification/applications/\d+/$"))
    application = Application.objects.get()
    criteria = page.get_by_test_id("criteria")
    assert "孵化基金规模：数据缺失" in criteria.inner_text()
    assert "满足" in criteria.locator('tr[data-fact="subject.area_controlled"]').inner_text()

    # It attaches the document, enters the value in 元 and names the document.
    page.set_input_files("#id_attachment_file", str(proof))
    page.select_option("#id_attachment_kind", "certification_evidence")
    page.get_by_test_id("upload").click()
    page.wait_for_url(re.compile(r"/certification/applications/\d+/#attachments$"))
    page.get_by_test_id("supply-values").click()
    page.fill("#id_subject__fund_size__value", "6000000")
    page.select_option("#id_subject__fund_size__document", label="孵化基金出资证明")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/certification/applications/\d+/$"))
    row = page.get_by_test_id("criteria").locator('tr[data-fact="subject.fund_size"]')
    assert "6,000,000 元" in row.inner_text() and "满足" in row.inner_text()
    page.screenshot(path=str(SHOTS / "certification-application-draft.png"))
    take_action(page, "submit")
    assert status_of(page) == "已提交"

    # Officer 1 returns it with a comment.
    officer1, officer1_page = signed_in(browser, live_server, "t_officer")
    officer1_page.goto(f"{live_server.url}{application.get_absolute_url()}")
    take_action(officer1_page, "return", comment="请补充基金托管银行出具的证明")
    assert status_of(officer1_page) == "退回修改"

    # The operator reads the comment, corrects the value and submits again.
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    assert "请补充基金托管银行出具的证明" in page.get_by_test_id("review-comment").inner_text()
    page.get_by_test_id("supply-values").click()
    page.fill("#id_subject__fund_size__value", "8,000,000")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/certification/applications/\d+/$"))
    take_action(page, "submit")
    assert status_of(page) == "已提交"

    # Officer 1 passes the first review, and may not approve it himself: no button.
    officer1_page.goto(f"{live_server.url}{application.get_absolute_url()}")
    take_action(officer1_page, "accept", comment="材料齐全")
    assert status_of(officer1_page) == "初审通过"
    assert officer1_page.locator('[data-action="approve"]').count() == 0
    officer1.close()

    # Officer 2 approves.
    officer2, officer2_page = signed_in(browser, live_server, "t_officer2")
    officer2_page.goto(f"{live_server.url}{application.get_absolute_url()}")
    take_action(officer2_page, "approve", comment="同意认定")
    assert status_of(officer2_page) == "已批准"
    certification = Certification.objects.get()
    year = datetime.date.today().year
    assert certification.certificate_number == f"FTKC-RZ-{year}-0001"
    assert certification.status == CertificationStatus.VALID
    assert certification.certificate_number in officer2_page.get_by_test_id("issued").inner_text()
    officer2_page.screenshot(path=str(SHOTS / "certification-application.png"))
    officer2.close()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.supplied["subject.fund_size"]["value"] == 800000000
    assert [e.name.rsplit(".", 1)[1] for e in DomainEvent.objects.filter(
        name__startswith="certification.application.").order_by("pk")] == [
        "submit", "return", "submit", "accept", "approve"]

    # The park's page shows the certification.
    page.goto(f"{live_server.url}{world.park_a.get_absolute_url()}")
    panel = page.get_by_test_id("certifications")
    assert certification.certificate_number in panel.inner_text()
    assert "福田区科技企业孵化器认定" in panel.inner_text() and "有效" in panel.inner_text()

    # The evidence behind the number of incubatees lists the incubatee counted.
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_test_id("criteria").locator('tr[data-fact="subject.incubatee_count"]').get_by_test_id(
        "evidence-link").click()
    page.wait_for_url(re.compile(r"/certification/evidence/\d+/subject.incubatee_count/"))
    assert "荣耀终端有限公司" in page.content()
    page.screenshot(path=str(SHOTS / "certification-evidence.png"))

    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
    for name in ("certification-application.png", "certification-evidence.png"):
        shutil.copyfile(SHOTS / name, DOCS_SHOTS / name)
        assert (DOCS_SHOTS / name).stat().st_size < 300 * 1024, name
