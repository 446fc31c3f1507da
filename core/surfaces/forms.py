import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _

from core.access.personal import MaskedPersonalFields
from core.reference import control_characters


class BaseModelForm(MaskedPersonalFields, forms.ModelForm):
    """A model form whose choices are limited to what the user may see, styled for Bootstrap; personal data
    is shown masked (core.access.personal).

    A field of an app's own kind may say how the edit page shows it (templates/core/object_edit.html):
    ``input_template``, a template rendered in place of the input with the bound field as ``field`` (a list
    of checkboxes that reloads when another field changes), and ``page_templates``, templates included once
    after the form's fields (the ``<datalist>`` its input names)."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if user is not None:
            from core.access.permissions import may_set_field

            # What the service would refuse from this user is not offered (core.services.refuse_fields_beyond_role).
            for name in [n for n in self.fields if not may_set_field(user, self._meta.model, n)]:
                self.fields.pop(name)
        id_fields = [name for name, field in self.fields.items()
                     if isinstance(field, forms.ModelChoiceField) and not getattr(field, "takes_codes", False)]
        self.data = without_oversized_ids(self.data, id_fields)
        self.initial = without_oversized_ids(self.initial, id_fields)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "for_user") and user is not None:
                field.queryset = queryset.for_user(user)
            style_widget(field.widget)

    def full_clean(self):
        # Here rather than in __init__, so that fields a subclass adds later are guarded as well.
        for field in self.fields.values():
            refuse_control_characters(field)
            refuse_implausible_dates(field)
        super().full_clean()

    @property
    def page_templates(self) -> list[str]:
        """What the fields ask to be included after them, in the fields' order, each template once."""
        templates = []
        for field in self.fields.values():
            templates += [t for t in getattr(field, "page_templates", ()) if t not in templates]
        return templates

    @property
    def has_field_errors(self) -> bool:
        """Errors on fields, not only on the whole form (a rule refused by a service)."""
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    @property
    def fields_with_errors(self) -> list:
        """The bound fields that have errors, in the form's order (the summary above the form names them)."""
        return [field for field in self if field.errors]

    def apply_service_error(self, error: ValidationError) -> None:
        """Show a service's refusal beside the field it names (or above the form)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


def refuse_control_characters(field) -> None:
    """Refuse a control character in the value a field receives, before the field converts it or looks
    anything up with it (core/reference/control_characters.py says which; a multi-line field keeps tabs and line
    breaks), and in what it returns (the strings of parsed JSON)."""
    if getattr(field, "refuses_control_characters", False):
        return
    multiline = isinstance(field.widget, forms.Textarea)
    clean = field.clean

    def guarded(value, *args, **kwargs):
        control_characters.refuse(value, multiline=multiline)
        cleaned = clean(value, *args, **kwargs)
        control_characters.refuse(cleaned, multiline=True)
        return cleaned

    field.clean = guarded
    # Its message would repeat the one above for NUL.
    field.validators = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
    field.refuses_control_characters = True


# Every date the platform stores lies in these years: a typed 9999 is a slip, and the services' date arithmetic
# (a certificate's validity, the day after a lease) would otherwise run past Python's last year, 9999.
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2199, 12, 31)


def refuse_implausible_dates(field) -> None:
    """A date field of any model form (edit pages, the API, imports) refuses a day outside FIRST_DATE …
    LAST_DATE with a message; a blank optional date stays allowed."""
    if isinstance(field, forms.DateField) and not getattr(field, "refuses_implausible_dates", False):
        field.validators = [*field.validators, plausible_date]
        field.refuses_implausible_dates = True


def plausible_date(value) -> None:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(
            _("Give a date between %(first)s and %(last)s."), code="implausible_date",
            params={"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()})


# A choice id longer than this cannot exist and would overflow the database's integer (SQLite: 64-bit).
LONGEST_ID = 15


def without_oversized_ids(values, names):
    """Replace impossible ids by "0", which a choice field then refuses as an invalid choice."""
    if not values or not any(name in values for name in names):
        return values
    cleaned = values.copy()
    for name in names:
        if name not in values:
            continue
        if hasattr(values, "getlist"):
            items = values.getlist(name)
            cleaned.setlist(name, [_bounded(v) for v in items])
        elif isinstance(values[name], (list, tuple)):
            cleaned[name] = [_bounded(v) for v in values[name]]
        else:
            cleaned[name] = _bounded(values[name])
    return cleaned


def _bounded(value):
    text = str(value).strip()
    return "0" if text.lstrip("-").isdigit() and len(text.lstrip("-")) > LONGEST_ID else value


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


class ActionForm(forms.Form):
    """The inputs of an action (core.actions): a date, a reason, an amount. Knows the record and the user, so a
    choice can be limited to what fits them (the units of the lease's park); styled and guarded like the
    model forms. Its cleaned data are the keyword arguments of the action's service."""

    def __init__(self, data=None, *, obj=None, user=None, initial=None):
        self.obj = obj
        self.user = user
        super().__init__(data, initial=initial)
        id_fields = [name for name, field in self.fields.items() if isinstance(field, forms.ModelChoiceField)]
        self.data = without_oversized_ids(self.data, id_fields)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "for_user") and user is not None:
                field.queryset = queryset.for_user(user)
            style_widget(field.widget)

    def full_clean(self):
        for field in self.fields.values():
            refuse_control_characters(field)
            refuse_implausible_dates(field)
        super().full_clean()

    has_field_errors = BaseModelForm.has_field_errors
    fields_with_errors = BaseModelForm.fields_with_errors
    apply_service_error = BaseModelForm.apply_service_error
