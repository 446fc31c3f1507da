"""What policy support shows on the home page (core.surfaces.home)."""


# ===== screening ====
from core.reference.choices import Role  # noqa: E402
from core.surfaces.home import add_section  # noqa: E402

from . import selectors as _selectors  # noqa: E402


def offers_block(request, page):
    """An enterprise user's open offers: how many and their likely total, with a link to see them."""
    if getattr(request.user, "role", None) != Role.ENTERPRISE:
        return None
    summary = _selectors.offers_summary(user=request.user)
    return {"policy_offers": summary} if summary["count"] else None


add_section("policies.offers", template="policies/home_offers.html", weight=40, context=offers_block)
# (end of this part)
