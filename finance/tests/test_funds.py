"""Funds: the share caps at and one fen over, paid in over committed, a fund on site without a lease, and which
investments count as local (each reason a non-local one is refused) with the verified ratio's exact number."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import ObjectChange
from enterprises.models import Enterprise
from finance import selectors, services
from finance.models import Fund, FundInvestment, FundManager, GuidanceCommitment, ShareLimit, SupervisionCheck
from finance.reference import ensure_share_limits
from leasing.models import Lease
from yuanqu.generic_tests import credit_code

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def share_limits(db):
    """A transactional test's flush empties the reference table the migration seeded; put it back."""
    ensure_share_limits(ShareLimit)


def make_fund(code, *, kind="venture", focus="innovation", size="100000000.00", **fields):
    manager = FundManager.objects.get_or_create(name="深圳市测试基金管理有限公司")[0]
    return Fund.objects.create(**{"code": code, "name": f"基金{code}", "manager": manager, "kind": kind,
                                  "focus": focus, "size": Decimal(size), "aum": Decimal(size),
                                  "registered_on": D(2020, 1, 1), **fields})


def guidance_fund():
    return make_fund("FT-YD", kind="guidance", focus="", name="福田区政府引导基金", size="5000000000.00")


def commit(world, sub_fund, committed, *, guidance=None, other_public="0", paid_in="0", on=D(2022, 6, 30)):
    return services.guidancecommitment_create(user=world.users["officer"], data={
        "guidance_fund": guidance or guidance_fund(), "sub_fund": sub_fund, "committed": Decimal(committed),
        "paid_in": Decimal(paid_in), "committed_on": on, "other_public": Decimal(other_public)})


def test_the_limits_in_force_are_seeded():
    assert [(s.focus, s.guidance_cap_bp, s.public_cap_bp, s.required_reinvestment_bp)
            for s in ShareLimit.objects.order_by("focus")] == [("emerging", 2500, 7000, 15000),
                                                              ("innovation", 3000, 7000, 15000)]


def test_the_guidance_share_may_reach_its_cap_and_not_one_fen_more(world):
    sub = make_fund("S1")  # innovation: 30% of 100,000,000.00
    assert commit(world, sub, "30000000.00").pk
    over = make_fund("S2")
    with pytest.raises(ValidationError) as refused:
        commit(world, over, "30000000.01", guidance=Fund.objects.get(code="FT-YD"))
    assert refused.value.message_dict == {"committed": ["引导基金出资占子基金规模 30.00%，超过上限 30.00%"]}
    assert not GuidanceCommitment.objects.filter(sub_fund=over).exists()


def test_an_emerging_sub_fund_has_the_lower_cap_and_the_message_names_share_and_cap(world):
    sub = make_fund("S3", focus="emerging")
    with pytest.raises(ValidationError) as refused:
        commit(world, sub, "32000000")
    assert refused.value.messages == ["引导基金出资占子基金规模 32.00%，超过上限 25.00%"]
    assert commit(world, sub, "25000000", guidance=Fund.objects.get(code="FT-YD")).pk


def test_all_public_money_is_capped_with_other_guidance_funds_counted_as_public(world):
    sub = make_fund("S4")
    city = make_fund("SZ-YD", kind="guidance", focus="", name="深圳市引导基金")
    commit(world, sub, "30000000", guidance=city)
    assert commit(world, sub, "20000000", other_public="20000000").pk  # 30 + 20 + 20 = 70%: at the cap
    edited = GuidanceCommitment.objects.get(sub_fund=sub, guidance_fund__code="FT-YD")
    records = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.guidancecommitment_update(user=world.users["officer"], instance=edited,
                                           data={"other_public": Decimal("20000000.01")})
    assert refused.value.messages == ["公共资金合计占子基金规模 70.00%，超过上限 70.00%"]
    edited.refresh_from_db()
    assert edited.other_public == Decimal("20000000.00") and ObjectChange.objects.count() == records


