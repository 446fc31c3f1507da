"""The menu entries of innovation carriers (core.surfaces.navigation). The group holds the district's resources
beyond space and leases; funds and projects add their entries to it."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.navigation import add_entry, add_group

add_group("resources", _("District resources"), weight=600)
add_entry("resources", _("Innovation carriers"), "carriers:carrier_list", weight=10, visible="carriers.Carrier")
add_entry("resources", _("Carrier counts"), "carriers:carrier_counts", weight=20, visible="carriers.Carrier")
