import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import BaseModel, DerivedState
from core.reference.choices import Role

from .choices import FollowUpStatus, LeaseStatus, PaymentState


class Lease(BaseModel):
    """An enterprise's lease of one or more units for a period. It holds its units from its start date to its
    end date unless it expired (leasing.choices.HOLDING_STATUSES); a renewal or a move makes the next lease,
    which names this one as its predecessor."""

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
    # The lease this one continues: the one it renews, or the one whose units the tenant moved out of. One
    # successor at most (the database refuses a second renewal of a lease), and a lease that has one is kept.
    predecessor = models.OneToOneField(
        "self", verbose_name=_("previous lease"), on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="successor",
    )
    # Where the talks about renewing it stand, and when the next contact is due: the latest of its follow-ups
    # (LeaseFollowUp), kept here by the lease services so that the expiry queue filters without a join.
    follow_up = models.CharField(_("follow-up"), max_length=12, choices=FollowUpStatus.choices,
                                 default=FollowUpStatus.PENDING, editable=False)
    next_contact_on = models.DateField(_("next contact on"), null=True, blank=True, editable=False)
    # Sum of the units' areas, kept by the lease services so lists need no join.
    leased_area = models.DecimalField(_("leased area (m²)"), max_digits=12, decimal_places=2, default=Decimal("0"))
    # Money terms. The escalation schedule is the lease's RentSteps (rent from a date); rent actually paid is
    # recorded per period (RentPayment).
    rent_free_months = models.PositiveSmallIntegerField(_("rent-free months"), default=0)
    deposit = models.DecimalField(_("deposit (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0"),
                                  validators=[MinValueValidator(Decimal("0"))])
    management_fee = models.DecimalField(_("management fee (yuan/m²/month)"), max_digits=8, decimal_places=2,
                                         default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))])
    # Government-owned space is let at a share of its assessed market rent: the assessment the discount is of.
    assessed_monthly_rent = models.DecimalField(
        _("assessed market rent (yuan/m²/month)"), max_digits=8, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))])

    role_actions = {Role.PARK_OPERATOR: "vacd", Role.ENTERPRISE: "v"}
    scope_paths = {
        Role.PARK_OPERATOR: "park__operator__users",
        Role.ENTERPRISE: "enterprise__users",
    }
    # The follow-up is recorded by its own entries and events (leasing.lease.follow_up), not as a change.
    audit_exclude = ("created", "last_updated", "follow_up", "next_contact_on")

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="lease_ends_after_start"),
            models.CheckConstraint(condition=Q(monthly_rent__gte=0), name="lease_rent_not_negative"),
            models.CheckConstraint(condition=Q(deposit__gte=0) & Q(management_fee__gte=0),
                                   name="lease_deposit_and_fee_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "end_date"]),
                   # An operator's leases and tenants, read from the index alone.
                   models.Index(fields=["park", "enterprise"], name="lease_park_enterprise"),
                   # The list's default order (newest first) and its date columns, with the id tie-break.
                   models.Index(fields=["start_date", "id"], name="lease_start_id"),
                   models.Index(fields=["end_date", "id"], name="lease_end_id"),
                   # Follow-ups whose next contact is due (leasing.selectors.followups_due).
                   models.Index(fields=["follow_up", "next_contact_on"], name="lease_follow_up_due")]

    def __str__(self):
        label = self.contract_number or f"#{self.pk}"
        return f"{self.enterprise.name} {label}" if self.enterprise_id else label

    def get_absolute_url(self):
        return reverse("leasing:lease_detail", args=[self.pk])

    @property
    def status_color(self):
        return LeaseStatus.color(self.status)

    @property
    def follow_up_color(self):
        return FollowUpStatus.color(self.follow_up)

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
        if self.start_date and self.end_date and self.rent_free_months:
            from .rent import rent_due_from

            if rent_due_from(self.start_date, self.rent_free_months) > self.end_date + datetime.timedelta(days=1):
                raise ValidationError({"rent_free_months": _("The rent-free months cannot run past the lease's end date.")})

    def refusal(self, verb: str):
        """Only an active lease is changed: expired, terminated and renewed ones are the record of what happened
        (a renewed lease's end date is where its successor begins: change the successor)."""
        if verb == "change" and self.status != LeaseStatus.ACTIVE:
            return _("Only an active lease can be changed; expired, renewed and terminated leases are kept as "
                     "they were.")
        return None

    def units_area(self) -> Decimal:
        return self.units.aggregate(total=Sum("area"))["total"] or Decimal("0")


