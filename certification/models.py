"""Certification of parks and buildings: schemes kept as versioned data, the records the criteria count
(incubatees, service records), applications, certifications and the yearly assessment rounds.

A scheme's criteria, indicators and grade bands live in its versions as data of the rule language
(core.rules); a published version never changes, and an application or a round uses the version in force on
its reference date."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import ALL, BaseModel, ScopedQuerySet, SearchableModel
from core.reference.choices import Role

from .choices import (
    APPLICATION_OPEN_STATUSES,
    ApplicationStatus,
    CertificationStatus,
    ExitReason,
    Grade,
    GraduationBasis,
    RoundStatus,
    SchemeCategory,
    SchemeLevel,
    ServiceArea,
    SubjectKind,
    VersionStatus,
)


class Scheme(SearchableModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=24, choices=SchemeCategory.choices)
    subject_kind = models.CharField(_("subject"), max_length=10, choices=SubjectKind.choices,
                                    default=SubjectKind.PARK)
    level = models.CharField(_("level"), max_length=12, choices=SchemeLevel.choices)
    issuer = models.CharField(_("issuing office"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    role_actions = {Role.PARK_OPERATOR: "v", Role.EXPERT: "v"}
    scope_paths = {Role.PARK_OPERATOR: ALL, Role.EXPERT: "rounds__experts"}

    class Meta:
        verbose_name = _("certification scheme")
        verbose_name_plural = _("certification schemes")
        ordering = ["category", "level", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("certification:scheme_detail", args=[self.pk])

    def version_on(self, day):
        """The published version in force on ``day``: the latest to take effect on or before it."""
        return (self.versions.filter(status__in=(VersionStatus.PUBLISHED, VersionStatus.RETIRED),
                                     effective_from__lte=day)
                .order_by("-effective_from", "-number").first())


class SchemeVersion(BaseModel):
    """One version of a scheme's rules. A draft may change; publishing fixes it (with its content hash) and a
    later version takes over from its own effective date. ``criteria`` is a condition tree of core.rules;
    ``indicators`` the yearly assessment's indicators ({code, label, kind, fact, weight, target, ...});
    ``grade_bands`` the lowest score of each grade; ``parameters`` named values with dated changes."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    effective_from = models.DateField(_("effective from"))
    source_document = models.CharField(_("source document"), max_length=200, blank=True)
    source_date = models.DateField(_("date of the source document"), null=True, blank=True)
    validity_years = models.PositiveSmallIntegerField(_("validity (years)"), default=3)
    criteria = models.JSONField(_("criteria"), default=dict, blank=True)
    indicators = models.JSONField(_("assessment indicators"), default=list, blank=True)
    grade_bands = models.JSONField(_("grade bands"), default=list, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    notes = models.TextField(_("notes and assumptions"), blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.CharField(_("published by"), max_length=150, blank=True, editable=False)

    role_actions = {Role.PARK_OPERATOR: "v", Role.EXPERT: "v"}
    scope_via = "scheme"

    class Meta:
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="scheme_version_unique_number"),
            models.UniqueConstraint(fields=["scheme"], condition=Q(status="draft"), name="scheme_one_draft"),
            models.UniqueConstraint(fields=["scheme", "effective_from"], condition=Q(status="published"),
                                    name="scheme_one_published_per_date"),
        ]

    def __str__(self):
        return _("%(scheme)s, version %(number)s") % {"scheme": self.scheme, "number": self.number}

    def get_absolute_url(self):
        return reverse("certification:schemeversion_detail", args=[self.pk])

    def refusal(self, verb):
        if verb in ("change", "delete") and self.status != VersionStatus.DRAFT:
            return _("A published version cannot be changed; create a new version instead.")
        return None


class SubjectModel(BaseModel):
    """A record about a park, or about one building of it (the subject of a building scheme)."""

    park = models.ForeignKey("spaces.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey("spaces.Building", verbose_name=_("building"), on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")

    scope_via = "park"

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.building or self.park

    def clean(self):
        super().clean()
        if self.building_id and self.park_id and self.building.park_id != self.park_id:
            raise ValidationError({"building": _("The building must belong to the park.")})


