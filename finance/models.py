"""Funds (基金) and their managers, the guidance fund's commitments to sub-funds, the sub-funds' investments into
enterprises, and the two halves of the fund park's method: supervision checks and services (DOMAIN §5).

Money is stored in yuan (two decimals, as leases store rent) and handed to ``finance.measures`` in fen. Whether an
investment counts as local is never stored: it is read from the enterprise register and the leases on the
investment's date (``finance.selectors``). The caps on shares and the required reinvestment ratio are dated
reference data (``ShareLimit``), seeded by a migration.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import BaseModel, DerivedState, SearchableModel, in_force
from core.reference.choices import Role
from core.reference.validators import check_credit_code, normalise_credit_code

from .choices import (
    CheckKind,
    CheckOutcome,
    CheckState,
    FundFocus,
    FundKind,
    InvestmentRound,
    MemberStatus,
    Presence,
    ProgrammeKind,
    ResourceKind,
    ServiceKind,
)


def money(verbose_name, **kwargs):
    """An amount in yuan, never negative."""
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, validators=[MinValueValidator(0)],
                               **kwargs)


class FundManager(SearchableModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    registration_number = models.CharField(_("AMAC registration number"), max_length=40, blank=True)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="fund_managers")
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("name", "credit_code", "registration_number")

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund manager")
        verbose_name_plural = _("fund managers")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("finance:fundmanager_detail", args=[self.pk])

    def clean(self):
        self.credit_code = normalise_credit_code(self.credit_code or "")
        if self.credit_code:
            result = check_credit_code(self.credit_code)
            if not result.ok:
                raise ValidationError({"credit_code": result.message})


class Fund(SearchableModel):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    manager = models.ForeignKey(FundManager, verbose_name=_("fund manager"), on_delete=models.PROTECT,
                                related_name="funds")
    kind = models.CharField(_("kind"), max_length=20, choices=FundKind.choices)
    focus = models.CharField(_("focus"), max_length=20, choices=FundFocus.choices, blank=True,
                             help_text=_("For a sub-fund of the guidance fund: it sets the cap on the guidance "
                                         "fund's share."))
    size = money(_("committed size (yuan)"))
    aum = money(_("assets under management (yuan)"), default=0)
    registered_on = models.DateField(_("date registered"))
    presence = models.CharField(_("presence"), max_length=20, choices=Presence.choices, default=Presence.VIRTUAL)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("registered entity"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="funds",
        help_text=_("The fund's entity in the enterprise register; a fund working on site holds its lease."))
    reported_local_investment = money(_("self-reported local investment (yuan)"), null=True, blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("name", "code")

    class Meta:
        ordering = ["code"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=0) & Q(aum__gte=0), name="fund_amounts_not_negative"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("finance:fund_detail", args=[self.pk])

    @property
    def presence_color(self):
        return Presence.color(self.presence)

    @property
    def kind_color(self):
        return FundKind.color(self.kind)

    def clean(self):
        errors = {}
        if self.presence == Presence.PHYSICAL:
            from leasing.selectors import current_leases

            if not self.enterprise_id:
                errors["enterprise"] = _("A fund working on site needs its registered entity, which holds a lease.")
            elif not current_leases().filter(enterprise_id=self.enterprise_id).exists():
                errors["presence"] = _("%(enterprise)s holds no current lease: a fund working on site occupies "
                                       "units through a lease; record the lease or choose registered virtually.") % {
                    "enterprise": self.enterprise}
        if self.kind == FundKind.GUIDANCE and self.focus:
            errors["focus"] = _("A guidance fund has no focus: the focus belongs to its sub-funds.")
        if self.reported_local_investment is not None and not self.reported_on:
            errors["reported_on"] = _("Give the day of the fund's report.")
        if self.registered_on and self.registered_on > timezone.localdate():
            errors["registered_on"] = _("The date cannot be in the future.")
        if errors:
            raise ValidationError(errors)


class ShareLimit(models.Model):
    """The caps on the guidance fund's and all public money's shares of a sub-fund, and the required
    reinvestment ratio, for a sub-fund's focus, in force from a date (reference data, in basis points)."""

    effective_from = models.DateField(_("effective from"))
    focus = models.CharField(_("focus"), max_length=20, choices=FundFocus.choices)
    guidance_cap_bp = models.PositiveIntegerField(_("cap on the guidance fund's share (bp)"))
    public_cap_bp = models.PositiveIntegerField(_("cap on all public money's share (bp)"))
    required_reinvestment_bp = models.PositiveIntegerField(_("required reinvestment ratio (bp)"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["focus", "-effective_from"]
        verbose_name = _("share limit")
        verbose_name_plural = _("share limits")
        constraints = [models.UniqueConstraint(fields=["focus", "effective_from"], name="share_limit_once_a_day")]

    def __str__(self):
        return f"{self.get_focus_display()} {self.effective_from}"

    @classmethod
    def in_force(cls, focus: str, day: datetime.date):
        return in_force(cls, day, focus=focus)


class GuidanceCommitment(BaseModel):
    guidance_fund = models.ForeignKey(Fund, verbose_name=_("guidance fund"), on_delete=models.PROTECT,
                                      related_name="commitments_made", limit_choices_to={"kind": FundKind.GUIDANCE})
    sub_fund = models.ForeignKey(Fund, verbose_name=_("sub-fund"), on_delete=models.PROTECT,
                                 related_name="commitments_received")
    committed = money(pgettext_lazy("fund", "committed (yuan)"))
    paid_in = money(_("paid in (yuan)"), default=0)
    committed_on = models.DateField(_("date committed"))
    other_public = money(_("other public money in the sub-fund (yuan)"), default=0)

    class Meta:
        ordering = ["guidance_fund", "-committed_on"]
        verbose_name = _("guidance fund commitment")
        verbose_name_plural = _("guidance fund commitments")
        constraints = [
            models.UniqueConstraint(fields=["guidance_fund", "sub_fund"], name="commitment_once_per_sub_fund"),
            models.CheckConstraint(condition=Q(paid_in__lte=models.F("committed")), name="commitment_paid_in_le"),
            models.CheckConstraint(condition=~Q(guidance_fund=models.F("sub_fund")), name="commitment_not_to_self"),
        ]

    def __str__(self):
        if not (self.guidance_fund_id and self.sub_fund_id):
            return ""
        return f"{self.guidance_fund} → {self.sub_fund}"

    def get_absolute_url(self):
        return reverse("finance:guidancecommitment_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.guidance_fund_id and self.guidance_fund.kind != FundKind.GUIDANCE:
            errors["guidance_fund"] = _("Choose a government guidance fund.")
        if self.guidance_fund_id and self.guidance_fund_id == self.sub_fund_id:
            errors["sub_fund"] = _("A fund does not commit to itself.")
        if self.sub_fund_id and not self.sub_fund.focus:
            errors["sub_fund"] = _("Give the sub-fund its focus first: it sets the cap on the guidance fund's share.")
        if self.paid_in is not None and self.committed is not None and self.paid_in > self.committed:
            errors["paid_in"] = _("Paid in cannot be more than committed.")
        if errors:
            raise ValidationError(errors)


class FundInvestment(BaseModel):
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="investments")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("investee"), on_delete=models.PROTECT,
                                   related_name="fund_investments")
    round = models.CharField(_("round"), max_length=20, choices=InvestmentRound.choices)
    amount = money(_("amount (yuan)"))
    invested_on = models.DateField(_("date invested"))

    class Meta:
        ordering = ["-invested_on", "fund"]
        verbose_name = _("sub-fund investment")
        verbose_name_plural = _("sub-fund investments")
        indexes = [models.Index(fields=["fund", "invested_on"])]

    def __str__(self):
        if not (self.fund_id and self.enterprise_id):
            return ""
        return f"{self.fund} → {self.enterprise}"

    def get_absolute_url(self):
        return reverse("finance:fundinvestment_detail", args=[self.pk])

    def clean(self):
        if self.invested_on and self.invested_on > timezone.localdate():
            raise ValidationError({"invested_on": _("The date cannot be in the future.")})


def _check_state(check) -> str:
    return CheckState.CLOSED if check.closed else CheckState.OPEN


class SupervisionCheck(BaseModel):
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="checks")
    checked_on = models.DateField(_("date checked"))
    kind = models.CharField(_("kind"), max_length=20, choices=CheckKind.choices, default=CheckKind.PERIODIC)
    findings = models.TextField(_("findings"), blank=True)
    outcome = models.CharField(pgettext_lazy("check", "outcome"), max_length=20, choices=CheckOutcome.choices,
                               default=CheckOutcome.NO_ISSUES)
    follow_up = models.TextField(pgettext_lazy("check", "follow-up"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    closed = models.BooleanField(_("closed"), default=False)
    closing_note = models.CharField(_("closing note"), max_length=300, blank=True)

    # Open until an officer closes it (the close action), with a note.
    state = DerivedState(CheckState, read=_check_state,
                         stored=lambda state: {"closed": state == CheckState.CLOSED})

    class Meta:
        ordering = ["-checked_on", "fund"]
        verbose_name = _("supervision check")
        verbose_name_plural = _("supervision checks")

    def __str__(self):
        if not self.fund_id or not self.checked_on:
            return ""
        return f"{self.fund} · {self.checked_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("finance:supervisioncheck_detail", args=[self.pk])

    def overdue(self, today: datetime.date | None = None) -> bool:
        """Open, with a follow-up whose due date has passed."""
        today = today or timezone.localdate()
        return bool(not self.closed and self.follow_up_due and self.follow_up_due < today)

    def clean(self):
        errors = {}
        if self.follow_up_due and self.checked_on and self.follow_up_due < self.checked_on:
            errors["follow_up_due"] = _("Must not be before the date checked.")
        if self.follow_up_due and not (self.follow_up or "").strip():
            errors["follow_up"] = _("Say what is to be followed up by the due date.")
        if errors:
            raise ValidationError(errors)


class FundService(BaseModel):
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="services")
    served_on = models.DateField(_("date served"))
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    description = models.TextField(pgettext_lazy("service", "description"))

    class Meta:
        ordering = ["-served_on", "fund"]
        verbose_name = _("fund service")
        verbose_name_plural = _("fund services")

    def __str__(self):
        if not self.fund_id or not self.served_on:
            return ""
        return f"{self.fund} · {self.get_kind_display()} · {self.served_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("finance:fundservice_detail", args=[self.pk])


# ----- cohorts: accelerator and incubator programmes, their intakes, members and the resources given -------------
class Programme(SearchableModel):
    """An accelerator or incubator programme (加速/孵化项目), run by an operator, taking enterprises in intakes."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    operator_name = models.CharField(_("operating organisation"), max_length=200, blank=True)
    park = models.ForeignKey("spaces.Park", verbose_name=_("park"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="programmes")
    started_on = models.DateField(_("date started"), null=True, blank=True)
    description = models.TextField(pgettext_lazy("programme", "description"), blank=True)

    search_fields = ("name", "code", "operator_name")

    class Meta:
        ordering = ["code"]
        verbose_name = _("accelerator or incubator programme")
        verbose_name_plural = _("accelerator and incubator programmes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("finance:programme_detail", args=[self.pk])

    @property
    def kind_color(self):
        return ProgrammeKind.color(self.kind)


class Intake(BaseModel):
    """One intake (批次/期) of a programme: the enterprises that joined it together."""

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="intakes")
    name = models.CharField(pgettext_lazy("intake", "name"), max_length=100,
                            help_text=_("As the programme calls it, e.g. 第三期."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["programme", "-starts_on"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="intake_name_once_per_programme"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="intake_ends_after_start"),
        ]

    def __str__(self):
        if not self.programme_id:
            return self.name
        return f"{self.programme} · {self.name}"

    def get_absolute_url(self):
        return reverse("finance:intake_detail", args=[self.pk])

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Must not be before the day the intake starts.")})


class Member(BaseModel):
    """An enterprise in an intake (入营企业). It graduates or leaves by its actions; whether it was invested in or
    recognised as high-tech after joining is read from the records (``finance.selectors.member_outcomes``)."""

    intake = models.ForeignKey(Intake, verbose_name=_("intake"), on_delete=models.PROTECT, related_name="members")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="cohort_memberships")
    joined_on = models.DateField(pgettext_lazy("cohort member", "date joined"))
    status = models.CharField(_("status"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    outcome_on = models.DateField(_("date graduated or left"), null=True, blank=True)
    reason = models.CharField(pgettext_lazy("cohort member", "reason for leaving"), max_length=200, blank=True)
    note = models.TextField(_("notes"), blank=True)

    role_actions = {Role.ENTERPRISE: "v"}
    scope_paths = {Role.ENTERPRISE: "enterprise__users"}

    class Meta:
        ordering = ["intake", "enterprise"]
        verbose_name = _("programme member")
        verbose_name_plural = _("programme members")
        constraints = [
            models.UniqueConstraint(fields=["intake", "enterprise"], name="member_once_per_intake"),
            models.CheckConstraint(condition=Q(outcome_on__isnull=True) | ~Q(status=MemberStatus.ACTIVE),
                                   name="member_outcome_date_only_when_out"),
        ]

    def __str__(self):
        if not (self.intake_id and self.enterprise_id):
            return ""
        return f"{self.enterprise} · {self.intake}"

    def get_absolute_url(self):
        return reverse("finance:member_detail", args=[self.pk])

    @property
    def status_color(self):
        return MemberStatus.color(self.status)

    def clean(self):
        errors = {}
        intake = self.intake if self.intake_id else None
        if intake is not None and self.joined_on and intake.ends_on and not (
                intake.starts_on <= self.joined_on <= intake.ends_on):
            errors["joined_on"] = _("%(intake)s runs from %(start)s to %(end)s: the day joined must fall within it.") % {
                "intake": intake, "start": intake.starts_on, "end": intake.ends_on}
        if self.status != MemberStatus.ACTIVE and not self.outcome_on:
            errors["outcome_on"] = _("Give the day it graduated or left.")
        if self.status == MemberStatus.ACTIVE and self.outcome_on:
            errors["outcome_on"] = _("Only a member that graduated or left has this date.")
        if self.outcome_on and self.joined_on and self.outcome_on < self.joined_on:
            # The day joined is the form's; the outcome's day is set by the actions, which check it themselves.
            errors.setdefault("joined_on", _("Must not be after the day it graduated or left."))
        if errors:
            raise ValidationError(errors)


class Resource(BaseModel):
    """A resource the programme gave a member (资源投入): funding, space, training, mentoring or policy help."""

    member = models.ForeignKey(Member, verbose_name=_("programme member"), on_delete=models.PROTECT,
                               related_name="resources")
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    given_on = models.DateField(_("date given"))
    amount = money(_("amount (yuan)"), null=True, blank=True)
    area = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(0)])
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(0)])
    description = models.TextField(pgettext_lazy("resource", "description"), blank=True)

    role_actions = {Role.ENTERPRISE: "v"}
    scope_paths = {Role.ENTERPRISE: "member__enterprise__users"}

    class Meta:
        ordering = ["-given_on", "member"]
        verbose_name = _("resource given")
        verbose_name_plural = _("resources given")

    def __str__(self):
        if not self.member_id or not self.given_on:
            return ""
        return f"{self.member.enterprise} · {self.get_kind_display()} · {self.given_on:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("finance:resource_detail", args=[self.pk])

    def clean(self):
        if self.kind == ResourceKind.FUNDING and self.amount is None:
            raise ValidationError({"amount": _("Funding needs its amount in yuan.")})
