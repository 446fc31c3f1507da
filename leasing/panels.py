"""What leasing adds to the pages of spaces and enterprises (registered in LeasingConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from core.attachments.registry import register_attachable, register_kind
from core.surfaces.extensions import add_detail_context

from . import selectors


def building_panel(request, building, context):
    plan = context.get("plan", [])
    unit_ids = [u.pk for floor in plan for u in floor.units]
    tenants = selectors.unit_tenants(unit_ids)
    for floor in plan:
        for unit in floor.units:
            unit.tenant = tenants.get(unit.pk)
    return {"top_industries": selectors.tenant_industries(context["scoped_units"])}


def area_panel(request, obj, context):
    return {"top_industries": selectors.tenant_industries(context["scoped_units"])}


def unit_panel(request, unit, context):
    return {"leases": selectors.unit_leases(user=request.user, unit=unit)}


def enterprise_panel(request, enterprise, context):
    return {"leases": selectors.enterprise_leases(user=request.user, enterprise=enterprise)}


LEASE_CONTRACT = register_kind("lease_contract", _("Lease contract"))


def rent_payments_panel(request, lease, context):
    """The lease page's rent paid per year, with how much awaits the operator's confirmation."""
    from core.access.permissions import ADD, VIEW, role_may

    from .models import RentPayment

    if not role_may(request.user, VIEW, RentPayment):
        return None
    return {"years": selectors.lease_payments_by_year(lease=lease), "can_add": role_may(request.user, ADD, RentPayment)}


def sublets_panel(request, lease, context):
    from core.access.permissions import ADD, VIEW, role_may

    from .models import Sublet

    if not role_may(request.user, VIEW, Sublet):
        return None
    return {"sublets": selectors.lease_sublets(lease=lease), "can_add": role_may(request.user, ADD, Sublet)}


def register():
    from core.surfaces.extensions import add_detail_panel, add_hook
    from enterprises.attachments import BUSINESS_LICENCE

    from .services import leases_follow_moved_units, leases_of_resized_unit

    add_hook("spaces.unit.area_changed", leases_of_resized_unit)
    add_hook("spaces.units.moved", leases_follow_moved_units)
    add_detail_context("spaces.building", building_panel)
    add_detail_context("spaces.park", area_panel)
    add_detail_context("spaces.zone", area_panel)
    add_detail_context("spaces.unit", unit_panel)
    add_detail_context("enterprises.enterprise", enterprise_panel)
    add_detail_panel("leasing.lease", "leasing/rent_payments_panel.html", rent_payments_panel)
    add_detail_panel("leasing.lease", "leasing/sublets_panel.html", sublets_panel)
    # The signed contract, uploaded by the park's operator; the tenant's business licence, attached again from
    # the enterprise's own documents.
    register_attachable("leasing.lease", kinds=[LEASE_CONTRACT, BUSINESS_LICENCE], owner=lambda lease: lease.enterprise,
                        owner_model="enterprises.enterprise")
