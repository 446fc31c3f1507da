from django import forms
from django.core.exceptions import ValidationError


class BaseModelForm(forms.ModelForm):
    """A model form whose choices are limited to what the user may see, styled for Bootstrap."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "for_user") and user is not None:
                field.queryset = queryset.for_user(user)
            style_widget(field.widget)

    def apply_service_error(self, error: ValidationError) -> None:
        """Show a service's refusal beside the field it names (or above the form)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


def style_widget(widget) -> None:
    if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
        css = "form-check-input"
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        css = "form-select"
    else:
        css = "form-control"
    existing = widget.attrs.get("class", "")
    widget.attrs["class"] = f"{existing} {css}".strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
