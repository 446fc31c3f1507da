from django.utils.translation import gettext_lazy as _

from core.importing.spec import CODE, ImportColumn, ImportSpec
from core.surfaces import Column, Surface, register

from . import filters, forms, services
from .choices import PppStage, ProjectKind
from .models import FiscalYear, Milestone, PppPayment, PppProject, Project, SpaceDelivery

PROJECT = ImportColumn(match=("code", "name"), aliases=("项目编码", "项目", "项目名称"),
                       help=_("The project's code (or its name, when no other project has it)"))


def project_context(request, project):
    return {"milestones": list(project.milestones.all()),
            "deliveries": list(project.deliveries.select_related("park").all())}


project = register(Surface(
    model=Project, filterset=filters.ProjectFilterSet, form=forms.ProjectForm, slug="projects",
    columns=[Column("name", link=True), Column("code"), Column("kind", template="core/cells/choice.html"),
             Column("status", template="core/cells/choice.html"), Column("zone", order_by="zone__name"),
             Column("department", order_by="department__name"), Column("planned_completion"),
             Column("relocation_rate_percent", label=_("relocation rate (%)"), order_by=None)],
    select_related=("zone", "park", "department"), default_sort="name",
    create=services.project_create, update=services.project_update, delete=services.project_delete,
    detail_template="projects/project_detail.html", extra_context=project_context,
    bulk_fields=("kind", "zone", "department"),
    api_read_only=("status", "completed_on", "land_cleared", "area_demolished", "households_relocated",
                   "progress_on"),
    importer=ImportSpec(
        key=("code",),
        columns={"code": ImportColumn(kind=CODE, aliases=("项目编码", "编码")),
                 "name": ImportColumn(aliases=("项目名称", "名称")),
                 "kind": ImportColumn(aliases=("项目类型", "类型")),
                 "zone": ImportColumn(match=("code", "name"), aliases=("片区", "所在片区")),
                 "park": ImportColumn(match=("code", "name"), aliases=("园区",)),
                 "department": ImportColumn(match=("code", "name", "short_name"), aliases=("责任单位", "牵头单位")),
                 "started_on": ImportColumn(aliases=("开工日期", "启动日期")),
                 "planned_completion": ImportColumn(aliases=("计划完成日期", "计划竣工日期")),
                 "land_to_clear": ImportColumn(aliases=("计划清理土地（㎡）", "计划整备用地（㎡）")),
                 "area_to_demolish": ImportColumn(aliases=("计划拆除面积（㎡）",)),
                 "households_to_relocate": ImportColumn(aliases=("应搬迁户数", "需搬迁户数"))},
        example={"code": "GX-2024-001", "name": "示例城市更新项目", "kind": ProjectKind.URBAN_RENEWAL.label,
                 "zone": "梅林片区", "department": "区城市更新和土地整备局", "planned_completion": "2027-12-31"},
    ),
))

milestone = register(Surface(
    model=Milestone, filterset=filters.MilestoneFilterSet, form=forms.MilestoneForm, slug="milestones",
    columns=[Column("project", order_by="project__name"), Column("name", link=True), Column("planned_on"),
             Column("done_on"), Column("note")],
    select_related=("project",), default_sort="planned_on",
    create=services.milestone_create, update=services.milestone_update, delete=services.milestone_delete,
    detail_template="projects/milestone_detail.html",
    importer=ImportSpec(
        key=("project", "name"),
        columns={"project": PROJECT, "name": ImportColumn(aliases=("里程碑", "节点", "节点名称")),
                 "planned_on": ImportColumn(aliases=("计划日期", "计划完成日期")),
                 "sort_order": ImportColumn(aliases=("序号", "顺序"))},
        example={"name": "主体结构封顶", "planned_on": "2026-09-30", "sort_order": "3"},
    ),
))

spacedelivery = register(Surface(
    model=SpaceDelivery, filterset=filters.SpaceDeliveryFilterSet, form=forms.SpaceDeliveryForm,
    slug="space-to-deliver",
    columns=[Column("project", order_by="project__name", link=True), Column("use", template="core/cells/choice.html"),
             Column("area"), Column("expected_on"), Column("park", order_by="park__name"),
             Column("status", template="core/cells/choice.html"), Column("delivered_on")],
    select_related=("project", "park"), default_sort="expected_on",
    create=services.spacedelivery_create, update=services.spacedelivery_update,
    delete=services.spacedelivery_delete, api_read_only=("status", "delivered_on"),
    importer=ImportSpec(
        key=("project", "use", "expected_on"),
        columns={"project": PROJECT, "use": ImportColumn(aliases=("用途", "空间用途")),
                 "area": ImportColumn(aliases=("面积（㎡）", "交付面积（㎡）", "面积")),
                 "expected_on": ImportColumn(aliases=("预计交付日期", "预计交付")),
                 "park": ImportColumn(match=("code", "name"), aliases=("园区",))},
        example={"use": "研发", "area": "15000", "expected_on": "2027-06-30"},
    ),
))


