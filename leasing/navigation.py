"""The menu entries of leasing (core.surfaces.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.navigation import add_entry, add_group

add_group("leasing", _("Leasing"), weight=400)
add_entry("leasing", _("Leases"), "leasing:lease_list", weight=10, visible="leasing.Lease")
add_entry("leasing", _("Expiring leases"), "leasing:expiry_queue", weight=20, visible="leasing.Lease")
add_entry("leasing", _("Rent payments"), "leasing:rentpayment_list", weight=30, visible="leasing.RentPayment")
add_entry("leasing", _("Rent steps"), "leasing:rentstep_list", weight=40, visible="leasing.RentStep")
add_entry("leasing", _("Sublets"), "leasing:sublet_list", weight=50, visible="leasing.Sublet")
