from django.utils.translation import gettext_lazy as _

from core.importing.spec import CODE, ImportColumn, ImportSpec
from core.surfaces import Column, Surface, register
from enterprises.surfaces import ENTERPRISE

from . import filters, forms, selectors, services
from .choices import (
    CheckKind,
    CheckOutcome,
    FundFocus,
    FundKind,
    InvestmentRound,
    Presence,
    ProgrammeKind,
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
    SupervisionCheck,
)

FUND = ImportColumn(match=("code", "name"), aliases=("基金", "基金编码", "基金名称", "基金代码"),
                    help=_("The fund's code (or its exact name)"))
CHOICE = "core/cells/choice.html"
YUAN = "finance/cells/yuan.html"  # 万元 / 亿元 on the page; exports keep the yuan


def fund_context(request, fund):
    figures = selectors.fund_figures(user=request.user, fund=fund)
    checks = list(selectors.fund_checks(user=request.user, fund=fund))
    return {"figures": figures, "lease": selectors.fund_lease(fund), "checks": checks,
            "services": selectors.fund_services(user=request.user, fund=fund)[:50]}


def investment_context(request, investment):
    (_investment, where), = selectors.investments_with_locality([investment])
    return {"locality": where}


fundmanager = register(Surface(
    model=FundManager, filterset=filters.FundManagerFilterSet, form=forms.FundManagerForm, slug="managers",
    columns=[Column("name", link=True), Column("credit_code"), Column("registration_number"),
             Column("enterprise", order_by="enterprise__name")],
    select_related=("enterprise",), default_sort="name",
    create=services.fundmanager_create, update=services.fundmanager_update, delete=services.any_delete,
    importer=ImportSpec(
        key=("name",),
        columns={"name": ImportColumn(aliases=("基金管理人", "管理人名称", "名称")),
                 "credit_code": ImportColumn(kind=CODE, aliases=("管理人信用代码", "统一社会信用代码", "信用代码")),
                 "registration_number": ImportColumn(kind=CODE, aliases=("登记编号", "管理人登记编号")),
                 "enterprise": ImportColumn(match=ENTERPRISE.match, parse=ENTERPRISE.parse,
                                            aliases=("对应企业",), help=ENTERPRISE.help)},
        example={"name": "深圳市示例私募股权投资基金管理有限公司", "registration_number": "P1000001"}),
))

fund = register(Surface(
    model=Fund, filterset=filters.FundFilterSet, form=forms.FundForm, slug="funds",
    columns=[Column("name", link=True), Column("code"), Column("manager", order_by="manager__name"),
             Column("kind", template=CHOICE), Column("focus", template=CHOICE), Column("size", template=YUAN),
             Column("aum", template=YUAN),
             Column("registered_on"), Column("presence", template=CHOICE)],
    select_related=("manager", "enterprise"), default_sort="code",
    create=services.fund_create, update=services.fund_update, delete=services.any_delete,
    detail_template="finance/fund_detail.html", extra_context=fund_context,
    bulk_fields=("kind", "focus", "presence", "manager"),
    importer=ImportSpec(
        key=("code",),
        columns={"code": ImportColumn(kind=CODE, aliases=("基金编码", "基金编号", "编码")),
                 "name": ImportColumn(aliases=("基金名称", "名称")),
                 "manager": ImportColumn(match=("name", "credit_code"), aliases=("基金管理人", "管理人")),
                 "kind": ImportColumn(aliases=("基金类型", "类型")),
                 "focus": ImportColumn(aliases=("子基金类别", "投向")),
                 "size": ImportColumn(aliases=("认缴规模（元）", "认缴规模")),
                 "aum": ImportColumn(aliases=("资产管理规模（元）", "资产管理规模", "管理规模")),
                 "registered_on": ImportColumn(aliases=("登记日期", "备案日期", "成立日期")),
                 "presence": ImportColumn(aliases=("入驻方式", "入驻形式")),
                 "enterprise": ImportColumn(match=ENTERPRISE.match, parse=ENTERPRISE.parse,
                                            aliases=("登记主体", "基金主体信用代码"), help=ENTERPRISE.help),
                 "reported_local_investment": ImportColumn(aliases=("自报返投金额（元）", "自报返投金额")),
                 "reported_on": ImportColumn(aliases=("自报日期", "填报日期"))},
        example={"code": "JJ-0001", "name": "深圳示例创业投资基金合伙企业（有限合伙）",
                 "manager": "深圳市示例私募股权投资基金管理有限公司", "kind": FundKind.VENTURE.label,
                 "focus": FundFocus.INNOVATION.label, "size": "500000000", "aum": "450000000",
                 "registered_on": "2021-03-15", "presence": Presence.VIRTUAL.label}),
))

