import datetime

from django import forms
from django.urls import reverse_lazy
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.surfaces.forms import ActionForm, BaseModelForm, DateInput
from enterprises.forms import EnterpriseField
from spaces.models import Building, Unit

from .choices import FOLLOW_UP_CHOICES
from .models import Lease, RentPayment, RentStep, Sublet


class UnitChoices(forms.ModelMultipleChoiceField):
    """The units of the building chosen in the form's ``building`` field, as checkboxes reloaded when it changes."""

    input_template = "leasing/fields/units.html"

    def label_from_instance(self, unit):
        return f"{unit.floor.label} {unit.code} · {unit.area} ㎡ · {unit.get_status_display()}"


class LeaseForm(BaseModelForm):
    """Pick the building first; its units are then offered (an operator's buildings hold thousands)."""

    building = forms.ModelChoiceField(
        label=_("building"), queryset=Building.objects.all(), required=False,
        help_text=_("Choose a building to list its units."),
    )
    enterprise = EnterpriseField(label=_("enterprise"))
    units = UnitChoices(label=_("units"), queryset=Unit.objects.all(), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Lease
        fields = ["enterprise", "building", "units", "contract_number", "start_date", "end_date", "monthly_rent",
                  "rent_free_months", "deposit", "management_fee", "assessed_monthly_rent"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        help_texts = {
            "monthly_rent": _("The rent from the start date; later rents are the lease's rent steps."),
            "rent_free_months": _("Calendar months from the start date in which no rent is due."),
            "assessed_monthly_rent": _("Government-owned space only: the assessed market rent the rent is a share of."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = self.fields["units"].queryset.select_related("floor").order_by("-floor__number", "code")
        building_id = self.data.get("building") or self.initial.get("building")
        if building_id:
            try:
                units = units.filter(building_id=int(building_id))
            except (TypeError, ValueError):
                units = units.none()
        elif self.instance.pk:
            units = units.filter(building__in=self.instance.units.values("building"))
            first = self.instance.units.first()
            self.fields["building"].initial = first.building_id if first else None
        elif self.data.getlist("units") if hasattr(self.data, "getlist") else self.data.get("units"):
            pass  # API input: units named directly, any in scope
        else:
            units = units.none()
        self.fields["units"].queryset = units
        self.fields["building"].widget.attrs.update({"data-units-target": "1"})
        for name in DEFAULTED_TERMS:  # left empty: none
            if name in self.fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        cleaned.pop("building", None)
        for name in DEFAULTED_TERMS:
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = Lease._meta.get_field(name).get_default()
        return cleaned


# Money terms a lease has none of unless given (0 rent-free months, no deposit, no fee).
DEFAULTED_TERMS = ("rent_free_months", "deposit", "management_fee")


class TerminateForm(ActionForm):
    terminated_on = forms.DateField(label=_("terminated on"), widget=DateInput(),
                                    help_text=_("The last day the tenant holds the units."))
    reason = forms.CharField(label=_("reason for termination"), max_length=200, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RenewForm(ActionForm):
    """The new terms; the new lease starts the day after this one ends (shown under the end date)."""

    end_date = forms.DateField(label=_("end date"), widget=DateInput())
    monthly_rent = forms.DecimalField(label=_("rent (yuan/m²/month)"), max_digits=8, decimal_places=2, min_value=0)
    contract_number = forms.CharField(label=_("contract number"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None:
            start = self.obj.end_date + datetime.timedelta(days=1)
            self.fields["end_date"].help_text = gettext(
                "The new lease starts on %(start)s, the day after this lease ends.") % {"start": date_format(start)}


class MoveForm(ActionForm):
    """Pick a building of the lease's park, then tick the units the tenant moves to (as on the lease form)."""

    building = forms.ModelChoiceField(label=_("building"), queryset=Building.objects.all(), required=False,
                                      help_text=_("Choose a building to list its units."))
    units = UnitChoices(label=_("new units"), queryset=Unit.objects.all(), widget=forms.CheckboxSelectMultiple)
    moved_on = forms.DateField(label=_("move date"), widget=DateInput(),
                               help_text=_("The first day in the new units; this lease ends the day before."))
    monthly_rent = forms.DecimalField(label=_("rent (yuan/m²/month)"), max_digits=8, decimal_places=2, min_value=0,
                                      required=False, help_text=_("Left empty, the present rent is kept."))
    contract_number = forms.CharField(label=_("contract number"), max_length=40, required=False,
                                      help_text=_("Left empty, the present contract number is kept."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        park_id = self.obj.park_id if self.obj is not None else None
        self.fields["building"].queryset = self.fields["building"].queryset.filter(park_id=park_id).order_by("code")
        units = self.fields["units"].queryset.select_related("floor").order_by("-floor__number", "code")
        building_id = self.data.get("building")
        if building_id:
            try:
                units = units.filter(building_id=int(building_id))
            except (TypeError, ValueError):
                units = units.none()
        elif not (self.data.getlist("units") if hasattr(self.data, "getlist") else self.data.get("units")):
            units = units.none()  # nothing listed before a building is chosen; the API names units directly
        # Units of another park are refused by the service, which names the lease's park.
        self.fields["units"].queryset = units
        self.fields["building"].widget.attrs.update({"data-units-target": "1"})

    def clean(self):
        cleaned = super().clean()
        cleaned.pop("building", None)
        return cleaned


class FollowUpForm(ActionForm):
    status = forms.ChoiceField(label=_("follow-up"), choices=FOLLOW_UP_CHOICES)
    note = forms.CharField(label=_("follow-up note"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    next_contact_on = forms.DateField(label=_("next contact on"), widget=DateInput(), required=False,
                                      help_text=_("Once this day has passed, the expiry queue marks the follow-up overdue."))


# ----- money: rent steps, rent payments, sublets -------------------------------------------------------------------
class LeaseField(forms.ModelChoiceField):
    """A lease, chosen among the leases of the enterprise named in the form's ``enterprise`` field (a district has
    200,000 leases: the list follows the enterprise, reloaded when it changes). The API and imports give the lease
    directly (its id; a spreadsheet its contract number within the enterprise)."""

    def label_from_instance(self, lease):
        number = lease.contract_number or f"#{lease.pk}"
        return f"{number} · {date_format(lease.start_date)}–{date_format(lease.end_date)} · {lease.get_status_display()}"


class LeaseMoneyForm(BaseModelForm):
    """The enterprise first, then one of its leases (the edit page of a lease's rent steps, payments and sublets)."""

    enterprise = EnterpriseField(label=_("enterprise"), required=False,
                                 help_text=_("Type the enterprise to list its leases."))
    lease = LeaseField(label=_("lease"), queryset=Lease.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["lease"]
        field.widget.attrs.update({"data-depends-on": "enterprise", "data-options-url": reverse_lazy("leasing:lease_options")})
        enterprise = self._enterprise_given()
        if enterprise is not None:
            self.fields["enterprise"].initial = enterprise
            listed = field.queryset.filter(enterprise=enterprise).order_by("-start_date", "-pk")
            field.widget.choices = [("", "---------"), *((lease.pk, field.label_from_instance(lease)) for lease in listed)]
        else:
            field.widget.choices = [("", "---------")]

    def _enterprise_given(self):
        """The enterprise the lease list follows: typed in the form, or the lease's (given, or stored)."""
        typed = self.data.get("enterprise") if self.is_bound else self.initial.get("enterprise")
        if typed:
            try:
                return self.fields["enterprise"].clean(typed)
            except forms.ValidationError:
                return None
        lease_id = self.data.get("lease") if self.is_bound else self.initial.get("lease")
        if lease_id:
            lease = self.fields["lease"].queryset.filter(pk=getattr(lease_id, "pk", lease_id)).first() \
                if str(getattr(lease_id, "pk", lease_id)).isdigit() else None
            return lease.enterprise if lease else None
        if self.instance.pk and self.instance.lease_id:
            return self.instance.lease.enterprise
        return None

    def clean(self):
        cleaned = super().clean()
        enterprise, lease = cleaned.pop("enterprise", None), cleaned.get("lease")
        if enterprise is not None and lease is not None and lease.enterprise_id != enterprise.pk:
            self.add_error("lease", gettext("This lease is not a lease of %(enterprise)s.") % {"enterprise": enterprise.name})
        return cleaned


class RentStepForm(LeaseMoneyForm):
    class Meta:
        model = RentStep
        fields = ["enterprise", "lease", "starts_on", "monthly_rent"]
        widgets = {"starts_on": DateInput()}
        help_texts = {"starts_on": _("The rent applies from this day until the next step.")}

    def _get_validation_exclusions(self):
        # A second step on the same day is refused by the service in words naming the date (leasing.services),
        # not by the constraint's generic message: the constraint on (lease, starts_on) is left to it.
        return super()._get_validation_exclusions() | {"lease"}


class RentPaymentForm(LeaseMoneyForm):
    class Meta:
        model = RentPayment
        fields = ["enterprise", "lease", "period_start", "period_end", "amount", "paid_on", "reference"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "paid_on": DateInput()}
        help_texts = {"amount": _("Rent only, for the whole period: utilities and property fees are not rent.")}


class SubletForm(LeaseMoneyForm):
    subtenant = EnterpriseField(label=_("subtenant"), required=False,
                                help_text=_("When the subtenant is a registered enterprise; otherwise give its name only."))

    class Meta:
        model = Sublet
        fields = ["enterprise", "lease", "subtenant", "subtenant_name", "area", "starts_on", "ends_on", "found_on",
                  "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "found_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subtenant_name"].required = False  # taken from the subtenant when one is chosen

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("subtenant_name"):
            if cleaned.get("subtenant") is not None:
                cleaned["subtenant_name"] = cleaned["subtenant"].name
            elif "subtenant_name" not in self.errors:
                self.add_error("subtenant_name", gettext("Give the subtenant's name, or choose the subtenant."))
        return cleaned


class UnconfirmForm(ActionForm):
    reason = forms.CharField(label=_("reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Why the confirmation is withdrawn (it is recorded)."))
