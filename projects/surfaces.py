from django.utils.translation import gettext_lazy as _

from core.importing.spec import CODE, ImportColumn, ImportSpec
from core.surfaces import Column, Surface, register

from . import filters, forms, services
from .choices import ProjectKind
from .models import Milestone, Project, SpaceDelivery

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
