from django.utils.translation import gettext_lazy as _

from core.reference.choices import ChoiceSet


class ZoneKind(ChoiceSet):
    ENGINE = "engine", _("New engine")
    AXIS = "axis", _("Axis or wing")
    AREA = "area", _("Area")


class ParkKind(ChoiceSet):
    SCIENCE = "science", _("Science and technology park (incubator)")
    CULTURAL = "cultural", _("Cultural and creative park")
    FINTECH = "fintech", _("Fintech park")
    HEADQUARTERS = "headquarters", _("Headquarters base")
    FUND = "fund", _("Investment fund park")
    GENERAL = "general", _("General industrial park")


class UnitUse(ChoiceSet):
    OFFICE = "office", _("Office")
    RESEARCH = "research", _("Research and development")
    INDUSTRIAL = "industrial", _("Industrial")
    COMMERCIAL = "commercial", _("Commercial")
    OTHER = "other", _("Other")


class UnitStatus(ChoiceSet):
    LEASED = "leased", _("Leased")
    VACANT = "vacant", _("Vacant")
    RESERVED = "reserved", _("Reserved")
    UNAVAILABLE = "unavailable", _("Unavailable")


UnitStatus._colors = {"leased": "primary", "vacant": "success", "reserved": "warning", "unavailable": "secondary"}
ZoneKind._colors = {"engine": "danger", "axis": "primary", "area": "info"}
