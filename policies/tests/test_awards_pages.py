"""The pages of applying and awarding, with the policy's real rules: what the enterprise and the officers read
(the decision's sentences, the steps and comments, tranches, the ledger) and who may act where."""

import datetime

import pytest

from policies import services
from policies.choices import ApplicationStatus, DecisionPurpose
from policies.models import Budget, LedgerEntry, Tranche

from .awards_world import application
from .generic_awards import sample_policy, second_reviewer

pytestmark = pytest.mark.django_db

# At least 100 ㎡ leased: the world's enterprise A leases 600 ㎡, B 300 ㎡. 1,500.00 元 each.
AREA_RULE = {"all": [{"fact": "lease.area", "op": "ge", "value": 10_000, "label": "租赁面积"}]}
BIG_RULE = {"all": [{"fact": "lease.area", "op": "ge", "value": 100_000, "label": "租赁面积"}]}
AMOUNT = {"const": 150_000, "type": "money", "label": "定额补贴"}


def area_policy(code="area-rule", conditions=AREA_RULE, budget=10_000_000):
    return sample_policy(code, conditions=conditions, amount=AMOUNT, budget=budget)


def test_submitting_shows_the_enterprise_what_the_rules_decide(world, client_for):
    enterprise = world.users["enterprise"]
    draft = services.application_create(user=enterprise, data={"policy": area_policy(), "enterprise": world.tenant_a,
                                                               "year": 2026})
    services.application_submit(user=enterprise, instance=draft)
    draft.refresh_from_db()
    assert draft.decision.eligible and draft.decision.amount == 150_000
    assert draft.decision.purpose == DecisionPurpose.APPLICATION
    page = client_for(enterprise).get(draft.get_absolute_url()).content.decode()
    assert "符合条件：1,500.00 元" in page
    for sentence in draft.decision.trace["sentences"]:
        assert sentence in page
    assert "租赁面积" in page


def test_approval_refused_by_the_real_rules_names_why(world):
    waiting = application(world, area_policy("too-big", conditions=BIG_RULE))
    with pytest.raises(services.Refused) as refusal:
        services.application_approve(waiting, user=world.users["admin"])
    assert "不能审批" in str(refusal.value) and "租赁面积" in str(refusal.value)
    assert Budget.objects.get(policy=waiting.policy).committed == 0


def test_the_application_page_lists_steps_comments_and_the_award(world, client_for):
    officer, admin = world.users["officer"], world.users["admin"]
    submitted = application(world, area_policy(), status=ApplicationStatus.SUBMITTED, first_reviewed_by=None,
                            second_reviewed_by=None)
    services.application_first_review(user=officer, instance=submitted, comment="租赁合同与缴费凭证齐全")
    services.application_second_review(user=second_reviewer(), instance=submitted, comment="复核一致")
    services.application_approve(submitted, user=admin, comment="同意拨付")
    page = client_for(world.users["enterprise"]).get(submitted.get_absolute_url()).content.decode()
    for text in ("租赁合同与缴费凭证齐全", "复核一致", "同意拨付", "1,500.00 元", "审批时的判定"):
        assert text in page, text
    assert 'data-testid="award"' in page


def test_only_those_who_may_take_a_step_see_its_button(world, client_for):
    waiting = application(world, area_policy(), status=ApplicationStatus.SUBMITTED, first_reviewed_by=None,
                          second_reviewed_by=None)
    url = waiting.get_absolute_url()
    officer_page = client_for(world.users["officer"]).get(url).content.decode()
    enterprise_page = client_for(world.users["enterprise"]).get(url).content.decode()
    assert "初审通过" in officer_page and "撤回" not in officer_page
    assert "撤回" in enterprise_page and "初审通过" not in enterprise_page
    assert client_for(world.users["operator"]).get(url).status_code in (403, 404)


def test_the_enterprise_lists_its_own_and_the_queue_counts_for_officers(world, client_for):
    mine = application(world, status=ApplicationStatus.SUBMITTED)
    theirs = application(world, enterprise=world.tenant_b, status=ApplicationStatus.SUBMITTED)
    listed = client_for(world.users["enterprise"]).get("/policies/applications/").content.decode()
    assert mine.number in listed and theirs.number not in listed
    queue = client_for(world.users["officer"]).get("/policies/applications/queue/")
    assert queue.status_code == 200
    row = queue.content.decode().split('data-testid="queue-submitted"')[1].split("</tr>")[0]
    assert ">2<" in row
    assert client_for(world.users["enterprise"]).get("/policies/applications/queue/").status_code == 403


def _approved(world, code="paged", amount=None):
    policy = sample_policy(code, amount={"const": amount, "type": "money"} if amount else AMOUNT)
    return services.application_approve(application(world, policy), user=world.users["admin"]).award


