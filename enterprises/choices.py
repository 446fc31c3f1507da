from django.utils.translation import gettext_lazy as _

from core.reference.choices import ChoiceSet


class IndustryLevel(ChoiceSet):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")
    GROUP = "group", _("Group")
    CLASS = "class", _("Class")


class QualificationKind(ChoiceSet):
    HIGH_TECH = "high_tech", _("National high-tech enterprise")
    SPECIALISED = "specialised", _("Specialised, refined, distinctive and innovative (专精特新)")


class SpecialisedLevel(ChoiceSet):
    INNOVATIVE_SME = "innovative_sme", _("Innovative SME")
    PROVINCIAL = "provincial", _("Provincial 专精特新 SME")
    LITTLE_GIANT = "little_giant", _("National 专精特新 little giant")


QualificationKind._colors = {"high_tech": "danger", "specialised": "primary"}
