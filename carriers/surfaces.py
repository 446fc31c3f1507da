
from core.importing.spec import CODE, ImportColumn, ImportSpec
from core.surfaces import Column, Surface, register
from enterprises.surfaces import ENTERPRISE
from spaces.surfaces import BUILDING

from . import filters, forms, services
from .choices import CarrierKind, CarrierLevel
from .models import Carrier

HOST_ENTERPRISE = ImportColumn(match=ENTERPRISE.match, parse=ENTERPRISE.parse,
                               aliases=("依托企业", "依托单位信用代码", *ENTERPRISE.aliases), help=ENTERPRISE.help)


def carrier_context(request, carrier):
    """The history of levels, of the designations the user may see (a predecessor may lie outside its scope)."""
    chain = carrier.history()
    visible = set(Carrier.objects.for_user(request.user).filter(pk__in=[c.pk for c in chain])
                  .values_list("pk", flat=True))
    return {"history": [c for c in chain if c.pk in visible]}


carrier = register(Surface(
    model=Carrier, filterset=filters.CarrierFilterSet, form=forms.CarrierForm, slug="carriers",
    columns=[Column("name", link=True), Column("code"), Column("kind", template="core/cells/choice.html"),
             Column("level", template="core/cells/choice.html"), Column("status", template="core/cells/choice.html"),
             Column("approved_on"), Column("host_enterprise", order_by="host_enterprise__name"),
             Column("zone", order_by="zone__name"), Column("field")],
    select_related=("zone", "building", "host_enterprise"), default_sort="-approved_on",
    create=services.carrier_create, update=services.carrier_update, delete=services.carrier_delete,
    detail_template="carriers/carrier_detail.html", extra_context=carrier_context,
    bulk_fields=("kind", "zone", "field", "target_level"),
    api_read_only=("ended_on", "end_reason", "upgraded_from"),
    importer=ImportSpec(
        key=("code",),
        columns={"code": ImportColumn(kind=CODE, aliases=("载体编码", "编码", "编号")),
                 "name": ImportColumn(aliases=("载体名称", "名称")),
                 "kind": ImportColumn(aliases=("载体类型", "类型")),
                 "level": ImportColumn(aliases=("级别", "载体级别")),
                 "approved_on": ImportColumn(aliases=("批准日期", "认定日期", "获批日期")),
                 "approving_body": ImportColumn(aliases=("认定部门", "批准部门")),
                 "approval_document": ImportColumn(aliases=("批准文件", "批准文号", "认定文件")),
                 "host_enterprise": HOST_ENTERPRISE,
                 "host_institution": ImportColumn(aliases=("依托单位", "依托机构")),
                 "zone": ImportColumn(match=("code", "name"), aliases=("片区", "所在片区")),
                 "building": BUILDING,
                 "field": ImportColumn(aliases=("领域", "技术领域")),
                 "target_level": ImportColumn(aliases=("争取升级为", "拟升级级别"))},
        example={"code": "ZT-2020-001", "name": "深圳市示例重点实验室", "kind": CarrierKind.KEY_LAB.label,
                 "level": CarrierLevel.MUNICIPAL.label, "approved_on": "2020-06-30", "approving_body": "深圳市科技创新委员会",
                 "host_institution": "示例大学", "field": "新一代信息技术"},
    ),
))
