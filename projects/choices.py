"""Kinds and states of the projects that create space: renewal, land preparation, demolition, construction."""

from django.utils.translation import gettext_lazy as _

from core.reference.choices import ChoiceSet


class ProjectKind(ChoiceSet):
    URBAN_RENEWAL = "urban_renewal", _("Urban renewal")
    SHANTYTOWN = "shantytown", _("Shantytown renewal")
    LAND_PREPARATION = "land_preparation", _("Land preparation")
    DEMOLITION = "demolition", _("Removal of illegal buildings")
    RESEARCH_SPACE = "research_space", _("Research space construction or renovation")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    TRANSPORT = "transport", _("Transport")


class ProjectStatus(ChoiceSet):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


class DeliveryStatus(ChoiceSet):
    EXPECTED = "expected", _("Expected")
    DELIVERED = "delivered", _("Delivered")


ProjectStatus._colors = {"planned": "info", "in_progress": "primary", "completed": "success", "suspended": "secondary"}
DeliveryStatus._colors = {"expected": "warning", "delivered": "success"}
