"""Forms of policy support."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.rules import money_from_yuan, money_to_yuan
from core.surfaces.builder import CriterionRowForm, ParameterRowForm, RowForm, builder_rows
from core.surfaces.forms import ActionForm, BaseModelForm, DateInput, style_widget
from enterprises.forms import EnterpriseField

from . import builder
from .catalogue import CATALOGUE
from .choices import ObligationKind
from .models import Application, Budget, ClawbackCase, Offer, Policy, PolicyVersion, ScreeningRun, SpaceAllocation


# ----- policies and their versions -----------------------------------------------------------------------------
class PolicyForm(BaseModelForm):
    class Meta:
        model = Policy
        fields = ["code", "name", "category", "document_number", "issuer", "description", "valid_from",
                  "valid_until", "exclusivity_group", "proactive"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}


class PolicyVersionForm(BaseModelForm):
    """A version's date, source and notes. Its conditions, amount formula, parameters, caps and obligations are
    built on the version's own page (the builder), never typed as JSON."""

    class Meta:
        model = PolicyVersion
        fields = ["policy", "effective_from", "source_document", "notes"]
        widgets = {"effective_from": DateInput()}


class NewPolicyVersionForm(ActionForm):
    effective_from = forms.DateField(label=_("effective from"), widget=DateInput())


class PolicyCriterionRowForm(CriterionRowForm):
    catalogue = CATALOGUE


COMBINE_CHOICES = [("min", _("the smallest of the terms")), ("max", _("the largest of the terms")),
                   ("add", _("the sum of the terms"))]


class AmountRowForm(RowForm):
    """A term of the amount formula: up to four factors multiplied, each a fact or a parameter."""

    label = forms.CharField(label=_("term"), max_length=100, required=False)
    first = forms.ChoiceField(label=_("factor"), choices=())
    second = forms.ChoiceField(label=_("× factor"), choices=(), required=False)
    third = forms.ChoiceField(label=_("× factor"), choices=(), required=False)
    fourth = forms.ChoiceField(label=_("× factor"), choices=(), required=False)

    def __init__(self, *args, parameters=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = builder.factor_choices(CATALOGUE, parameters)
        for name in builder.FACTOR_FIELDS:
            self.fields[name].choices = choices


class AmountForm(forms.Form):
    """How the terms combine, the caps and the maximum years."""

    combine = forms.ChoiceField(label=_("the amount is"), choices=COMBINE_CHOICES)
    round_yuan = forms.BooleanField(label=_("round to whole yuan"), required=False)
    annual_cap = forms.CharField(label=_("annual cap (parameter)"), max_length=60, required=False,
                                 help_text=_("The name of a money parameter; empty: no annual cap."))
    cumulative_cap = forms.CharField(label=_("cumulative cap (parameter)"), max_length=60, required=False,
                                     help_text=_("The name of a money parameter; empty: no cumulative cap."))
    max_years = forms.IntegerField(label=_("maximum years of support"), min_value=1, max_value=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field.widget)


OBLIGATION_CHOICES = [("", "—"), *ObligationKind.choices]
RECOVER_CHOICES = [("", "—"), ("all", _("all that was paid")), ("pro_rata", _("pro rata to the time left"))]


class ObligationRowForm(RowForm):
    kind = forms.ChoiceField(label=_("obligation"), choices=OBLIGATION_CHOICES)
    years = forms.IntegerField(label=_("years after the supported period"), min_value=0, max_value=20)
    qualification = forms.CharField(label=_("qualification"), max_length=40, required=False)
    recover = forms.ChoiceField(label=_("recover"), choices=RECOVER_CHOICES)
    label = forms.CharField(label=_("description"), max_length=100, required=False)


CriterionRows = builder_rows(PolicyCriterionRowForm)
ParameterRows = builder_rows(ParameterRowForm)
AmountRows = builder_rows(AmountRowForm, extra=1, most=8)
ObligationRows = builder_rows(ObligationRowForm, extra=1, most=8)


def last_calendar_year(today=None):
    today = today or datetime.date.today()
    return datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31)


