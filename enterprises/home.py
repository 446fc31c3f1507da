"""What enterprises shows on the home page (core.surfaces.home)."""

from django.utils.translation import gettext_lazy as _

from core.reference.choices import Role
from core.surfaces.home import add_figure, add_section

from . import selectors


def enterprise_count(request, page):
    return selectors.enterprise_count(user=request.user)


def my_enterprises(request, page):
    """An enterprise user's own enterprise, when the account is linked to one."""
    if request.user.role != Role.ENTERPRISE:
        return None
    mine = selectors.enterprise_list(user=request.user)
    return {"my_enterprises": mine} if mine else None


add_figure("spaces.overview", _("Enterprises"), enterprise_count, weight=40)
add_section("enterprises.mine", template="enterprises/home_mine.html", weight=200, context=my_enterprises)
