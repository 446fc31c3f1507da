from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BaseModelForm, DateInput
from enterprises.forms import EnterpriseField
from spaces.models import Building, Unit

from .models import Lease


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
        fields = ["enterprise", "building", "units", "contract_number", "start_date", "end_date", "monthly_rent"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

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

    def clean(self):
        cleaned = super().clean()
        cleaned.pop("building", None)
        return cleaned
