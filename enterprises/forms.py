from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.access.permissions import may_set_field
from core.reference.choices import Role
from core.reference.validators import normalise_credit_code
from core.surfaces.forms import ActionForm, BaseModelForm, DateInput, style_widget

from .choices import IndustryLevel
from .models import Contact, Enterprise, FinancialYear, IndustryCategory, Qualification, credit_code_clash


class IndustryField(forms.CharField):
    """Choose a GB/T 4754-2017 class by typing its code (6510) or its name (软件开发)."""

    page_templates = ("enterprises/industry_datalist.html",)

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "industry-classes", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, IndustryCategory):
            return str(value)
        if value and isinstance(value, str) and value.isdigit():
            category = IndustryCategory.objects.filter(pk=value).first()
            return str(category) if category else value
        return value

    def clean(self, value):
        value = super().clean(value)
        text = (value or "").strip()
        if not text:
            return None
        known = self.__dict__.setdefault("_matches", {})  # one form checking many rows (an import) asks once
        if text in known:
            return known[text]
        known[text] = self._match(text)
        return known[text]

    def _match(self, text):
        code = text.split()[0]
        classes = IndustryCategory.objects.filter(level=IndustryLevel.CLASS)
        match = classes.filter(pk=code).first() if code.isdigit() else None
        if match is None:
            name = text[len(code):].strip() if code.isdigit() else text
            match = classes.filter(name=name).first()
        if match is None:
            raise ValidationError(
                _("No GB/T 4754-2017 class matches “%(value)s”: give a 4-digit class code or a class name."),
                params={"value": text},
            )
        return match


class EnterpriseField(forms.ModelChoiceField):
    """Choose an enterprise by typing its name, pinyin or credit code (a district has 150,000 of them:
    no select box). The browser offers matches from ``enterprises:enterprise_options``; the field
    accepts "<credit code> <name>", a bare credit code, or an id (the API)."""

    takes_codes = True  # an 18-digit credit code is not an oversized id
    page_templates = ("enterprises/enterprise_datalist.html",)  # filled by yuanqu.js as the user types

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Enterprise.objects.all())
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "list": "enterprise-options", "autocomplete": "off",
            "data-enterprise-search": reverse_lazy("enterprises:enterprise_options"),
            "placeholder": _("Type a name, pinyin initials or credit code"),
        }))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Enterprise):
            return f"{value.credit_code} {value.name}"
        if value and str(value).isdigit():
            found = self.queryset.filter(pk=value).first()
            return f"{found.credit_code} {found.name}" if found else value
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) or (str(value).isdigit() and len(str(value)) < 18):
            return super().to_python(value)
        code = normalise_credit_code(str(value).split()[0])
        found = self.queryset.filter(credit_code=code).first()
        if found is None:
            raise ValidationError(
                _("No enterprise you manage matches “%(value)s”: pick one from the suggestions."),
                params={"value": value},
            )
        return found


class EnterpriseForm(BaseModelForm):
    """The check itself is the model's (Enterprise.clean); the form adds the officer's confirmation."""

    # Longer than 18: people paste codes with spaces or full-width digits; they are normalised.
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=40)
    industry = IndustryField(label=_("industry (GB/T 4754-2017)"), required=False)
    confirm_credit_code = forms.BooleanField(
        label=_("Store this credit code although it fails the check"), required=False,
        help_text=_("Only when the code is exactly as in the registry. The enterprise will be flagged."),
    )

    class Meta:
        model = Enterprise
        fields = [
            "name", "credit_code", "confirm_credit_code", "industry", "established_on", "registered_capital",
            "address", "moved_in_on", "moved_out_on", "description", "registered_by", "users",
        ]
        widgets = {"established_on": DateInput(), "moved_in_on": DateInput(), "moved_out_on": DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"moved_in_on": _("Left empty for an enterprise founded in the district: its date established counts.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widget(self.fields["industry"].widget)
        style_widget(self.fields["credit_code"].widget)
        self.fields["confirm_credit_code"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk and self.instance.credit_code_exception:
            self.fields["confirm_credit_code"].initial = True
        if "users" in self.fields:  # the administrator's (Enterprise.field_roles)
            self.fields["users"].queryset = self.fields["users"].queryset.filter(role=Role.ENTERPRISE)
        if self.user is not None and not may_set_field(self.user, Enterprise, "credit_code_exception"):
            # Only officers may store a code that fails the check (Enterprise.field_roles); an operator's
            # registrations are its own, set by enterprise_create.
            self.fields.pop("confirm_credit_code")

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data.get("credit_code", ""))
        clash = credit_code_clash(code, exclude_pk=self.instance.pk, user=self.user)
        if clash:
            raise ValidationError(clash)
        return code

    def validate_unique(self):
        # clean_credit_code said it in the user's words; a code taken after that check is the service's to word
        # the same way (core.services.full_clean_for, save_or_explain), not Django's generic message.
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"credit_code"})
        except ValidationError as error:
            self._update_errors(error)

    def clean(self):
        cleaned = super().clean()
        confirmed = bool(cleaned.pop("confirm_credit_code", False))
        # Seen by Enterprise.clean (which also keeps an earlier confirmation of an unchanged code), which the form runs next; the service stores it.
        self.instance.credit_code_exception = confirmed
        cleaned["credit_code_exception"] = confirmed
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # Enterprise.clean clears the flag when the code passes.
        if "credit_code_exception" in self.cleaned_data:
            self.cleaned_data["credit_code_exception"] = self.instance.credit_code_exception


class QualificationForm(BaseModelForm):
    enterprise = EnterpriseField(label=_("enterprise"))

    class Meta:
        model = Qualification
        fields = ["enterprise", "kind", "level", "certificate_number", "issued_on", "valid_until"]
        widgets = {"issued_on": DateInput(), "valid_until": DateInput()}
        help_texts = {"valid_until": _("Left empty, it follows from the date issued and the rule in force.")}


class ContactForm(BaseModelForm):
    enterprise = EnterpriseField(label=_("enterprise"))

    class Meta:
        model = Contact
        fields = ["enterprise", "name", "title", "mobile", "email"]


class FinancialYearForm(BaseModelForm):
    enterprise = EnterpriseField(label=_("enterprise"))

    class Meta:
        model = FinancialYear
        fields = ["enterprise", "year", "revenue", "rd_expense", "tax_paid", "source"]
        help_texts = {"revenue": _("Operating revenue of the whole year, in yuan."),
                      "source": _("Where the figures come from, e.g. the audited annual report or the tax return.")}


class MoveOutForm(ActionForm):
    moved_out_on = forms.DateField(label=_("moved out of the district on"), widget=DateInput(),
                                   help_text=_("The day its registration left the district."))
