"""The demo district's money records: every lease has its terms, rent paid month by month never overlaps and
stays within the lease, most of it confirmed; financial years for the tenants; one sublet."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from enterprises.models import Enterprise, FinancialYear
from leasing.models import Lease, RentPayment, RentStep, Sublet
from leasing.rent import rent_on_day

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def district(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", "--scale", "small", "--today", TODAY.isoformat(), "--seed", "7", stdout=io.StringIO())


def test_demo_leases_carry_money_terms_and_rent_paid_since_2025(district):
    # Leases signed for allocated government space carry the allocation's terms (policies' demo), not these.
    leases = Lease.objects.filter(space_allocation__isnull=True)
    assert leases.filter(deposit__gt=0).count() == leases.count() > 0
    assert leases.filter(rent_free_months__gt=0).exists() and RentStep.objects.exists()
    payments = RentPayment.objects.select_related("lease")
    assert payments.count() > leases.filter(status="active").count()
    spans = {}
    for payment in payments:
        lease = payment.lease
        assert lease.start_date <= payment.period_start <= payment.period_end <= min(lease.end_date, TODAY)
        assert payment.period_start >= datetime.date(2025, 1, 1) and payment.amount > 0
        spans.setdefault(lease.pk, []).append((payment.period_start, payment.period_end))
    for periods in spans.values():
        periods.sort()
        assert all(b[0] > a[1] for a, b in zip(periods, periods[1:], strict=False))
    confirmed = payments.filter(confirmed_at__isnull=False).count()
    assert 0.8 < confirmed / payments.count() < 1
    assert not payments.filter(confirmed_at__isnull=False, period_end__gt=TODAY - datetime.timedelta(days=20)).exists()
    # a full month's amount is that month's rent (steps and rent-free months applied) times the area
    payment = payments.filter(period_start__day=1, period_end__day=31).first()
    lease = payment.lease
    steps = list(lease.rent_steps.values_list("starts_on", "monthly_rent"))
    rent = rent_on_day(day=payment.period_start, start=lease.start_date, monthly_rent=lease.monthly_rent,
                       rent_free_months=lease.rent_free_months, steps=steps)
    assert payment.amount == (rent * lease.leased_area).quantize(payment.amount)


def test_demo_enterprises_have_district_dates_financial_years_and_one_sublet(district):
    years = FinancialYear.objects.values("year").annotate(n=Count("pk"))
    assert {row["year"] for row in years} == {2024, 2025}
    assert Enterprise.objects.filter(~Q(moved_in_on=None)).exists()
    # Leasing's demo records one; policies' demo records another behind its clawback case.
    assert Sublet.objects.filter(subtenant_name="深圳市云启咨询服务有限公司").count() == 1
    assert FinancialYear.objects.filter(rd_expense__gt=0).count() == FinancialYear.objects.count()
