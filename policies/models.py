"""Policy support: policies kept as versioned rules, the decisions they give, screenings that propose support
before anyone applies, applications, awards paid in tranches against budgets that cannot be over-spent, and
clawback when an award's obligations break.

Money here is held in integer fen (BigIntegerField), the rule language's unit (core.rules): pages and exports show
it in yuan. A published version never changes; a decision keeps the version, its hash, the facts it read and its
trace, so that it can be shown exactly as it was made."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from certification.choices import VersionStatus
from core.models import ALL, UNRESTRICTED_ROLES, BaseModel, ScopedQuerySet, SearchableModel
from core.reference.choices import Role

from .choices import (
    APPLICATION_OPEN_STATUSES,
    AWARD_HOLDING_STATUSES,
    AllocationStatus,
    ApplicationStatus,
    AwardStatus,
    ClawbackStatus,
    DecisionPurpose,
    LedgerKind,
    ObligationKind,
    OfferStatus,
    PolicyCategory,
    RunStatus,
    TrancheStatus,
)


def _money(verbose_name, **kwargs):
    """An amount in fen (the verbose name says 元: forms and pages show yuan)."""
    return models.BigIntegerField(verbose_name, **kwargs)


def _holding(prefix=""):
    return Q(**{f"{prefix}status__in": [str(status) for status in AWARD_HOLDING_STATUSES]})


class Policy(SearchableModel):
    """A support policy: its document, period, budget (Budget, by year) and versions of its rules."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=20, choices=PolicyCategory.choices)
    document_number = models.CharField(_("document number"), max_length=80, blank=True)
    issuer = models.CharField(_("issuing office"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Policies that share a group exclude one another: an enterprise holds an award of one of them a year.
    exclusivity_group = models.CharField(_("exclusivity group"), max_length=40, blank=True)
    # Screened for every enterprise and offered before anyone applies (免申即享).
    proactive = models.BooleanField(_("offered proactively"), default=True)

    role_actions = {Role.PARK_OPERATOR: "v", Role.ENTERPRISE: "v"}
    scope_paths = {Role.PARK_OPERATOR: ALL, Role.ENTERPRISE: ALL}

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["category", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                                   name="policy_valid_until_after_from"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("policies:policy_detail", args=[self.pk])

    def version_on(self, day):
        """The published version in force on ``day``: the latest to take effect on or before it."""
        return (self.versions.filter(status__in=(VersionStatus.PUBLISHED, VersionStatus.RETIRED),
                                     effective_from__lte=day)
                .order_by("-effective_from", "-number").first())


class PolicyVersionQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """Operators and enterprises read the rules in force and those that were: never a draft."""
        scoped = super().for_user(user)
        if getattr(user, "role", None) not in UNRESTRICTED_ROLES:
            scoped = scoped.exclude(status=VersionStatus.DRAFT)
        return scoped


class PolicyVersion(BaseModel):
    """One version of a policy's rules. ``conditions`` is a condition tree and ``amount`` an amount tree of
    core.rules over policies.facts.CATALOGUE; ``parameters`` named values with dated changes; ``annual_cap`` and
    ``cumulative_cap`` name parameters applied once to a year's amount; ``obligations`` what an award binds the
    enterprise to, and what is recovered when it breaks. Publishing needs saved cases that pass and a dry run of
    this very content (``dry_run`` holds its result and the hash it ran on)."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    effective_from = models.DateField(_("effective from"))
    source_document = models.CharField(_("source document"), max_length=200, blank=True)
    conditions = models.JSONField(_("eligibility conditions"), default=dict, blank=True)
    amount = models.JSONField(_("amount formula"), default=dict, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    annual_cap = models.CharField(_("annual cap (parameter)"), max_length=60, blank=True)
    cumulative_cap = models.CharField(_("cumulative cap (parameter)"), max_length=60, blank=True)
    max_years = models.PositiveSmallIntegerField(_("maximum years of support"), null=True, blank=True)
    obligations = models.JSONField(_("obligations"), default=list, blank=True)
    notes = models.TextField(_("notes and assumptions"), blank=True)
    dry_run = models.JSONField(_("dry run"), default=dict, blank=True, editable=False)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.CharField(_("published by"), max_length=150, blank=True, editable=False)

    role_actions = {Role.PARK_OPERATOR: "v", Role.ENTERPRISE: "v"}
    scope_via = "policy"
    audit_exclude = (*BaseModel.audit_exclude, "dry_run")

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="policy_version_unique_number"),
            models.UniqueConstraint(fields=["policy"], condition=Q(status="draft"), name="policy_one_draft"),
            models.UniqueConstraint(fields=["policy", "effective_from"], condition=Q(status="published"),
                                    name="policy_one_published_per_date"),
        ]

    def __str__(self):
        return _("%(policy)s, version %(number)s") % {"policy": self.policy, "number": self.number}

    def get_absolute_url(self):
        return reverse("policies:policyversion_detail", args=[self.pk])

    def refusal(self, verb):
        if verb in ("change", "delete") and self.status != VersionStatus.DRAFT:
            return _("A published version cannot be changed; create a new version instead.")
        return None


class PolicyTestCase(BaseModel):
    """A saved case of a version: facts, a period and the decision expected of them. A version is published only
    when all its cases give what they expect."""

    version = models.ForeignKey(PolicyVersion, verbose_name=_("policy version"), on_delete=models.CASCADE,
                                related_name="test_cases")
    name = models.CharField(_("name"), max_length=120)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    expected_eligible = models.BooleanField(_("expected eligible"))
    expected_amount = _money(_("expected amount (yuan)"), null=True, blank=True)
    last_result = models.JSONField(_("last result"), default=dict, blank=True, editable=False)

    # The evidence of publishing: the bureau's (restricted roles have no scope path and see none).
    audit_exclude = (*BaseModel.audit_exclude, "last_result")

    class Meta:
        verbose_name = _("policy test case")
        verbose_name_plural = _("policy test cases")
        ordering = ["version", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="policy_case_period_order"),
        ]

    def __str__(self):
        return self.name

    def refusal(self, verb):
        if verb in ("change", "delete") and self.version_id and self.version.status != VersionStatus.DRAFT:
            return _("The cases of a published version cannot be changed.")
        return None


class Budget(BaseModel):
    """A policy's budget for a year. ``committed`` is reserved by approved awards and ``paid`` settled by paid
    tranches; the database refuses any row where paid > committed > total, and the services move them only by
    conditional updates (policies.services)."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    total = _money(_("budget (yuan)"))
    committed = _money(_("committed (yuan)"), default=0, editable=False)
    paid = _money(_("paid (yuan)"), default=0, editable=False)

    # The bureau's books: restricted roles have no scope path and see none (the policy page shows them nothing).

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["policy", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "year"], name="budget_one_per_policy_year"),
            models.CheckConstraint(condition=Q(committed__gte=0) & Q(committed__lte=F("total")),
                                   name="budget_committed_within_total"),
            models.CheckConstraint(condition=Q(paid__gte=0) & Q(paid__lte=F("committed")),
                                   name="budget_paid_within_committed"),
        ]

    def __str__(self):
        return f"{self.policy} · {self.year}"

    def get_absolute_url(self):
        return reverse("policies:budget_detail", args=[self.pk])

    @property
    def available(self):
        return self.total - self.committed


class Decision(BaseModel):
    """What a policy version decided for an enterprise over a period, on a day: kept as it was made (the version
    and its hash, the facts read, the trace of every condition and of the amount). Never changed."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="decisions")
    version = models.ForeignKey(PolicyVersion, verbose_name=_("policy version"), on_delete=models.PROTECT,
                                related_name="decisions")
    content_hash = models.CharField(_("content hash"), max_length=64)
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="policy_decisions")
    decided_on = models.DateField(_("decided as of"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    eligible = models.BooleanField(_("eligible"))
    amount = _money(_("amount (yuan)"), null=True, blank=True)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    trace = models.JSONField(_("trace"), default=dict, blank=True)
    purpose = models.CharField(_("purpose"), max_length=12, choices=DecisionPurpose.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    user_name = models.CharField(_("user"), max_length=150, blank=True)

    role_actions = {Role.ENTERPRISE: "v"}
    scope_paths = {Role.ENTERPRISE: "enterprise__users"}
    audit_exclude = (*BaseModel.audit_exclude, "facts", "trace")

    class Meta:
        verbose_name = _("policy decision")
        verbose_name_plural = _("policy decisions")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["enterprise", "policy", "period_start"], name="decision_enterprise_policy")]

    def __str__(self):
        return f"{self.policy} · {self.enterprise} · {self.period_start:%Y}"

    def get_absolute_url(self):
        return reverse("policies:decision_detail", args=[self.pk])

    def refusal(self, verb):
        if verb in ("change", "delete"):
            return _("A decision is kept as it was made.")
        return None


class ScreeningRun(BaseModel):
    """One screening of every enterprise against the open policies, for a period, as of a day (免申即享). It only
    proposes (Offer): it never commits money."""

    decided_on = models.DateField(_("as of"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    versions = models.JSONField(_("policy versions"), default=list, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING,
                              editable=False)
    enterprises = models.PositiveIntegerField(_("enterprises screened"), default=0, editable=False)
    eligible = models.PositiveIntegerField(_("eligible"), default=0, editable=False)
    offers = models.PositiveIntegerField(_("offers made"), default=0, editable=False)
    total_amount = _money(_("total amount (yuan)"), default=0, editable=False)
    sample_checked = models.PositiveIntegerField(_("sample re-checked"), default=0, editable=False)
    mismatches = models.PositiveIntegerField(_("mismatches"), default=0, editable=False)
    seconds = models.FloatField(_("seconds"), default=0, editable=False)
    summary = models.JSONField(_("summary"), default=dict, blank=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+", editable=False)

    # The bureau's work: operators and enterprises see none of it (no scope path), only their own offers.

    class Meta:
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")
        ordering = ["-created", "-id"]

    def __str__(self):
        return _("Screening of %(start)s–%(end)s") % {"start": self.period_start, "end": self.period_end}

    def get_absolute_url(self):
        return reverse("policies:screeningrun_detail", args=[self.pk])


class Offer(BaseModel):
    """A screening's proposal to an enterprise that has not applied: the policy, period and likely amount. The
    enterprise confirms it in one step (an application) or declines it."""

    run = models.ForeignKey(ScreeningRun, verbose_name=_("screening run"), on_delete=models.PROTECT,
                            related_name="offer_rows")
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="offers")
    version = models.ForeignKey(PolicyVersion, verbose_name=_("policy version"), on_delete=models.PROTECT,
                                related_name="offers")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="policy_offers")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    amount = _money(_("likely amount (yuan)"))
    # Bits of the condition leaves that did not pass are always 0 for an offer; the reasons are the decision's.
    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+", editable=False)
    status = models.CharField(_("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.PROPOSED)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)

    role_actions = {Role.ENTERPRISE: "v"}
    scope_paths = {Role.ENTERPRISE: "enterprise__users"}

    class Meta:
        verbose_name = _("proactive offer")
        verbose_name_plural = _("proactive offers")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise", "period_start"], condition=Q(status="proposed"),
                                    name="offer_one_open_per_policy_period"),
        ]

    def __str__(self):
        return f"{self.policy} · {self.enterprise}"

    def get_absolute_url(self):
        return reverse("policies:offer_detail", args=[self.pk])


class Application(BaseModel):
    """An enterprise's application for a policy over a period (normally a calendar year): 初审 → 复审 → 审批."""

    number = models.CharField(_("application number"), max_length=24, unique=True, editable=False)
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="applications")
    version = models.ForeignKey(PolicyVersion, verbose_name=_("policy version"), on_delete=models.PROTECT, null=True,
                                blank=True, editable=False, related_name="applications")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="policy_applications")
    lease = models.ForeignKey("leasing.Lease", verbose_name=_("lease"), on_delete=models.PROTECT, null=True,
                              blank=True, related_name="policy_applications")
    year = models.PositiveSmallIntegerField(_("year supported"))
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=14, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT)
    offer = models.OneToOneField(Offer, verbose_name=_("proactive offer"), on_delete=models.PROTECT, null=True,
                                 blank=True, editable=False, related_name="application")
    statement = models.TextField(_("statement"), blank=True)
    # The decision on submission (what the applicant was told), and the one at approval (what is paid).
    decision = models.ForeignKey(Decision, verbose_name=_("decision on submission"), on_delete=models.PROTECT,
                                 null=True, blank=True, editable=False, related_name="+")
    approved_decision = models.ForeignKey(Decision, verbose_name=_("decision at approval"),
                                          on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                          related_name="+")
    approved_amount = _money(_("approved amount (yuan)"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    first_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("first review by"), null=True,
                                          blank=True, on_delete=models.SET_NULL, editable=False, related_name="+")
    second_reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("second review by"), null=True,
                                           blank=True, on_delete=models.SET_NULL, editable=False, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, editable=False, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    review_comment = models.TextField(_("review comments"), blank=True, editable=False)
    payout_due = models.DateField(_("payout due"), null=True, blank=True, editable=False)

    role_actions = {Role.ENTERPRISE: "vac"}
    scope_paths = {Role.ENTERPRISE: "enterprise__users"}

    class Meta:
        verbose_name = _("support application")
        verbose_name_plural = _("support applications")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")),
                                   name="policy_application_period_order"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(decided_by__isnull=False)
                                   & Q(approved_amount__isnull=False),
                                   name="policy_application_approved_has_decider_and_amount"),
        ]
        indexes = [models.Index(fields=["policy", "enterprise", "year"], name="policy_application_lookup")]

    def __str__(self):
        return f"{self.number} {self.policy}"

    def get_absolute_url(self):
        return reverse("policies:application_detail", args=[self.pk])

    def refusal(self, verb):
        """Only a draft or a returned application changes, with its documents: a submitted one keeps what it was
        sent with."""
        if verb in ("change", "delete", "attach") and self.status not in APPLICATION_OPEN_STATUSES:
            return _("Only a draft or a returned application can be changed.")
        return None

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class Award(BaseModel):
    """What an approved application grants: the amount for its year, paid in tranches. While it holds (active or
    completed) it counts against the budget, the caps and its exclusivity group, which the database enforces."""

    application = models.OneToOneField(Application, verbose_name=_("application"), on_delete=models.PROTECT,
                                       related_name="award")
    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="awards")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="policy_awards")
    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="awards")
    year = models.PositiveSmallIntegerField(_("year supported"))
    amount = _money(_("amount awarded (yuan)"))
    paid = _money(_("paid (yuan)"), default=0, editable=False)
    recovered = _money(_("recovered (yuan)"), default=0, editable=False)
    exclusivity_group = models.CharField(_("exclusivity group"), max_length=40, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=AwardStatus.choices, default=AwardStatus.ACTIVE)
    # The obligations of the version it was decided under, copied when awarded (what the enterprise agreed to).
    obligations = models.JSONField(_("obligations"), default=list, blank=True, editable=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))

    role_actions = {Role.ENTERPRISE: "v"}
    scope_paths = {Role.ENTERPRISE: "enterprise__users"}

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise", "year"], condition=_holding(),
                                    name="award_once_per_policy_year"),
            models.UniqueConstraint(fields=["enterprise", "year", "exclusivity_group"],
                                    condition=_holding() & ~Q(exclusivity_group=""),
                                    name="award_once_per_exclusivity_group_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive"),
            models.CheckConstraint(condition=Q(paid__gte=0) & Q(paid__lte=F("amount")), name="award_paid_within_amount"),
            models.CheckConstraint(condition=Q(recovered__gte=0) & Q(recovered__lte=F("paid")),
                                   name="award_recovered_within_paid"),
        ]

    def __str__(self):
        return f"{self.policy} · {self.enterprise} · {self.year}"

    def get_absolute_url(self):
        return reverse("policies:award_detail", args=[self.pk])


