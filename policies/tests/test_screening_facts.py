"""Policy facts: what each one counts on a district built to exercise them, the same from the set-based queries,
the per-enterprise loop and the column snapshot, with a number of queries that does not grow with the
enterprises; and the same three agree on a generated district."""

import datetime
import io

import pytest
from django.core.management import call_command

from core.rules import MISSING
from enterprises.models import Enterprise
from policies import snapshot
from policies.facts import CATALOGUE, compute, compute_loop, months_covered, prorated
from policies.facts import columns as facts_columns

from .screening_policies import TECH_BUILDING, create
from .screening_world import END, MID, START, D, District, day

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(world):
    return District(world)


def test_facts_of_a_tenant_with_two_leases_steps_payments_and_a_sublet(district):
    facts = compute([district.alpha], on=D, start=START, end=END)[district.alpha.pk]
    assert set(facts) == {fact.name for fact in CATALOGUE}
    assert facts["enterprise.industry"] == "6511" and facts["enterprise.industry_division"] == "65"
    assert facts["enterprise.moved_in_on"] == day("2015-03-01")  # no district date: its establishment
    assert facts["enterprise.in_district"] is True
    assert facts["enterprise.high_tech"] is True
    assert facts["enterprise.specialised"] is False  # lapsed on 2023-12-31
    assert facts["enterprise.revenue_prior_year"] == 1_234_567_891  # 2023's, in fen; 2024's is not read
    assert facts["enterprise.lease_count"] == 2
    assert facts["lease.area"] == 95_050  # 800.00 + 150.50 ㎡
    assert facts["lease.monthly_rent"] == 11_050  # the principal lease's step of 2024-09-01
    assert facts["lease.started_on"] == day("2023-06-01")
    assert facts["lease.government_space"] is False
    assert facts["lease.discount"] is MISSING  # no assessment
    assert facts["lease.sublet"] is True
    assert facts["building.specialised_programme"] == "tech-building"
    assert facts["building.certified"] is True and facts["park.certified"] is True
    assert facts["lease.months"] == 12
    # 640,000.00 + 27,090.01 × 31/62 (half-up: 13,545.01) + 148,995.00
    assert facts["lease.rent_paid"] == 64_000_000 + 1_354_501 + 14_899_500
    assert (facts["history.awarded_in_year"], facts["history.awarded_total"], facts["history.years_supported"]) \
        == (0, 0, 0)


def test_facts_of_government_space_and_of_enterprises_without_leases_or_payments(district):
    facts = compute(district.ids, on=D, start=START, end=END)
    beta = facts[district.beta.pk]
    assert beta["enterprise.moved_in_on"] == day("2022-04-15")
    assert beta["enterprise.specialised"] is True and beta["enterprise.high_tech"] is False
    assert beta["enterprise.revenue_prior_year"] == 0  # a row of 0 is a value, not missing
    assert beta["lease.government_space"] is True
    assert beta["lease.discount"] == 5_408  # 1 − 45.00 ÷ 98.00 = 54.0816…% → 54.08%
    assert beta["building.specialised_programme"] is MISSING and beta["building.certified"] is False
    assert beta["lease.rent_paid"] == 22_680_000
    gamma = facts[district.gamma.pk]
    assert gamma["enterprise.industry"] is MISSING and gamma["enterprise.established_on"] is MISSING
    assert gamma["enterprise.lease_count"] == 0 and gamma["lease.area"] == 0
    assert gamma["lease.monthly_rent"] is MISSING and gamma["park.certified"] is MISSING
    assert gamma["lease.months"] == 3  # January to March: its lease ended on 14 March
    assert gamma["lease.rent_paid"] is MISSING  # leased in the period, nothing paid
    delta = facts[district.delta.pk]
    assert delta["enterprise.in_district"] is False  # moved out on 2024-06-30
    assert (delta["lease.months"], delta["lease.rent_paid"]) == (0, 0)  # no lease: nothing owed
    epsilon = facts[district.epsilon.pk]
    assert (epsilon["lease.months"], epsilon["lease.rent_paid"]) == (2, MISSING)
    assert epsilon["park.certified"] is False


def test_rent_free_months_give_no_rent_and_later_steps_wait(district):
    during = compute([district.alpha], on=day("2024-04-30"), start=START, end=END)[district.alpha.pk]
    assert during["lease.monthly_rent"] == 0  # rent-free until 2024-05-10
    before_step = compute([district.alpha], on=day("2024-08-31"), start=START, end=END)[district.alpha.pk]
    assert before_step["lease.monthly_rent"] == 10_000