def test_the_limit_in_force_on_the_day_committed_applies(world):
    ShareLimit.objects.create(effective_from=D(2023, 1, 1), focus="innovation", guidance_cap_bp=2000,
                              public_cap_bp=7000, required_reinvestment_bp=12000)
    assert commit(world, make_fund("S5"), "30000000", on=D(2022, 12, 31)).pk
    with pytest.raises(ValidationError, match="超过上限 20.00%"):
        commit(world, make_fund("S6"), "30000000", on=D(2023, 1, 1), guidance=Fund.objects.get(code="FT-YD"))


def test_a_sub_fund_made_smaller_keeps_its_commitments_within_the_caps(world):
    sub = make_fund("S12")
    commit(world, sub, "30000000")
    with pytest.raises(ValidationError) as refused:
        services.fund_update(user=world.users["officer"], instance=sub, data={"size": Decimal("99999999.99")})
    assert refused.value.message_dict == {"size": ["福田区政府引导基金 → 基金S12：引导基金出资占子基金规模 30.00%，超过上限 30.00%"]}
    sub.refresh_from_db()
    assert sub.size == Decimal("100000000.00")
    services.fund_update(user=world.users["officer"], instance=sub, data={"size": Decimal("120000000")})


def test_paid_in_may_not_exceed_committed(world):
    with pytest.raises(ValidationError) as refused:
        commit(world, make_fund("S7"), "1000000", paid_in="1000000.01")
    assert "paid_in" in refused.value.message_dict


def test_a_fund_on_site_needs_a_current_lease(world):
    data = {"code": "P1", "name": "现场办公基金", "manager": FundManager.objects.create(name="管理人甲"),
            "kind": "equity", "size": Decimal("1000000"), "aum": Decimal("0"), "registered_on": D(2021, 1, 1),
            "presence": "physical"}
    no_lease = Enterprise.objects.create(name="无租约基金合伙企业", credit_code=credit_code(901))
    with pytest.raises(ValidationError) as refused:
        services.fund_create(user=world.users["officer"], model=Fund, data={**data, "enterprise": no_lease})
    assert refused.value.message_dict["presence"] == [
        "无租约基金合伙企业当前没有有效租约：实际办公的基金须通过租约使用房源；请先登记租约，或选择虚拟入驻。"]
    fund = services.fund_create(user=world.users["officer"], model=Fund, data={**data, "enterprise": world.tenant_a})
    assert selectors.fund_lease(fund) == world.lease_a


def investee(world, number, *, moved_in=D(2020, 1, 1), moved_out=None, established=None, leases=((D(2021, 1, 1), D(2023, 12, 31)),),
             status="active"):
    enterprise = Enterprise.objects.create(name=f"被投企业{number}", credit_code=credit_code(800 + number),
                                           moved_in_on=moved_in, moved_out_on=moved_out, established_on=established)
    for i, (start, end) in enumerate(leases):
        Lease.objects.create(enterprise=enterprise, park=world.park_a, start_date=start, end_date=end,
                             monthly_rent=Decimal("100"), contract_number=f"T-{number}-{i}", status=status)
    return enterprise


def invest(fund, enterprise, amount, on):
    return FundInvestment.objects.create(fund=fund, enterprise=enterprise, round="a", amount=Decimal(amount),
                                         invested_on=on)


