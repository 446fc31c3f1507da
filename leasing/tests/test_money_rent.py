"""The rent a lease charges on a day (leasing.rent): rent-free months, escalation steps, and their boundaries."""

import datetime
from decimal import Decimal

import pytest

from leasing.models import RentStep
from leasing.rent import months_after, rent_due_from, rent_on_day
from leasing.selectors import rent_on

D = datetime.date
START = D(2025, 3, 15)
STEPS = [(D(2026, 3, 15), Decimal("105.00")), (D(2027, 3, 15), Decimal("110.25"))]


def rent(day, free=0, steps=STEPS):
    return rent_on_day(day=day, start=START, monthly_rent=Decimal("100.00"), rent_free_months=free, steps=steps)


def test_months_after_keeps_the_day_or_takes_the_last_of_a_shorter_month():
    assert months_after(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert months_after(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert months_after(D(2025, 11, 15), 3) == D(2026, 2, 15)
    assert months_after(D(2025, 5, 1), 0) == D(2025, 5, 1)


def test_rent_free_months_from_the_start_charge_nothing_and_rent_is_due_the_day_they_end():
    assert rent_due_from(START, 3) == D(2025, 6, 15)
    assert rent(START, free=3) == 0
    assert rent(D(2025, 6, 14), free=3) == 0
    assert rent(D(2025, 6, 15), free=3) == Decimal("100.00")


def test_no_rent_free_months_charge_from_the_first_day():
    assert rent(START) == Decimal("100.00")


def test_each_step_applies_from_its_own_date_until_the_next():
    assert rent(D(2026, 3, 14)) == Decimal("100.00")
    assert rent(D(2026, 3, 15)) == Decimal("105.00")
    assert rent(D(2027, 3, 14)) == Decimal("105.00")
    assert rent(D(2027, 3, 15)) == Decimal("110.25")
    assert rent(D(2027, 3, 15), steps=list(reversed(STEPS))) == Decimal("110.25")  # given in any order


def test_rent_free_months_win_over_a_step_inside_them():
    assert rent(D(2025, 4, 1), free=3, steps=[(D(2025, 4, 1), Decimal("90.00"))]) == 0
    assert rent(D(2025, 6, 15), free=3, steps=[(D(2025, 4, 1), Decimal("90.00"))]) == Decimal("90.00")


def test_the_rule_keeps_the_callers_unit():
    fen = rent_on_day(day=START, start=START, monthly_rent=10000, rent_free_months=1)
    assert fen == 0 and isinstance(fen, int)
    assert rent_on_day(day=D(2026, 4, 1), start=START, monthly_rent=10000, steps=[(D(2026, 1, 1), 12000)]) == 12000


@pytest.mark.django_db
def test_rent_on_reads_the_leases_stored_steps(world):
    lease = world.lease_a
    lease.rent_free_months = 2
    lease.save(update_fields=["rent_free_months"])
    step_day = lease.start_date + datetime.timedelta(days=120)
    RentStep.objects.create(lease=lease, starts_on=step_day, monthly_rent=Decimal("150.00"))
    assert rent_on(lease, lease.start_date) == 0
    assert rent_on(lease, months_after(lease.start_date, 2)) == Decimal("140.00")
    assert rent_on(lease, step_day - datetime.timedelta(days=1)) == Decimal("140.00")
    assert rent_on(lease, step_day) == Decimal("150.00")


def test_a_payment_straddling_the_period_counts_by_days_half_up():
    from leasing.rent import amount_within

    march = (D(2025, 3, 1), D(2025, 3, 31))
    assert amount_within(3100, *march, D(2025, 1, 1), D(2025, 12, 31)) == 3100
    assert amount_within(3100, *march, D(2025, 4, 1), D(2025, 12, 31)) == 0
    assert amount_within(3100, *march, D(2025, 3, 16), D(2025, 12, 31)) == 1600  # 16 of 31 days
    assert amount_within(1001, D(2025, 12, 1), D(2026, 1, 1), D(2025, 1, 1), D(2025, 12, 31)) == 970  # 31 of 32 days: 969.72
    assert amount_within(3, D(2025, 1, 1), D(2025, 1, 2), D(2025, 1, 1), D(2025, 1, 1)) == 2  # 1.5 → 2


@pytest.mark.django_db
def test_rent_steps_of_many_leases_in_one_query(world, django_assert_num_queries):
    from leasing.selectors import rent_steps_of

    a, b = world.lease_a, world.lease_b
    RentStep.objects.create(lease=a, starts_on=a.start_date + datetime.timedelta(days=60), monthly_rent=Decimal("150"))
    RentStep.objects.create(lease=a, starts_on=a.start_date + datetime.timedelta(days=30), monthly_rent=Decimal("145"))
    with django_assert_num_queries(1):
        steps = rent_steps_of([a.pk, b.pk])
    assert steps == {a.pk: [(a.start_date + datetime.timedelta(days=30), Decimal("145.00")),
                            (a.start_date + datetime.timedelta(days=60), Decimal("150.00"))]}
