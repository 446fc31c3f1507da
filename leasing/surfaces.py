import datetime

from django.utils.translation import gettext_lazy as _

from core.importing.spec import CODE, ImportColumn, ImportSpec
from core.surfaces import Column, Surface, register
from enterprises.surfaces import ENTERPRISE
from spaces.surfaces import BUILDING

from . import filters, forms, selectors, services
from .choices import LeaseStatus
from .models import Lease, RentPayment, RentStep, Sublet


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
    return {**linked, "follow_ups": follow_ups, "show_follow_up": show, "rent_steps": selectors.lease_rent_steps(lease=lease),
            "rent_now": selectors.rent_on(lease, datetime.date.today())}


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


# ----- money: rent steps, rent payments, sublets ------------------------------------------------------------------
# How a spreadsheet names a lease: its contract number, within the enterprise of the row.
LEASE = ImportColumn(match=("contract_number",), within="enterprise",
                     aliases=("合同编号", "合同号", "租赁合同编号", "租约"),
                     help=_("The lease's contract number (within the enterprise of the row)"))
MONEY_ENTERPRISE = ImportColumn(match=ENTERPRISE.match, parse=ENTERPRISE.parse,
                                aliases=("承租企业", "承租方", *ENTERPRISE.aliases), help=ENTERPRISE.help)

rent_step = register(Surface(
    model=RentStep, filterset=filters.RentStepFilterSet, form=forms.RentStepForm, slug="rent-steps",
    columns=[Column("lease", order_by="lease__contract_number", link=True), Column("starts_on"),
             Column("monthly_rent")],
    select_related=("lease__enterprise",), default_sort="starts_on",
    create=services.rent_step_create, update=services.rent_step_update, delete=services.rent_step_delete,
))

rent_payment = register(Surface(
    model=RentPayment, filterset=filters.RentPaymentFilterSet, form=forms.RentPaymentForm, slug="rent-payments",
    columns=[Column("lease", order_by="lease__contract_number", link=True), Column("period_start"),
             Column("period_end"), Column("amount"), Column("paid_on"), Column("reference"),
             Column("state", label=_("confirmation"), order_by="confirmed_at", template="core/cells/choice.html")],
    select_related=("lease__enterprise",), default_sort="-period_start",
    api_read_only=("confirmed_at", "confirmed_by"),  # set by the operator's confirmation (rentpayment_confirm)
    create=services.rent_payment_create, update=services.rent_payment_update, delete=services.rent_payment_delete,
    lock=services.rent_payments_lock,
    importer=ImportSpec(
        key=("lease", "period_start"),
        columns={"enterprise": MONEY_ENTERPRISE, "lease": LEASE,
                 "period_start": ImportColumn(aliases=("所属期起", "租金期间起", "起始日期", "开始日期", "期间起")),
                 "period_end": ImportColumn(aliases=("所属期止", "租金期间止", "截止日期", "结束日期", "期间止")),
                 "amount": ImportColumn(aliases=("实付租金", "实付金额", "金额", "租金金额", "实缴租金")),
                 "paid_on": ImportColumn(aliases=("付款日期", "缴费日期", "支付日期")),
                 "reference": ImportColumn(kind=CODE, aliases=("发票号", "收据号", "票据号", "发票号码"))},
        example={"enterprise": "91440300MA5DEXAM87", "lease": "HT-2026-001", "period_start": "2026-01-01",
                 "period_end": "2026-01-31", "amount": "72000", "paid_on": "2026-01-05", "reference": "FP00012345"},
    ),
))

sublet = register(Surface(
    model=Sublet, filterset=filters.SubletFilterSet, form=forms.SubletForm, slug="sublets",
    columns=[Column("lease", order_by="lease__contract_number", link=True), Column("subtenant_name"),
             Column("area"), Column("starts_on"), Column("ends_on"), Column("found_on")],
    select_related=("lease__enterprise",), default_sort="-starts_on",
    create=services.sublet_create,
))
