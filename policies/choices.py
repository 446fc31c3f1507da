from django.utils.translation import gettext_lazy as _

from core.reference.choices import ChoiceSet


class PolicyCategory(ChoiceSet):
    RENT = "rent", _("Rent support")
    PURCHASE = "purchase", _("Purchase support")
    ATTRACTION = "attraction", _("Investment attraction")
    GOVERNMENT_SPACE = "government_space", _("Government-owned space")
    OTHER = "other", _("Other support")


class ApplicationStatus(ChoiceSet):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    FIRST_PASSED = "first_passed", _("Passed first review")
    SECOND_PASSED = "second_passed", _("Passed second review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


APPLICATION_OPEN_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class AwardStatus(ChoiceSet):
    ACTIVE = "active", _("Being paid")
    COMPLETED = "completed", _("Paid in full")
    CLAWED_BACK = "clawed_back", _("Clawed back")
    CANCELLED = "cancelled", _("Cancelled")


# An award in these statuses holds its budget, its caps and its place in an exclusivity group.
AWARD_HOLDING_STATUSES = (AwardStatus.ACTIVE, AwardStatus.COMPLETED)


class TrancheStatus(ChoiceSet):
    SCHEDULED = "scheduled", _("Scheduled")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class LedgerKind(ChoiceSet):
    RESERVE = "reserve", _("Reserved")
    RELEASE = "release", _("Released")
    PAY = "pay", _("Paid out")
    RECOVER = "recover", _("Recovered")


class DecisionPurpose(ChoiceSet):
    ENQUIRY = "enquiry", _("Enquiry")
    OFFER = "offer", _("Proactive offer")
    APPLICATION = "application", _("Application")
    APPROVAL = "approval", _("Approval")


class OfferStatus(ChoiceSet):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    SUPERSEDED = "superseded", _("Superseded")


class RunStatus(ChoiceSet):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ObligationKind(ChoiceSet):
    LEASE_KEPT = "lease_kept", _("Lease not ended early")
    NO_SUBLET = "no_sublet", _("No subletting")
    STAY_IN_DISTRICT = "stay_in_district", _("Stay in the district")
    KEEP_QUALIFICATION = "keep_qualification", _("Keep the qualification")


class ClawbackStatus(ChoiceSet):
    RAISED = "raised", _("Raised")
    CONFIRMED = "confirmed", _("Confirmed")
    WAIVED = "waived", _("Waived")
    REPAID = "repaid", _("Repaid")


ApplicationStatus._colors = {"draft": "secondary", "submitted": "info", "returned": "warning",
                             "first_passed": "primary", "second_passed": "primary", "approved": "success",
                             "rejected": "danger", "withdrawn": "secondary"}
AwardStatus._colors = {"active": "primary", "completed": "success", "clawed_back": "danger", "cancelled": "secondary"}
TrancheStatus._colors = {"scheduled": "warning", "paid": "success", "cancelled": "secondary"}
OfferStatus._colors = {"proposed": "info", "confirmed": "success", "declined": "secondary", "superseded": "secondary"}
ClawbackStatus._colors = {"raised": "warning", "confirmed": "danger", "waived": "secondary", "repaid": "success"}
RunStatus._colors = {"running": "info", "done": "success", "failed": "danger"}


# ----- government-owned space and the funds report -------------------------------------------------------------
class AllocationStatus(ChoiceSet):
    PROPOSED = "proposed", _("Proposed for allocation")
    APPROVED = "approved", _("Approved")
    LEASED = "leased", _("Lease signed")
    REJECTED = "rejected", _("Rejected")


AllocationStatus._colors = {"proposed": "info", "approved": "primary", "leased": "success", "rejected": "secondary"}
