"""Policies' part of the synthetic data (``manage.py generate``, ``demo.parts``): the facts the demo policies read,
at every scale, after leasing wrote the leases and certification the certifications and qualifications (step
``policies.facts`` after ``certification.records``).

Drawn from ``plan.stream("policies")`` in the order of rows read back ordered by the order they were written,
so the same seed, scale and day give the same records and nothing the other parts draw changes:

- district dates: an enterprise whose first lease began more than a year after it was established moved into
  the district (落户) on that day; one whose leases all ended more than 180 days ago moved out, half of them,
  30 to 150 days after the last one ended;
- government-owned space: 3 % of the buildings (at least one) are the district's: their units are
  government-owned and the leases on them carry an assessed market rent, the rent ÷ 0.5, 0.6, 0.7, 0.8 or 1.0
  (drawn a building); a quarter of their tenants without one get a national high-tech certificate;
- revenue: a FinancialYear for each of the last two years for 80 % of the enterprises with a lease in those
  years, log-normal around 5,000,000 元 (σ 1.5);
- rent paid: one RentPayment a lease a calendar year of the last two years and this one, for the part of the
  year the lease ran (this year up to the day before ``today``), its rent × area × months, rent-free months
  unpaid; 92 % of leases have them, paid in full or (one in ten) 80–99 %. One row a lease a year: rows stay
  in the millions at city scale (about 1.5 a lease).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Max, Min, OuterRef, Subquery
from django.utils import timezone

from demo.values import DAY, add_years, random_day
from enterprises.models import Enterprise, FinancialYear, Qualification
from leasing.models import Lease, RentPayment
from leasing.rent import rent_due_from
from spaces.models import Building, Unit

GOVERNMENT_SHARE = 0.03
ASSESSED_FACTORS = (Decimal("0.5"), Decimal("0.6"), Decimal("0.7"), Decimal("0.8"), Decimal("1.0"))
GOVERNMENT_HIGH_TECH = 0.25
REVENUE_SHARE = 0.8
REVENUE_MEDIAN = 5_000_000
REVENUE_SIGMA = 1.5
PAYMENT_SHARE = 0.92
PARTIAL_SHARE = 0.1
CENT = Decimal("0.01")
# An UPDATE of many rows by bulk_update is one CASE over the batch, evaluated for each row of it: small batches.
UPDATE_BATCH = 500


def register(part) -> None:
    part.synthetic.step("facts", after=["certification.records"])(generate_facts)
    part.flushes(flush_facts)


def flush_facts(everything: bool) -> dict:
    """Rent payments and financial years go before the leases and enterprises they belong to."""
    payments, _ = RentPayment.objects.all().delete()
    years, _ = FinancialYear.objects.all().delete()
    return {"rent_payments": payments, "financial_years": years}


def generate_facts(plan) -> None:
    rng = plan.stream("policies")
    write_district_dates(plan, rng)
    plan.say(f"{plan.counts.get('moved_in', 0)} moved in, {plan.counts.get('moved_out', 0)} moved out")
    write_government_space(plan, rng)
    plan.say(f"{plan.counts.get('government_leases', 0)} leases of government space")
    write_revenue(plan, rng)
    plan.say(f"{plan.counts.get('financial_years', 0)} financial years")
    write_rent_payments(plan, rng)
    plan.say(f"{plan.counts.get('moved_in', 0)} moved in, {plan.counts.get('government_leases', 0)} leases "
             f"of government space, {plan.counts.get('financial_years', 0)} financial years, "
             f"{plan.counts.get('rent_payments', 0)} rent payments")


def _bulk(plan, key: str, rows: list, write) -> None:
    plan.counts.setdefault(key, 0)
    for start in range(0, len(rows), plan.batch_size):
        batch = rows[start:start + plan.batch_size]
        with transaction.atomic():
            write(batch)
        plan.count(key, len(batch))


def write_district_dates(plan, rng) -> None:
    today = plan.today
    spans = (Lease.objects.order_by("enterprise_id").values_list("enterprise_id")
             .annotate(first=Min("start_date"), last=Max("end_date")))
    established = dict(Enterprise.objects.filter(established_on__isnull=False).values_list("id", "established_on"))
    moved_in, moved_out = [], []
    for enterprise_id, first, last in spans:
        founded = established.get(enterprise_id)
        if founded is not None and first > add_years(founded, 1):
            moved_in.append(enterprise_id)
        if last < today - datetime.timedelta(days=180) and rng.random() < 0.5:
            moved_out.append(Enterprise(id=enterprise_id, moved_out_on=min(
                last + datetime.timedelta(days=rng.randint(30, 150)), today - DAY)))
    # Moving in is the first lease's start: one UPDATE a batch, the date read by the database itself.
    first_lease = Lease.objects.filter(enterprise_id=OuterRef("pk")).order_by("start_date").values("start_date")[:1]
    _bulk(plan, "moved_in", moved_in,
          lambda batch: Enterprise.objects.filter(pk__in=batch).update(moved_in_on=Subquery(first_lease)))
    _bulk(plan, "moved_out", moved_out,
          lambda batch: Enterprise.objects.bulk_update(batch, ["moved_out_on"], batch_size=UPDATE_BATCH))


def write_government_space(plan, rng) -> None:
    buildings = list(Building.objects.order_by("code").values_list("id", flat=True))
    wanted = max(1, round(len(buildings) * GOVERNMENT_SHARE)) if buildings else 0
    chosen = sorted(rng.sample(buildings, wanted))
    factors = {building: rng.choice(ASSESSED_FACTORS) for building in chosen}
    Unit.objects.filter(building_id__in=chosen).update(government_owned=True)
    leases = (Lease.objects.filter(units__building_id__in=chosen).order_by("id")
              .values_list("id", "monthly_rent", "units__building_id", "enterprise_id").distinct())
    rows, tenants, seen = [], [], set()
    for lease_id, rent, building_id, enterprise_id in leases:
        if lease_id in seen:
            continue
        seen.add(lease_id)
        assessed = (rent / factors[building_id]).quantize(CENT, rounding=ROUND_HALF_UP)
        rows.append(Lease(id=lease_id, assessed_monthly_rent=assessed))
        tenants.append(enterprise_id)
    _bulk(plan, "government_leases", rows,
          lambda batch: Lease.objects.bulk_update(batch, ["assessed_monthly_rent"], batch_size=UPDATE_BATCH))
    holders = set(Qualification.objects.filter(kind="high_tech").values_list("enterprise_id", flat=True))
    today = plan.today
    qualifications = []
    for enterprise_id in sorted(set(tenants) - holders):
        if rng.random() < GOVERNMENT_HIGH_TECH:
            issued = random_day(rng, add_years(today, -3) + DAY, today)
            qualifications.append(Qualification(
                enterprise_id=enterprise_id, kind="high_tech", issued_on=issued, valid_until=add_years(issued, 3) - DAY,
                certificate_number=f"GR{issued:%Y}{45_000_000 + len(qualifications):08d}"))
    _bulk(plan, "government_high_tech", qualifications, Qualification.objects.bulk_create)


def write_revenue(plan, rng) -> None:
    years = (plan.today.year - 2, plan.today.year - 1)
    since, until = datetime.date(years[0], 1, 1), datetime.date(years[1], 12, 31)
    tenants = (Lease.objects.filter(start_date__lte=until, end_date__gte=since).order_by("enterprise_id")
               .values_list("enterprise_id", flat=True).distinct())
    rows = []
    mu = math.log(REVENUE_MEDIAN)
    for enterprise_id in tenants:
        if rng.random() >= REVENUE_SHARE:
            continue
        base = rng.lognormvariate(mu, REVENUE_SIGMA)
        for year in years:
            revenue = Decimal(round(base * rng.uniform(0.8, 1.3))).quantize(CENT)
            rows.append(FinancialYear(enterprise_id=enterprise_id, year=year, revenue=revenue, source="合成数据"))
    _bulk(plan, "financial_years", rows, FinancialYear.objects.bulk_create)


def confirmed_on(day: datetime.date) -> datetime.datetime:
    """Noon of ``day`` in the project's time zone: when a generated payment was confirmed."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def year_spans(start: datetime.date, end: datetime.date, first_year: int, today: datetime.date):
    """The parts of [start, end] in each calendar year from ``first_year``, up to the day before ``today``."""
    last_day = min(end, today - DAY)
    for year in range(max(first_year, start.year), last_day.year + 1):
        lo, hi = max(start, datetime.date(year, 1, 1)), min(last_day, datetime.date(year, 12, 31))
        if lo <= hi:
            yield lo, hi


