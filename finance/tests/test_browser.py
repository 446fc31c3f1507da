"""In Chromium: an officer opens a sub-fund whose verified reinvestment ratio is shown, records an investment into
a district tenant (registered in the district, holding a lease on the day) through the add form, and sees the
verified ratio move to its exact new value."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from enterprises.models import Enterprise
from finance.models import Fund, FundInvestment, FundManager, GuidanceCommitment, ShareLimit
from finance.reference import ensure_share_limits
from spaces.tests.test_browser import SHOTS, login

TODAY = timezone.localdate()


@pytest.mark.browser
def test_an_investment_into_a_district_tenant_moves_the_verified_ratio(live_server, transactional_db, world, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    ensure_share_limits(ShareLimit)
    manager = FundManager.objects.create(name="深圳市福田资本私募股权投资基金管理有限公司")
    guidance = Fund.objects.create(code="FT-YD", name="福田区政府引导基金", manager=manager, kind="guidance",
                                   size=Decimal("10000000000"), registered_on=datetime.date(2015, 12, 18))
    sub = Fund.objects.create(code="FT-JJ-001", name="深圳福田创新一号创业投资基金", manager=manager, kind="venture",
                              focus="innovation", size=Decimal("100000000"), aum=Decimal("90000000"),
                              registered_on=datetime.date(2020, 3, 1), reported_local_investment=Decimal("40000000"),
                              reported_on=TODAY)
    GuidanceCommitment.objects.create(guidance_fund=guidance, sub_fund=sub, committed=Decimal("30000000"),
                                      paid_in=Decimal("15000000"), committed_on=datetime.date(2021, 1, 1))
    # Enterprise A registered in the district before its lease (300 days ago to 45 days ahead) began.
    Enterprise.objects.filter(pk=world.tenant_a.pk).update(moved_in_on=TODAY - datetime.timedelta(days=400))
    FundInvestment.objects.create(fund=sub, enterprise=world.tenant_a, round="angel", amount=Decimal("15000000"),
                                  invested_on=TODAY - datetime.timedelta(days=200))

    login(page, live_server, "t_officer")
    page.goto(f"{live_server.url}{sub.get_absolute_url()}")
    assert page.get_by_test_id("verified-ratio").inner_text().strip() == "50.00%"  # 1,500 万 ÷ 3,000 万
    assert page.get_by_test_id("required-ratio").inner_text().strip() == "150.00%"

    page.get_by_test_id("add-investment").click()
    page.wait_for_url(re.compile(r"/finance/investments/add/"))
    page.fill("#id_enterprise", world.tenant_a.credit_code)
    page.select_option("#id_round", "a")
    page.fill("#id_amount", "12345678.90")
    page.fill("#id_invested_on", (TODAY - datetime.timedelta(days=10)).isoformat())
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/finance/investments/\d+/$"))
    assert page.get_by_test_id("investment-local").inner_text().strip() == "本地"

    page.goto(f"{live_server.url}{sub.get_absolute_url()}")
    # (15,000,000.00 + 12,345,678.90) ÷ 30,000,000.00 = 91.1522…% → 91.15%
    assert page.get_by_test_id("verified-ratio").inner_text().strip() == "91.15%"
    assert page.get_by_test_id("verified-local").inner_text().strip() == "2,734.57 万元"
    assert page.get_by_test_id("reported-local").inner_text().strip() == "4,000.00 万元"
    page.screenshot(path=str(SHOTS / "finance-fund-ratio.png"), full_page=True)
