from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceSet


class LeaseStatus(ChoiceSet):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


# A terminated lease still holds its units up to its termination date (its end date is cut to it).
HOLDING_STATUSES = (LeaseStatus.ACTIVE, LeaseStatus.TERMINATED)

LeaseStatus._colors = {"active": "success", "expired": "secondary", "terminated": "danger"}
