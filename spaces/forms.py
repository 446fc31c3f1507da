from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.reference.choices import Role
from core.surfaces.forms import BaseModelForm, style_widget

from .choices import UnitStatus
from .models import Building, Floor, Operator, Park, Unit, Zone


class OperatorForm(BaseModelForm):
    class Meta:
        model = Operator
        fields = ["name", "credit_code", "contact_phone", "users"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "users" in self.fields:  # only the administrator links accounts (Operator.field_roles)
            self.fields["users"].queryset = self.fields["users"].queryset.filter(role=Role.PARK_OPERATOR)


class ZoneForm(BaseModelForm):
    geometry = forms.JSONField(label=_("boundary (GeoJSON)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Zone
        fields = ["code", "name", "kind", "parent", "sort_order", "geometry", "description"]


class ParkForm(BaseModelForm):
    class Meta:
        model = Park
        fields = ["code", "name", "kind", "zone", "operator", "address", "latitude", "longitude", "description"]


class BuildingForm(BaseModelForm):
    class Meta:
        model = Building
        fields = [
            "park", "code", "name", "address", "latitude", "longitude", "floors_above", "floors_below",
            "gross_floor_area", "completed_year",
        ]


class FloorForm(BaseModelForm):
    class Meta:
        model = Floor
        fields = ["building", "number", "name"]


class WarningsConfirmInput(forms.CheckboxInput):
    """The 确认保存 checkbox, shown under the warnings it confirms (rendered with the project's templates)."""

    template_name = "spaces/quality_confirm_input.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.warnings: list[str] = []

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["warnings"] = self.warnings
        return context

    def render(self, name, value, attrs=None, renderer=None):
        from django.template.loader import render_to_string

        return render_to_string(self.template_name, self.get_context(name, value, attrs))


def confirm_warnings_field(warnings=()) -> forms.BooleanField:
    field = forms.BooleanField(label=_("Confirm and save"), required=False, widget=WarningsConfirmInput())
    field.widget.warnings = list(warnings)
    return field


class UnitConfirmMixin:
    """A unit form gains the 确认保存 checkbox when its service answers with warnings (an implausible area);
    the service, not the form, refuses to save without the confirmation."""

    def add_confirm_field(self, warnings=()):
        from .services import CONFIRM_WARNINGS

        field = self.fields.get(CONFIRM_WARNINGS)
        if field is None:
            field = self.fields[CONFIRM_WARNINGS] = confirm_warnings_field(warnings)
            style_widget(field.widget)
        field.widget.warnings = list(warnings)

    def apply_service_error(self, error):
        from .services import CONFIRM_WARNINGS

        if hasattr(error, "error_dict") and CONFIRM_WARNINGS in error.error_dict:
            messages = error.message_dict
            self.add_confirm_field(messages.pop(CONFIRM_WARNINGS))
            if not messages:
                return
            error = forms.ValidationError(messages)
        super().apply_service_error(error)


class UnitForm(UnitConfirmMixin, BaseModelForm):
    """A unit's status may be set to vacant, reserved or unavailable; 'leased' comes only from a lease."""

    class Meta:
        model = Unit
        fields = ["building", "floor", "code", "area", "use", "asking_rent", "government_owned", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        building_id = self.data.get("building") or self.initial.get("building") or getattr(self.instance, "building_id", None)
        if building_id:
            try:
                self.fields["floor"].queryset = self.fields["floor"].queryset.filter(building_id=int(building_id))
            except (TypeError, ValueError):
                self.fields["floor"].queryset = self.fields["floor"].queryset.none()
        else:
            self.fields["floor"].queryset = self.fields["floor"].queryset.none()
        self.fields["floor"].widget.attrs["data-depends-on"] = "building"
        self.fields["floor"].widget.attrs["data-options-url"] = reverse("spaces:floor_options")
        leased = self.instance.pk and self.instance.status == UnitStatus.LEASED
        if leased:
            self.fields["status"].disabled = True
            self.fields["status"].help_text = _("Follows the unit's leases.")
        else:
            self.fields["status"].choices = [c for c in UnitStatus.choices if c[0] != UnitStatus.LEASED]
        if "confirm_warnings" in self.data:  # the second submit, after the warnings were shown
            self.add_confirm_field()

