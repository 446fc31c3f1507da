from django.utils.translation import gettext_lazy as _

from core.reference.choices import ChoiceSet


class LeaseStatus(ChoiceSet):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    RENEWED = "renewed", _("Renewed")


# A lease holds its units from its start date to its end date while it is active, and also once it is
# terminated (its end date is cut to the termination date) or renewed (its successor starts the day after
# its end date): both stay in force until then. Only an expired lease no longer holds anything.
HOLDING_STATUSES = (LeaseStatus.ACTIVE, LeaseStatus.TERMINATED, LeaseStatus.RENEWED)

# Leases that run to their end date: the expiry queue lists them, a renewed one with its follow-up 已续约.
RUNNING_STATUSES = (LeaseStatus.ACTIVE, LeaseStatus.RENEWED)

LeaseStatus._colors = {"active": "success", "expired": "secondary", "terminated": "danger", "renewed": "info"}


class FollowUpStatus(ChoiceSet):
    """Where the talks about renewing an expiring lease stand (the expiry queue's follow-up)."""

    PENDING = "pending", _("To follow up")
    TALKING = "talking", _("In talks")
    RENEWED = "renewed", _("Renewed")
    DECLINED = "declined", _("Not renewing")


FollowUpStatus._colors = {"pending": "warning", "talking": "primary", "renewed": "success", "declined": "secondary"}

# The follow-ups a person records; 已续约 is set by the renewal itself.
FOLLOW_UP_CHOICES = [(value, label) for value, label in FollowUpStatus.choices if value != FollowUpStatus.RENEWED]

# A follow-up still open: the next contact is awaited.
OPEN_FOLLOW_UPS = (FollowUpStatus.PENDING, FollowUpStatus.TALKING)


class PaymentState(ChoiceSet):
    """Whether the park's operator has confirmed a rent payment (leasing.models.RentPayment.state)."""

    ENTERED = "entered", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")


PaymentState._colors = {"entered": "warning", "confirmed": "success"}