def pppproject_context(request, ppp):
    from core.rules.types import MISSING

    vfm = ppp.value_for_money()
    payments = list(ppp.payments.order_by("year"))
    return {"stages": PppStage.choices, "payments": payments, "payments_total": sum((p.amount for p in payments), start=0),
            "vfm": None if vfm is MISSING else vfm,
            "vfm_saving": None if vfm is MISSING else f"{vfm.saving_fen / 100:,.2f}",
            "vfm_saving_percent": None if vfm is MISSING or vfm.saving_bp is MISSING else
            f"{vfm.saving_bp / 100:.2f}"}


pppproject = register(Surface(
    model=PppProject, filterset=filters.PppProjectFilterSet, form=forms.PppProjectForm, slug="ppp",
    columns=[Column("name", link=True), Column("code"), Column("stage", template="core/cells/choice.html"),
             Column("mechanism", template="core/cells/choice.html"), Column("zone", order_by="zone__name"),
             Column("department", order_by="department__name"), Column("contract_years"), Column("investment")],
    select_related=("zone", "department"), default_sort="code",
    create=services.pppproject_create, update=services.pppproject_update, delete=services.pppproject_delete,
    detail_template="projects/pppproject_detail.html", extra_context=pppproject_context,
    bulk_fields=("zone", "department", "mechanism"), api_read_only=("stage",),
    importer=ImportSpec(
        key=("code",),
        columns={"code": ImportColumn(kind=CODE, aliases=("项目编码", "编码")),
                 "name": ImportColumn(aliases=("项目名称", "名称")),
                 "zone": ImportColumn(match=("code", "name"), aliases=("片区", "所在片区")),
                 "department": ImportColumn(match=("code", "name", "short_name"), aliases=("实施机构", "责任单位")),
                 "mechanism": ImportColumn(aliases=("回报机制", "付费方式")),
                 "contract_years": ImportColumn(aliases=("合作期限（年）", "合作期限")),
                 "investment": ImportColumn(aliases=("总投资（元）", "总投资")),
                 "psc": ImportColumn(aliases=("PSC值（元）", "公共部门比较值（元）")),
                 "ppp_cost": ImportColumn(aliases=("PPP值（元）", "政府方净成本现值（元）"))},
        example={"code": "PPP-2024-01", "name": "示例片区综合管廊PPP项目", "zone": "梅林片区",
                 "department": "区发展和改革局", "contract_years": "20"},
    ),
))

fiscalyear = register(Surface(
    model=FiscalYear, filterset=filters.FiscalYearFilterSet, form=forms.FiscalYearForm, slug="fiscal-years",
    columns=[Column("__str__", label=_("year"), link=True, order_by="year"), Column("expenditure"),
             Column("projected")],
    default_sort="year", create=services.fiscalyear_create, update=services.fiscalyear_update,
    delete=services.fiscalyear_delete,
    importer=ImportSpec(
        key=("year",),
        columns={"year": ImportColumn(aliases=("年度", "年份")),
                 "expenditure": ImportColumn(aliases=("一般公共预算支出（元）", "一般公共预算支出")),
                 "projected": ImportColumn(aliases=("预算或预测数", "预测"))},
        example={"year": "2027", "expenditure": "38000000000", "projected": "是"},
    ),
))

ppppayment = register(Surface(
    model=PppPayment, filterset=filters.PppPaymentFilterSet, form=forms.PppPaymentForm, slug="ppp-expenditure",
    columns=[Column("project", order_by="project__name", link=True), Column("year"), Column("amount")],
    select_related=("project",), default_sort="year",
    create=services.ppppayment_create, update=services.ppppayment_update, delete=services.ppppayment_delete,
    importer=ImportSpec(
        key=("project", "year"),
        columns={"project": ImportColumn(match=("code", "name"), aliases=("项目编码", "项目", "项目名称")),
                 "year": ImportColumn(aliases=("年度", "年份")),
                 "amount": ImportColumn(aliases=("政府支出责任（元）", "政府支出（元）", "金额"))},
        example={"year": "2027", "amount": "52000000"},
    ),
))