class LeaseFollowUp(BaseModel):
    """One entry of a lease's renewal follow-up: who recorded what and when, and the next contact agreed.
    Entries are only added (by leasing.services); the latest one is the lease's follow-up."""

    lease = models.ForeignKey(Lease, verbose_name=_("lease"), on_delete=models.CASCADE, related_name="follow_ups")
    status = models.CharField(_("follow-up"), max_length=12, choices=FollowUpStatus.choices)
    note = models.CharField(_("follow-up note"), max_length=500, blank=True)
    next_contact_on = models.DateField(_("next contact on"), null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    # Kept when the account is deleted, as the audit tables keep it.
    user_name = models.CharField(_("user"), max_length=150, blank=True)

    scope_via = "lease"

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("lease follow-up")
        verbose_name_plural = _("lease follow-ups")

    def __str__(self):
        return f"{self.lease} · {self.get_status_display()}"

    @property
    def status_color(self):
        return FollowUpStatus.color(self.status)


class RentStep(BaseModel):
    """A step of a lease's escalation schedule: the monthly rent from a date (until the next step)."""

    lease = models.ForeignKey(Lease, verbose_name=_("lease"), on_delete=models.CASCADE, related_name="rent_steps")
    starts_on = models.DateField(_("from"))
    monthly_rent = models.DecimalField(_("rent (yuan/m²/month)"), max_digits=8, decimal_places=2,
                                       validators=[MinValueValidator(Decimal("0"))])

    # The schedule is part of the lease's terms: who changes the lease changes its steps.
    role_actions = {Role.PARK_OPERATOR: "vacd", Role.ENTERPRISE: "v"}
    scope_via = "lease"

    class Meta:
        ordering = ["lease", "starts_on"]
        verbose_name = _("rent step")
        verbose_name_plural = _("rent steps")
        constraints = [
            models.UniqueConstraint(fields=["lease", "starts_on"], name="rent_step_once_per_date"),
            models.CheckConstraint(condition=Q(monthly_rent__gte=0), name="rent_step_not_negative"),
        ]

    def __str__(self):
        return f"{self.lease} · {date_format(self.starts_on)}" if self.starts_on else str(self.lease)

    @property
    def enterprise(self):
        """The tenant: the lease's enterprise (the edit form asks for it first, to list its leases)."""
        return self.lease.enterprise if self.lease_id else None

    def get_absolute_url(self):
        return reverse("leasing:rentstep_detail", args=[self.pk])

    def clean(self):
        lease = self.lease if self.lease_id else None
        if lease and self.starts_on and not lease.start_date <= self.starts_on <= lease.end_date:
            raise ValidationError({"starts_on": _(
                "A rent step starts within the lease's dates (%(start)s to %(end)s).")
                % {"start": date_format(lease.start_date), "end": date_format(lease.end_date)}})

    def refusal(self, verb):
        """The steps of a lease that is no longer active are the record of what it charged."""
        if verb in ("change", "delete") and self.lease_id and self.lease.status != LeaseStatus.ACTIVE:
            return _("Only the rent steps of an active lease can be changed.")
        return None


class RentPayment(BaseModel):
    """Rent actually paid for a period of a lease (rent only: utilities and property fees are not rent), entered
    or imported, and confirmed by the park's operator."""

    lease = models.ForeignKey(Lease, verbose_name=_("lease"), on_delete=models.PROTECT, related_name="rent_payments")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    amount = models.DecimalField(_("rent paid (yuan)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("receipt or invoice number"), max_length=60, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True, blank=True,
                                     on_delete=models.SET_NULL, editable=False, related_name="+")

    role_actions = {Role.PARK_OPERATOR: "vacd", Role.ENTERPRISE: "vac"}
    scope_paths = {
        Role.PARK_OPERATOR: "lease__park__operator__users",
        Role.ENTERPRISE: "lease__enterprise__users",
    }

    class Meta:
        ordering = ["lease", "-period_start"]
        verbose_name = _("rent payment")
        verbose_name_plural = _("rent payments")
        constraints = [
            models.UniqueConstraint(fields=["lease", "period_start"], name="rent_payment_once_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="rent_payment_period_order"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="rent_payment_not_negative"),
        ]
        indexes = [models.Index(fields=["period_start", "lease"], name="rent_payment_period")]

    # Confirmed once the operator has confirmed it (rentpayment_confirm), entered until then.
    state = DerivedState(PaymentState, read=lambda payment: _payment_state(payment), stored=lambda state: _payment_stored(state))

    def __str__(self):
        if not (self.period_start and self.period_end):
            return str(self.lease) if self.lease_id else ""
        return f"{self.lease} · {date_format(self.period_start)}–{date_format(self.period_end)}"

    @property
    def enterprise(self):
        """The tenant: the lease's enterprise (the edit form asks for it first, to list its leases)."""
        return self.lease.enterprise if self.lease_id else None

    def get_absolute_url(self):
        return reverse("leasing:rentpayment_detail", args=[self.pk])

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        lease = self.lease if self.lease_id else None
        if lease and self.period_start and self.period_start < lease.start_date:
            raise ValidationError({"period_start": _(
                "The period cannot start before the lease's start date (%(start)s).")
                % {"start": date_format(lease.start_date)}})
        if lease and self.period_end and self.period_end > lease.end_date:
            raise ValidationError({"period_end": _(
                "The period cannot end after the lease's end date (%(end)s).") % {"end": date_format(lease.end_date)}})

    def refusal(self, verb):
        """A confirmed payment is what a subsidy is computed on: the operator withdraws the confirmation first."""
        if verb in ("change", "delete") and self.confirmed_at:
            return _("A confirmed payment cannot be changed.")
        return None


def _payment_state(payment) -> str:
    return PaymentState.CONFIRMED if payment.confirmed_at else PaymentState.ENTERED


def _payment_stored(state) -> dict:
    if state == PaymentState.CONFIRMED:
        return {"confirmed_at": timezone.now()}
    return {"confirmed_at": None, "confirmed_by": None}


class Sublet(BaseModel):
    """Part of a lease's space let on by the tenant to someone else (转租), as found or reported."""

    lease = models.ForeignKey(Lease, verbose_name=_("lease"), on_delete=models.PROTECT, related_name="sublets")
    subtenant = models.ForeignKey("enterprises.Enterprise", verbose_name=_("subtenant"), on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="sublets_held")
    subtenant_name = models.CharField(_("subtenant name"), max_length=150)
    area = models.DecimalField(_("area (m²)"), max_digits=12, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(Decimal("0"))])
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    found_on = models.DateField(_("found on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    role_actions = {Role.PARK_OPERATOR: "vac", Role.ENTERPRISE: "v"}
    scope_paths = {
        Role.PARK_OPERATOR: "lease__park__operator__users",
        Role.ENTERPRISE: "lease__enterprise__users",
    }

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("sublet")
        verbose_name_plural = _("sublets")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="sublet_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.lease} → {self.subtenant_name}" if self.lease_id else self.subtenant_name

    @property
    def enterprise(self):
        """The tenant: the lease's enterprise (the edit form asks for it first, to list its leases)."""
        return self.lease.enterprise if self.lease_id else None

    def get_absolute_url(self):
        return reverse("leasing:sublet_detail", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The sublet cannot end before it starts.")})
        lease = self.lease if self.lease_id else None
        if lease and self.starts_on and not lease.start_date <= self.starts_on <= lease.end_date:
            raise ValidationError({"starts_on": _(
                "A sublet starts within the lease's dates (%(start)s to %(end)s).")
                % {"start": date_format(lease.start_date), "end": date_format(lease.end_date)}})
        if self.area is not None and lease and lease.leased_area and self.area > lease.leased_area:
            raise ValidationError({"area": _("The sublet area cannot exceed the lease's area (%(area)s m²).")
                                   % {"area": lease.leased_area}})

    def active_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
