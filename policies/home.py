"""What policy support shows on the home page (core.surfaces.home)."""

from core.reference.choices import Role
from core.surfaces.home import add_section

from . import selectors

# ----- screening and offers (免申即享) -----------------------------------------------------------------------------


def offers_block(request, page):
    """An enterprise user's open offers: how many and their likely total, with a link to see them."""
    if getattr(request.user, "role", None) != Role.ENTERPRISE:
        return None
    summary = selectors.offers_summary(user=request.user)
    return {"policy_offers": summary} if summary["count"] else None


add_section("policies.offers", template="policies/home_offers.html", weight=40, context=offers_block)
