"""The demo district's five policies: published with their evidence (every case run and passing, a dry run of the
very content published), budgets for last year and this, the 科技楼宇 rate changing mid-year, and their pages."""

import datetime
import io

import pytest
from django.core.management import call_command

from certification.choices import VersionStatus
from policies import engine
from policies.demo import POLICIES
from policies.models import Budget, Policy, PolicyVersion

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district(db):
    call_command("load_demo", "--scale", "small", "--seed", "7", "--today", TODAY.isoformat(), stdout=io.StringIO())


def test_the_five_policies_are_published_with_their_evidence(district):
    five = {p["code"] for p in POLICIES}
    assert five == {"attraction-rent", "credit-rent", "new-energy-building", "govspace-high-tech", "tech-building-rent"}
    # The sixth is the allocation policy government-owned space is let under (policies.demo, government-owned space).
    assert set(Policy.objects.values_list("code", flat=True)) == five | {"govspace-allocation"}
    for version in PolicyVersion.objects.filter(policy__code__in=five).select_related("policy"):
        assert version.status == VersionStatus.PUBLISHED and version.published_by == "admin", version.policy.code
        assert version.content_hash == engine.version_hash(version) == version.dry_run["hash"]
        assert version.dry_run["period"] == ["2025-01-01", "2025-12-31"]
        assert version.dry_run["enterprises"] > 0 and version.dry_run["budget"]["year"] == 2025
        cases = list(version.test_cases.all())
        assert len(cases) >= 6 and all(case.last_result["passed"] for case in cases), version.policy.code
        assert version.source_document and "[assume]" in version.notes + version.policy.document_number
        budgets = set(Budget.objects.filter(policy=version.policy).values_list("year", flat=True))
        assert budgets == {2025, 2026}


def test_the_tech_building_rate_changes_mid_year(district):
    version = PolicyVersion.objects.get(policy__code="tech-building-rent")
    assert version.parameters["rate"]["values"] == [["2024-01-01", 5000], ["2025-07-01", 4000]]
    split = [case for case in version.test_cases.all() if case.name == "800 ㎡，比例年中调整"]
    assert split and split[0].last_result["amount"] == 10_790_137


def test_the_policy_and_version_pages_read_plainly(district, client):
    from core.models import User

    client.force_login(User.objects.get(username="admin"))
    policy = Policy.objects.get(code="tech-building-rent")
    page = client.get(policy.get_absolute_url()).content.decode()
    assert "20,000,000.00 元" in page and policy.versions.get().get_absolute_url() in page
    version = policy.versions.get()
    page = client.get(version.get_absolute_url()).content.decode()
    assert "租赁面积：不超过 租赁面积上限（1,000 ㎡）" in page
    assert ("取较小值（按实付租金比例：补贴比例 × 实付租金；按面积和月数封顶：每平方米每月补贴上限 × 租赁面积 × "
            "租赁月数）") in page
    assert "2025年7月1日" in page and "40%" in page and "不得转租" in page


def test_the_demo_screening_offers_the_demo_enterprise_its_support(district):
    """The demo ends with the officer's screening of this year: done, re-checked without a mismatch, and the
    account "enterprise" has support proposed that it can see with its reasons."""
    from django.contrib.auth import get_user_model

    from policies.models import Offer, ScreeningRun

    run = ScreeningRun.objects.get()
    assert (run.status, run.mismatches) == ("done", 0) and run.sample_checked > 0 and run.offers > 0
    user = get_user_model().objects.get(username="enterprise")
    offers = Offer.objects.for_user(user).filter(status="proposed")
    assert offers.exists() and all(o.enterprise.users.filter(pk=user.pk).exists() for o in offers)
    assert Offer.objects.for_user(user).count() < Offer.objects.count()
