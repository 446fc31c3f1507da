from django import forms
from django.utils.translation import gettext_lazy as _

from core.surfaces.forms import ActionForm, BaseModelForm, DateInput

from .models import FiscalYear, Milestone, PppPayment, PppProject, Project, SpaceDelivery


class ProjectForm(BaseModelForm):
    class Meta:
        model = Project
        fields = ["code", "name", "kind", "zone", "park", "department", "started_on", "planned_completion",
                  "land_to_clear", "area_to_demolish", "households_to_relocate", "description"]
        widgets = {"started_on": DateInput(), "planned_completion": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}


class MilestoneForm(BaseModelForm):
    class Meta:
        model = Milestone
        fields = ["project", "name", "sort_order", "planned_on", "note"]
        widgets = {"planned_on": DateInput()}


class SpaceDeliveryForm(BaseModelForm):
    class Meta:
        model = SpaceDelivery
        fields = ["project", "use", "area", "expected_on", "park", "note"]
        widgets = {"expected_on": DateInput()}


class DayForm(ActionForm):
    day = forms.DateField(label=_("date"), widget=DateInput())


class ProgressForm(ActionForm):
    as_of = forms.DateField(label=_("progress as of"), widget=DateInput())
    land_cleared = forms.DecimalField(label=_("land cleared (m²)"), max_digits=12, decimal_places=2, min_value=0)
    area_demolished = forms.DecimalField(label=_("floor area demolished (m²)"), max_digits=12, decimal_places=2,
                                         min_value=0)
    households_relocated = forms.IntegerField(label=_("households relocated"), min_value=0)


class PppProjectForm(BaseModelForm):
    class Meta:
        model = PppProject
        fields = ["code", "name", "zone", "department", "mechanism", "contract_years", "investment", "psc",
                  "ppp_cost", "legacy", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class FiscalYearForm(BaseModelForm):
    class Meta:
        model = FiscalYear
        fields = ["year", "expenditure", "projected"]


class PppPaymentForm(BaseModelForm):
    class Meta:
        model = PppPayment
        fields = ["project", "year", "amount"]