class Allowance(BaseModel):
    """An enterprise's room under a policy's cap: for one year (``year`` set: the annual cap) or over all years
    (``year`` empty: the cumulative cap). ``committed`` grows only by a conditional update within ``cap``."""

    policy = models.ForeignKey(Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="allowances")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="policy_allowances")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    cap = _money(_("cap (yuan)"))
    committed = _money(_("committed (yuan)"), default=0)

    role_actions = {Role.ENTERPRISE: "v"}
    scope_paths = {Role.ENTERPRISE: "enterprise__users"}

    class Meta:
        verbose_name = _("allowance")
        verbose_name_plural = _("allowances")
        ordering = ["policy", "enterprise", "year"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise", "year"], name="allowance_one_per_year"),
            models.UniqueConstraint(fields=["policy", "enterprise"], condition=Q(year__isnull=True),
                                    name="allowance_one_cumulative"),
            models.CheckConstraint(condition=Q(committed__gte=0) & Q(committed__lte=F("cap")),
                                   name="allowance_committed_within_cap"),
        ]

    def __str__(self):
        return f"{self.policy} · {self.enterprise} · {self.year or '—'}"


class Tranche(BaseModel):
    """One payment of an award."""

    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tranche"))
    amount = _money(_("amount (yuan)"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    reference = models.CharField(_("payment reference"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TrancheStatus.choices,
                              default=TrancheStatus.SCHEDULED)

    scope_via = "award"

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["award", "number"]
        constraints = [
            models.UniqueConstraint(fields=["award", "number"], name="tranche_unique_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(paid_on__isnull=False), name="tranche_paid_has_date"),
        ]

    def __str__(self):
        return f"{self.award} · {self.number}"


class LedgerEntry(BaseModel):
    """One movement of money against a budget: reserved at approval, released, paid out, recovered. Only added."""

    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="entries")
    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.PROTECT, null=True, blank=True,
                              related_name="entries")
    tranche = models.ForeignKey(Tranche, verbose_name=_("tranche"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="entries")
    clawback = models.ForeignKey("ClawbackCase", verbose_name=_("clawback case"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=LedgerKind.choices)
    amount = _money(_("amount (yuan)"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+")
    user_name = models.CharField(_("user"), max_length=150, blank=True)

    # The bureau's books: restricted roles see none of it (an enterprise sees its award's paid and recovered).

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["budget", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    def refusal(self, verb):
        if verb in ("change", "delete"):
            return _("Ledger entries are only added.")
        return None


class ClawbackCase(BaseModel):
    """An award's obligation broken: what happened, when, and the amount to recover. Officers confirm it, waive
    it with a reason, or record the repayment."""

    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="clawbacks")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="clawbacks", editable=False)
    obligation = models.CharField(_("obligation"), max_length=20, choices=ObligationKind.choices)
    breached_on = models.DateField(_("breached on"))
    detail = models.CharField(_("what happened"), max_length=300)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True, editable=False)
    amount_due = _money(_("amount to recover (yuan)"))
    repaid = _money(_("repaid (yuan)"), default=0, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ClawbackStatus.choices,
                              default=ClawbackStatus.RAISED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, editable=False, related_name="+")

    role_actions = {Role.ENTERPRISE: "v"}
    scope_paths = {Role.ENTERPRISE: "enterprise__users"}

    class Meta:
        verbose_name = _("clawback case")
        verbose_name_plural = _("clawback cases")
        ordering = ["-breached_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["award", "obligation"], condition=~Q(status="waived"),
                                    name="clawback_once_per_award_obligation"),
            models.CheckConstraint(condition=Q(amount_due__gte=0), name="clawback_amount_not_negative"),
            models.CheckConstraint(condition=Q(repaid__gte=0) & Q(repaid__lte=F("amount_due")),
                                   name="clawback_repaid_within_due"),
            models.CheckConstraint(condition=~Q(status="waived") | ~Q(reason=""), name="clawback_waiver_has_reason"),
        ]

    def __str__(self):
        return f"{self.award} · {self.get_obligation_display()}"

    def get_absolute_url(self):
        return reverse("policies:clawbackcase_detail", args=[self.pk])

    def refusal(self, verb):
        """A raised case is corrected or deleted (raised in error); a decided one is the record."""
        if verb in ("change", "delete") and self.status != ClawbackStatus.RAISED:
            return _("Only a raised case can be changed or deleted; a confirmed, waived or repaid case is kept as "
                     "it was decided.")
        return None


# ----- government-owned space and the funds report -------------------------------------------------------------


class SpaceAllocation(BaseModel):
    """Government-owned industrial space (政府产业用房, 福府办规〔2020〕4号) allocated to an enterprise under an
    allocation policy: the policy's admission standard decided for the enterprise, the rent a share of the
    assessed market rent (the share is the policy version's parameter ``rent_share``), and once approved the
    lease, made through leasing's services so that a unit never carries two overlapping leases.

    Rents per m² are leasing's rates (yuan with 2 places, as the lease's ``monthly_rent`` they become); the share
    is in basis points, the rule language's unit."""

    policy = models.ForeignKey(Policy, verbose_name=_("allocation policy"), on_delete=models.PROTECT,
                               related_name="space_allocations",
                               limit_choices_to={"category": PolicyCategory.GOVERNMENT_SPACE})
    version = models.ForeignKey(PolicyVersion, verbose_name=_("policy version"), on_delete=models.PROTECT,
                                null=True, blank=True, editable=False, related_name="space_allocations")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="space_allocations")
    units = models.ManyToManyField("spaces.Unit", verbose_name=_("units"), related_name="space_allocations",
                                   limit_choices_to={"government_owned": True})
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    assessed_rent = models.DecimalField(_("assessed market rent (yuan/m²/month)"), max_digits=8, decimal_places=2,
                                        validators=[MinValueValidator(Decimal("0"))])
    rent_share = models.PositiveIntegerField(_("rent as a share of the assessed rent (basis points)"), default=10000,
                                             editable=False, validators=[MaxValueValidator(10000)])
    monthly_rent = models.DecimalField(_("rent (yuan/m²/month)"), max_digits=8, decimal_places=2,
                                       default=Decimal("0"), editable=False)
    status = models.CharField(_("status"), max_length=10, choices=AllocationStatus.choices,
                              default=AllocationStatus.PROPOSED, editable=False)
    # The admission check when proposed (or last changed), and the one the approval rests on.
    decision = models.ForeignKey(Decision, verbose_name=_("admission check"), on_delete=models.PROTECT, null=True,
                                 blank=True, editable=False, related_name="+")
    approved_decision = models.ForeignKey(Decision, verbose_name=_("admission check at approval"),
                                          on_delete=models.PROTECT, null=True, blank=True, editable=False,
                                          related_name="+")
    lease = models.OneToOneField("leasing.Lease", verbose_name=_("lease"), on_delete=models.PROTECT, null=True,
                                 blank=True, editable=False, related_name="space_allocation")
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, editable=False, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    reason = models.CharField(_("reason for rejection"), max_length=300, blank=True, editable=False)

    # The bureau's work: operators and enterprises see none of it (the tenant sees its lease).

    class Meta:
        verbose_name = _("government space allocation")
        verbose_name_plural = _("government space allocations")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="allocation_ends_after_start"),
            models.CheckConstraint(condition=Q(assessed_rent__gte=0) & Q(monthly_rent__gte=0),
                                   name="allocation_rents_not_negative"),
            models.CheckConstraint(condition=Q(rent_share__lte=10000), name="allocation_share_at_most_whole"),
            models.CheckConstraint(condition=~Q(status="leased") | Q(lease__isnull=False),
                                   name="allocation_leased_has_lease"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(reason=""),
                                   name="allocation_rejection_has_reason"),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.policy}"

    def get_absolute_url(self):
        return reverse("policies:spaceallocation_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    def refusal(self, verb):
        if verb == "change" and self.status != AllocationStatus.PROPOSED:
            return _("Only a proposed allocation can be changed.")
        if verb == "delete" and self.status not in (AllocationStatus.PROPOSED, AllocationStatus.REJECTED):
            return _("An approved or leased allocation is kept.")
        return None

    @property
    def status_color(self):
        return AllocationStatus.color(self.status)

    @property
    def rent_share_percent(self):
        from core.rules import share_to_percent

        return share_to_percent(self.rent_share)

    @property
    def discount_percent(self):
        from core.rules import share_to_percent

        return share_to_percent(10000 - self.rent_share)
