"""The menu entries of enterprises (core.surfaces.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.navigation import add_entry, add_group

add_group("enterprises", _("Enterprises"), weight=300)
add_entry("enterprises", _("Enterprises"), "enterprises:enterprise_list", weight=10,
          visible="enterprises.Enterprise")
add_entry("enterprises", _("Qualifications"), "enterprises:qualification_list", weight=20,
          visible="enterprises.Qualification")
add_entry("enterprises", _("Financial years"), "enterprises:financialyear_list", weight=25,
          visible="enterprises.FinancialYear")
add_entry("enterprises", _("Contacts"), "enterprises:contact_list", weight=30, visible="enterprises.Contact")
add_entry("enterprises", _("Industry classification"), "enterprises:industry_browser", weight=40)
