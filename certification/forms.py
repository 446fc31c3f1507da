"""The forms of certification: one per model, shared by the edit page, the API and imports."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.reference.choices import Role
from core.surfaces.builder import (  # noqa: F401  (the builder's names, as the scheme pages use them)
    BLANK,
    HUMAN_UNIT_LABELS,
    OPERATOR_CHOICES,
    TYPE_CHOICES,
    WIDTHS,
    ParameterRowForm,
    RowForm,
    builder_rows,
)
from core.surfaces.builder import CriterionRowForm as CoreCriterionRowForm
from core.surfaces.builder import fact_choices as builder_fact_choices
from core.surfaces.forms import ActionForm, BaseModelForm, DateInput
from enterprises.forms import EnterpriseField

from .choices import CertificationStatus, Grade
from .facts import CATALOGUE
from .models import (
    Application,
    Assessment,
    AssessmentRound,
    Certification,
    Incubatee,
    Scheme,
    SchemeVersion,
    ServiceRecord,
)

# ----- schemes and their versions -----------------------------------------------------------------------------


class SchemeForm(BaseModelForm):
    class Meta:
        model = Scheme
        fields = ["code", "name", "category", "subject_kind", "level", "issuer", "description"]


class SchemeVersionForm(BaseModelForm):
    """A version's dates, source and notes. Its criteria, indicators, grade bands and parameters are built on the
    version's own page (the condition builder), never typed as JSON."""

    class Meta:
        model = SchemeVersion
        fields = ["scheme", "effective_from", "source_document", "source_date", "validity_years", "notes"]
        widgets = {"effective_from": DateInput(), "source_date": DateInput()}


class NewVersionForm(ActionForm):
    effective_from = forms.DateField(label=_("effective from"), widget=DateInput())


def fact_choices():
    return builder_fact_choices(CATALOGUE)


# Rows of the condition builder are core's (core.surfaces.builder); a scheme's criteria name certification's facts.
INDICATOR_KINDS = BLANK + [("quantitative", _("Quantitative (computed)")), ("qualitative", _("Qualitative (experts)"))]


class CriterionRowForm(CoreCriterionRowForm):
    catalogue = CATALOGUE