class TestCaseForm(forms.Form):
    """A test case: its period, the decision expected, and each fact typed in its unit (empty: missing)."""

    name = forms.CharField(label=_("name"), max_length=120)
    period_start = forms.DateField(label=_("period start"), widget=DateInput())
    period_end = forms.DateField(label=_("period end"), widget=DateInput())
    expected_eligible = forms.BooleanField(label=_("expected eligible"), required=False)
    expected_amount = forms.DecimalField(label=_("expected amount (yuan)"), max_digits=16, decimal_places=2,
                                         required=False, min_value=0,
                                         help_text=_("Empty: the amount is not checked."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for fact in CATALOGUE:
            unit = fact.unit or policy_builder_units().get(fact.type, "")
            self.fields[f"fact__{fact.name}"] = forms.CharField(
                label=f"{fact.label}{f'（{unit}）' if unit else ''}", required=False, max_length=60,
                help_text=fact.name)
        for field in self.fields.values():
            style_widget(field.widget)

    def fact_fields(self):
        return [self[name] for name in self.fields if name.startswith("fact__")]

    def clean(self):
        cleaned = super().clean()
        written = {name.removeprefix("fact__"): value for name, value in cleaned.items()
                   if name.startswith("fact__")}
        facts, errors = builder.facts_from_written(written, CATALOGUE)
        for name, message in errors.items():
            self.add_error(f"fact__{name}", message)
        cleaned["facts"] = facts
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned


def policy_builder_units():
    from core.surfaces.builder import HUMAN_UNIT_LABELS

    return HUMAN_UNIT_LABELS


class EvaluationForm(forms.Form):
    """政策测算: an enterprise (an enterprise user: its own), a policy and a period."""

    enterprise = EnterpriseField(label=_("enterprise"))
    policy = forms.ModelChoiceField(label=_("policy"), queryset=Policy.objects.all())
    period_start = forms.DateField(label=_("period start"), widget=DateInput())
    period_end = forms.DateField(label=_("period end"), widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["policy"].queryset = Policy.objects.for_user(user)
            self.fields["enterprise"].queryset = self.fields["enterprise"].queryset.model.objects.for_user(user)
        for field in self.fields.values():
            style_widget(field.widget)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned


# ----- screening and offers (免申即享) -----------------------------------------------------------------------------
class ScreeningRunForm(BaseModelForm):
    """A screening: the period supported (normally last calendar year) and the day its facts are taken on."""

    class Meta:
        model = ScreeningRun
        fields = ["period_start", "period_end", "decided_on"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "decided_on": DateInput()}
        help_texts = {"decided_on": _("Facts such as leases, qualifications and certifications are taken as of "
                                      "this day; normally the period's last day.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            last_year = datetime.date.today().year - 1
            self.initial.setdefault("period_start", datetime.date(last_year, 1, 1))
            self.initial.setdefault("period_end", datetime.date(last_year, 12, 31))
            self.initial.setdefault("decided_on", datetime.date(last_year, 12, 31))

    def clean(self):
        data = super().clean()
        start, end, on = data.get("period_start"), data.get("period_end"), data.get("decided_on")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if start and on and on < start:
            self.add_error("decided_on", _("The screening day cannot be before the period starts."))
        return data


class OfferForm(BaseModelForm):
    """Offers are made by screenings and answered by their actions (confirm, decline); no field is edited."""

    class Meta:
        model = Offer
        fields = ["status"]


# ----- applications, awards, budgets and tranches --------------------------------------------------------------
class ApplicationForm(BaseModelForm):
    """The enterprise names the policy, the year supported (the period is that calendar year) and, when the
    support is for one lease, the lease; a statement says what it asks for."""

    class Meta:
        model = Application
        fields = ["policy", "enterprise", "year", "lease", "statement"]
        help_texts = {"year": _("The period supported is this calendar year."),
                      "lease": _("Only when the support is for one lease of the enterprise.")}


class YuanField(forms.DecimalField):
    """An amount typed in yuan (two decimals), stored in fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


class BudgetForm(BaseModelForm):
    """A policy's budget for a year, typed in yuan; it cannot fall below what is committed already."""

    total = YuanField(label=_("budget (yuan)"))

    class Meta:
        model = Budget
        fields = ["policy", "year", "total"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.rules import money_to_yuan

        if self.instance.pk and not self.is_bound:
            self.initial["total"] = money_to_yuan(self.instance.total)

    def clean_total(self):
        from core.rules import money_from_yuan

        total = money_from_yuan(self.cleaned_data["total"])
        if self.instance.pk and total < self.instance.committed:
            raise forms.ValidationError(_("The budget cannot be less than what is committed already."))
        return total


class ApplicationCommentForm(ActionForm):
    """Returning or rejecting says why."""

    comment = forms.CharField(label=_("comments"), widget=forms.Textarea(attrs={"rows": 3}),
                                 max_length=2000)


class ApplicationNoteForm(ActionForm):
    comment = forms.CharField(label=_("comments"), widget=forms.Textarea(attrs={"rows": 3}),
                                 max_length=2000, required=False)


class TranchePayForm(forms.Form):
    paid_on = forms.DateField(label=_("paid on"), widget=DateInput())
    reference = forms.CharField(label=_("payment reference"), max_length=60)


class AwardCancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}),
                                max_length=300)


class TranchePlanForm(forms.Form):
    """The award's tranches before the first payment: one amount (yuan) and an optional due date per line,
    "500000.00 2027-01-31"; the amounts must add up to the award."""

    plan = forms.CharField(label=_("tranches"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000)


# ----- obligations and clawback --------------------------------------------------------------------------------
class ClawbackYuanField(forms.DecimalField):
    """An amount typed in yuan with at most two decimals; its cleaned value is in fen (the policies' unit)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return money_to_yuan(value)
        return value

    def clean(self, value):
        # A Python int is a stored amount in fen (the API fills in from the record what a PATCH leaves out); what a
        # person or an API client sends arrives as text.
        if isinstance(value, int) and not isinstance(value, bool):
            super().clean(money_to_yuan(value))  # the same limits
            return value
        yuan = super().clean(value)
        return None if yuan is None else money_from_yuan(yuan)


class ClawbackCaseForm(BaseModelForm):
    """A case raised by hand, or a raised case corrected: the award, the obligation, when and what happened, and
    the amount to recover in yuan."""

    amount_due = ClawbackYuanField(label=_("amount to recover (yuan)"))

    class Meta:
        model = ClawbackCase
        fields = ["award", "obligation", "breached_on", "detail", "amount_due"]
        widgets = {"breached_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["amount_due"] = money_to_yuan(self.instance.amount_due)


class ClawbackWaiveForm(ActionForm):
    reason = forms.CharField(label=_("reason"), max_length=300,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 error_messages={"required": _("Give the reason for waiving the recovery.")})


class ClawbackRepayForm(ActionForm):
    amount = ClawbackYuanField(label=_("amount repaid (yuan)"))
    repaid_on = forms.DateField(label=_("repaid on"), widget=DateInput())
    reference = forms.CharField(label=_("payment reference"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            self.initial.setdefault("amount", money_to_yuan(self.obj.amount_due - self.obj.repaid))


class ClawbackScanForm(ActionForm):
    on = forms.DateField(label=_("as of"), widget=DateInput())


# ----- government-owned space and the funds report -------------------------------------------------------------
class SpaceAllocationForm(BaseModelForm):
    """An allocation of government-owned units. The boxes list the government-owned units; any unit named (the API)
    reaches the service, which says in words why one that is not government-owned or not free is refused."""

    enterprise = EnterpriseField(label=_("enterprise"))

    class Meta:
        model = SpaceAllocation
        fields = ["policy", "enterprise", "units", "start_date", "end_date", "assessed_rent", "note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "units": forms.CheckboxSelectMultiple,
                   "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        from spaces.models import Unit

        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        field.queryset = Unit.objects.all()
        offered = (Unit.objects.filter(government_owned=True).select_related("building")
                   .order_by("building__name", "code"))
        field.widget.choices = [(unit.pk, f"{unit.building.name} {unit.code}（{unit.area} ㎡，{unit.get_status_display()}）")
                                for unit in offered]
        field.help_text = _("Government-owned units only.")


class AllocationLeaseForm(ActionForm):
    contract_number = forms.CharField(label=_("contract number"), max_length=40, required=False)


class AllocationRejectForm(ActionForm):
    reason = forms.CharField(label=_("reason for rejection"), max_length=300,
                              widget=forms.Textarea(attrs={"rows": 3}))


class FundsReportFilterForm(forms.Form):
    """The report's filters: a policy, a year, a zone (with the zones within it) and a GB/T 4754 division."""

    policy = forms.ModelChoiceField(label=_("policy"), queryset=None, required=False)
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    zone = forms.ModelChoiceField(label=_("zone"), queryset=None, required=False)
    division = forms.ChoiceField(label=_("industry (GB/T 4754 division)"), required=False)

    def __init__(self, *args, **kwargs):
        from core.surfaces.forms import style_widget
        from enterprises.choices import IndustryLevel
        from enterprises.models import IndustryCategory
        from spaces.models import Zone

        from .models import Policy

        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = Policy.objects.order_by("category", "code")
        self.fields["zone"].queryset = Zone.objects.order_by("sort_order", "code")
        self.fields["division"].choices = [("", "—")] + [
            (code, f"{code} {name}") for code, name in IndustryCategory.objects.filter(
                level=IndustryLevel.DIVISION).order_by("code").values_list("code", "name")]
        for field in self.fields.values():
            style_widget(field.widget)
