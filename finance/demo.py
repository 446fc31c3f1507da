"""Funds' part of the demo data (``demo.parts``).

The investment fund park (福田区投资基金产业园) holds 51 funds, 5 working on site and 46 registered virtually,
with more than 1,000 亿元 under management: one fund each for the 51 fund enterprises the enterprises part made
(marked by their description, "福田区投资基金产业园实际办公/虚拟入驻"), the 5 on site holding their leases in the
park. A few managers run them. The district guidance fund (福田区政府引导基金) commits to 8 of them within the
caps in force, with paid-in amounts; the sub-funds invest about 40 times into demo enterprises, most into district
tenants on a day they hold a lease, some not (an investee without a lease on the day, one that had moved out),
and report more than is verified. Supervision checks (one open and overdue) and services complete the park's
method.

Every draw comes from ``plan.stream("finance")``, so nothing another part draws changes.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from demo.parts import Part
from demo.plan import DistrictPlan

from .choices import CheckKind, CheckOutcome, FundFocus, FundKind, InvestmentRound, Presence, ServiceKind
from .models import Fund, FundInvestment, FundManager, FundService, GuidanceCommitment, ShareLimit, SupervisionCheck

part = Part("finance", tables=[("fund_services", FundService), ("supervision_checks", SupervisionCheck),
                               ("fund_investments", FundInvestment), ("guidance_commitments", GuidanceCommitment),
                               ("funds", Fund), ("fund_managers", FundManager)])

FUND_PARK_MARK = "福田区投资基金产业园"
YI = Decimal(100_000_000)
WAN = Decimal(10_000)
GUIDANCE = ("FT-YDJJ", "福田区政府引导基金")
GUIDANCE_MANAGER = "深圳市福田引导基金投资有限公司"
MANAGERS = ["深圳市福田资本私募股权投资基金管理有限公司", "深圳前湾创新私募股权基金管理有限公司", "深圳市鹏城创业投资管理有限公司",
            "深圳市香蜜湖私募基金管理有限公司", "深圳市河套科创投资管理有限公司", "深圳市湾区产业私募基金管理有限公司"]
SUB_FUNDS = 8
INVESTMENTS = 40
CHECK_FINDINGS = ["按季报送运作报告，未发现问题", "托管账户资金流向与报告一致", "返投台账未及时更新", "季度报告迟报十五日",
                  "关联交易未按规定披露"]
SERVICES = {ServiceKind.REGISTRATION: "协助办理基金注册登记及工商变更", ServiceKind.POLICY: "解读福田区促进基金业发展若干措施",
            ServiceKind.MATCHMAKING: "组织辖区优质项目路演对接", ServiceKind.FINANCING: "对接银行为被投企业提供投贷联动",
            ServiceKind.OTHER: "协助解决人才住房申请"}


def _round_wan(amount: Decimal, rounding=ROUND_HALF_UP) -> Decimal:
    return (amount / WAN).quantize(Decimal(1), rounding=rounding) * WAN


def _day_between(rng, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


@part.district.writes
def write_funds(plan: DistrictPlan) -> None:
    from enterprises.models import Enterprise
    from leasing.choices import HOLDING_STATUSES
    from leasing.models import Lease

    from .reference import ensure_share_limits

    rng = plan.stream("finance")
    today = plan.today
    ensure_share_limits(ShareLimit)  # reference data: a flush may have emptied it
    entities = list(Enterprise.objects.filter(description__startswith=FUND_PARK_MARK).order_by("pk"))
    if not entities:
        plan.say("finance: no fund enterprises: no funds")
        return
    managers = [FundManager.objects.create(name=name, registration_number=f"P10{rng.randint(10000, 99999)}")
                for name in MANAGERS]
    guidance_manager = FundManager.objects.create(name=GUIDANCE_MANAGER, registration_number="P1060001")
    guidance = Fund.objects.create(code=GUIDANCE[0], name=GUIDANCE[1], manager=guidance_manager,
                                   kind=FundKind.GUIDANCE, size=100 * YI, aum=62 * YI,
                                   registered_on=datetime.date(2015, 12, 18), presence=Presence.VIRTUAL,
                                   notes="福田区政府投资引导基金，按子基金出资比例上限参股。")
    funds = []
    for number, entity in enumerate(entities, start=1):
        name = entity.name
        kind = (FundKind.VENTURE if "创业投资" in name else FundKind.EQUITY if "股权投资" in name
                else rng.choice([FundKind.INDUSTRY, FundKind.EQUITY, FundKind.VENTURE, FundKind.OTHER]))
        size = Decimal(rng.randint(8, 60)) * YI / 2  # 4 to 30 亿元
        aum = _round_wan(size * Decimal(rng.randint(60, 100)) / 100)
        physical = "实际办公" in (entity.description or "")
        earliest = max(datetime.date(2016, 1, 1), entity.established_on or datetime.date(2016, 1, 1))
        funds.append(Fund(
            code=f"FT-JJ-{number:03d}", name=name, manager=rng.choice(managers), kind=kind, size=size, aum=aum,
            registered_on=_day_between(rng, earliest, today - datetime.timedelta(days=400)),
            presence=Presence.PHYSICAL if physical else Presence.VIRTUAL, enterprise=entity))
    total_aum = sum(f.aum for f in funds)
    if total_aum <= 1050 * YI:  # the park reports more than 1,000 亿元: scale up whatever the draws
        factor = Decimal(rng.randint(1080_00, 1260_00)) / 100 * YI / total_aum
        for fund in funds:
            fund.aum = _round_wan(fund.aum * factor)
            fund.size = max(fund.size, _round_wan(fund.size * factor))
    Fund.objects.bulk_create(funds)
    funds = list(Fund.objects.filter(code__startswith="FT-JJ-").select_related("enterprise").order_by("code"))

    # The guidance fund's sub-funds: two of those on site, the rest virtual, within the caps of their focus.
    on_site = [f for f in funds if f.presence == Presence.PHYSICAL]
    virtual = [f for f in funds if f.presence == Presence.VIRTUAL]
    subs = rng.sample(on_site, min(2, len(on_site))) + rng.sample(virtual, SUB_FUNDS - min(2, len(on_site)))
    for sub in subs:
        sub.focus = rng.choice([FundFocus.INNOVATION, FundFocus.EMERGING])
        sub.kind = sub.kind if sub.kind != FundKind.OTHER else FundKind.INDUSTRY
        sub.save()
        committed_on = _day_between(rng, sub.registered_on, today - datetime.timedelta(days=300))
        limit = ShareLimit.in_force(sub.focus, committed_on)
        share = Decimal(rng.choice([10, 15, 20, limit.guidance_cap_bp // 100]))
        committed = _round_wan(sub.size * share / 100, ROUND_DOWN)  # never over the cap by rounding
        GuidanceCommitment.objects.create(
            guidance_fund=guidance, sub_fund=sub, committed=committed, committed_on=committed_on,
            paid_in=_round_wan(committed * Decimal(rng.choice([30, 50, 70, 100])) / 100, ROUND_DOWN),
            other_public=_round_wan(sub.size * Decimal(rng.choice([0, 0, 10, 20])) / 100, ROUND_DOWN))

    # Investments: mostly into district tenants on a day they hold a lease, a few not.
    leases = list(Lease.objects.filter(status__in=HOLDING_STATUSES, start_date__lt=today)
                  .exclude(enterprise__description__startswith=FUND_PARK_MARK)
                  .select_related("enterprise").order_by("pk")[:3000])
    investments = []
    rounds = [InvestmentRound.ANGEL, InvestmentRound.A, InvestmentRound.A, InvestmentRound.B, InvestmentRound.C,
              InvestmentRound.LATER]
    for index in range(INVESTMENTS):
        fund = subs[index % len(subs)] if index < INVESTMENTS - 6 else rng.choice(funds)
        if not leases:
            break
        lease = rng.choice(leases)
        start = max(lease.start_date, fund.registered_on,
                    lease.enterprise.moved_in_on or lease.enterprise.established_on or lease.start_date)
        day = _day_between(rng, start, min(lease.end_date, today - datetime.timedelta(days=1)))
        investments.append(FundInvestment(fund=fund, enterprise=lease.enterprise, round=rng.choice(rounds),
                                          amount=_round_wan(Decimal(rng.randint(800, 30000)) * WAN), invested_on=day))
    # Not local: an enterprise of the register with no lease at all, and a tenant after it moved out.
    unleased = (Enterprise.objects.filter(leases__isnull=True).exclude(description__startswith=FUND_PARK_MARK)
                .order_by("pk").first())
    if unleased is not None:
        investments.append(FundInvestment(fund=subs[0], enterprise=unleased, round=InvestmentRound.ANGEL,
                                          amount=800 * WAN, invested_on=today - datetime.timedelta(days=200)))
    gone = Enterprise.objects.filter(moved_out_on__isnull=False, moved_out_on__lt=today).order_by("pk").first()
    if gone is None:  # none recorded as moved out: a former tenant, its last lease long ended, moved out after it
        from django.db.models import Max

        former = (Enterprise.objects.exclude(description__startswith=FUND_PARK_MARK)
                  .annotate(last_end=Max("leases__end_date"))
                  .filter(last_end__lt=today - datetime.timedelta(days=180)).order_by("pk").first())
        if former is not None:
            former.moved_out_on = former.last_end + datetime.timedelta(days=30)
            former.save(update_fields=["moved_out_on", "last_updated"])
            gone = former
    if gone is not None:
        investments.append(FundInvestment(fund=subs[1], enterprise=gone, round=InvestmentRound.B, amount=3000 * WAN,
                                          invested_on=min(today - datetime.timedelta(days=30),
                                                          gone.moved_out_on + datetime.timedelta(days=10))))
    FundInvestment.objects.bulk_create(investments)

    # The sub-funds report what they count as local: every investment, and a little more.
    for sub in subs:
        invested = sum((i.amount for i in investments if i.fund_id == sub.pk), Decimal(0))
        sub.reported_local_investment = _round_wan(invested * Decimal(rng.randint(100, 160)) / 100)
        sub.reported_on = today.replace(month=1, day=15) if today.month > 1 else today
        sub.save(update_fields=["reported_local_investment", "reported_on", "last_updated"])

    # The park's method: supervision (one check open past its due date) and services.
    checks = []
    for fund in rng.sample(funds, 16):
        day = _day_between(rng, fund.registered_on, today - datetime.timedelta(days=10))
        finding = rng.choice(CHECK_FINDINGS)
        issues = "未发现问题" not in finding and "一致" not in finding
        checks.append(SupervisionCheck(
            fund=fund, checked_on=day, kind=rng.choice([CheckKind.PERIODIC, CheckKind.PERIODIC, CheckKind.SPECIAL]),
            findings=finding, outcome=CheckOutcome.ISSUES if issues else CheckOutcome.NO_ISSUES,
            follow_up="限期整改并报送整改报告" if issues else "",
            follow_up_due=min(day + datetime.timedelta(days=30), today) if issues else None,
            closed=issues, closing_note="整改已完成，复核无问题" if issues else ""))
    overdue_day = today - datetime.timedelta(days=75)
    checks.append(SupervisionCheck(fund=subs[0], checked_on=overdue_day, kind=CheckKind.SPECIAL,
                                   findings="返投台账未及时更新，部分被投企业无租约证明", outcome=CheckOutcome.ISSUES,
                                   follow_up="补充被投企业落户及租约材料", follow_up_due=overdue_day + datetime.timedelta(days=30)))
    SupervisionCheck.objects.bulk_create(checks)
    services = []
    for fund in rng.sample(funds, 24):
        kind = rng.choice(list(SERVICES))
        services.append(FundService(fund=fund, kind=kind, description=SERVICES[kind],
                                    served_on=_day_between(rng, fund.registered_on, today - datetime.timedelta(days=1))))
    FundService.objects.bulk_create(services)
    for model in (FundManager, Fund):
        rows = list(model.objects.all())
        for row in rows:
            row.refresh_search_text()
        model.objects.bulk_update(rows, ["search_text"], batch_size=1000)
    plan.say(f"finance: {len(funds)} funds, {len(subs)} sub-funds of the guidance fund, {len(investments)} investments")