def test_an_officer_records_a_payment_on_the_award_page(world, client_for):
    award = _approved(world, amount=200_000_000)
    officer = client_for(world.users["officer"])
    page = officer.get(award.get_absolute_url()).content.decode()
    assert page.count('data-testid="tranche-pay"') == 2 and "1,000,000.00 元" in page
    first = award.tranches.get(number=1)
    response = officer.post(f"/policies/tranches/{first.pk}/pay/", {
        f"t{first.pk}-paid_on": datetime.date.today().isoformat(), f"t{first.pk}-reference": "GK-2026-0031"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "paid" and first.reference == "GK-2026-0031"
    again = officer.post(f"/policies/tranches/{first.pk}/pay/", {
        f"t{first.pk}-paid_on": datetime.date.today().isoformat(), f"t{first.pk}-reference": "GK-2026-0031"})
    assert again.status_code == 400 and "不能拨付" in again.content.decode()
    assert LedgerEntry.objects.filter(tranche=first).count() == 1


def test_the_enterprise_sees_its_award_but_not_the_ledger_nor_the_payment_form(world, client_for):
    award = _approved(world)
    enterprise = client_for(world.users["enterprise"])
    page = enterprise.get(award.get_absolute_url()).content.decode()
    assert "1,500.00 元" in page and 'data-testid="tranche"' in page
    assert 'data-testid="ledger"' not in page and 'data-testid="tranche-pay"' not in page
    tranche = award.tranches.get()
    response = enterprise.post(f"/policies/tranches/{tranche.pk}/pay/", {
        f"t{tranche.pk}-paid_on": datetime.date.today().isoformat(), f"t{tranche.pk}-reference": "X"})
    assert response.status_code == 403
    assert Tranche.objects.get(pk=tranche.pk).status == "scheduled"
    other = _approved(world, "other-enterprise")
    other.enterprise = world.tenant_b
    other.save(update_fields=["enterprise"])
    assert enterprise.get(other.get_absolute_url()).status_code == 404


def test_the_budget_page_shows_figures_and_the_ledger_in_yuan(world, client_for):
    award = _approved(world)
    services.tranche_pay(award.tranches.get(), user=world.users["officer"], paid_on=datetime.date.today(),
                         reference="GK-1")
    page = client_for(world.users["leader"]).get(award.budget.get_absolute_url()).content.decode()
    assert "100,000,000.00 元" in page  # the sample budget
    assert page.count('data-testid="ledger-entry"') == 2 and "1,500.00 元" in page


def test_the_budget_form_takes_yuan(world, client_for):
    policy = sample_policy("budget-form", budget=None)
    response = client_for(world.users["officer"]).post("/policies/budgets/add/", {
        "policy": policy.pk, "year": 2027, "total": "2500000.50"})
    assert response.status_code == 302
    assert Budget.objects.get(policy=policy, year=2027).total == 250_000_050


def test_a_budget_is_not_set_below_what_is_committed(world, client_for):
    award = _approved(world)
    budget = award.budget
    response = client_for(world.users["officer"]).post(f"/policies/budgets/{budget.pk}/edit/", {
        "policy": budget.policy_id, "year": budget.year, "total": "1000.00"})
    assert response.status_code == 400 and "不能少于已占用" in response.content.decode()


def test_cancelling_on_the_award_page(world, client_for):
    award = _approved(world)
    officer = client_for(world.users["officer"])
    assert officer.post(f"/policies/awards/{award.pk}/cancel/", {"reason": ""}).status_code == 400
    assert officer.post(f"/policies/awards/{award.pk}/cancel/", {"reason": "企业放弃"}).status_code == 302
    award.refresh_from_db()
    assert award.status == "cancelled" and award.budget.committed == 0


def test_a_later_application_offers_the_documents_attached_to_an_earlier_one(world, client_for):
    from core.attachments.services import document_upload
    from core.tests.attachment_files import PDF, upload
    from policies.panels import APPLICATION_DOCUMENT

    enterprise = world.users["enterprise"]
    first = application(world, status=ApplicationStatus.DRAFT)
    document_upload(user=enterprise, record=first, upload=upload("营业执照.pdf", PDF, "application/pdf"),
                    kind=APPLICATION_DOCUMENT, title="营业执照副本")
    later = application(world, area_policy("later-doc"), status=ApplicationStatus.DRAFT)
    page = client_for(enterprise).get(later.get_absolute_url()).content.decode()
    attach = page.split('data-testid="attach-existing"')[1].split("</form>")[0]
    assert "营业执照副本" in attach
    # Submitted, the application keeps what it was sent with: nothing more is attached.
    submitted = application(world, area_policy("later-doc-2"), status=ApplicationStatus.SUBMITTED)
    assert 'data-testid="attach-existing"' not in client_for(enterprise).get(submitted.get_absolute_url()).content.decode()


def test_the_enterprise_page_lists_its_support(world, client_for):
    award = _approved(world, "panel")
    page = client_for(world.users["officer"]).get(world.tenant_a.get_absolute_url()).content.decode()
    panel = page.split('data-testid="support-applications"')[1]
    assert award.application.number in panel and award.get_absolute_url() in panel
    other = client_for(world.users["officer"]).get(world.tenant_b.get_absolute_url()).content.decode()
    assert award.application.number not in other.split('data-testid="support-applications"')[1]
    operator_page = client_for(world.users["operator"]).get(world.tenant_a.get_absolute_url()).content.decode()
    assert 'data-testid="support-applications"' not in operator_page
