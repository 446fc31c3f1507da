import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access.personal import mask_mobile, mask_name
from core.models import UNRESTRICTED_ROLES, BaseModel, ScopedQuerySet, SearchableModel, in_force, scope_ids
from core.reference.choices import Role
from core.reference.validators import check_credit_code, normalise_credit_code
from core.runtime.context import memo

from .choices import IndustryLevel, QualificationKind, SpecialisedLevel


class IndustryCategory(models.Model):
    """GB/T 4754-2017: 20 sections, 97 divisions, 473 groups, 1,380 classes (reference data)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    section = models.CharField(_("section"), max_length=1)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("industry category")
        verbose_name_plural = _("industry categories")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def division_code(self):
        return self.code[:2] if self.level in (IndustryLevel.GROUP, IndustryLevel.CLASS) else self.code


class EnterpriseQuerySet(ScopedQuerySet):
    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role in UNRESTRICTED_ROLES:
            return self
        if user.role == Role.PARK_OPERATOR:
            return self._of_operator(user)
        if user.role == Role.ENTERPRISE:
            return self.filter(pk__in=Enterprise.objects.filter(users=user).values("pk"))
        return self.none()

    def _of_operator(self, user):
        """An operator's tenants (an enterprise with any lease in its parks) and the enterprises it registered.

        The query's shape follows the operator's size, as PostgreSQL plans each shape well for one size only
        (ADR 0008): a small operator's few tenants are collected and joined (a UNION); a large operator's
        are tested enterprise by enterprise in the list's order (EXISTS), which PostgreSQL answers from a
        hash of the tenants or, when they do not fit in work_mem, from the lease index by enterprise.
        """
        from django.apps import apps

        from core.surfaces import counting
        from spaces.models import Operator, Park

        Lease = apps.get_model("leasing", "Lease")  # leasing builds on enterprises
        parks = scope_ids(Park, "operator__users", user)
        operators = scope_ids(Operator, "users", user)
        leases = Lease.objects.filter(park_id__in=parks)
        if memo(("operator-leases", user.pk), lambda: counting.count(leases)) >= LARGE_OPERATOR_LEASES:
            tenant = Exists(Lease.objects.filter(enterprise_id=OuterRef("pk"), park_id__in=parks))
            return self.filter(tenant | Q(registered_by_id__in=operators))
        registered = Enterprise.objects.filter(registered_by_id__in=operators).order_by().values("pk")
        return self.filter(pk__in=leases.order_by().values("enterprise_id").union(registered, all=True))


# From this many leases in its parks an operator's tenants are probed for, not collected (see _of_operator).
LARGE_OPERATOR_LEASES = 10_000


def credit_code_clash(code: str, *, exclude_pk=None, user=None) -> str | None:
    """What to tell ``user`` when another enterprise already has the credit code (None when none has): the
    other enterprise is named only when the user may see it. The edit form asks before saving; the services
    ask after the database refused a code that another writer stored at the same moment."""
    clash = Enterprise.objects.filter(credit_code=code).exclude(pk=exclude_pk).first()
    if clash is None:
        return None
    if user is not None and not Enterprise.objects.for_user(user).filter(pk=clash.pk).exists():
        return str(_("This credit code is already registered; ask the bureau to link it for you."))
    return str(_("Another enterprise already has this credit code: %(name)s")) % {"name": clash.name}


class Enterprise(SearchableModel):
    name = models.CharField(_("name"), max_length=150)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    credit_code_exception = models.BooleanField(
        _("credit code fails the check (confirmed)"), default=False,
        help_text=_("Ticked when an officer confirmed storing a code that fails the check, as found in a registry."),
    )
    industry = models.ForeignKey(
        IndustryCategory, verbose_name=_("industry (GB/T 4754-2017)"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="enterprises", limit_choices_to={"level": IndustryLevel.CLASS},
    )
    established_on = models.DateField(_("date established"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    address = models.CharField(_("registered address"), max_length=200, blank=True)
    # Its registration in the district (落户, the day it moved in: its establishment when it was founded here) and
    # its moving out (迁出): policies read both (registered after a date; stay in the district N years).
    moved_in_on = models.DateField(_("registered in the district on"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved out of the district on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    registered_by = models.ForeignKey(
        "spaces.Operator", verbose_name=_("registered by operator"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="registered_enterprises",
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users"), blank=True, related_name="enterprises"
    )

    objects = EnterpriseQuerySet.as_manager()
    role_actions = {Role.PARK_OPERATOR: "vac", Role.ENTERPRISE: "v"}
    # Only enterprise accounts are linked here (core.services.users_link_check, core.accounts.views.user_save).
    user_links = {"users": Role.ENTERPRISE}
    # Only the administrator links accounts; only the bureau stores a code that fails the check, or says which
    # operator registered a tenant (an operator's own registrations are set by enterprises.services).
    field_roles = {"users": (Role.BUREAU_ADMIN,),
                   "credit_code_exception": (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER),
                   "registered_by": (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)}
    search_fields = ("name", "credit_code")

    class Meta:
        ordering = ["name"]
        # The list's default order and its sortable columns, each with the id tie-break (core.surfaces.views).
        indexes = [models.Index(fields=["name", "id"], name="enterprise_name_id"),
                   models.Index(fields=["registered_capital", "id"], name="enterprise_capital_id"),
                   models.Index(fields=["established_on", "id"], name="enterprise_established_id")]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("enterprises:enterprise_detail", args=[self.pk])

    def clash_errors(self, user) -> dict | None:
        """Used by core.services when the database refused the row (see credit_code_clash)."""
        message = credit_code_clash(self.credit_code, exclude_pk=self.pk, user=user)
        return {"credit_code": [message]} if message else None

    def clean(self):
        self.credit_code = normalise_credit_code(self.credit_code)
        if not self.credit_code:
            return  # the field's own "required" message says it
        result = check_credit_code(self.credit_code)
        if not result.ok and not self.credit_code_exception and self.pk:
            # A code stored with an officer's confirmation stays confirmed while it is unchanged.
            stored = Enterprise.objects.filter(pk=self.pk).values("credit_code", "credit_code_exception").first()
            self.credit_code_exception = bool(stored and stored["credit_code"] == self.credit_code
                                              and stored["credit_code_exception"])
        if not result.ok and not self.credit_code_exception:
            raise ValidationError({"credit_code": result.message})
        if result.ok:
            self.credit_code_exception = False
        if self.industry_id and self.industry.level != IndustryLevel.CLASS:
            raise ValidationError({"industry": _("Choose a class (4-digit code) of GB/T 4754-2017.")})
        if self.moved_in_on and self.moved_out_on and self.moved_out_on < self.moved_in_on:
            raise ValidationError({"moved_out_on": _(
                "The date it moved out of the district cannot be before the date it registered in the district.")})


class QualificationRule(models.Model):
    """How long a qualification is valid, as in force from a date (data, not code)."""

    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    effective_from = models.DateField(_("effective from"))
    validity_years = models.PositiveSmallIntegerField(_("validity (years)"))
    source = models.CharField(_("source document"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "-effective_from"]
        verbose_name = _("qualification rule")
        verbose_name_plural = _("qualification rules")
        constraints = [models.UniqueConstraint(fields=["kind", "effective_from"], name="qualification_rule_unique")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.effective_from}"

    @classmethod
    def in_force(cls, kind: str, on: datetime.date):
        return in_force(cls, on, kind=kind)


class Qualification(BaseModel):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="qualifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=SpecialisedLevel.choices, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    issued_on = models.DateField(_("date issued"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    role_actions = {Role.PARK_OPERATOR: "v", Role.ENTERPRISE: "v"}
    scope_via = "enterprise"

    class Meta:
        ordering = ["enterprise", "-issued_on"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("issued_on")),
                name="qualification_valid_after_issue",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.certificate_number}".strip()

    def get_absolute_url(self):
        return reverse("enterprises:qualification_detail", args=[self.pk])

    def clean(self):
        if self.kind == QualificationKind.SPECIALISED and not self.level:
            raise ValidationError({"level": _("Choose the 专精特新 level.")})
        if self.kind == QualificationKind.HIGH_TECH and self.level:
            raise ValidationError({"level": _("A high-tech enterprise certificate has no level.")})
        if self.issued_on and self.valid_until and self.valid_until <= self.issued_on:
            raise ValidationError({"valid_until": _("Must be after the date issued.")})

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.issued_on <= day and (self.valid_until is None or day <= self.valid_until)


class FinancialYear(BaseModel):
    """An enterprise's figures for one year (revenue, R&D spending, tax paid), in yuan, as reported or confirmed."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="financial_years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    revenue = models.DecimalField(_("revenue (yuan)"), max_digits=16, decimal_places=2)
    rd_expense = models.DecimalField(_("R&D spending (yuan)"), max_digits=16, decimal_places=2, null=True,
                                     blank=True)
    tax_paid = models.DecimalField(_("tax paid (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    role_actions = {Role.PARK_OPERATOR: "v", Role.ENTERPRISE: "vac"}
    scope_via = "enterprise"

    class Meta:
        ordering = ["enterprise", "-year"]
        verbose_name = _("financial year")
        verbose_name_plural = _("financial years")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="financial_year_once"),
            models.CheckConstraint(condition=Q(revenue__gte=0), name="financial_year_revenue_not_negative"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.year}"

    def get_absolute_url(self):
        return reverse("enterprises:financialyear_detail", args=[self.pk])

    def clean(self):
        # Figures are reported for a finished year: none before the statistics began, none for years to come.
        if self.year is not None and not 1980 <= self.year <= datetime.date.today().year:
            raise ValidationError({"year": _("Give a year between 1980 and this year.")})
        for name in ("revenue", "rd_expense", "tax_paid"):
            if getattr(self, name) is not None and getattr(self, name) < 0:
                raise ValidationError({name: _("This amount cannot be negative.")})


class Contact(BaseModel):
    """A person to call at an enterprise. Personal data: masked unless revealed (and audited)."""

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("name"), max_length=40)
    title = models.CharField(_("title"), max_length=40, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)

    role_actions = {Role.PARK_OPERATOR: "vac", Role.ENTERPRISE: "v"}
    scope_via = "enterprise"
    personal_fields = ("name", "mobile")

    class Meta:
        ordering = ["enterprise", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self):
        return mask_name(self.name)

    def get_absolute_url(self):
        return reverse("enterprises:contact_detail", args=[self.pk])

    @property
    def masked_name(self):
        return mask_name(self.name)

    @property
    def masked_mobile(self):
        return mask_mobile(self.mobile)

    def clean(self):
        if self.mobile:
            digits = "".join(c for c in self.mobile if c.isdigit())
            if not (len(digits) == 11 and digits.startswith("1")):
                raise ValidationError({"mobile": _("A mobile number has 11 digits and starts with 1.")})
            self.mobile = digits