class Incubatee(SubjectModel):
    """An enterprise incubated by a park (在孵企业), from its entry to its graduation or exit."""

    park = models.ForeignKey("spaces.Park", verbose_name=_("incubator"), on_delete=models.PROTECT,
                             related_name="incubatees")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="incubations")
    entered_on = models.DateField(_("entered on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    exit_reason = models.CharField(_("reason for leaving"), max_length=12, choices=ExitReason.choices, blank=True)
    graduation_basis = models.CharField(_("graduation basis"), max_length=16, choices=GraduationBasis.choices,
                                        blank=True)
    industry_match = models.BooleanField(_("in the incubator's target industry"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)

    role_actions = {Role.PARK_OPERATOR: "vacd"}

    class Meta:
        verbose_name = _("incubatee")
        verbose_name_plural = _("incubatees")
        ordering = ["park", "-entered_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["park", "enterprise", "entered_on"], name="incubatee_unique_entry"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("entered_on")),
                                   name="incubatee_leaves_after_entry"),
            models.CheckConstraint(condition=Q(left_on__isnull=True, exit_reason="")
                                   | Q(left_on__isnull=False) & ~Q(exit_reason=""),
                                   name="incubatee_exit_has_date_and_reason"),
            models.CheckConstraint(condition=Q(exit_reason="graduated") & ~Q(graduation_basis="")
                                   | ~Q(exit_reason="graduated") & Q(graduation_basis=""),
                                   name="incubatee_graduate_has_basis"),
        ]
        indexes = [models.Index(fields=["park", "entered_on", "left_on"], name="incubatee_park_dates")]

    def __str__(self):
        return f"{self.enterprise} @ {self.park}"

    def get_absolute_url(self):
        return reverse("certification:incubatee_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.left_on and not self.exit_reason:
            errors["exit_reason"] = _("Give the reason for leaving.")
        if self.exit_reason and not self.left_on:
            errors["left_on"] = _("Give the date of leaving.")
        if self.left_on and self.entered_on and self.left_on < self.entered_on:
            errors["left_on"] = _("The date of leaving cannot be before the date of entry.")
        if self.exit_reason == ExitReason.GRADUATED and not self.graduation_basis:
            errors["graduation_basis"] = _("A graduate meets one of the graduation rules: choose which.")
        if self.graduation_basis and self.exit_reason != ExitReason.GRADUATED:
            errors["graduation_basis"] = _("Only a graduate has a graduation basis.")
        if errors:
            raise ValidationError(errors)


class ServiceRecord(SubjectModel):
    """A service an operator delivered to a tenant, in one of the seven areas."""

    park = models.ForeignKey("spaces.Park", verbose_name=_("park"), on_delete=models.PROTECT,
                             related_name="service_records")
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("tenant"), on_delete=models.PROTECT,
                                   related_name="services_received")
    area = models.CharField(_("service area"), max_length=20, choices=ServiceArea.choices)
    served_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)

    role_actions = {Role.PARK_OPERATOR: "vacd"}

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-served_on", "-id"]
        indexes = [models.Index(fields=["park", "served_on"], name="service_park_date")]

    def __str__(self):
        return f"{self.get_area_display()} · {self.enterprise} · {self.served_on}"

    def get_absolute_url(self):
        return reverse("certification:servicerecord_detail", args=[self.pk])


class Application(SubjectModel):
    """An operator's application for a scheme, for one of its parks or buildings."""

    number = models.CharField(_("application number"), max_length=24, unique=True, editable=False)
    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT,
                               related_name="applications")
    version = models.ForeignKey(SchemeVersion, verbose_name=_("scheme version"), on_delete=models.PROTECT,
                                null=True, blank=True, editable=False, related_name="applications")
    park = models.ForeignKey("spaces.Park", verbose_name=_("park"), on_delete=models.PROTECT,
                             related_name="certification_applications")
    reference_date = models.DateField(_("reference date"))
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.DRAFT)
    # What the applicant states for facts the records do not hold: {fact: {"value": int, "document": id}}.
    supplied = models.JSONField(_("stated values"), default=dict, blank=True)
    evaluation = models.JSONField(_("evaluation"), default=dict, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, editable=False, related_name="+")
    review_comment = models.TextField(_("review comments"), blank=True, editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, editable=False, related_name="+")
    decision_comment = models.TextField(_("decision comments"), blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    role_actions = {Role.PARK_OPERATOR: "vacd"}
    # The evaluation is what the criteria gave on submission: kept on the row, never changed afterwards, and
    # named by the submission's event (its version and result); the change record leaves the long text out.
    audit_exclude = (*BaseModel.audit_exclude, "evaluation")

    class Meta:
        verbose_name = _("certification application")
        verbose_name_plural = _("certification applications")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="approved") | Q(decided_by__isnull=False),
                                   name="application_approved_has_decider"),
        ]

    def __str__(self):
        return f"{self.number} {self.scheme}"

    def get_absolute_url(self):
        return reverse("certification:application_detail", args=[self.pk])

    def refusal(self, verb):
        """Only a draft or a returned application changes, with its stated values and its documents ("attach"):
        a submitted one keeps what it was sent with."""
        if verb in ("change", "delete", "attach") and self.status not in APPLICATION_OPEN_STATUSES:
            return _("Only a draft or a returned application can be changed.")
        return None

    def clean(self):
        super().clean()
        if self.scheme_id and self.scheme.subject_kind == "building" and not self.building_id:
            raise ValidationError({"building": _("This scheme certifies a building: choose one.")})


