"""The menu entries of projects (core.surfaces.navigation), in the group of the district's resources."""

from django.utils.translation import gettext_lazy as _

from core.surfaces.navigation import add_entry

add_entry("resources", _("Projects"), "projects:project_list", weight=40, visible="projects.Project")
add_entry("resources", _("Project milestones"), "projects:milestone_list", weight=50, visible="projects.Milestone")
add_entry("resources", _("Future supply of space"), "projects:spacedelivery_list", weight=60,
          visible="projects.SpaceDelivery")
add_entry("resources", _("PPP projects"), "projects:pppproject_list", weight=70, visible="projects.PppProject")
add_entry("resources", _("PPP affordability"), "projects:ppp_affordability", weight=80, visible="projects.PppProject")
add_entry("resources", _("Fiscal years"), "projects:fiscalyear_list", weight=90, visible="projects.FiscalYear")
