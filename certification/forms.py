"""The forms of certification: one per model, shared by the edit page, the API and imports."""


# ===== schemes and their versions ==========================================================================
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
from django import forms  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.surfaces.forms import BaseModelForm, DateInput  # noqa: E402
from enterprises.forms import EnterpriseField  # noqa: E402

from .models import Application, Certification, Incubatee, ServiceRecord  # noqa: E402


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
                  "valid_until", "status", "revoked_on", "revocation_reason"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput(), "revoked_on": DateInput()}


class ApplicationCommentForm(forms.Form):
    """Returning or rejecting an application says why."""

    comment = forms.CharField(label=_("comments"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ApplicationNoteForm(forms.Form):
    comment = forms.CharField(label=_("comments"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                              required=False)


# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
