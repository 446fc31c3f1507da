"""Forms of policy support."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====
from django import forms as _forms  # noqa: E402
from django.utils.translation import gettext_lazy as _lazy  # noqa: E402

from core.surfaces.forms import ActionForm as _ActionForm  # noqa: E402
from core.surfaces.forms import BaseModelForm as _BaseModelForm  # noqa: E402
from core.surfaces.forms import DateInput as _DateInput  # noqa: E402
from enterprises.forms import EnterpriseField as _EnterpriseField  # noqa: E402

from .models import SpaceAllocation  # noqa: E402


class SpaceAllocationForm(_BaseModelForm):
    """An allocation of government-owned units. The boxes list the government-owned units; any unit named (the API)
    reaches the service, which says in words why one that is not government-owned or not free is refused."""

    enterprise = _EnterpriseField(label=_lazy("enterprise"))

    class Meta:
        model = SpaceAllocation
        fields = ["policy", "enterprise", "units", "start_date", "end_date", "assessed_rent", "note"]
        widgets = {"start_date": _DateInput(), "end_date": _DateInput(), "units": _forms.CheckboxSelectMultiple,
                   "note": _forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        from spaces.models import Unit

        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        field.queryset = Unit.objects.all()
        offered = (Unit.objects.filter(government_owned=True).select_related("building")
                   .order_by("building__name", "code"))
        field.widget.choices = [(unit.pk, f"{unit.building.name} {unit.code}（{unit.area} ㎡，{unit.get_status_display()}）")
                                for unit in offered]
        field.help_text = _lazy("Government-owned units only.")


class AllocationLeaseForm(_ActionForm):
    contract_number = _forms.CharField(label=_lazy("contract number"), max_length=40, required=False)


class AllocationRejectForm(_ActionForm):
    reason = _forms.CharField(label=_lazy("reason for rejection"), max_length=300,
                              widget=_forms.Textarea(attrs={"rows": 3}))


class FundsReportFilterForm(_forms.Form):
    """The report's filters: a policy, a year, a zone (with the zones within it) and a GB/T 4754 division."""

    policy = _forms.ModelChoiceField(label=_lazy("policy"), queryset=None, required=False)
    year = _forms.IntegerField(label=_lazy("year"), required=False, min_value=2000, max_value=2100)
    zone = _forms.ModelChoiceField(label=_lazy("zone"), queryset=None, required=False)
    division = _forms.ChoiceField(label=_lazy("industry (GB/T 4754 division)"), required=False)

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
# (end of this part)
