from django.utils.translation import gettext_lazy as _

from core.surfaces import Column, Surface, register

from . import filters, forms, services
from .models import Lease

lease = register(Surface(
    model=Lease, filterset=filters.LeaseFilterSet, form=forms.LeaseForm, slug="leases",
    columns=[Column("contract_number", link=True),
             Column("enterprise", order_by="enterprise__name"),
             Column("units", label=_("units"), order_by=None, template="leasing/cells/units.html"),
             Column("leased_area"), Column("monthly_rent"), Column("start_date"), Column("end_date"),
             Column("status", template="core/cells/choice.html")],
    select_related=("enterprise",), prefetch_related=("units__building",), default_sort="-start_date",
    create=services.lease_create, update=services.lease_update, delete=services.lease_delete,
))
