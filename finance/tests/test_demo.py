"""The demo district's fund park, counted through the selectors the pages use: 51 funds, 5 working on site and
46 registered virtually, more than 1,000 亿元 under management; the guidance fund's sub-funds within the caps,
investments local and not, an overdue check."""

import datetime
import io

import pytest
from django.core.management import call_command

from core.models import User
from finance import selectors, services
from finance.choices import FundKind
from finance.models import Fund, FundInvestment, GuidanceCommitment, Intake, Member, Programme, SupervisionCheck

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_the_demo_fund_park_holds_51_funds_5_on_site_and_more_than_1000_yi(client):
    call_command("load_demo", "--scale", "small", "--seed", "7", "--today", TODAY.isoformat(), stdout=io.StringIO())
    officer = User.objects.get(username="officer")
    counts = selectors.fund_park_counts(user=officer, today=TODAY)
    assert (counts.funds, counts.physical, counts.virtual) == (51, 5, 46)
    assert counts.aum > 1000 * 100_000_000
    assert counts.guidance == 1 and counts.overdue_checks >= 1
    # Those on site hold their lease in the fund park on the demo's day.
    for fund in Fund.objects.filter(presence="physical"):
        lease = selectors.fund_lease(fund, TODAY)
        assert lease is not None and lease.park.code == "futian-cbd-02", fund
    # The guidance fund's commitments pass the caps the services check.
    commitments = GuidanceCommitment.objects.all()
    assert commitments.count() == 8
    for commitment in commitments:
        services.check_share_caps(commitment)
        assert commitment.paid_in <= commitment.committed
    # Investments: most local, some not, for each reason the demo stages.
    rows = selectors.investments_with_locality(FundInvestment.objects.select_related("enterprise"))
    assert len(rows) >= 40
    reasons = {str(where.reason) for _i, where in rows if not where.local}
    assert sum(1 for _i, where in rows if where.local) > 25
    assert {"投资日在本区无租约", "投资日前已迁出本区"} <= reasons
    sub = commitments.first().sub_fund
    figures = selectors.fund_figures(user=officer, fund=sub)
    assert figures.ratio_bp is not None and figures.reported_local_fen >= figures.verified_local_fen
    assert SupervisionCheck.objects.filter(closed=False, follow_up_due__lt=TODAY).count() == 1
    assert Fund.objects.filter(kind=FundKind.GUIDANCE).get().name == "福田区政府引导基金"
    # Operators and enterprises see none of it.
    assert selectors.fund_park_counts(user=User.objects.get(username="operator")).funds == 0
    client.force_login(officer)
    page = client.get("/finance/fund-park/").content.decode()
    assert 'data-testid="funds-total"><a href="/finance/funds/">51</a>' in page
    assert client.get(sub.get_absolute_url()).status_code == 200

    # The cohorts: the fintech accelerator's three intakes and 天使荟's two, their figures out of the selectors.
    accelerator = Programme.objects.get(name="福田金融科技加速器")
    angel = Programme.objects.get(name="深圳天使荟（福田）")
    assert (accelerator.kind, angel.kind) == ("accelerator", "angel")
    assert list(accelerator.intakes.order_by("starts_on").values_list("name", flat=True)) == ["第一期", "第二期", "第三期"]
    assert angel.intakes.count() == 2
    for intake in Intake.objects.filter(programme=accelerator):
        figures = selectors.intake_figures(user=officer, intake=intake)
        assert 10 <= figures.members <= 15
        assert figures.members == figures.active + figures.graduated + figures.left
    latest = accelerator.intakes.order_by("-starts_on").first()
    latest_figures = selectors.intake_figures(user=officer, intake=latest)
    assert latest_figures.active > latest_figures.members / 2
    total = selectors.programme_figures(user=officer, programme=accelerator)
    both = selectors.programme_figures(user=officer, programme=angel)
    both.add(total)
    assert both.members == Member.objects.count() and both.graduated > 0 and both.left > 0
    assert both.invested > 0 and both.high_tech > 0
    assert all(count > 0 for count, _amount in both.resources.values())
    assert both.resources["funding"][1] > 0
    page = client.get(accelerator.get_absolute_url()).content.decode()
    assert page.count('data-testid="intake-row"') == 3
    assert client.get(latest.get_absolute_url()).status_code == 200
    # The demo enterprise account sees its own membership, in the accelerator's latest intake, and no other.
    enterprise_user = User.objects.get(username="enterprise")
    assert list(Member.objects.for_user(enterprise_user).values_list("intake", flat=True)) == [latest.pk]
