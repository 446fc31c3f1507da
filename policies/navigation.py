"""The menu entries of policy support (core.surfaces.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.navigation import add_entry, add_group  # noqa: F401

add_group("policies", _("Policy support"), weight=550)


# ===== versions ====
add_entry("policies", _("Policies"), "policies:policy_list", weight=10, visible="policies.Policy")
add_entry("policies", _("Policy versions"), "policies:policyversion_list", weight=20,
          visible="policies.PolicyVersion")
add_entry("policies", _("Policy calculator"), "policies:evaluate", weight=30, visible="policies.Decision")

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====
add_entry("policies", _("Government space allocations"), "policies:spaceallocation_list", weight=70,
          visible="policies.SpaceAllocation")
add_entry("policies", _("Budget and payout report"), "policies:funds_report", weight=80,
          visible="policies.Budget")
# (end of this part)
