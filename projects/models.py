"""The projects that create space (urban and shantytown renewal, land preparation, removal of illegal buildings,
research-space construction, infrastructure and transport): each with its zone and owning department, milestones
with planned and actual dates, quantities planned and done, and the space it will deliver (future supply)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel, SearchableModel, in_force
from core.rules import percent_text
from core.rules.types import MISSING
from spaces.choices import UnitUse

from . import measures
from .choices import DeliveryStatus, PaymentMechanism, PppStage, ProjectKind, ProjectStatus

M2 = {"max_digits": 12, "decimal_places": 2}
# (done, planned): each quantity done and the plan it may not exceed.
QUANTITIES = (("land_cleared", "land_to_clear"), ("area_demolished", "area_to_demolish"),
              ("households_relocated", "households_to_relocate"))


class Project(SearchableModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=ProjectKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    zone = models.ForeignKey("spaces.Zone", verbose_name=_("zone"), on_delete=models.PROTECT, related_name="projects")
    park = models.ForeignKey("spaces.Park", verbose_name=_("park"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="projects")
    department = models.ForeignKey("core.Department", verbose_name=_("owning department"), on_delete=models.PROTECT,
                                   related_name="projects")
    started_on = models.DateField(_("started on"), null=True, blank=True)
    planned_completion = models.DateField(_("planned completion"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    land_to_clear = models.DecimalField(_("land to clear (m²)"), null=True, blank=True, **M2)
    land_cleared = models.DecimalField(_("land cleared (m²)"), default=0, **M2)
    area_to_demolish = models.DecimalField(_("floor area to demolish (m²)"), null=True, blank=True, **M2)
    area_demolished = models.DecimalField(_("floor area demolished (m²)"), default=0, **M2)
    households_to_relocate = models.PositiveIntegerField(_("households to relocate"), null=True, blank=True)
    households_relocated = models.PositiveIntegerField(_("households relocated"), default=0)
    progress_on = models.DateField(_("progress as of"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    search_fields = ("name", "code")

    class Meta:
        ordering = ["zone__sort_order", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(condition=Q(land_to_clear__isnull=True) | Q(land_cleared__lte=F("land_to_clear")),
                                   name="project_cleared_within_plan"),
            models.CheckConstraint(condition=Q(area_to_demolish__isnull=True)
                                   | Q(area_demolished__lte=F("area_to_demolish")),
                                   name="project_demolished_within_plan"),
            models.CheckConstraint(condition=Q(households_to_relocate__isnull=True)
                                   | Q(households_relocated__lte=F("households_to_relocate")),
                                   name="project_relocated_within_plan"),
            models.CheckConstraint(condition=Q(land_cleared__gte=0) & Q(area_demolished__gte=0),
                                   name="project_done_not_negative"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def status_color(self):
        return ProjectStatus.color(self.status)

    @property
    def relocation_rate_bp(self):
        """搬迁交房率 in basis points (9600 = 96.00%); MISSING when the project relocates no one."""
        if not self.households_to_relocate:
            return MISSING
        return measures.relocation_rate(self.households_relocated, self.households_to_relocate)

    @property
    def relocation_rate_percent(self):
        rate = self.relocation_rate_bp
        return None if rate is MISSING else percent_text(rate, unit=False)

    def clean(self):
        errors = {}
        # The planned quantities are the form's; the done ones move by the progress action, which checks them
        # against the plan itself. Here a plan below what is already done is the plan's error.
        for done, planned in QUANTITIES:
            value, limit = getattr(self, done), getattr(self, planned)
            if limit is not None and limit < 0:
                errors[planned] = _("Must not be negative.")
            elif limit is not None and value is not None and value > limit:
                errors[planned] = _("Must not be less than the %(done)s already recorded.") % {
                    "done": self._meta.get_field(done).verbose_name}
        if self.park_id and self.zone_id and self.park.zone_id not in self.zone.descendant_ids():
            errors["park"] = _("%(park)s is not in %(zone)s.") % {"park": self.park, "zone": self.zone}
        if self.started_on and self.planned_completion and self.planned_completion < self.started_on:
            errors["planned_completion"] = _("Must not be before the start.")
        if self.status == ProjectStatus.COMPLETED and not self.completed_on:
            errors["completed_on"] = _("A completed project needs the day it was completed.")
        if errors:
            raise ValidationError(errors)


class Milestone(BaseModel):
    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="milestones")
    name = models.CharField(_("milestone"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    planned_on = models.DateField(_("planned date"))
    done_on = models.DateField(_("actual date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_via = "project"

    class Meta:
        ordering = ["project", "sort_order", "planned_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return f"{self.project.name} · {self.name}"

    def get_absolute_url(self):
        return reverse("projects:milestone_detail", args=[self.pk])

    def is_late(self, today: datetime.date | None = None) -> bool:
        return self.done_on is None and self.planned_on < (today or timezone.localdate())

    @property
    def late(self) -> bool:
        return self.is_late()

    @property
    def days_late(self) -> int:
        return (timezone.localdate() - self.planned_on).days if self.late else 0

    def clean(self):
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError({"done_on": _("The date cannot be in the future.")})


class SpaceDelivery(BaseModel):
    """Space a project will deliver (future supply): its use, area and expected date, in a park where known."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="deliveries")
    use = models.CharField(_("use"), max_length=20, choices=UnitUse.choices)
    area = models.DecimalField(_("area (m²)"), **M2)
    expected_on = models.DateField(_("expected on"))
    park = models.ForeignKey("spaces.Park", verbose_name=_("park"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="deliveries")
    status = models.CharField(_("status"), max_length=20, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.EXPECTED)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_via = "project"

    class Meta:
        ordering = ["expected_on", "pk"]
        verbose_name = _("space to deliver")
        verbose_name_plural = _("space to deliver")
        constraints = [models.CheckConstraint(condition=Q(area__gt=0), name="delivery_area_positive")]

    def __str__(self):
        return f"{self.project.name} · {self.get_use_display()} {self.area} ㎡"

    def get_absolute_url(self):
        return reverse("projects:spacedelivery_detail", args=[self.pk])

    @property
    def status_color(self):
        return DeliveryStatus.color(self.status)

    def clean(self):
        errors = {}
        if self.area is not None and self.area <= 0:
            errors["area"] = _("Must be more than 0.")
        if self.park_id and self.project_id and self.park.zone_id not in self.project.zone.descendant_ids():
            errors["park"] = _("%(park)s is not in %(zone)s.") % {"park": self.park, "zone": self.project.zone}
        if self.status == DeliveryStatus.DELIVERED and not self.delivered_on:
            errors["delivered_on"] = _("Delivered space needs the day it was delivered.")
        if errors:
            raise ValidationError(errors)


# ----- PPP --------------------------------------------------------------------------------------------------------
class PppRule(models.Model):
    """The fiscal affordability caps in force from a date (data, not code): all PPP spending from the general
    public budget ≤ ``cap_bp`` of that level's general public budget expenditure each year; above
    ``new_government_pay_cap_bp``, no new government-pay project."""

    effective_from = models.DateField(_("effective from"), unique=True)
    cap_bp = models.PositiveIntegerField(_("cap (basis points of the budget expenditure)"))
    new_government_pay_cap_bp = models.PositiveIntegerField(_("cap for new government-pay projects (basis points)"))
    source = models.CharField(_("source document"), max_length=200, blank=True)

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("PPP affordability rule")
        verbose_name_plural = _("PPP affordability rules")

    def __str__(self):
        return f"{self.effective_from} {self.source}".strip()

    @classmethod
    def in_force(cls, on: datetime.date):
        return in_force(cls, on)


class FiscalYear(BaseModel):
    """The district level's general public budget expenditure of a year (actual, or budgeted for years to come)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    expenditure = models.DecimalField(_("general public budget expenditure (yuan)"), max_digits=18, decimal_places=2)
    projected = models.BooleanField(_("projected"), default=False,
                                    help_text=_("A budgeted or projected figure, not the final accounts."))

    class Meta:
        ordering = ["year"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        constraints = [models.CheckConstraint(condition=Q(expenditure__gt=0), name="fiscal_year_expenditure_positive")]

    def __str__(self):
        return str(self.year)

    def get_absolute_url(self):
        return reverse("projects:fiscalyear_detail", args=[self.pk])


class PppProject(SearchableModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    zone = models.ForeignKey("spaces.Zone", verbose_name=_("zone"), on_delete=models.PROTECT,
                             related_name="ppp_projects")
    department = models.ForeignKey("core.Department", verbose_name=_("owning department"), on_delete=models.PROTECT,
                                   related_name="ppp_projects")
    stage = models.CharField(_("stage"), max_length=20, choices=PppStage.choices, default=PppStage.IDENTIFICATION)
    mechanism = models.CharField(_("payment mechanism"), max_length=20, choices=PaymentMechanism.choices)
    contract_years = models.PositiveSmallIntegerField(_("contract term (years)"))
    investment = models.DecimalField(_("total investment (yuan)"), max_digits=18, decimal_places=2, null=True,
                                     blank=True)
    psc = models.DecimalField(_("public sector comparator, present value (yuan)"), max_digits=18, decimal_places=2,
                              null=True, blank=True)
    ppp_cost = models.DecimalField(_("PPP cost to government, present value (yuan)"), max_digits=18,
                                   decimal_places=2, null=True, blank=True)
    legacy = models.BooleanField(_("under the rules before 2023"), default=False,
                                 help_text=_("A project started under the PPP rules before the 2023 mechanism."))
    description = models.TextField(_("description"), blank=True)

    search_fields = ("name", "code")

    class Meta:
        ordering = ["code"]
        verbose_name = _("PPP project")
        verbose_name_plural = _("PPP projects")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:pppproject_detail", args=[self.pk])

    @property
    def stage_color(self):
        return PppStage.color(self.stage)

    @property
    def government_pay(self) -> bool:
        return self.mechanism == PaymentMechanism.GOVERNMENT_PAY

    def value_for_money(self):
        """measures.VfmResult of the two present values, or MISSING while either is not entered."""
        if self.psc is None or self.ppp_cost is None:
            return MISSING
        return measures.value_for_money(int(self.ppp_cost * 100), int(self.psc * 100))


class PppPayment(BaseModel):
    """The government's expenditure on a PPP project in one year of its contract (from the general public
    budget)."""

    project = models.ForeignKey(PppProject, verbose_name=_("PPP project"), on_delete=models.PROTECT,
                                related_name="payments")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("government expenditure (yuan)"), max_digits=18, decimal_places=2)

    scope_via = "project"

    class Meta:
        ordering = ["project", "year"]
        verbose_name = _("PPP yearly expenditure")
        verbose_name_plural = _("PPP yearly expenditure")
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="ppp_payment_one_a_year"),
                       models.CheckConstraint(condition=Q(amount__gte=0), name="ppp_payment_not_negative")]

    def __str__(self):
        return f"{self.project.name} {self.year}"

    def get_absolute_url(self):
        return reverse("projects:ppppayment_detail", args=[self.pk])