def test_a_part_of_the_period_counts_payments_by_days(district):
    part = compute([district.alpha], on=D, start=START, end=day("2024-06-30"))[district.alpha.pk]
    # 64,000,000 × 52/236 → 14,101,695; 1,354,501 (January); 14,899,500 × 151/335 → 6,715,894
    assert part["lease.rent_paid"] == 14_101_695 + 1_354_501 + 6_715_894
    assert part["lease.months"] == 6


def test_history_counts_the_policys_holding_awards(district, world):
    from policies.models import Application, Award, Budget

    version = create(TECH_BUILDING)
    budget = Budget.objects.create(policy=version.policy, year=2024, total=10**10)
    for number, (year, amount, status) in enumerate(((2022, 500_000, "completed"), (2024, 300_000, "active"),
                                                     (2023, 700_000, "cancelled"))):
        application = Application.objects.create(
            number=f"T{number}", policy=version.policy, enterprise=district.alpha, year=year,
            period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31), status="approved",
            decided_by=world.users["officer"], approved_amount=amount)
        Award.objects.create(application=application, policy=version.policy, enterprise=district.alpha,
                             budget=budget, year=year, amount=amount, status=status,
                             period_start=application.period_start, period_end=application.period_end)
    facts = compute([district.alpha], on=D, start=START, end=END, policy=version.policy)[district.alpha.pk]
    assert facts["history.awarded_in_year"] == 300_000
    assert facts["history.awarded_total"] == 800_000  # the cancelled award does not count
    assert facts["history.years_supported"] == 2
    snap = snapshot.build(on=D, start=START, end=END, policies=[version.policy])
    assert snap.facts(snap.row_of(district.alpha.pk), policy=version.policy) == facts
    assert compute_loop([district.alpha.pk], on=D, start=START, end=END, policy=version.policy)[
        district.alpha.pk] == facts


def test_set_based_loop_and_snapshot_agree(district):
    parts = [(START, day("2024-06-30")), (MID, END)]
    everyone = list(Enterprise.objects.values_list("pk", flat=True))
    snap = snapshot.build(on=D, start=START, end=END, parts=parts)
    for start, end in [(START, END), *parts]:
        by_sets = compute(everyone, on=D, start=start, end=end)
        assert by_sets == compute_loop(everyone, on=D, start=start, end=end)
        assert {int(eid): snap.facts(row, (start, end)) for row, eid in enumerate(snap.ids)} == by_sets


def test_the_number_of_queries_does_not_grow_with_the_enterprises(district, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        few = compute([district.alpha], on=D, start=START, end=END)
    for n in range(40):
        Enterprise.objects.create(name=f"新企业{n}", credit_code=f"91440300MA5F{n:05d}X")
    with django_assert_max_num_queries(11):
        many = compute(None, on=D, start=START, end=END)
    assert many[district.alpha.pk] == few[district.alpha.pk] and len(many) >= 45


def test_months_and_proration_rules():
    assert months_covered([(day("2024-01-31"), day("2024-02-01"))], START, END) == 2
    assert months_covered([(day("2023-01-01"), day("2023-12-31"))], START, END) == 0
    assert prorated(1_000, day("2024-12-01"), day("2025-01-31"), START, END) == 500  # 31 of 62 days
    assert prorated(1_001, day("2024-12-01"), day("2025-01-31"), START, END) == 501  # 500.5 → 501
    assert prorated(999, day("2025-01-01"), day("2025-01-31"), START, END) == 0


def test_a_generated_district_gives_the_same_facts_three_ways():
    call_command("generate", "--scale", "small", "--seed", "3", "--today", "2025-06-30", stdout=io.StringIO())
    on, start, end = datetime.date(2024, 12, 31), datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
    everyone = compute(None, on=on, start=start, end=end)
    assert len(everyone) == 5_000
    # the generator's facts are there: revenue, rent paid, government space, certified buildings, moving in
    values = list(everyone.values())
    assert sum(f["enterprise.revenue_prior_year"] is not MISSING for f in values) > 500
    assert sum(isinstance(f["lease.rent_paid"], int) and f["lease.rent_paid"] > 0 for f in values) > 500
    assert any(f["lease.government_space"] is True and f["lease.discount"] is not MISSING for f in values)
    assert any(f["building.certified"] is True for f in values)
    sample = sorted(everyone)[::25]
    assert compute_loop(sample, on=on, start=start, end=end) == {k: everyone[k] for k in sample}
    snap = snapshot.build(on=on, start=start, end=end)
    assert {int(eid): snap.facts(row) for row, eid in enumerate(snap.ids)} == everyone


def test_columns_of_some_enterprises(district):
    ids, columns = facts_columns([district.beta.pk, district.alpha.pk], on=D, start=START, end=END)
    assert ids.tolist() == sorted([district.alpha.pk, district.beta.pk])
    values, present = columns["lease.discount"]
    assert present.tolist() == [False, True] and int(values[1]) == 5_408
