from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.choices import Role
from core.models import BaseModel

from .choices import LeaseStatus


class Lease(BaseModel):
    """An enterprise's lease of one or more units for a period. Only active leases hold units."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="leases"
    )
    units = models.ManyToManyField("spaces.Unit", verbose_name=_("units"), related_name="leases")
    # The park all the units are in, kept by the lease services (and by the space services when a unit or a
    # building moves), so that scopes and park filters need no join through the units.
    park = models.ForeignKey(
        "spaces.Park", verbose_name=_("park"), on_delete=models.PROTECT, null=True, editable=False,
        related_name="leases", db_index=False,
    )
    contract_number = models.CharField(_("contract number"), max_length=40, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    monthly_rent = models.DecimalField(
        _("rent (yuan/m²/month)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(_("status"), max_length=12, choices=LeaseStatus.choices, default=LeaseStatus.ACTIVE)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("reason for termination"), max_length=200, blank=True)
    # Sum of the units' areas, kept by the lease services so lists need no join.
    leased_area = models.DecimalField(_("leased area (m²)"), max_digits=12, decimal_places=2, default=Decimal("0"))

    role_actions = {Role.PARK_OPERATOR: "vacd", Role.ENTERPRISE: "v"}
    scope_paths = {
        Role.PARK_OPERATOR: "park__operator__users",
        Role.ENTERPRISE: "enterprise__users",
    }
    audit_exclude = ("created", "last_updated")

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="lease_ends_after_start"),
            models.CheckConstraint(condition=Q(monthly_rent__gte=0), name="lease_rent_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "end_date"]),
                   # An operator's leases and tenants, read from the index alone.
                   models.Index(fields=["park", "enterprise"], name="lease_park_enterprise"),
                   # The list's default order (newest first) and its date columns, with the id tie-break.
                   models.Index(fields=["start_date", "id"], name="lease_start_id"),
                   models.Index(fields=["end_date", "id"], name="lease_end_id")]

    def __str__(self):
        label = self.contract_number or f"#{self.pk}"
        return f"{self.enterprise.name} {label}" if self.enterprise_id else label

    def get_absolute_url(self):
        return reverse("leasing:lease_detail", args=[self.pk])

    @property
    def status_color(self):
        return LeaseStatus.color(self.status)

    @property
    def total_monthly_rent(self):
        return (self.monthly_rent * self.leased_area).quantize(Decimal("0.01"))

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.status == LeaseStatus.TERMINATED and not self.terminated_on:
            raise ValidationError({"terminated_on": _("Give the date the lease was terminated.")})
        if self.terminated_on and self.end_date and self.end_date > self.terminated_on:
            raise ValidationError({"end_date": _("A terminated lease ends on its termination date.")})
        if self.terminated_on and self.start_date and self.terminated_on < self.start_date:
            raise ValidationError({"terminated_on": _("The termination date cannot be before the start date.")})

    def units_area(self) -> Decimal:
        return self.units.aggregate(total=Sum("area"))["total"] or Decimal("0")
