"""The reminder rules' pages (系统管理 › 提醒规则), API and export: the administrator edits the rules here, through
the generic services (audited, like every change)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.reminders.models import ReminderRule
from core.surfaces.base import Column, Surface, register
from core.surfaces.filters import BaseFilterSet, YesNoFilter
from core.surfaces.forms import BaseModelForm


class ReminderRuleForm(BaseModelForm):
    class Meta:
        model = ReminderRule
        fields = ["kind", "title", "applies_to", "days_before", "to_operators", "to_enterprise", "to_bureau", "active"]
        widgets = {"days_before": forms.NumberInput(attrs={"min": 0, "max": 3650})}

    def clean_days_before(self):
        days = self.cleaned_data.get("days_before")
        if days is not None and days > 3650:
            raise forms.ValidationError(_("At most 3,650 days (ten years)."))
        return days


class ReminderRuleFilterSet(BaseFilterSet):
    active = YesNoFilter(label=_("active"))

    search_lookups = ("title__icontains", "kind__icontains")

    class Meta:
        model = ReminderRule
        fields = ["q", "kind", "active"]


reminder_rule = register(Surface(
    model=ReminderRule, filterset=ReminderRuleFilterSet, form=ReminderRuleForm, slug="reminder-rules",
    columns=[Column("title", link=True), Column("kind"), Column("applies_to"), Column("days_before"),
             Column("audience", label=_("audience"), order_by=None), Column("active")],
    default_sort="kind",
))
