"""Kinds, levels and states of innovation carriers (创新载体)."""

from django.utils.translation import gettext_lazy as _

from core.reference.choices import ChoiceSet


class CarrierKind(ChoiceSet):
    KEY_LAB = "key_lab", _("Key laboratory")
    ENGINEERING_CENTRE = "engineering_centre", _("Engineering research centre")
    MANUFACTURING_CENTRE = "manufacturing_centre", _("Manufacturing innovation centre")
    NEW_RND = "new_rnd", _("New R&D institution")
    RESEARCH_PLATFORM = "research_platform", _("Major research platform")
    TECH_CENTRE = "tech_centre", _("Enterprise technology centre")
    SERVICE_PLATFORM = "service_platform", _("Public technology service platform")
    OTHER = "other", _("Other carrier")


class CarrierLevel(ChoiceSet):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    DISTRICT = "district", _("District")


# Higher is more: an upgrade goes to a level of a higher rank.
LEVEL_RANK = {CarrierLevel.DISTRICT: 1, CarrierLevel.MUNICIPAL: 2, CarrierLevel.PROVINCIAL: 3,
              CarrierLevel.NATIONAL: 4}
# 凤巢计划 counts carriers "at municipal level or above".
MUNICIPAL_OR_ABOVE = (CarrierLevel.NATIONAL, CarrierLevel.PROVINCIAL, CarrierLevel.MUNICIPAL)


class CarrierStatus(ChoiceSet):
    PREPARING = "preparing", _("Being set up")
    OPERATING = "operating", _("Operating")
    REVOKED = "revoked", _("Revoked")
    UPGRADED = "upgraded", _("Upgraded")


# A carrier in these states is one of the district's carriers now; a revoked one is not, and an upgraded one
# is counted as its successor at the higher level.
CURRENT_STATUSES = (CarrierStatus.PREPARING, CarrierStatus.OPERATING)

CarrierStatus._colors = {"preparing": "info", "operating": "success", "revoked": "secondary", "upgraded": "primary"}
CarrierLevel._colors = {"national": "danger", "provincial": "warning", "municipal": "primary", "district": "secondary"}
