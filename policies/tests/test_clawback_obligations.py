"""What breaks an award's obligations and what is recovered (policies.obligations, pure): table tests at the
boundaries of the lock-in and of the supported period."""

import datetime

import pytest

from policies import obligations as ob

D = datetime.date
START, END = D(2025, 1, 1), D(2025, 12, 31)  # 365 days
PAID = 1_200_000_00  # 1,200,000.00 元 in fen


def terms(*entries, paid=PAID):
    return ob.Terms.of(period_start=START, period_end=END, paid=paid, obligations=entries)


def one(entries, events, on=None):
    found = ob.breaches(terms(*entries), events, on=on)
    assert len(found) <= 1
    return found[0] if found else None


@pytest.mark.parametrize("day, broken", [
    (D(2028, 12, 31), True),    # the last day of a three-year lock-in
    (D(2029, 1, 1), False),     # the day after
    (D(2025, 1, 1), True),      # the first day of the period
    (D(2024, 6, 1), True),      # moved out before the period: breaks it from its first day
])
def test_stay_in_district_holds_until_three_years_after_the_period(day, broken):
    breach = one([{"kind": "stay_in_district", "years": 3, "recover": "all"}], [ob.Event("moved_out", day)])
    assert (breach is not None) is broken
    if broken:
        assert breach.amount == PAID
        assert breach.holds_until == D(2028, 12, 31)
        assert breach.breached_on == max(day, START)


@pytest.mark.parametrize("day, amount, days_after", [
    (D(2025, 12, 31), 328_767, 1),    # the last day of the period: 1,200,000.00 × 1 ÷ 365 = 3,287.6712… 元
    (D(2025, 7, 2), 60_164_384, 183),  # 1,200,000.00 × 183 ÷ 365 = 601,643.8356… 元
    (D(2025, 1, 1), PAID, 365),        # from the first day: everything
])
def test_pro_rata_without_lock_in_is_the_share_of_the_period_after_the_breach(day, amount, days_after):
    breach = one([{"kind": "lease_kept", "years": 0, "recover": "pro_rata"}], [ob.Event("lease_ended", day)])
    assert breach.term_days == 365
    assert breach.days_after == days_after
    assert breach.amount == amount


def test_pro_rata_numbers_written_out():
    # 1,200,000.00 元 × 183 ÷ 365 = 601,643.835… 元 → 601,643.84 元 (half-up on the fen)
    breach = one([{"kind": "lease_kept", "recover": "pro_rata"}], [ob.Event("lease_ended", D(2025, 7, 2))])
    assert breach.amount == 60_164_384
    # 100 fen × 1 ÷ 2 = 50; 1 fen × 1 ÷ 2 = 0.5 → 1 (half-up)
    assert ob.recover_amount("pro_rata", paid=1, term_start=D(2025, 1, 1), term_end=D(2025, 1, 2),
                             breached_on=D(2025, 1, 2)) == (1, 2, 1)


def test_a_day_after_the_period_ends_breaks_nothing_without_lock_in():
    assert one([{"kind": "lease_kept", "recover": "pro_rata"}], [ob.Event("lease_ended", D(2026, 1, 1))]) is None


def test_pro_rata_with_a_lock_in_counts_the_days_of_the_whole_term():
    # Term 2025-01-01 .. 2026-12-31: 730 days; breach on the last day of the lock-in: 1 day of 730.
    breach = one([{"kind": "no_sublet", "years": 1, "recover": "pro_rata"}], [ob.Event("sublet", D(2026, 12, 31))])
    assert (breach.term_days, breach.days_after) == (730, 1)
    assert breach.amount == (PAID * 2 + 730) // (2 * 730)
    assert one([{"kind": "no_sublet", "years": 1, "recover": "pro_rata"}],
               [ob.Event("sublet", D(2027, 1, 1))]) is None


def test_a_sublet_that_ended_before_the_period_breaks_nothing_one_that_lasted_into_it_does():
    entries = [{"kind": "no_sublet", "recover": "all"}]
    assert one(entries, [ob.Event("sublet", D(2024, 3, 1), until=D(2024, 12, 31))]) is None
    breach = one(entries, [ob.Event("sublet", D(2024, 3, 1), until=D(2025, 1, 1))])
    assert breach.breached_on == START and breach.amount == PAID


def test_events_of_another_kind_or_qualification_break_nothing():
    entries = [{"kind": "keep_qualification", "qualification": "high_tech", "years": 2, "recover": "all"}]
    assert one(entries, [ob.Event("qualification_lapsed", D(2026, 1, 1), qualification="specialised")]) is None
    assert one(entries, [ob.Event("sublet", D(2026, 1, 1))]) is None
    breach = one(entries, [ob.Event("qualification_lapsed", D(2026, 1, 1), qualification="high_tech")])
    assert breach.breached_on == D(2026, 1, 1) and breach.amount == PAID


def test_the_earliest_event_is_the_breach_and_later_days_have_not_happened():
    entries = [{"kind": "lease_kept", "recover": "pro_rata"}]
    events = [ob.Event("lease_ended", D(2025, 10, 1), evidence={"lease": 2}),
              ob.Event("lease_ended", D(2025, 4, 1), evidence={"lease": 1})]
    assert one(entries, events).evidence == {"lease": 1}
    assert one(entries, events, on=D(2025, 3, 31)) is None
    assert one(entries, events, on=D(2025, 9, 30)).breached_on == D(2025, 4, 1)


def test_each_obligation_is_judged_on_its_own():
    found = ob.breaches(terms({"kind": "lease_kept", "recover": "all"},
                              {"kind": "stay_in_district", "years": 3, "recover": "pro_rata"}),
                        [ob.Event("moved_out", D(2027, 1, 1))])
    assert [b.obligation.kind for b in found] == ["stay_in_district"]
    # Term 2025-01-01 .. 2028-12-31 = 1461 days; from 2027-01-01: 731 days.
    assert (found[0].term_days, found[0].days_after) == (1461, 731)


def test_nothing_paid_recovers_nothing():
    breach = ob.breaches(terms({"kind": "lease_kept"}, paid=0), [ob.Event("lease_ended", D(2025, 5, 1))])[0]
    assert breach.amount == 0


def test_a_lock_in_from_29_february_ends_on_28_february():
    assert ob.holds_until(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert ob.holds_until(D(2024, 2, 29), 4) == D(2028, 2, 29)


@pytest.mark.parametrize("entry", [{"kind": "keep_office"}, {"kind": "lease_kept", "recover": "half"},
                                   {"kind": "lease_kept", "years": -1}])
def test_malformed_obligations_are_refused(entry):
    with pytest.raises(ValueError):
        terms(entry)


@pytest.mark.parametrize("intervals, expected", [
    ([(D(2020, 1, 1), D(2025, 6, 30))], D(2025, 7, 1)),                        # lapsed after its last valid day
    ([(D(2020, 1, 1), D(2025, 6, 30)), (D(2025, 7, 1), None)], None),          # renewed in time: no gap
    ([(D(2020, 1, 1), D(2025, 6, 30)), (D(2025, 7, 3), None)], D(2025, 7, 1)),  # renewed two days late
    ([], START),                                                               # never held
    ([(D(2025, 3, 1), None)], START),                                          # only from March
    ([(D(2020, 1, 1), D(2025, 12, 31))], None),                                # valid to the last day checked
])
def test_first_day_without_a_valid_qualification(intervals, expected):
    assert ob.first_day_without(intervals, START, END) == expected
