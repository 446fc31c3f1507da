from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.surfaces.forms import ActionForm, BaseModelForm, DateInput
from enterprises.forms import EnterpriseField

from .models import (
    Fund,
    FundInvestment,
    FundManager,
    FundService,
    GuidanceCommitment,
    Intake,
    Member,
    Programme,
    Resource,
    SupervisionCheck,
)


class FundManagerForm(BaseModelForm):
    enterprise = EnterpriseField(label=_("enterprise"), required=False)

    class Meta:
        model = FundManager
        fields = ["name", "credit_code", "registration_number", "enterprise", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class FundForm(BaseModelForm):
    enterprise = EnterpriseField(label=_("registered entity"), required=False)

    class Meta:
        model = Fund
        fields = ["code", "name", "manager", "kind", "focus", "size", "aum", "registered_on", "presence",
                  "enterprise", "reported_local_investment", "reported_on", "notes"]
        widgets = {"registered_on": DateInput(), "reported_on": DateInput(),
                   "notes": forms.Textarea(attrs={"rows": 3})}


class GuidanceCommitmentForm(BaseModelForm):
    class Meta:
        model = GuidanceCommitment
        fields = ["guidance_fund", "sub_fund", "committed", "paid_in", "committed_on", "other_public"]
        widgets = {"committed_on": DateInput()}


class FundInvestmentForm(BaseModelForm):
    enterprise = EnterpriseField(label=_("investee"))

    class Meta:
        model = FundInvestment
        fields = ["fund", "enterprise", "round", "amount", "invested_on"]
        widgets = {"invested_on": DateInput()}


class SupervisionCheckForm(BaseModelForm):
    class Meta:
        model = SupervisionCheck
        fields = ["fund", "checked_on", "kind", "outcome", "findings", "follow_up", "follow_up_due"]
        widgets = {"checked_on": DateInput(), "follow_up_due": DateInput(),
                   "findings": forms.Textarea(attrs={"rows": 3}), "follow_up": forms.Textarea(attrs={"rows": 2})}


class FundServiceForm(BaseModelForm):
    class Meta:
        model = FundService
        fields = ["fund", "served_on", "kind", "description"]
        widgets = {"served_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class CloseCheckForm(ActionForm):
    closing_note = forms.CharField(label=_("closing note"), max_length=300)


class ProgrammeForm(BaseModelForm):
    class Meta:
        model = Programme
        fields = ["code", "name", "kind", "operator_name", "park", "started_on", "description"]
        widgets = {"started_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class IntakeForm(BaseModelForm):
    class Meta:
        model = Intake
        fields = ["programme", "name", "starts_on", "ends_on", "capacity"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class MemberForm(BaseModelForm):
    # Not stored: names the programme within which a spreadsheet's intake ("第三期") is found.
    programme = forms.ModelChoiceField(label=_("programme"), queryset=Programme.objects.all(), required=False,
                                       help_text=_("Only to find the intake by its name in a spreadsheet."))
    enterprise = EnterpriseField(label=_("enterprise"))

    class Meta:
        model = Member
        fields = ["programme", "intake", "enterprise", "joined_on", "note"]
        widgets = {"joined_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "programme" in self.fields and self.instance.intake_id and not self.initial.get("programme"):
            self.initial["programme"] = self.instance.intake.programme_id


class ResourceForm(BaseModelForm):
    # Not stored: name the programme and the intake within which a spreadsheet's row finds the member by the
    # enterprise's credit code or name.
    programme = forms.ModelChoiceField(label=_("programme"), queryset=Programme.objects.all(), required=False,
                                       help_text=_("Only to find the intake by its name in a spreadsheet."))
    intake = forms.ModelChoiceField(label=_("intake"), queryset=Intake.objects.all(), required=False,
                                    help_text=_("Only to find the member in a spreadsheet."))

    class Meta:
        model = Resource
        fields = ["programme", "intake", "member", "kind", "given_on", "amount", "area", "hours", "description"]
        widgets = {"given_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.member_id:
            self.initial.setdefault("intake", self.instance.member.intake_id)
            self.initial.setdefault("programme", self.instance.member.intake.programme_id)


class GraduateForm(ActionForm):
    outcome_on = forms.DateField(label=_("date graduated"), widget=DateInput())


class LeaveForm(ActionForm):
    outcome_on = forms.DateField(label=_("date left"), widget=DateInput())
    reason = forms.CharField(label=pgettext_lazy("cohort member", "reason for leaving"), max_length=200)
