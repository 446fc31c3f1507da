"""The menu entries of spaces (core.surfaces.navigation)."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.navigation import add_entry, add_group, bureau_roles

add_group("space", _("Space"), weight=200)
add_entry("overview", _("Map"), "spaces:map", weight=20, visible="spaces.Park")
add_entry("space", _("Zones"), "spaces:zone_tree", weight=10, visible="spaces.Zone")
add_entry("space", _("Parks"), "spaces:park_list", weight=20, visible="spaces.Park")
add_entry("space", _("Buildings"), "spaces:building_list", weight=30, visible="spaces.Building")
add_entry("space", _("Floors"), "spaces:floor_list", weight=40, visible="spaces.Floor")
add_entry("space", _("Units"), "spaces:unit_list", weight=50, visible="spaces.Unit")
add_entry("space", _("Long vacancy"), "spaces:long_vacancy", weight=60, visible="spaces.Unit")
add_entry("space", _("Park operators"), "spaces:operator_list", weight=70, visible="spaces.Operator")
add_entry("data", _("Data quality"), "spaces:quality", weight=20, visible=bureau_roles)