def test_local_investments_and_each_reason_one_is_not_with_the_exact_ratio(world):
    sub = make_fund("S8", reported_local_investment=Decimal("90000000"), reported_on=D(2024, 1, 15))
    commit(world, sub, "30000000")
    invest(sub, investee(world, 1), "20000000.00", D(2022, 3, 1))  # local
    invest(sub, investee(world, 2, status="terminated", leases=((D(2021, 1, 1), D(2022, 5, 31)),)),
           "1234567.89", D(2022, 5, 31))  # local: a terminated lease holds up to its end date as stored
    invest(sub, investee(world, 3, moved_in=D(2022, 7, 1)), "5000000", D(2022, 6, 30))  # registered later
    # Founded here: no 落户 date recorded, its establishment counts (as for policies); one founded a day late.
    invest(sub, investee(world, 10, moved_in=None, established=D(2021, 6, 1)), "1000000", D(2022, 6, 1))
    invest(sub, investee(world, 11, moved_in=None, established=D(2022, 6, 2)), "1000000", D(2022, 6, 1))
    invest(sub, investee(world, 4, moved_out=D(2022, 8, 1)), "6000000", D(2022, 8, 1))  # moved out that day
    invest(sub, investee(world, 5, leases=()), "7000000", D(2022, 9, 1))  # no lease at all
    invest(sub, investee(world, 6, status="expired"), "8000000", D(2022, 9, 1))  # an expired lease holds nothing
    invest(sub, investee(world, 7, leases=((D(2023, 1, 1), D(2024, 12, 31)),)), "9000000", D(2022, 12, 31))
    figures = selectors.fund_figures(user=world.users["leader"], fund=sub)
    reasons = {i.enterprise.name: (where.local, str(where.reason)) for i, where in figures.investments}
    assert reasons == {
        "被投企业1": (True, "投资日在本区登记且在本区有租约"), "被投企业2": (True, "投资日在本区登记且在本区有租约"),
        "被投企业3": (False, "投资日未在本区登记"), "被投企业4": (False, "投资日前已迁出本区"),
        "被投企业5": (False, "投资日在本区无租约"), "被投企业6": (False, "投资日在本区无租约"),
        "被投企业7": (False, "投资日在本区无租约"), "被投企业10": (True, "投资日在本区登记且在本区有租约"),
        "被投企业11": (False, "投资日未在本区登记")}
    assert figures.verified_local_fen == 2_223_456_789
    assert figures.reported_local_fen == 9_000_000_000
    assert figures.committed_fen == 3_000_000_000
    assert figures.ratio_bp == 7412  # 22,234,567.89 ÷ 30,000,000.00 = 74.1152…%, half-up
    assert (figures.required_bp, figures.meets_required) == (15000, False)
    assert figures.received[0].leverage == 333 and figures.received[0].share_bp == 3000


def test_the_fund_page_shows_verified_beside_reported_and_the_overdue_check_in_red(world, client_for):
    sub = make_fund("S9", reported_local_investment=Decimal("50000000"), reported_on=D(2024, 1, 15))
    commit(world, sub, "30000000")
    invest(sub, investee(world, 9), "45000000", D(2022, 3, 1))
    SupervisionCheck.objects.create(fund=sub, checked_on=D(2024, 3, 1), outcome="issues", findings="未按季报送",
                                    follow_up="补报", follow_up_due=D(2024, 4, 30))
    page = client_for(world.users["officer"]).get(sub.get_absolute_url()).content.decode()
    assert 'data-testid="verified-local">4,500.00 万元<' in page
    assert 'data-testid="reported-local">5,000.00 万元<' in page
    assert 'data-testid="verified-ratio">150.00%<' in page and "text-success" in page
    assert 'data-testid="check-overdue"' in page
    park = client_for(world.users["leader"]).get("/finance/fund-park/").content.decode()
    assert 'data-testid="funds-total"' in park


def test_an_officer_closes_a_check_with_a_note_and_a_leader_may_not(world):
    check = SupervisionCheck.objects.create(fund=make_fund("S10"), checked_on=D(2024, 3, 1), outcome="issues",
                                            follow_up="补报", follow_up_due=D(2024, 4, 30))
    assert check.overdue()
    from django.core.exceptions import PermissionDenied
    with pytest.raises(PermissionDenied):
        services.supervisioncheck_close(user=world.users["leader"], instance=check, closing_note="已补报")
    services.supervisioncheck_close(user=world.users["officer"], instance=check, closing_note="已补报")
    check.refresh_from_db()
    assert (check.closed, check.closing_note, check.overdue()) == (True, "已补报", False)


def test_operators_and_enterprises_see_no_fund(world):
    sub = make_fund("S11")
    for role in ("operator", "enterprise"):
        assert not selectors.fund_list(user=world.users[role]).exists()
        with pytest.raises(Fund.DoesNotExist):
            selectors.fund_figures(user=world.users[role], fund=sub)
