"""What leasing shows on the home page (core.surfaces.home)."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.home import add_context, add_figure, add_section

from . import selectors


def active_lease_count(request, page):
    return selectors.lease_active_count(user=request.user)


def expiring_count(request, page):
    return selectors.lease_expiring(user=request.user, days=90).count()


def top_industries(request, page):
    return {"top_industries": selectors.tenant_industries(page["scoped_units"], limit=8)}


def my_leases(request, page):
    """An enterprise user's leases, below their enterprise."""
    if not page.get("my_enterprises"):
        return None
    return {"my_leases": selectors.leases_of_enterprise_user(user=request.user)}


add_figure("spaces.overview", _("Active leases"), active_lease_count, weight=50)
add_figure("spaces.overview", _("Leases ending within 90 days"), expiring_count, weight=60,
           url_name="leasing:expiry_queue", tone="warning")
add_context("spaces.overview", top_industries)
add_section("leasing.mine", template="leasing/home_mine.html", weight=210, context=my_leases)
