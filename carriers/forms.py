from django import forms
from django.utils.translation import gettext_lazy as _

from core.surfaces.forms import ActionForm, BaseModelForm, DateInput
from enterprises.forms import EnterpriseField

from .choices import CarrierLevel
from .models import ENDED, Carrier


class CarrierForm(BaseModelForm):
    host_enterprise = EnterpriseField(label=_("host enterprise"), required=False)

    class Meta:
        model = Carrier
        fields = ["code", "name", "kind", "level", "status", "approved_on", "approving_body", "approval_document",
                  "host_enterprise", "host_institution", "zone", "building", "field", "target_level", "notes"]
        widgets = {"approved_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Revoking and upgrading are actions with their own dates and reasons; the form sets up or runs a carrier.
        if "status" not in self.fields:
            return
        if self.instance.pk and self.instance.status in ENDED:
            self.fields["status"].disabled = True  # kept as its action left it
        else:
            self.fields["status"].choices = [(value, label) for value, label in self.fields["status"].choices
                                             if value not in ENDED]


class RevokeForm(ActionForm):
    ended_on = forms.DateField(label=_("revoked on"), widget=DateInput())
    end_reason = forms.CharField(label=_("reason"), max_length=200)


class UpgradeForm(ActionForm):
    level = forms.ChoiceField(label=_("new level"), choices=CarrierLevel.choices)
    approved_on = forms.DateField(label=_("date approved"), widget=DateInput())
    code = forms.CharField(label=_("code of the upgraded carrier"), max_length=40)
    name = forms.CharField(label=_("name at the new level"), max_length=200)
    approving_body = forms.CharField(label=_("approving body"), max_length=100, required=False)
    approval_document = forms.CharField(label=_("approval document"), max_length=200, required=False)