class CertificationQuerySet(ScopedQuerySet):
    def in_force_on(self, day):
        """Certified on ``day``: within the validity period and not revoked by then (an expired one is outside its
        period; a revoked one counts until the day it was revoked)."""
        return self.filter(valid_from__lte=day, valid_until__gte=day).filter(
            ~Q(status=CertificationStatus.REVOKED) | Q(revoked_on__gt=day))


class Certification(SubjectModel):
    """A subject's certification under a scheme: its certificate, level and validity."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT,
                               related_name="certifications")
    version = models.ForeignKey(SchemeVersion, verbose_name=_("scheme version"), on_delete=models.PROTECT,
                                related_name="certifications")
    application = models.OneToOneField(Application, verbose_name=_("application"), on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="certification")
    park = models.ForeignKey("spaces.Park", verbose_name=_("park"), on_delete=models.PROTECT,
                             related_name="certifications")
    level = models.CharField(_("level"), max_length=12, choices=SchemeLevel.choices)
    certificate_number = models.CharField(_("certificate number"), max_length=40, unique=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=10, choices=CertificationStatus.choices,
                              default=CertificationStatus.VALID)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)

    role_actions = {Role.PARK_OPERATOR: "v"}

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["scheme", "-valid_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")),
                                   name="certification_valid_until_after_from"),
            models.CheckConstraint(condition=~Q(status="revoked") | Q(revoked_on__isnull=False),
                                   name="certification_revoked_has_date"),
        ]
        indexes = [models.Index(fields=["status", "valid_until"], name="certification_expiry")]

    def __str__(self):
        return f"{self.scheme} · {self.subject} ({self.certificate_number})"

    def get_absolute_url(self):
        return reverse("certification:certification_detail", args=[self.pk])

    def refusal(self, verb):
        """A revoked certification is the record of its revocation: it is not edited back."""
        if verb == "change" and self.status == CertificationStatus.REVOKED:
            return _("A revoked certification cannot be changed.")
        return None


class AssessmentRound(BaseModel):
    """The yearly assessment of every subject certified under a scheme, as of a reference date."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="rounds")
    version = models.ForeignKey(SchemeVersion, verbose_name=_("scheme version"), on_delete=models.PROTECT,
                                null=True, blank=True, editable=False, related_name="rounds")
    year = models.PositiveSmallIntegerField(_("year assessed"))
    reference_date = models.DateField(_("reference date"))
    title = models.CharField(_("title"), max_length=120)
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    experts = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("experts"), blank=True,
                                     related_name="assessment_rounds")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    role_actions = {Role.PARK_OPERATOR: "v", Role.EXPERT: "v"}
    scope_paths = {Role.PARK_OPERATOR: "assessments__park__operator__users", Role.EXPERT: "experts"}
    user_links = {"experts": Role.EXPERT}

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year", "scheme"]
        constraints = [models.UniqueConstraint(fields=["scheme", "year"], name="round_one_per_scheme_year")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("certification:assessmentround_detail", args=[self.pk])


class AssessmentQuerySet(ScopedQuerySet):
    def for_user(self, user):
        """An expert sees the assessments of its rounds but those of the subjects it declared a conflict of
        interest with."""
        scoped = super().for_user(user)
        if getattr(user, "role", None) == Role.EXPERT and user.is_authenticated:
            conflicts = ConflictDeclaration.objects.filter(round=models.OuterRef("round"), expert=user,
                                                           certification=models.OuterRef("certification"))
            scoped = scoped.exclude(models.Exists(conflicts))
        return scoped


class Assessment(BaseModel):
    """One certified subject's assessment in a round: computed values, what the operator added, the experts'
    scores, an officer's adjustment with its reason, and the resulting score, grade and rank."""

    round = models.ForeignKey(AssessmentRound, verbose_name=_("assessment round"), on_delete=models.PROTECT,
                              related_name="assessments")
    certification = models.ForeignKey(Certification, verbose_name=_("certification"), on_delete=models.PROTECT,
                                      related_name="assessments")
    park = models.ForeignKey("spaces.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+",
                             editable=False)
    computed = models.JSONField(_("computed values"), default=dict, blank=True, editable=False)
    supplied = models.JSONField(_("values added by the operator"), default=dict, blank=True)
    # Scores in hundredths of a point (0–10000), so that sums and ranks are exact.
    score = models.IntegerField(_("score"), null=True, blank=True, editable=False)
    adjustment = models.IntegerField(_("adjustment"), default=0, editable=False)
    adjustment_reason = models.CharField(_("reason for the adjustment"), max_length=300, blank=True, editable=False)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, blank=True, editable=False)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True, editable=False)
    # The officers' written opinion, printed in the decision pack.
    opinion = models.TextField(_("assessment opinion"), blank=True)
    # The points of each indicator with its sentence, fixed when the round closes (certification.scoring).
    result = models.JSONField(_("result"), default=dict, blank=True, editable=False)

    objects = AssessmentQuerySet.as_manager()

    role_actions = {Role.PARK_OPERATOR: "v", Role.EXPERT: "v"}
    scope_paths = {Role.PARK_OPERATOR: "park__operator__users", Role.EXPERT: "round__experts"}

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["round", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "certification"], name="assessment_one_per_round"),
            models.CheckConstraint(condition=Q(adjustment=0) | ~Q(adjustment_reason=""),
                                   name="assessment_adjustment_has_reason"),
        ]

    def __str__(self):
        return f"{self.round} · {self.certification.subject}"

    def get_absolute_url(self):
        return reverse("certification:assessment_detail", args=[self.pk])