class IndicatorRowForm(RowForm):
    code = forms.CharField(label=_("code"), max_length=10)
    label = forms.CharField(label=_("indicator"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=INDICATOR_KINDS)
    fact = forms.ChoiceField(label=_("fact"), choices=(), required=False)
    weight = forms.IntegerField(label=_("weight"), min_value=0, max_value=100)
    full_at = forms.CharField(label=_("full points at"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fact"].choices = fact_choices()


class GradeBandRowForm(RowForm):
    grade = forms.ChoiceField(label=_("grade"), choices=BLANK + list(Grade.choices))
    min = forms.IntegerField(label=_("lowest score"), min_value=0, max_value=100)


CriterionRows = builder_rows(CriterionRowForm)
IndicatorRows = builder_rows(IndicatorRowForm)
GradeBandRows = builder_rows(GradeBandRowForm, extra=1, most=8)
ParameterRows = builder_rows(ParameterRowForm)


# ----- incubatees, service records, applications and certifications -------------------------------------------


class IncubateeForm(BaseModelForm):
    """An incubatee's entry, and its leaving (a date with a reason; a graduate with its basis: Incubatee.clean)."""

    enterprise = EnterpriseField(label=_("enterprise"))

    class Meta:
        model = Incubatee
        fields = ["park", "building", "enterprise", "entered_on", "left_on", "exit_reason", "graduation_basis",
                  "industry_match", "note"]
        widgets = {"entered_on": DateInput(), "left_on": DateInput()}
        help_texts = {"building": _("Only when a building of the park is certified on its own."),
                      "graduation_basis": _("For a graduate only: which graduation rule it meets.")}


class ServiceRecordForm(BaseModelForm):
    enterprise = EnterpriseField(label=_("tenant"))

    class Meta:
        model = ServiceRecord
        fields = ["park", "building", "enterprise", "area", "served_on", "description", "outcome"]
        widgets = {"served_on": DateInput()}


class ApplicationForm(BaseModelForm):
    """The operator picks its park (or a building of it, for a building scheme), the scheme and the reference
    date; the version in force on that date is fixed when the application is submitted."""

    class Meta:
        model = Application
        fields = ["park", "building", "scheme", "reference_date"]
        widgets = {"reference_date": DateInput()}
        help_texts = {"reference_date": _("The criteria are computed from the records as of this date.")}


class CertificationForm(BaseModelForm):
    """A certification recorded directly by an officer (e.g. one granted before the platform)."""

    class Meta:
        model = Certification
        fields = ["park", "building", "scheme", "version", "level", "certificate_number", "valid_from",
                  "valid_until", "status"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Revoking is a step of its own (certification_revoke: a date, a reason, its event), never an edit.
        self.fields["status"].choices = [(value, label) for value, label in CertificationStatus.choices
                                         if value != CertificationStatus.REVOKED]

    def clean(self):
        cleaned = super().clean()
        scheme, version = cleaned.get("scheme"), cleaned.get("version")
        if scheme and version and version.scheme_id != scheme.pk:
            self.add_error("version", _("Choose a version of %(scheme)s.") % {"scheme": scheme})
        return cleaned


class ApplicationCommentForm(ActionForm):
    """Returning or rejecting an application says why."""

    comment = forms.CharField(label=_("comments"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


def supplied_fact_choices():
    from .facts import CATALOGUE

    return [(fact.name, f"{fact.label}（{fact.name}）") for fact in CATALOGUE if fact.source == "supplied"]


class SuppliedValueForm(ActionForm):
    """One value the records do not hold, in the units people write (㎡, 元, % or a count), and the id of the
    document attached to the application that shows it."""

    fact = forms.ChoiceField(label=_("indicator"), choices=supplied_fact_choices)
    value = forms.DecimalField(label=_("value"), required=False, max_digits=18, decimal_places=2,
                               help_text=_("Areas in ㎡, amounts in 元, shares in per cent (35.5 for 35.5 per cent), counts as whole "
                                           "numbers; empty: not given."))
    document = forms.IntegerField(label=_("document"), required=False, min_value=1,
                                  help_text=_("The document attached to this application that shows the value."))


class ApplicationNoteForm(ActionForm):
    comment = forms.CharField(label=_("comments"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                              required=False)


# ----- yearly assessment rounds, experts and scores -----------------------------------------------------------


class AssessmentRoundForm(BaseModelForm):
    """A round: the scheme, the year assessed, the reference date (which fixes the version in force) and the
    experts assigned (accounts of the role 评审专家 only)."""

    class Meta:
        model = AssessmentRound
        fields = ["scheme", "year", "reference_date", "title", "experts"]
        widgets = {"reference_date": DateInput(), "experts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].label = _("assessment title")
        if "experts" in self.fields:
            self.fields["experts"].queryset = get_user_model().objects.filter(
                role=Role.EXPERT, is_active=True).order_by("username")
            self.fields["experts"].label_from_instance = lambda user: user.display_name or user.username


class AssessmentForm(BaseModelForm):
    """A subject added to a round by hand (a certification granted after the round was opened), and the
    officers' written opinion."""

    class Meta:
        model = Assessment
        fields = ["round", "certification", "opinion"]
        widgets = {"opinion": forms.Textarea(attrs={"rows": 3})}


class SupplyForm(ActionForm):
    """One value the records lack, in the unit the page shows (㎡, %, 元, 家 …), with the document behind it."""

    fact = forms.CharField(label=_("indicator data"), max_length=80)
    value = forms.DecimalField(label=_("value"), max_digits=16, decimal_places=2, min_value=0)
    document = forms.IntegerField(label=_("document"), required=False, min_value=1,
                                  help_text=_("The number of a document attached to this assessment."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            from .services import supply_choices

            choices = supply_choices(self.obj)
            self.fields["fact"] = forms.ChoiceField(label=_("indicator data"), choices=choices)
            self.fields["fact"].widget.attrs["class"] = "form-select"


class AdjustForm(ActionForm):
    points = forms.DecimalField(label=_("adjustment (points)"), max_digits=5, decimal_places=2,
                                min_value=-10, max_value=10,
                                help_text=_("Added to the sum of the indicators' points; at most 10 points either way."))
    reason = forms.CharField(label=_("reason for the adjustment"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(ActionForm):
    revoked_on = forms.DateField(label=_("revoked on"), widget=DateInput())
    reason = forms.CharField(label=_("reason for revocation"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ConflictForm(forms.Form):
    """An expert's declaration for a round: no conflict at all, or the subjects it has one with and why."""

    none = forms.BooleanField(label=_("I have no conflict of interest with any subject of this round"),
                              required=False)
    certifications = forms.MultipleChoiceField(label=_("Subjects I have a conflict of interest with"),
                                               required=False, widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("reason"), max_length=300, required=False,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certifications"].choices = [(str(pk), label) for pk, label in subjects]

    def clean(self):
        cleaned = super().clean()
        chosen = cleaned.get("certifications") or []
        if cleaned.get("none") and chosen:
            raise forms.ValidationError(_("Declare either no conflict or the subjects you have one with, not both."))
        if not cleaned.get("none") and not chosen:
            raise forms.ValidationError(_("Declare that you have no conflict, or choose the subjects you have "
                                          "one with."))
        if chosen and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the conflict of interest."))
        return cleaned
