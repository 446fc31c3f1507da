"""In Chromium, from an offer to a clawback: the screening finds enterprise A eligible for a rent policy; its user
sees the policy with the reason for each condition and applies in one step; three officers review, pass and
approve it and one records the tranche paid; the operator ends the lease early; the check of obligations raises
a clawback case for the share of the year after the lease ended, which the officer and the enterprise see."""

import datetime
import re
from decimal import Decimal

import pytest

from core.models import Department
from core.reference.choices import Role
from core.rules import div_half_up
from leasing.models import Lease
from policies import engine, services
from policies.choices import ApplicationStatus, AwardStatus, ClawbackStatus, PolicyCategory
from policies.models import Application, Award, Budget, ClawbackCase, Offer, Policy, PolicyVersion
from spaces.tests.test_browser import SHOTS, login
from yuanqu.testing import make_user

TODAY = datetime.date.today()
START, END = datetime.date(TODAY.year, 1, 1), datetime.date(TODAY.year, 12, 31)
PER_M2 = 500_00  # 500.00 元 a ㎡ of the lease
AWARD = 300_000_00  # 600.00 ㎡ × 500.00 元 = 300,000.00 元

CONDITIONS = {"all": [
    {"fact": "enterprise.in_district", "op": "eq", "value": True, "label": "在本区经营"},
    {"fact": "lease.area", "op": "ge", "value": 100_00, "label": "租赁面积"},
]}
AMOUNT = {"mul": [{"param": "per_m2"}, {"fact": "lease.area"}], "label": "租赁面积 × 每平方米补贴"}
OBLIGATIONS = [{"kind": "lease_kept", "years": 0, "recover": "pro_rata", "label": "支持年度内不得提前退租"}]


def published_policy() -> Policy:
    policy = Policy.objects.create(code="office-rent", name="重点企业办公用房补贴", category=PolicyCategory.RENT,
                                   document_number="福府规〔2026〕2号", issuer="福田区工业和信息化局",
                                   valid_from=datetime.date(2020, 1, 1), proactive=True)
    version = PolicyVersion(policy=policy, number=1, status="published", effective_from=datetime.date(2020, 1, 1),
                            conditions=CONDITIONS, amount=AMOUNT, obligations=OBLIGATIONS,
                            parameters={"per_m2": {"type": "money", "label": "每平方米补贴",
                                                   "values": [["2020-01-01", PER_M2]]}},
                            source_document="福府规〔2026〕2号")
    version.content_hash = engine.version_hash(version)
    version.save()
    Budget.objects.create(policy=policy, year=TODAY.year, total=10_000_000_00)
    return policy


def signed_in(browser, live_server, username):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    login(page, live_server, username)
    return context, page


def take_action(page, verb, fields=None, *, lands=r"/policies/applications/\d+/$"):
    page.locator(f'[data-action="{verb}"]').click()
    page.wait_for_url(re.compile(rf"/{verb}/$"))
    for selector, value in (fields or {}).items():
        page.fill(selector, value)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(lands))


