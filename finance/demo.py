"""Funds' part of the demo data (``demo.parts``).

The investment fund park (福田区投资基金产业园) holds 51 funds, 5 working on site and 46 registered virtually,
with more than 1,000 亿元 under management: one fund each for the 51 fund enterprises the enterprises part made
(marked by their description, "福田区投资基金产业园实际办公/虚拟入驻"), the 5 on site holding their leases in the
park. A few managers run them. The district guidance fund (福田区政府引导基金) commits to 8 of them within the
caps in force, with paid-in amounts; the sub-funds invest about 40 times into demo enterprises, most into district
tenants on a day they hold a lease, some not (an investee without a lease on the day, one that had moved out),
and report more than is verified. Supervision checks (one open and overdue) and services complete the park's
method.

The cohorts (issue 12 §3): the fintech accelerator (福田金融科技加速器, three intakes of 10 to 15 fintech-looking
enterprises) and 深圳天使荟（福田）(two intakes), members graduated, left and, in the latest intakes, mostly still in
the programme; resources of each kind; some members invested in by the sub-funds above after joining and some
recognised high-tech after joining (chosen among enterprises whose investment or qualification comes after the
intake's start), so that the outcomes the selectors read are there to count.

Every draw of the funds comes from ``plan.stream("finance")`` and every draw of the cohorts from
``plan.stream("cohorts")``, so nothing another part draws changes.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from demo.parts import Part
from demo.plan import DistrictPlan

from .choices import (
    CheckKind,
    CheckOutcome,
    FundFocus,
    FundKind,
    InvestmentRound,
    MemberStatus,
    Presence,
    ProgrammeKind,
    ResourceKind,
    ServiceKind,
)
from .models import (
    Fund,
    FundInvestment,
    FundManager,
    FundService,
    GuidanceCommitment,
    Intake,
    Member,
    Programme,
    Resource,
    ShareLimit,
    SupervisionCheck,
)

part = Part("finance", tables=[("cohort_resources", Resource), ("cohort_members", Member), ("intakes", Intake),
                               ("programmes", Programme), ("fund_services", FundService), ("supervision_checks", SupervisionCheck),
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


# ----- cohorts --------------------------------------------------------------------------------------------------
FINTECH_WORDS = ("金融", "支付", "数据", "信息", "数字科技", "网络科技", "智能科技", "软件", "云计算")
ACCELERATOR = ("FT-JRKJ-JSQ", "福田金融科技加速器", "精准扶持和培育细分行业成长性强的潜力金融科技企业。")
ANGEL = ("FT-TSH", "深圳天使荟（福田）", "引入国内外优秀初创科技企业的重要载体，为入孵企业提供融资、技术、培训、空间等市场要素和"
         "产业、住房、人才、补贴等政策资源。")
RESOURCE_TEXT = {ResourceKind.FUNDING: "加速营启动资金", ResourceKind.SPACE: "提供免租办公工位",
                 ResourceKind.TRAINING: "金融科技合规与产品训练营", ResourceKind.MENTORING: "导师一对一辅导",
                 ResourceKind.POLICY: "协助申报人才住房与创业补贴"}
LEAVE_REASONS = ["迁出本区", "业务转型，主动退出", "未按期完成阶段目标"]


@part.district.writes
def write_cohorts(plan: DistrictPlan) -> None:
    from enterprises.choices import QualificationKind
    from enterprises.models import Enterprise, Qualification
    from spaces.models import Park

    rng = plan.stream("cohorts")
    today = plan.today
    day = datetime.timedelta(days=1)
    pool = [e for e in Enterprise.objects.exclude(description__startswith=FUND_PARK_MARK).order_by("pk")
            if any(word in e.name for word in FINTECH_WORDS)]
    if len(pool) < 20:
        pool += list(Enterprise.objects.exclude(description__startswith=FUND_PARK_MARK)
                     .exclude(pk__in=[e.pk for e in pool]).order_by("pk")[:80])
    if not pool:
        plan.say("finance: no enterprises: no cohorts")
        return
    rng.shuffle(pool)
    by_pk = {e.pk: e for e in Enterprise.objects.exclude(description__startswith=FUND_PARK_MARK)}
    invested_on = {}  # enterprise pk → days of its investments
    for enterprise_id, on in FundInvestment.objects.values_list("enterprise_id", "invested_on"):
        invested_on.setdefault(enterprise_id, []).append(on)
    high_tech_on = {}
    for enterprise_id, on in (Qualification.objects.filter(kind=QualificationKind.HIGH_TECH)
                              .values_list("enterprise_id", "issued_on")):
        high_tech_on.setdefault(enterprise_id, []).append(on)
    used: set = set()
    own = Enterprise.objects.filter(users__isnull=False).exclude(description__startswith=FUND_PARK_MARK).order_by(
        "pk").first()
    park = Park.objects.filter(name__contains="金融").order_by("pk").first()
    accelerator = Programme.objects.create(code=ACCELERATOR[0], name=ACCELERATOR[1], kind=ProgrammeKind.ACCELERATOR,
                                           operator_name="福田区金融科技加速器运营机构", park=park,
                                           started_on=today - datetime.timedelta(days=3 * 365 + 60),
                                           description=ACCELERATOR[2])
    angel = Programme.objects.create(code=ANGEL[0], name=ANGEL[1], kind=ProgrammeKind.ANGEL,
                                     operator_name="深圳天使荟（福田）运营机构",
                                     started_on=today - datetime.timedelta(days=2 * 365 + 200), description=ANGEL[2])
    # (programme, name, starts, ends (None: open), size, latest)
    plans = [
        (accelerator, "第一期", today - datetime.timedelta(days=3 * 365), 240, rng.randint(10, 15), False),
        (accelerator, "第二期", today - datetime.timedelta(days=2 * 365), 240, rng.randint(10, 15), False),
        (accelerator, "第三期", today - datetime.timedelta(days=150), 270, rng.randint(10, 15), True),
        (angel, "第一期", today - datetime.timedelta(days=2 * 365 + 150), 365, rng.randint(8, 12), False),
        (angel, "第二期", today - datetime.timedelta(days=300), None, rng.randint(8, 12), True),
    ]
    members = []
    for programme, name, starts, length, size, latest in plans:
        ends = starts + datetime.timedelta(days=length) if length else None
        intake = Intake.objects.create(programme=programme, name=name, starts_on=starts, ends_on=ends,
                                       capacity=15 if programme is accelerator else 12)
        window = starts + datetime.timedelta(days=30)  # members join within the first month

        def later_than(days_by_pk, count, window=window):
            found = [pk for pk, days in sorted(days_by_pk.items())
                     if pk not in used and pk in by_pk and any(d >= window for d in days)]
            return rng.sample(found, min(count, len(found)))

        chosen = later_than(invested_on, rng.randint(1, 3)) + later_than(high_tech_on, rng.randint(1, 3))
        if programme is accelerator and latest and own is not None and own.pk in by_pk:
            chosen.insert(0, own.pk)  # the demo enterprise account sees its own membership
        chosen = list(dict.fromkeys(pk for pk in chosen if pk not in used))
        for enterprise in pool:
            if len(chosen) >= size:
                break
            if enterprise.pk not in used and enterprise.pk not in chosen:
                chosen.append(enterprise.pk)
        for pk in chosen[:size]:
            used.add(pk)
            joined = starts + datetime.timedelta(days=rng.randint(0, 30))
            if latest:
                status = rng.choice([MemberStatus.ACTIVE] * 8 + [MemberStatus.LEFT, MemberStatus.GRADUATED])
            else:
                status = rng.choice([MemberStatus.GRADUATED] * 4 + [MemberStatus.LEFT])
            if status == MemberStatus.GRADUATED:
                outcome = min(ends or today - day, today - day) if not latest else today - datetime.timedelta(
                    days=rng.randint(1, 20))
            elif status == MemberStatus.LEFT:
                outcome = min(joined + datetime.timedelta(days=rng.randint(30, 150)), today - day)
            else:
                outcome = None
            members.append(Member(intake=intake, enterprise=by_pk[pk], joined_on=joined, status=status,
                                  outcome_on=outcome, reason=rng.choice(LEAVE_REASONS) if status == MemberStatus.LEFT
                                  else ""))
    Member.objects.bulk_create(members)
    resources = []
    kinds = list(ResourceKind.values)
    for number, member in enumerate(Member.objects.order_by("pk")):
        last = member.outcome_on or today
        given = rng.sample(kinds, rng.randint(1, 3))
        given.append(kinds[number % len(kinds)])  # every kind given somewhere
        for kind in dict.fromkeys(given):
            resource = Resource(member=member, kind=kind, given_on=_day_between(rng, member.joined_on, last),
                                description=RESOURCE_TEXT[kind])
            if kind == ResourceKind.FUNDING:
                resource.amount = Decimal(rng.choice([20, 30, 50, 80, 100])) * WAN
            elif kind == ResourceKind.SPACE:
                resource.area = Decimal(rng.randint(20, 200))
            elif kind in (ResourceKind.TRAINING, ResourceKind.MENTORING):
                resource.hours = Decimal(rng.choice([4, 8, 12, 16, 24]))
            resources.append(resource)
    Resource.objects.bulk_create(resources)
    plan.say(f"finance: 2 programmes, {len(plans)} intakes, {len(members)} members, {len(resources)} resources")