guidancecommitment = register(Surface(
    model=GuidanceCommitment, filterset=filters.GuidanceCommitmentFilterSet, form=forms.GuidanceCommitmentForm,
    slug="commitments",
    columns=[Column("sub_fund", link=True, order_by="sub_fund__name"),
             Column("guidance_fund", order_by="guidance_fund__name"), Column("committed", template=YUAN),
             Column("paid_in", template=YUAN),
             Column("committed_on"), Column("other_public", template=YUAN)],
    select_related=("guidance_fund", "sub_fund"), default_sort="-committed_on",
    create=services.guidancecommitment_create, update=services.guidancecommitment_update,
    delete=services.any_delete,
    importer=ImportSpec(
        key=("guidance_fund", "sub_fund"),
        columns={"guidance_fund": ImportColumn(match=FUND.match, aliases=("引导基金",), help=FUND.help),
                 "sub_fund": ImportColumn(match=FUND.match, aliases=("子基金",), help=FUND.help),
                 "committed": ImportColumn(aliases=("认缴出资（元）", "认缴出资", "出资额")),
                 "paid_in": ImportColumn(aliases=("实缴出资（元）", "实缴出资", "实缴")),
                 "committed_on": ImportColumn(aliases=("出资日期", "决策日期")),
                 "other_public": ImportColumn(aliases=("其他财政出资（元）", "其他财政出资"))},
        example={"guidance_fund": "福田区政府引导基金", "sub_fund": "JJ-0001", "committed": "100000000",
                 "paid_in": "40000000", "committed_on": "2022-06-30", "other_public": "0"}),
))

fundinvestment = register(Surface(
    model=FundInvestment, filterset=filters.FundInvestmentFilterSet, form=forms.FundInvestmentForm,
    slug="investments",
    columns=[Column("enterprise", link=True, order_by="enterprise__name"), Column("fund", order_by="fund__name"),
             Column("round", template=CHOICE), Column("amount", template=YUAN), Column("invested_on")],
    select_related=("fund", "enterprise"), default_sort="-invested_on",
    create=services.fundinvestment_create, update=services.fundinvestment_update, delete=services.any_delete,
    detail_template="finance/fundinvestment_detail.html", extra_context=investment_context,
    importer=ImportSpec(
        key=("fund", "enterprise", "invested_on"),
        columns={"fund": FUND,
                 "enterprise": ImportColumn(match=ENTERPRISE.match, parse=ENTERPRISE.parse,
                                            aliases=("被投企业", "被投企业信用代码", *ENTERPRISE.aliases),
                                            help=ENTERPRISE.help),
                 "round": ImportColumn(aliases=("轮次", "投资轮次")),
                 "amount": ImportColumn(aliases=("投资金额（元）", "投资金额", "金额")),
                 "invested_on": ImportColumn(aliases=("投资日期", "交割日期"))},
        example={"fund": "JJ-0001", "enterprise": "914403001922038216", "round": InvestmentRound.A.label,
                 "amount": "20000000", "invested_on": "2023-05-10"}),
))