def rent_for(rent: Decimal, area: Decimal, lo: datetime.date, hi: datetime.date, due_from: datetime.date) -> Decimal:
    """The rent of [lo, hi] at ``rent`` a ㎡ a month on ``area``, by days (a month of 365/12 days), nothing
    before ``due_from``."""
    lo = max(lo, due_from)
    if hi < lo:
        return Decimal(0)
    days = (hi - lo).days + 1
    return (rent * area * days * 12 / 365).quantize(CENT, rounding=ROUND_HALF_UP)


def write_rent_payments(plan, rng) -> None:
    today = plan.today
    first_year = today.year - 2
    since = datetime.date(first_year, 1, 1)
    leases = (Lease.objects.filter(end_date__gte=since, start_date__lt=today).order_by("id")
              .values_list("id", "start_date", "end_date", "monthly_rent", "leased_area", "rent_free_months"))
    rows = []
    counts = defaultdict(int)
    for lease_id, start, end, rent, area, free_months in leases.iterator(chunk_size=plan.batch_size):
        if rng.random() >= PAYMENT_SHARE:
            continue
        due_from = rent_due_from(start, free_months)
        for lo, hi in year_spans(start, end, first_year, today):
            amount = rent_for(rent, area, lo, hi, due_from)
            if rng.random() < PARTIAL_SHARE:
                amount = (amount * Decimal(rng.randint(80, 99)) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            rows.append(RentPayment(lease_id=lease_id, period_start=lo, period_end=hi, amount=amount,
                                    paid_on=min(hi + datetime.timedelta(days=rng.randint(1, 20)), today),
                                    reference=f"SYN-{lo:%Y}-{sum(counts.values()) + 1:08d}",
                                    # confirmed by the operator on the day it was paid (policies read confirmed rent)
                                    confirmed_at=confirmed_on(min(hi + datetime.timedelta(days=20), today))))
            counts[lo.year] += 1
        if len(rows) >= plan.batch_size:
            _bulk(plan, "rent_payments", rows, RentPayment.objects.bulk_create)
            rows = []
    _bulk(plan, "rent_payments", rows, RentPayment.objects.bulk_create)
