from django.utils.translation import gettext_lazy as _

from core.reference.choices import ChoiceSet


class SubjectKind(ChoiceSet):
    """What a scheme certifies: a whole park, or one building of it."""

    PARK = "park", _("Park")
    BUILDING = "building", _("Building")


class SchemeLevel(ChoiceSet):
    DISTRICT = "district", _("District level")
    MUNICIPAL = "municipal", _("Municipal level")
    PROVINCIAL = "provincial", _("Provincial level")
    NATIONAL = "national", _("National level")


class SchemeCategory(ChoiceSet):
    INCUBATOR = "incubator", _("Incubator")
    SCIENCE_PARK = "science_park", _("Science park")
    CULTURAL_PARK = "cultural_park", _("Cultural and creative park")
    SPECIALISED_BUILDING = "specialised_building", _("Specialised building")


class VersionStatus(ChoiceSet):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ExitReason(ChoiceSet):
    """Why an incubatee left its incubator."""

    GRADUATED = "graduated", _("Graduated")
    MOVED_OUT = "moved_out", _("Moved out")
    CLOSED = "closed", _("Closed down")
    EXPIRED = "expired", _("Incubation period ended")


class GraduationBasis(ChoiceSet):
    """The graduation rules of 国科发区〔2018〕300号: a graduate meets one of these."""

    HIGH_TECH = "high_tech", _("Recognised as a national high-tech enterprise")
    INVESTMENT = "investment", _("Over 5 million yuan of cumulative angel or venture investment")
    REVENUE = "revenue", _("Revenue over 10 million yuan in two consecutive years")
    ACQUIRED_OR_LISTED = "acquired_listed", _("Acquired or listed")


class ServiceArea(ChoiceSet):
    """The seven areas in which an operator serves its tenants."""

    TECHNOLOGY_TRANSFER = "tech_transfer", _("Technology transfer")
    FINANCE = "finance", _("Science and technology finance")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship coaching")
    MANAGEMENT = "management", _("Management")
    BUSINESS = "business", _("Business services")
    MARKET = "market", _("Market development")
    INTERNATIONAL = "international", _("International cooperation")


class ApplicationStatus(ChoiceSet):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Reviewed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# An application its operator may still change, with its stated values and its documents.
APPLICATION_OPEN_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class CertificationStatus(ChoiceSet):
    VALID = "valid", _("Valid")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class RoundStatus(ChoiceSet):
    """A yearly assessment round: opened and computed, operators add what the records lack, experts score,
    officers adjust, then it is closed with grades and consequences."""

    OPEN = "open", _("Open for operators")
    SCORING = "scoring", _("Expert scoring")
    CLOSED = "closed", _("Closed")


class Grade(ChoiceSet):
    A = "A", _("Excellent (A)")
    B = "B", _("Good (B)")
    C = "C", _("Pass (C)")
    D = "D", _("Fail (D)")


SchemeLevel._colors = {"district": "info", "municipal": "primary", "provincial": "warning", "national": "danger"}
VersionStatus._colors = {"draft": "warning", "published": "success", "retired": "secondary"}
ApplicationStatus._colors = {"draft": "secondary", "submitted": "primary", "returned": "warning",
                             "accepted": "info", "approved": "success", "rejected": "danger"}
CertificationStatus._colors = {"valid": "success", "expired": "secondary", "revoked": "danger"}
RoundStatus._colors = {"open": "primary", "scoring": "warning", "closed": "secondary"}
Grade._colors = {"A": "success", "B": "primary", "C": "warning", "D": "danger"}
ExitReason._colors = {"graduated": "success", "moved_out": "secondary", "closed": "danger", "expired": "warning"}