@pytest.mark.browser
def test_offer_application_approval_payment_then_early_exit_and_clawback(live_server, transactional_db, world,
                                                                         page, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    published_policy()
    # The world's lease A (600 ㎡) runs through the year supported.
    Lease.objects.filter(pk=world.lease_a.pk).update(end_date=END + datetime.timedelta(days=365))
    officer2 = make_user("t_officer2", Role.BUREAU_OFFICER, Department.objects.get(code="kcj"))
    run = services.screening_run(on=TODAY, start=START, end=END, user=world.users["officer"])
    assert run.offers == 2, run.summary  # both of the world's enterprises lease over 100 ㎡ in the district

    # 1) The enterprise sees the policy it is likely eligible for, with the reason of each condition, and applies.
    login(page, live_server, "t_enterprise")
    page.goto(f"{live_server.url}/policies/my-offers/")
    offer = page.get_by_test_id("offer")
    assert "重点企业办公用房补贴" in offer.inner_text()
    assert offer.get_by_test_id("amount").inner_text() == "300,000.00"
    reasons = offer.get_by_test_id("reasons").inner_text()
    assert "✓ 在本区经营" in reasons and "✓ 租赁面积 600 ㎡，达到要求的 100 ㎡" in reasons
    assert "500 元/㎡ × 600 ㎡ = 300,000 元" in reasons
    page.screenshot(path=str(SHOTS / "policies-offer.png"), full_page=True)
    take_action(page, "confirm", lands=r"/policies/(applications|offers)/\d+/$")
    application = Application.objects.get(offer=Offer.objects.get(enterprise=world.tenant_a))
    assert application.status == ApplicationStatus.SUBMITTED

    # 2) First review, second review by another officer, approval by a third; the tranche is paid.
    url = f"{live_server.url}{application.get_absolute_url()}"
    page.goto(url)  # the enterprise reads its application; it decides nothing
    assert page.get_by_test_id("application-status").inner_text() == "已提交"
    assert page.locator('[data-action="first_review"]').count() == 0
    officer_context, officer_page = signed_in(browser, live_server, "t_officer")
    officer_page.goto(url)
    take_action(officer_page, "first_review", {"#id_comment": "租赁合同、营业执照齐全"})
    second_context, second_page = signed_in(browser, live_server, officer2.username)
    second_page.goto(url)
    take_action(second_page, "second_review", {"#id_comment": "复核无误"})
    admin_context, admin_page = signed_in(browser, live_server, "t_admin")
    admin_page.goto(url)
    take_action(admin_page, "approve", {"#id_comment": "同意支持"})
    assert admin_page.get_by_test_id("application-status").inner_text() == "已批准"
    assert admin_page.get_by_test_id("approved-amount").inner_text().startswith("300,000.00")
    award = Award.objects.get(application=application)
    officer_page.goto(f"{live_server.url}{award.get_absolute_url()}")
    pay = officer_page.get_by_test_id("tranche-pay")
    pay.locator("input[name$=paid_on]").fill(TODAY.isoformat())
    pay.locator("input[name$=reference]").fill("GK-2026-0815")
    pay.locator("button").click()
    officer_page.wait_for_url(re.compile(r"/policies/awards/\d+/$"))
    assert officer_page.get_by_test_id("award-paid").inner_text().startswith("300,000.00")
    award.refresh_from_db()
    assert (award.paid, award.status) == (AWARD, AwardStatus.COMPLETED)

    # 3) The operator ends the lease early; the officer checks the obligations; the case shows its amount.
    ended = TODAY - datetime.timedelta(days=30)
    operator_context, operator_page = signed_in(browser, live_server, "t_operator")
    operator_page.goto(f"{live_server.url}{world.lease_a.get_absolute_url()}")
    take_action(operator_page, "terminate", {"#id_terminated_on": ended.isoformat(), "#id_reason": "企业提前退租"},
                lands=r"/leasing/leases/\d+/$")
    officer_page.goto(f"{live_server.url}/policies/clawbacks/scan/")
    officer_page.get_by_test_id("clawback-scan-submit").click()
    officer_page.wait_for_url(re.compile(r"/policies/clawbacks/\?status=raised$"))
    case = ClawbackCase.objects.get()
    breached = max(ended + datetime.timedelta(days=1), START)
    days_after, days = (END - breached).days + 1, (END - START).days + 1
    expected = div_half_up(AWARD * days_after, days)  # 300,000.00 元 × the days after the lease ended ÷ the year's
    assert (case.award, case.obligation, case.breached_on, case.amount_due, case.status) == (
        award, "lease_kept", breached, expected, ClawbackStatus.RAISED)
    shown = f"{Decimal(expected) / 100:,.2f}"
    assert shown in officer_page.locator("table").first.inner_text()
    officer_page.goto(f"{live_server.url}{case.get_absolute_url()}")
    assert officer_page.get_by_test_id("amount-due").inner_text() == shown
    assert "提前终止" in officer_page.get_by_test_id("clawback-detail").inner_text()
    assert f"{days_after}" in officer_page.get_by_test_id("clawback-evidence").inner_text()
    officer_page.screenshot(path=str(SHOTS / "policies-clawback-case.png"), full_page=True)

    # The enterprise sees the case on its page, and decides nothing on it.
    page.goto(f"{live_server.url}{world.tenant_a.get_absolute_url()}")
    assert shown in page.get_by_test_id("clawbacks").inner_text()
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    assert page.get_by_test_id("amount-due").inner_text() == shown
    assert page.locator("[data-action]").count() == 0
    for context in (officer_context, second_context, admin_context, operator_context):
        context.close()
