from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceSet


class LeaseStatus(ChoiceSet):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


LeaseStatus._colors = {"active": "success", "expired": "secondary", "terminated": "danger"}
