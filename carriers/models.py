"""Innovation carriers (创新载体): key laboratories, engineering and manufacturing innovation centres, new R&D
institutions, major research platforms and the like, each at a level, hosted by an enterprise or an institution,
in a zone and, where it has premises, a building.

A carrier is one designation at one level. When it is raised to a higher level (the provincial 5G mid/high-
frequency device centre made national), the upgrade action starts its successor at the new level and marks this
one upgraded; the chain of predecessors is the carrier's history of levels (``history``).
"""


from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import SearchableModel
from core.reference.choices import Role

from .choices import LEVEL_RANK, CarrierKind, CarrierLevel, CarrierStatus

ENDED = (CarrierStatus.REVOKED, CarrierStatus.UPGRADED)


class Carrier(SearchableModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=CarrierKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=CarrierLevel.choices)
    status = models.CharField(_("status"), max_length=20, choices=CarrierStatus.choices,
                              default=CarrierStatus.OPERATING)
    approved_on = models.DateField(_("date approved"))
    approving_body = models.CharField(_("approving body"), max_length=100, blank=True)
    approval_document = models.CharField(_("approval document"), max_length=200, blank=True)
    host_enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("host enterprise"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="carriers")
    host_institution = models.CharField(_("host institution"), max_length=200, blank=True,
                                        help_text=_("A university, institute or hospital that is not an enterprise "
                                                    "of the register."))
    zone = models.ForeignKey("spaces.Zone", verbose_name=_("zone"), on_delete=models.PROTECT,
                             related_name="carriers")
    building = models.ForeignKey("spaces.Building", verbose_name=_("building"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="carriers")
    field = models.CharField(_("research field"), max_length=100, blank=True)
    target_level = models.CharField(_("upgrade sought to"), max_length=20, choices=CarrierLevel.choices,
                                    blank=True)
    upgraded_from = models.OneToOneField(
        "self", verbose_name=_("upgraded from"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="upgraded_to")
    ended_on = models.DateField(_("date ended"), null=True, blank=True,
                                help_text=_("The day it was revoked or upgraded."))
    end_reason = models.CharField(_("reason"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("name", "code", "host_institution")
    role_actions = {Role.PARK_OPERATOR: "v", Role.ENTERPRISE: "v"}
    scope_paths = {Role.PARK_OPERATOR: "building__park__operator__users", Role.ENTERPRISE: "host_enterprise__users"}

    class Meta:
        ordering = ["-approved_on", "name"]
        verbose_name = _("innovation carrier")
        verbose_name_plural = _("innovation carriers")
        constraints = [
            models.CheckConstraint(condition=Q(host_enterprise__isnull=False) | ~Q(host_institution=""),
                                   name="carrier_has_a_host"),
            # Only a revoked or upgraded carrier has an end date (its actions set both; clean() asks for the
            # date the other way round).
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(status__in=ENDED),
                                   name="carrier_end_date_only_when_ended"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("approved_on")),
                                   name="carrier_ends_after_approval"),
        ]
        indexes = [models.Index(fields=["status", "level"]), models.Index(fields=["approved_on"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("carriers:carrier_detail", args=[self.pk])

    @property
    def status_color(self):
        return CarrierStatus.color(self.status)

    @property
    def level_color(self):
        return CarrierLevel.color(self.level)

    def clean(self):
        errors = {}
        if not self.host_enterprise_id and not self.host_institution.strip():
            errors["host_institution"] = _("Name the host: an enterprise of the register or an institution.")
        if self.building_id and self.zone_id and self.building.park.zone_id not in self.zone.descendant_ids():
            errors["building"] = _("%(building)s is not in %(zone)s.") % {"building": self.building,
                                                                          "zone": self.zone}
        if self.target_level and LEVEL_RANK.get(self.target_level, 0) <= LEVEL_RANK.get(self.level, 0):
            errors["target_level"] = _("An upgrade goes to a higher level than the carrier's own.")
        if self.status in ENDED and not self.ended_on:
            errors["ended_on"] = _("A revoked or upgraded carrier needs the day it ended.")
        if self.status not in ENDED and self.ended_on:
            errors["ended_on"] = _("Only a revoked or upgraded carrier has an end date.")
        if self.ended_on and self.approved_on and self.ended_on < self.approved_on:
            # The approval date is the form's; the end date is set by the actions, which check it themselves.
            errors["approved_on"] = _("Must not be after the day it ended.")
        if self.approved_on and self.approved_on > timezone.localdate():
            errors["approved_on"] = _("The approval date cannot be in the future.")
        if errors:
            raise ValidationError(errors)

    def history(self) -> list["Carrier"]:
        """This carrier's designations from the first to the last: its predecessors, itself, its successors."""
        chain = [self]
        seen = {self.pk}
        earlier = self.upgraded_from
        while earlier is not None and earlier.pk not in seen:
            chain.insert(0, earlier)
            seen.add(earlier.pk)
            earlier = earlier.upgraded_from
        later = Carrier.objects.filter(upgraded_from=self).first()
        while later is not None and later.pk not in seen:
            chain.append(later)
            seen.add(later.pk)
            later = Carrier.objects.filter(upgraded_from=later).first()
        return chain
