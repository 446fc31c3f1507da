"""Kinds and states of funds (基金), their commitments, investments, checks and services (DOMAIN §5)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.reference.choices import ChoiceSet


class FundKind(ChoiceSet):
    GUIDANCE = "guidance", _("Government guidance fund")
    VENTURE = "venture", _("Venture capital fund")
    EQUITY = "equity", _("Private equity fund")
    INDUSTRY = "industry", _("Industry investment fund")
    OTHER = "other", _("Other fund")


class FundFocus(ChoiceSet):
    """What a sub-fund invests in: it picks the cap on the guidance fund's share (30% / 25%)."""

    INNOVATION = "innovation", _("Innovation")
    EMERGING = "emerging", _("Emerging industries")


class Presence(ChoiceSet):
    PHYSICAL = "physical", _("Working on site")
    VIRTUAL = "virtual", _("Registered virtually")


class InvestmentRound(ChoiceSet):
    ANGEL = "angel", _("Angel round")
    A = "a", _("Round A")
    B = "b", _("Round B")
    C = "c", _("Round C")
    LATER = "later", _("Later round")
    OTHER = "other", _("Other round")


class CheckKind(ChoiceSet):
    PERIODIC = "periodic", _("Periodic check")
    SPECIAL = "special", _("Special check")


class CheckOutcome(ChoiceSet):
    NO_ISSUES = "no_issues", _("No issues")
    ISSUES = "issues", _("Issues found")


class CheckState(ChoiceSet):
    OPEN = "open", pgettext_lazy("check", "Open")
    CLOSED = "closed", pgettext_lazy("check", "Closed")


class ServiceKind(ChoiceSet):
    REGISTRATION = "registration", _("Registration help")
    POLICY = "policy", _("Policy advice")
    MATCHMAKING = "matchmaking", _("Project matchmaking")
    FINANCING = "financing", _("Financing matchmaking")
    OTHER = "other", _("Other service")


Presence._colors = {"physical": "success", "virtual": "secondary"}
CheckOutcome._colors = {"no_issues": "success", "issues": "warning"}
CheckState._colors = {"open": "warning", "closed": "secondary"}
FundKind._colors = {"guidance": "danger", "venture": "primary", "equity": "info", "industry": "success",
                    "other": "secondary"}


# ----- cohorts: accelerator and incubator programmes (issue 12 §3) ------------------------------------------------
class ProgrammeKind(ChoiceSet):
    ACCELERATOR = "accelerator", _("Accelerator")
    INCUBATOR = "incubator", _("Incubator")
    ANGEL = "angel", _("Angel investment platform")
    OTHER = "other", pgettext_lazy("programme", "Other")


class MemberStatus(ChoiceSet):
    ACTIVE = "active", pgettext_lazy("cohort member", "In the programme")
    GRADUATED = "graduated", _("Graduated")
    LEFT = "left", pgettext_lazy("cohort member", "Left")


MemberStatus._colors = {"active": "primary", "graduated": "success", "left": "secondary"}
ProgrammeKind._colors = {"accelerator": "primary", "incubator": "info", "angel": "warning", "other": "secondary"}


class ResourceKind(ChoiceSet):
    FUNDING = "funding", pgettext_lazy("cohort resource", "Funding")
    SPACE = "space", pgettext_lazy("cohort resource", "Space")
    TRAINING = "training", pgettext_lazy("cohort resource", "Training")
    MENTORING = "mentoring", _("Mentoring")
    POLICY = "policy", pgettext_lazy("cohort resource", "Policy help")
