from django.utils.translation import gettext_lazy as _

from core.importing.spec import CODE, ImportColumn, ImportSpec
from core.surfaces import Column, Surface, register
from enterprises.surfaces import ENTERPRISE
from spaces.surfaces import BUILDING

from . import filters, forms, selectors, services
from .choices import LeaseStatus
from .models import Lease


def lease_context(request, lease) -> dict:
    """The lease page's previous and next lease (a renewal or a move) and its renewal follow-up."""
    linked = {}
    for name, pk in (("predecessor", lease.predecessor_id),
                     ("successor", Lease.objects.filter(predecessor=lease).values_list("pk", flat=True).first())):
        if pk:
            other = Lease.objects.select_related("enterprise").get(pk=pk)
            linked[name] = {"lease": other, "visible": Lease.objects.for_user(request.user).filter(pk=pk).exists()}
    follow_ups = list(selectors.lease_follow_ups(lease=lease)) if selectors.follow_up_visible(request.user) else []
    # Shown while renewal talks may go on (an active or expired lease), and wherever there are entries to read.
    show = selectors.follow_up_visible(request.user) and (
        bool(follow_ups) or lease.status in (LeaseStatus.ACTIVE, LeaseStatus.EXPIRED))
    return {**linked, "follow_ups": follow_ups, "show_follow_up": show}


lease = register(Surface(
    model=Lease, filterset=filters.LeaseFilterSet, form=forms.LeaseForm, slug="leases",
    columns=[Column("contract_number", link=True),
             Column("enterprise", order_by="enterprise__name"),
             Column("units", label=_("units"), order_by=None, template="leasing/cells/units.html"),
             Column("leased_area"), Column("monthly_rent"), Column("start_date"), Column("end_date"),
             Column("status", template="core/cells/choice.html")],
    select_related=("enterprise",), prefetch_related=("units__building",), default_sort="-start_date",
    api_read_only=("status", "leased_area"),  # kept by the lease services from the dates and the units
    create=services.lease_create, update=services.lease_update, delete=services.lease_delete,
    bulk_fields=("monthly_rent", "start_date", "end_date"), lock=services.leases_lock,
    extra_context=lease_context,
    importer=ImportSpec(
        key=("enterprise", "units", "start_date"),
        columns={"enterprise": ENTERPRISE, "building": BUILDING,
                 "units": ImportColumn(match=("code",), within="building",
                                       aliases=("单元号", "单元编号", "房号", "房间号", "租赁单元"),
                                       help=_("Unit numbers in the building, several separated by 、")),
                 "contract_number": ImportColumn(kind=CODE, aliases=("合同编号", "合同号")),
                 "start_date": ImportColumn(aliases=("起租日", "起租日期", "租赁开始日期", "开始日期")),
                 "end_date": ImportColumn(aliases=("到期日", "租赁到期日", "租赁结束日期", "结束日期")),
                 "monthly_rent": ImportColumn(aliases=("租金", "租金单价", "月租金单价"))},
        example={"enterprise": "91440300MA5DEXAM87", "building": "DEMO-P01-A", "units": "1201、1202",
                 "contract_number": "HT-2026-001", "start_date": "2026-01-01", "end_date": "2028-12-31",
                 "monthly_rent": "120"},
    ),
))