class ExpertScore(BaseModel):
    """An expert's score of one qualitative indicator of one assessment (0–100, in hundredths)."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE,
                                   related_name="expert_scores")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="+")
    indicator = models.CharField(_("indicator"), max_length=20)
    score = models.PositiveIntegerField(_("score"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    scope_via = "assessment"

    class Meta:
        verbose_name = _("expert score")
        verbose_name_plural = _("expert scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "expert", "indicator"], name="expert_score_once"),
            models.CheckConstraint(condition=Q(score__lte=10000), name="expert_score_at_most_100"),
        ]


class ConflictDeclaration(BaseModel):
    """An expert's declaration, for a round, of a conflict of interest with one subject (who then does not
    score it), or of none at all (``certification`` empty)."""

    round = models.ForeignKey(AssessmentRound, verbose_name=_("assessment round"), on_delete=models.CASCADE,
                              related_name="conflicts")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="+")
    certification = models.ForeignKey(Certification, verbose_name=_("certification"), on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    scope_via = "round"

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [
            models.UniqueConstraint(fields=["round", "expert", "certification"], name="conflict_once",
                                    condition=Q(certification__isnull=False)),
            models.UniqueConstraint(fields=["round", "expert"], name="no_conflict_once",
                                    condition=Q(certification__isnull=True)),
        ]
