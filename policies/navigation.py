"""The menu entries of policy support (core.surfaces.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.navigation import add_entry, add_group  # noqa: F401

add_group("policies", _("Policy support"), weight=550)


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====
add_entry("policies", _("Clawback cases"), "policies:clawbackcase_list", weight=70, visible="policies.ClawbackCase")


def _clawback_checker(user) -> bool:
    from core.access.permissions import role_may
    from policies.models import ClawbackCase

    return role_may(user, "add", ClawbackCase)


add_entry("policies", _("Check obligations"), "policies:clawback_scan", weight=75, visible=_clawback_checker)

# (end of this part)


# ===== govspace ====

# (end of this part)
