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
    # A research institute, platform or enterprise project landing in a zone (河套: "实质推进和落地项目138个").
    LANDED = "landed", _("Landed project")


class ProjectStatus(ChoiceSet):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


# A landed project counts once it is under way (实质推进) or running (落地运行).
LANDED_STATUSES = (ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED)


class DeliveryStatus(ChoiceSet):
    EXPECTED = "expected", _("Expected")
    DELIVERED = "delivered", _("Delivered")


class PppStage(ChoiceSet):
    IDENTIFICATION = "identification", _("Identification")
    PREPARATION = "preparation", _("Preparation")
    PROCUREMENT = "procurement", _("Procurement")
    EXECUTION = "execution", _("Execution")
    TRANSFER = "transfer", _("Transfer")


# The order of the lifecycle: 识别 → 准备 → 采购 → 执行 → 移交.
PPP_STAGES = [PppStage.IDENTIFICATION, PppStage.PREPARATION, PppStage.PROCUREMENT, PppStage.EXECUTION,
              PppStage.TRANSFER]
# A project from procurement on is committed: its yearly government expenditure counts in the level's PPP spending.
PPP_COMMITTED = (PppStage.PROCUREMENT, PppStage.EXECUTION, PppStage.TRANSFER)


class PaymentMechanism(ChoiceSet):
    GOVERNMENT_PAY = "government_pay", _("Government pay")
    VIABILITY_GAP = "viability_gap", _("Viability gap funding")
    USER_PAY = "user_pay", _("User pay")


PppStage._colors = {"identification": "secondary", "preparation": "info", "procurement": "warning",
                    "execution": "primary", "transfer": "success"}
ProjectStatus._colors = {"planned": "info", "in_progress": "primary", "completed": "success", "suspended": "secondary"}
DeliveryStatus._colors = {"expected": "warning", "delivered": "success"}