supervisioncheck = register(Surface(
    model=SupervisionCheck, filterset=filters.SupervisionCheckFilterSet, form=forms.SupervisionCheckForm,
    slug="checks",
    columns=[Column("fund", link=True, order_by="fund__name"), Column("checked_on"), Column("kind", template=CHOICE),
             Column("outcome", template=CHOICE), Column("follow_up_due"), Column("closed")],
    select_related=("fund",), default_sort="-checked_on",
    create=services.supervisioncheck_create, update=services.supervisioncheck_update, delete=services.any_delete,
    api_read_only=("closed", "closing_note"),
    importer=ImportSpec(
        key=("fund", "checked_on", "kind"),
        columns={"fund": FUND,
                 "checked_on": ImportColumn(aliases=("检查日期",)),
                 "kind": ImportColumn(aliases=("检查类型",)),
                 "outcome": ImportColumn(aliases=("检查结论", "结论")),
                 "findings": ImportColumn(aliases=("检查发现", "发现问题")),
                 "follow_up": ImportColumn(aliases=("整改跟进", "跟进事项")),
                 "follow_up_due": ImportColumn(aliases=("整改期限", "跟进期限"))},
        example={"fund": "JJ-0001", "checked_on": "2024-06-30", "kind": CheckKind.PERIODIC.label,
                 "outcome": CheckOutcome.NO_ISSUES.label, "findings": "按季报送，运作规范"}),
))

fundservice = register(Surface(
    model=FundService, filterset=filters.FundServiceFilterSet, form=forms.FundServiceForm, slug="services",
    columns=[Column("fund", link=True, order_by="fund__name"), Column("served_on"), Column("kind", template=CHOICE),
             Column("description", order_by=None)],
    select_related=("fund",), default_sort="-served_on",
    create=services.fundservice_create, update=services.fundservice_update, delete=services.any_delete,
    importer=ImportSpec(
        key=("fund", "served_on", "kind"),
        columns={"fund": FUND,
                 "served_on": ImportColumn(aliases=("服务日期",)),
                 "kind": ImportColumn(aliases=("服务类型",)),
                 "description": ImportColumn(aliases=("服务内容", "内容"))},
        example={"fund": "JJ-0001", "served_on": "2024-03-01", "kind": ServiceKind.POLICY.label,
                 "description": "解读福田区促进基金业发展若干措施"}),
))


# ----- cohorts ----------------------------------------------------------------------------------------------------
PROGRAMME = ImportColumn(match=("code", "name"), aliases=("项目", "项目编码", "项目名称", "加速孵化项目"),
                         help=_("The programme's code (or its exact name)"))


def programme_context(request, programme):
    return {"figures": selectors.programme_figures(user=request.user, programme=programme),
            "intakes": selectors.programme_intakes(user=request.user, programme=programme)}


def intake_context(request, intake):
    return {"figures": selectors.intake_figures(user=request.user, intake=intake),
            "members": selectors.intake_members(user=request.user, intake=intake)}


def member_context(request, member):
    outcome = selectors.with_outcomes(Member.objects.filter(pk=member.pk)).values("invested", "high_tech").get()
    resources = Resource.objects.for_user(request.user).filter(member=member).order_by("-given_on")
    return {"outcome": outcome, "resources": resources}


programme = register(Surface(
    model=Programme, filterset=filters.ProgrammeFilterSet, form=forms.ProgrammeForm, slug="programmes",
    columns=[Column("name", link=True), Column("code"), Column("kind", template=CHOICE), Column("operator_name"),
             Column("park", order_by="park__name"), Column("started_on")],
    select_related=("park",), default_sort="code",
    create=services.programme_create, update=services.programme_update, delete=services.any_delete,
    detail_template="finance/programme_detail.html", extra_context=programme_context,
    bulk_fields=("kind", "park"),
    importer=ImportSpec(
        key=("code",),
        columns={"code": ImportColumn(kind=CODE, aliases=("项目编码", "项目编号", "编码")),
                 "name": ImportColumn(aliases=("项目名称", "名称")),
                 "kind": ImportColumn(aliases=("项目类型", "类型")),
                 "operator_name": ImportColumn(aliases=("运营机构", "运营单位")),
                 "park": ImportColumn(match=("code", "name"), aliases=("所在园区", "园区")),
                 "started_on": ImportColumn(aliases=("启动日期", "成立日期")),
                 "description": ImportColumn(aliases=("项目简介", "简介"))},
        example={"code": "FT-JSQ", "name": "福田金融科技加速器", "kind": ProgrammeKind.ACCELERATOR.label,
                 "operator_name": "示例运营机构", "started_on": "2019-09-01"}),
))

