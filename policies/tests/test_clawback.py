"""Obligations watched and clawback: what the check finds in the records (leases ended early, sublets, moving
out, qualifications lapsed), the amounts it raises, and the officers' confirm / waive / repayment."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.actions import Refused
from core.models import DomainEvent, ObjectChange, Reminder
from core.reminders import daily
from enterprises.models import Enterprise, Qualification
from leasing.choices import LeaseStatus
from leasing.models import Lease, Sublet
from policies import services
from policies.choices import AwardStatus, ClawbackStatus, LedgerKind
from policies.models import Award, Budget, ClawbackCase, LedgerEntry
from policies.tests.generic_clawback import sample_award, sample_policy

D = datetime.date
PAID = 1_200_000_00  # 1,200,000.00 元


def lease(world, enterprise=None, *, start=D(2024, 1, 1), end=D(2027, 12, 31), terminated_on=None, **extra):
    enterprise = enterprise or world.tenant_a
    status = LeaseStatus.TERMINATED if terminated_on else LeaseStatus.ACTIVE
    return Lease.objects.create(enterprise=enterprise, park=world.park_a, start_date=start,
                                end_date=min(end, terminated_on) if terminated_on else end,
                                terminated_on=terminated_on, status=status, monthly_rent=Decimal("120.00"),
                                leased_area=Decimal("600.00"), contract_number=extra.pop("number", "HT-2024-018"),
                                **extra)


def policy_with(*obligations, code="watch"):
    return sample_policy(code, obligations=list(obligations))


def scan(on=D(2026, 3, 1), user=None):
    return services.clawback_scan(on=on, user=user)


def test_a_lease_ended_early_raises_a_case_for_the_share_of_the_period_after_it(world):
    lease(world, terminated_on=D(2025, 6, 30))
    policy = policy_with({"kind": "lease_kept", "years": 0, "recover": "pro_rata", "label": "支持期内不得退租"})
    award = sample_award(world.tenant_a, policy=policy)
    outcome = scan()
    assert outcome["raised"] == 1
    case = ClawbackCase.objects.get()
    assert (case.award, case.enterprise, case.obligation) == (award, world.tenant_a, "lease_kept")
    assert case.breached_on == D(2025, 7, 1)  # the first day without the lease
    # 1,200,000.00 元 × 184 ÷ 365 (1 July to 31 December) = 604,931.5068… → 604,931.51 元
    assert case.amount_due == 60_493_151
    assert case.evidence["terminated_on"] == "2025-06-30" and case.evidence["days_after"] == 184
    assert "HT-2024-018" in case.detail and "提前" in case.detail
    assert ObjectChange.objects.filter(object_id=str(case.pk), action="create").exists()
    # The next day's check finds the same breach under its case: nothing new.
    assert scan(on=D(2026, 3, 2))["raised"] == 0
    assert ClawbackCase.objects.count() == 1


def test_the_applications_lease_is_the_one_watched_when_it_names_one(world):
    kept = lease(world, number="HT-KEPT")
    lease(world, number="HT-OTHER", terminated_on=D(2025, 3, 31))
    policy = policy_with({"kind": "lease_kept", "recover": "all"})
    sample_award(world.tenant_a, policy=policy, lease=kept)
    assert scan()["raised"] == 0
    award = sample_award(world.tenant_a, policy=policy_with({"kind": "lease_kept", "recover": "all"}, code="w2"))
    assert scan()["raised"] == 1
    assert ClawbackCase.objects.get().award == award


def test_a_lease_moved_to_other_units_is_followed_to_the_lease_that_continues_it(world):
    first = lease(world, number="HT-OLD", terminated_on=D(2025, 4, 30))
    second = lease(world, number="HT-NEW", start=D(2025, 5, 1), end=D(2027, 12, 31), predecessor=first)
    policy = policy_with({"kind": "lease_kept", "recover": "all"})
    sample_award(world.tenant_a, policy=policy)
    assert scan()["raised"] == 0  # moved, not ended
    Lease.objects.filter(pk=second.pk).update(status=LeaseStatus.TERMINATED, terminated_on=D(2025, 10, 31),
                                              end_date=D(2025, 10, 31))
    assert scan()["raised"] == 1
    case = ClawbackCase.objects.get()
    assert case.breached_on == D(2025, 11, 1) and case.evidence["contract_number"] == "HT-NEW"
    assert case.amount_due == PAID


def test_a_termination_after_the_check_day_has_not_happened_yet(world):
    lease(world, terminated_on=D(2025, 9, 30))
    sample_award(world.tenant_a, policy=policy_with({"kind": "lease_kept", "recover": "all"}))
    assert scan(on=D(2025, 9, 30))["raised"] == 0
    assert scan(on=D(2025, 10, 1))["raised"] == 1


def test_a_sublet_of_the_lease_breaks_no_subletting(world):
    held = lease(world)
    Sublet.objects.create(lease=held, subtenant_name="深圳市某某贸易有限公司", area=Decimal("100.00"),
                          starts_on=D(2025, 8, 1), found_on=D(2025, 11, 20))
    sample_award(world.tenant_a, policy=policy_with({"kind": "no_sublet", "recover": "all"}))
    scan()
    case = ClawbackCase.objects.get()
    assert (case.obligation, case.breached_on, case.amount_due) == ("no_sublet", D(2025, 8, 1), PAID)
    assert "深圳市某某贸易有限公司" in case.detail


@pytest.mark.parametrize("moved_out_on, raised", [(D(2028, 12, 31), 1), (D(2029, 1, 1), 0)])
def test_moving_out_breaks_stay_in_district_until_the_last_day_of_the_lock_in(world, moved_out_on, raised):
    Enterprise.objects.filter(pk=world.tenant_a.pk).update(moved_out_on=moved_out_on)
    sample_award(world.tenant_a, policy=policy_with({"kind": "stay_in_district", "years": 3, "recover": "all"}))
    assert scan(on=D(2029, 6, 1))["raised"] == raised
    if raised:
        assert ClawbackCase.objects.get().amount_due == PAID


def test_a_qualification_not_renewed_breaks_keep_qualification_pro_rata(world):
    Qualification.objects.create(enterprise=world.tenant_a, kind="high_tech", issued_on=D(2022, 10, 1),
                                 valid_until=D(2025, 9, 30), certificate_number="GR202244200001")
    sample_award(world.tenant_a, policy=policy_with(
        {"kind": "keep_qualification", "qualification": "high_tech", "years": 1, "recover": "pro_rata"}))
    scan(on=D(2026, 1, 15))
    case = ClawbackCase.objects.get()
    assert case.breached_on == D(2025, 10, 1)
    # Term 2025-01-01 .. 2026-12-31 (730 days); from 1 October 2025: 457 days.
    # 1,200,000.00 × 457 ÷ 730 = 751,232.8767… → 751,232.88 元
    assert case.amount_due == 75_123_288


def test_a_qualification_renewed_in_time_breaks_nothing(world):
    Qualification.objects.create(enterprise=world.tenant_a, kind="high_tech", issued_on=D(2022, 10, 1),
                                 valid_until=D(2025, 9, 30))
    Qualification.objects.create(enterprise=world.tenant_a, kind="high_tech", issued_on=D(2025, 10, 1),
                                 valid_until=D(2028, 9, 30))
    sample_award(world.tenant_a, policy=policy_with(
        {"kind": "keep_qualification", "qualification": "high_tech", "years": 1, "recover": "pro_rata"}))
    assert scan(on=D(2026, 6, 1))["raised"] == 0


def test_awards_that_no_longer_hold_are_not_watched(world):
    lease(world, terminated_on=D(2025, 6, 30))
    sample_award(world.tenant_a, policy=policy_with({"kind": "lease_kept", "recover": "all"}), paid=0,
                 status=AwardStatus.CANCELLED)
    assert scan()["raised"] == 0


def test_two_obligations_broken_never_claim_more_than_was_paid(world):
    lease(world, terminated_on=D(2025, 6, 30))
    Enterprise.objects.filter(pk=world.tenant_a.pk).update(moved_out_on=D(2025, 7, 1))
    sample_award(world.tenant_a, policy=policy_with({"kind": "lease_kept", "recover": "all"},
                                                    {"kind": "stay_in_district", "years": 2, "recover": "all"}))
    assert scan()["raised"] == 2
    assert sum(ClawbackCase.objects.values_list("amount_due", flat=True)) == PAID


def test_a_waived_breach_is_not_raised_again_but_a_later_one_is(world):
    held = lease(world)
    Sublet.objects.create(lease=held, subtenant_name="甲公司", starts_on=D(2025, 3, 1), ends_on=D(2025, 4, 30),
                          found_on=D(2025, 5, 10))
    sample_award(world.tenant_a, policy=policy_with({"kind": "no_sublet", "recover": "all"}))
    scan()
    case = ClawbackCase.objects.get()
    services.clawbackcase_waive(user=world.users["officer"], instance=case, reason="转租已于发现前终止，情节轻微")
    assert scan()["raised"] == 0
    Sublet.objects.create(lease=held, subtenant_name="乙公司", starts_on=D(2025, 9, 1), found_on=D(2025, 12, 1))
    assert scan()["raised"] == 1
    assert ClawbackCase.objects.get(status=ClawbackStatus.RAISED).breached_on == D(2025, 9, 1)


@pytest.fixture
def raised(world):
    lease(world, terminated_on=D(2025, 6, 30))
    sample_award(world.tenant_a, policy=policy_with({"kind": "lease_kept", "recover": "all"}))
    scan()
    return ClawbackCase.objects.get()


def test_confirm_then_repay_in_two_parts_claws_the_award_back(world, raised):
    officer = world.users["officer"]
    case = services.clawbackcase_confirm(user=officer, instance=raised)
    assert case.status == ClawbackStatus.CONFIRMED and case.decided_by == officer
    services.clawbackcase_repay(user=officer, instance=case, amount=200_000_00, repaid_on=D(2026, 3, 10),
                                reference="GK-001")
    case.refresh_from_db()
    award = Award.objects.get(pk=case.award_id)
    assert (case.repaid, case.status, award.recovered, award.status) == (
        200_000_00, ClawbackStatus.CONFIRMED, 200_000_00, AwardStatus.COMPLETED)
    services.clawbackcase_repay(user=officer, instance=case, amount=1_000_000_00, repaid_on=D(2026, 4, 10))
    case.refresh_from_db()
    award.refresh_from_db()
    assert (case.repaid, case.status, award.recovered, award.status) == (
        PAID, ClawbackStatus.REPAID, PAID, AwardStatus.CLAWED_BACK)
    entries = LedgerEntry.objects.filter(clawback=case).order_by("id")
    assert [(e.kind, e.amount, e.budget_id) for e in entries] == [
        (LedgerKind.RECOVER, 200_000_00, award.budget_id), (LedgerKind.RECOVER, 1_000_000_00, award.budget_id)]
    assert "GK-001" in entries[0].note
    assert DomainEvent.objects.filter(name="policies.clawback.repay").count() == 2


def test_a_pro_rata_case_repaid_leaves_the_award_as_it_was(world):
    lease(world, terminated_on=D(2025, 6, 30))
    sample_award(world.tenant_a, policy=policy_with({"kind": "lease_kept", "recover": "pro_rata"}))
    scan()
    officer = world.users["officer"]
    case = services.clawbackcase_confirm(user=officer, instance=ClawbackCase.objects.get())
    services.clawbackcase_repay(user=officer, instance=case, amount=case.amount_due, repaid_on=D(2026, 3, 10))
    case.refresh_from_db()
    assert case.status == ClawbackStatus.REPAID
    assert Award.objects.get(pk=case.award_id).status == AwardStatus.COMPLETED


def test_a_repayment_beyond_what_remains_is_refused_naming_the_field(world, raised):
    officer = world.users["officer"]
    case = services.clawbackcase_confirm(user=officer, instance=raised)
    with pytest.raises(ValidationError) as refused:
        services.clawbackcase_repay(user=officer, instance=case, amount=PAID + 1, repaid_on=D(2026, 3, 10))
    assert "amount" in refused.value.message_dict
    assert "1,200,000.00" in refused.value.message_dict["amount"][0]
    case.refresh_from_db()
    assert case.repaid == 0 and Award.objects.get(pk=case.award_id).recovered == 0
    assert not LedgerEntry.objects.filter(clawback=case).exists()


def test_a_raised_case_is_repaid_only_once_confirmed(world, raised):
    with pytest.raises(Refused):
        services.clawbackcase_repay(user=world.users["officer"], instance=raised, amount=100,
                                    repaid_on=D(2026, 3, 10))


def test_waiving_needs_a_reason_in_chinese_naming_the_field(world, client_for, raised):
    client = client_for(world.users["officer"])
    response = client.post(f"/policies/clawbacks/{raised.pk}/waive/", {"reason": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "原因" in page and "请说明豁免追回的原因" in page
    raised.refresh_from_db()
    assert raised.status == ClawbackStatus.RAISED
    response = client.post(f"/policies/clawbacks/{raised.pk}/waive/", {"reason": "企业因城市更新被动搬迁"})
    assert response.status_code == 302
    raised.refresh_from_db()
    assert (raised.status, raised.reason) == (ClawbackStatus.WAIVED, "企业因城市更新被动搬迁")


def test_enterprises_read_their_own_cases_and_decide_nothing(world, client_for, raised):
    other = sample_award(world.tenant_b, policy=policy_with({"kind": "no_sublet"}, code="other"))
    theirs = ClawbackCase.objects.create(award=other, enterprise=world.tenant_b, obligation="no_sublet",
                                         breached_on=D(2025, 5, 1), detail="转租", amount_due=100)
    user = world.users["enterprise"]
    assert list(ClawbackCase.objects.for_user(user)) == [raised]
    client = client_for(user)
    assert client.get(f"/policies/clawbacks/{raised.pk}/").status_code == 200
    assert client.get(f"/policies/clawbacks/{theirs.pk}/").status_code == 404
    assert client.get(f"/policies/clawbacks/{raised.pk}/confirm/").status_code == 403
    with pytest.raises(PermissionDenied):
        services.clawbackcase_confirm(user=user, instance=raised)
    assert not ClawbackCase.objects.for_user(world.users["operator"]).exists()
    page = client.get(world.tenant_a.get_absolute_url()).content.decode()
    assert 'data-testid="clawbacks"' in page and "1,200,000.00" in page


def test_the_daily_run_raises_the_cases_and_reminds_the_bureau(world):
    lease(world, terminated_on=D(2025, 6, 30))
    sample_award(world.tenant_a, policy=policy_with({"kind": "lease_kept", "recover": "all"}))
    results = daily.run_tasks(D(2026, 3, 1))
    assert results["policies.clawback_scan"]["result"]["raised"] == 1
    case = ClawbackCase.objects.get()
    reminded = set(Reminder.objects.filter(object_id=str(case.pk)).values_list("recipient__username", flat=True))
    assert {"t_officer", "t_admin"} <= reminded and "t_enterprise" not in reminded
    services.clawbackcase_confirm(user=world.users["officer"], instance=case)
    assert not Reminder.objects.filter(object_id=str(case.pk), resolved_at__isnull=True).exists()


def test_officers_check_now_from_the_page_and_others_may_not(world, client_for):
    lease(world, terminated_on=D(2025, 6, 30))
    sample_award(world.tenant_a, policy=policy_with({"kind": "lease_kept", "recover": "all"}))
    assert client_for(world.users["enterprise"]).get("/policies/clawbacks/scan/").status_code == 403
    assert client_for(world.users["leader"]).post("/policies/clawbacks/scan/", {"on": "2026-03-01"}).status_code == 403
    response = client_for(world.users["officer"]).post("/policies/clawbacks/scan/", {"on": "2026-03-01"})
    assert response.status_code == 302
    assert ClawbackCase.objects.count() == 1
    assert DomainEvent.objects.filter(name="policies.clawback.scan").count() == 1


def test_budget_figures_are_not_moved_by_a_recovery(world, raised):
    # Recovered money goes back to the treasury, not into the year's budget: the ledger records it.
    budget = Budget.objects.get(pk=raised.award.budget_id)
    officer = world.users["officer"]
    case = services.clawbackcase_confirm(user=officer, instance=raised)
    services.clawbackcase_repay(user=officer, instance=case, amount=PAID, repaid_on=D(2026, 3, 10))
    after = Budget.objects.get(pk=budget.pk)
    assert (after.committed, after.paid) == (budget.committed, budget.paid)


def test_the_list_and_its_export_show_yuan_to_the_fen(world, client_for):
    award = sample_award(world.tenant_a, policy=policy_with({"kind": "lease_kept"}, code="fen"))
    ClawbackCase.objects.create(award=award, enterprise=world.tenant_a, obligation="lease_kept",
                                breached_on=D(2025, 11, 7), detail="租约提前终止", amount_due=4_520_548, repaid=1)
    client = client_for(world.users["officer"])
    page = client.get("/policies/clawbacks/").content.decode()
    assert "45,205.48" in page and "0.01" in page
    from core.surfaces import surface_for

    row = surface_for(ClawbackCase).queryset(world.users["officer"]).get()
    assert (row.amount_due_yuan, row.repaid_yuan) == (Decimal("45205.48"), Decimal("0.01"))


def test_a_decided_case_is_neither_edited_nor_deleted(world, client_for, raised):
    officer = world.users["officer"]
    case = services.clawbackcase_confirm(user=officer, instance=raised)
    client = client_for(officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert f"/policies/clawbacks/{case.pk}/edit/" not in page
    response = client.post(f"/policies/clawbacks/{case.pk}/edit/", {"award": case.award_id, "obligation": "lease_kept",
                                                                    "breached_on": "2025-07-01", "detail": "改",
                                                                    "amount_due": "1.00"})
    assert response.status_code == 302  # back to the case, saying why
    case.refresh_from_db()
    assert (case.detail, case.amount_due) == (raised.detail, raised.amount_due)
    response = client.post(f"/policies/clawbacks/{case.pk}/delete/")
    assert response.status_code == 400 and "只有待认定的追回案件可以修改或删除" in response.content.decode()
    assert ClawbackCase.objects.filter(pk=case.pk).exists()


def test_a_case_raised_by_hand_is_checked_against_its_award(world, client_for):
    award = sample_award(world.tenant_a, policy=policy_with({"kind": "no_sublet", "recover": "pro_rata",
                                                             "label": "不得转租"}, code="hand"))
    client = client_for(world.users["officer"])
    data = {"award": award.pk, "obligation": "no_sublet", "breached_on": "2025-09-01", "detail": "现场核查发现转租",
            "amount_due": "1200000.01"}
    response = client.post("/policies/clawbacks/add/", data)
    assert response.status_code == 400 and "不能超过该项资助尚可追回的金额（1,200,000.00 元" in response.content.decode()
    response = client.post("/policies/clawbacks/add/", {**data, "obligation": "stay_in_district",
                                                        "amount_due": "1.00"})
    assert "该项资助未约定此项义务" in response.content.decode()
    assert not ClawbackCase.objects.exists()
    response = client.post("/policies/clawbacks/add/", {**data, "amount_due": "200000.00"})
    assert response.status_code == 302
    case = ClawbackCase.objects.get()
    assert (case.enterprise, case.amount_due, case.evidence["recover"]) == (world.tenant_a, 200_000_00, "pro_rata")
    # Repaid in full, a pro-rata case leaves the award as it was.
    officer = world.users["officer"]
    services.clawbackcase_confirm(user=officer, instance=case)
    services.clawbackcase_repay(user=officer, instance=case, amount=200_000_00, repaid_on=D(2026, 1, 5))
    assert Award.objects.get(pk=award.pk).status == AwardStatus.COMPLETED


def test_the_list_filters_by_status_obligation_and_policy(world, client_for):
    first = sample_award(world.tenant_a, policy=policy_with({"kind": "lease_kept"}, code="f1"))
    second = sample_award(world.tenant_b, policy=policy_with({"kind": "no_sublet"}, code="f2"))
    ClawbackCase.objects.create(award=first, enterprise=world.tenant_a, obligation="lease_kept",
                                breached_on=D(2025, 7, 1), detail="租约提前终止", amount_due=100)
    ClawbackCase.objects.create(award=second, enterprise=world.tenant_b, obligation="no_sublet",
                                breached_on=D(2025, 8, 1), detail="转租", amount_due=200, status="waived",
                                reason="情节轻微")
    client = client_for(world.users["officer"])

    def listed(query):
        page = client.get(f"/policies/clawbacks/?{query}").content.decode()
        return [name for name in (world.tenant_a.name, world.tenant_b.name) if name in page]

    assert listed("status=waived") == [world.tenant_b.name]
    assert listed("obligation=lease_kept") == [world.tenant_a.name]
    assert listed(f"policy={second.policy_id}") == [world.tenant_b.name]
    assert listed("") == [world.tenant_a.name, world.tenant_b.name]
    menu = client.get("/").content.decode()
    assert "资金追回" in menu and "义务检查" in menu
    assert "义务检查" not in client_for(world.users["leader"]).get("/").content.decode()


def test_the_award_and_the_enterprise_declare_a_clawback_panel(world, rf, raised):
    # The enterprise's page renders its panels (tested above); an award's page takes the same declaration.
    from core.surfaces import extensions

    request = rf.get("/")
    request.user = world.users["enterprise"]
    award = Award.objects.get(pk=raised.award_id)
    panels = [p for p in extensions.detail_context(request, award, {})["extension_panels"]
              if p["template"] == "policies/clawback_panel.html"]
    assert [list(p["data"]["cases"]) for p in panels] == [[raised]]
    # Operators see no cases: no panel either (not an empty one) on a tenant's page.
    request.user = world.users["operator"]
    panels = [p for p in extensions.detail_context(request, world.tenant_a, {})["extension_panels"]
              if p["template"] == "policies/clawback_panel.html"]
    assert panels == []


def test_the_award_page_shows_its_clawback_cases(world, client_for, raised):
    """The officer opening the award sees the case raised against it, with its amount."""
    award = Award.objects.get(pk=raised.award_id)
    page = client_for(world.users["officer"]).get(f"/policies/awards/{award.pk}/").content.decode()
    assert 'data-testid="clawbacks"' in page and raised.get_absolute_url() in page
