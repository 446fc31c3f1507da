"""The menu entries of funds, in the group of district resources (declared by carriers/navigation.py)."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.navigation import add_entry

add_entry("resources", _("Fund park"), "finance:fund_park", weight=30, visible="finance.Fund")
add_entry("resources", _("Funds"), "finance:fund_list", weight=31, visible="finance.Fund")
add_entry("resources", _("Fund managers"), "finance:fundmanager_list", weight=32, visible="finance.FundManager")
add_entry("resources", _("Guidance fund commitments"), "finance:guidancecommitment_list", weight=33,
          visible="finance.GuidanceCommitment")
add_entry("resources", _("Sub-fund investments"), "finance:fundinvestment_list", weight=34,
          visible="finance.FundInvestment")
add_entry("resources", _("Supervision checks"), "finance:supervisioncheck_list", weight=35,
          visible="finance.SupervisionCheck")
add_entry("resources", _("Fund services"), "finance:fundservice_list", weight=36, visible="finance.FundService")
add_entry("resources", _("Accelerator and incubator programmes"), "finance:programme_list", weight=37,
          visible="finance.Programme")
add_entry("resources", _("Programme members"), "finance:member_list", weight=38, visible="finance.Member")