intake = register(Surface(
    model=Intake, filterset=filters.IntakeFilterSet, form=forms.IntakeForm, slug="intakes",
    columns=[Column("programme", link=True, order_by="programme__name"), Column("name"), Column("starts_on"),
             Column("ends_on"), Column("capacity")],
    select_related=("programme",), default_sort="-starts_on",
    create=services.intake_create, update=services.intake_update, delete=services.any_delete,
    detail_template="finance/intake_detail.html", extra_context=intake_context,
    importer=ImportSpec(
        key=("programme", "name"),
        columns={"programme": PROGRAMME,
                 "name": ImportColumn(aliases=("批次", "期次", "批次名称")),
                 "starts_on": ImportColumn(aliases=("开始日期", "入营日期")),
                 "ends_on": ImportColumn(aliases=("结束日期", "结营日期")),
                 "capacity": ImportColumn(aliases=("名额", "计划名额"))},
        example={"programme": "FT-JSQ", "name": "第三期", "starts_on": "2024-03-01", "ends_on": "2024-12-31",
                 "capacity": "15"}),
))

member = register(Surface(
    model=Member, filterset=filters.MemberFilterSet, form=forms.MemberForm, slug="members",
    columns=[Column("enterprise", link=True, order_by="enterprise__name"),
             Column("programme", label=_("programme"), export="intake.programme", order_by="intake__programme__name"),
             Column("intake", export="intake.name", order_by="intake__starts_on"),
             Column("joined_on"), Column("status", template=CHOICE), Column("outcome_on")],
    select_related=("intake__programme", "enterprise"), default_sort="-joined_on",
    create=services.member_create, update=services.member_update, delete=services.any_delete,
    detail_template="finance/member_detail.html", extra_context=member_context,
    api_read_only=("status", "outcome_on", "reason"),
    importer=ImportSpec(
        key=("intake", "enterprise"),
        columns={"programme": PROGRAMME,
                 "intake": ImportColumn(match=("name",), within="programme", aliases=("批次", "期次"),
                                        help=_("The intake's name within the programme, e.g. 第三期")),
                 "enterprise": ImportColumn(match=ENTERPRISE.match, parse=ENTERPRISE.parse,
                                            aliases=("入营企业", *ENTERPRISE.aliases), help=ENTERPRISE.help),
                 "joined_on": ImportColumn(aliases=("入营日期", "加入日期")),
                 "note": ImportColumn(aliases=("备注",))},
        example={"programme": "FT-JSQ", "intake": "第三期", "enterprise": "914403001922038216",
                 "joined_on": "2024-03-10"}),
))

resource = register(Surface(
    model=Resource, filterset=filters.ResourceFilterSet, form=forms.ResourceForm, slug="resources",
    columns=[Column("member", link=True, order_by="member__enterprise__name", export="member.enterprise.credit_code"),
             Column("member__intake__programme", label=_("programme"), export="member.intake.programme.code",
                    order_by="member__intake__programme__name"),
             Column("member__intake", label=_("intake"), export="member.intake.name",
                    order_by="member__intake__starts_on"),
             Column("kind", template=CHOICE),
             Column("given_on"), Column("amount", template=YUAN), Column("area"), Column("hours")],
    select_related=("member__enterprise", "member__intake__programme"), default_sort="-given_on",
    create=services.resource_create, update=services.resource_update, delete=services.any_delete,
    importer=ImportSpec(
        key=("member", "kind", "given_on"),
        columns={"programme": ImportColumn(match=("code", "name"), aliases=("项目", "加速孵化项目", "项目编码")),
                 "intake": ImportColumn(match=("name",), within="programme", aliases=("批次", "期次")),
                 "member": ImportColumn(match=("enterprise__credit_code", "enterprise__name"), within="intake",
                                        parse=ENTERPRISE.parse, aliases=("入营企业", *ENTERPRISE.aliases),
                                        help=ENTERPRISE.help),
                 "kind": ImportColumn(aliases=("资源类型", "投入类型")),
                 "given_on": ImportColumn(aliases=("投入日期", "日期")),
                 "amount": ImportColumn(aliases=("金额（元）", "金额")),
                 "area": ImportColumn(aliases=("面积（㎡）", "面积")),
                 "hours": ImportColumn(aliases=("课时", "小时数")),
                 "description": ImportColumn(aliases=("说明", "内容"))},
        example={"intake": "第三期", "kind": "资金", "given_on": "2026-03-01", "amount": "200000"},
    ),
))
