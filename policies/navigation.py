"""The menu entries of policy support (core.surfaces.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.navigation import add_entry, add_group  # noqa: F401


def _may_enquire(user) -> bool:
    from .evaluation import may_enquire

    return user.is_authenticated and may_enquire(user)


add_group("policies", _("Policy support"), weight=550)


# ----- policies and their versions -----------------------------------------------------------------------------
add_entry("policies", _("Policies"), "policies:policy_list", weight=10, visible="policies.Policy")
add_entry("policies", _("Policy versions"), "policies:policyversion_list", weight=20,
          visible="policies.PolicyVersion")
add_entry("policies", _("Policy calculator"), "policies:evaluate", weight=30,
          visible=lambda user: _may_enquire(user))


# ----- screening and offers (免申即享) -----------------------------------------------------------------------------
add_entry("policies", _("Proactive screening"), "policies:screeningrun_list", weight=40,
          visible="policies.ScreeningRun")
add_entry("policies", _("Proactive offers"), "policies:offer_list", weight=45,
          visible=lambda user: getattr(user, "role", None) in ("bureau_admin", "bureau_officer", "leader"))
add_entry("policies", _("Policies I may be eligible for"), "policies:my_offers", weight=5,
          visible=lambda user: getattr(user, "role", None) == "enterprise")


# ----- applications, awards, budgets and tranches --------------------------------------------------------------
add_entry("policies", _("Support applications"), "policies:application_list", weight=40,
          visible="policies.Application")
add_entry("policies", _("Application queue"), "policies:application_queue", weight=41,
          visible=lambda user: getattr(user, "role", None) in ("bureau_admin", "bureau_officer", "leader"))
add_entry("policies", _("Awards"), "policies:award_list", weight=45, visible="policies.Award")
add_entry("policies", _("Budgets"), "policies:budget_list", weight=47, visible="policies.Budget")


# ----- obligations and clawback --------------------------------------------------------------------------------
add_entry("policies", _("Clawback cases"), "policies:clawbackcase_list", weight=70, visible="policies.ClawbackCase")


def _clawback_checker(user) -> bool:
    from core.access.permissions import role_may
    from policies.models import ClawbackCase

    return role_may(user, "add", ClawbackCase)


add_entry("policies", _("Check obligations"), "policies:clawback_scan", weight=75, visible=_clawback_checker)


# ----- government-owned space and the funds report -------------------------------------------------------------
add_entry("policies", _("Government space allocations"), "policies:spaceallocation_list", weight=70,
          visible="policies.SpaceAllocation")
add_entry("policies", _("Budget and payout report"), "policies:funds_report", weight=80,
          visible="policies.Budget")
