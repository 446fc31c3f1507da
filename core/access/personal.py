"""Masking of personal data (PIPL: minimise, mask by default).

A model names its personal fields in ``personal_fields`` (and may give a field its own mask in
``audit_masked``). Every place that shows a stored value of such a field shows ``mask_field``'s text instead:
change records (core.audit.changes), the API (core.surfaces.api), the Django admin (core.admin) and the edit form
(``MaskedPersonalFields``, mixed into every BaseModelForm). The full value is read only through an audited
reveal, a service of the app that owns the model (``contact_reveal`` for contacts).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MASK = "*"


def mask_name(name: str) -> str:
    """张三丰 → 张**."""
    return (name[0] + MASK * max(1, len(name) - 1)) if name else ""


def mask_mobile(mobile: str) -> str:
    """13812345678 → 138****5678."""
    digits = "".join(c for c in mobile if c.isdigit())
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return MASK * len(mobile) if mobile else ""


def mask_field(model, name: str, value) -> str | None:
    """The masked text of a stored value of ``model.name`` (``None``: the field is not personal data).

    A model maps fields to functions of the stored value in ``audit_masked`` (``{"mobile": mask_mobile}``);
    otherwise its ``personal_fields`` are masked as names, or as mobiles when the field's name says so.
    """
    masked = getattr(model, "audit_masked", None) or {}
    if name in masked:
        return masked[name](str(value))
    if name in getattr(model, "personal_fields", ()):
        return mask_mobile(str(value)) if "mobile" in name else mask_name(str(value))
    return None


def masked_data(model, data):
    """A stored snapshot (a change record's before or after, an event's data) with personal fields masked."""
    if not isinstance(data, dict) or model is None:
        return data
    shown = {}
    for name, value in data.items():
        masked = mask_field(model, name, value) if value not in (None, "") else None
        shown[name] = value if masked is None else masked
    return shown


class MaskedPersonalFields:
    """Form mixin: an existing object's personal fields start masked (张**, 138****5678), never in full.

    Sent back unchanged, a mask keeps the stored value; a new value typed in replaces it; an emptied optional
    field is emptied. A value that still holds the mask character is refused, so that a partly edited mask
    (138****5679) is never stored. Whoever may edit the object may replace these values without seeing them;
    seeing them is the separate, audited reveal. The same holds for the API and imports, which validate with
    the same forms.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            mask = self._stored_mask(name)[0]
            if mask is not None:
                self.initial[name] = mask
                hint = _("Shown masked. Leave it as it is to keep the stored value, or type a new one to replace it.")
                field.help_text = f"{field.help_text} {hint}".strip() if field.help_text else hint

    def _stored_mask(self, name):
        """(mask, stored value) of a personal field of the object being edited; (None, None) otherwise."""
        if self.instance.pk is None:
            return None, None
        stored = getattr(self.instance, name, None)
        if not isinstance(stored, str) or not stored:
            return None, None
        return mask_field(type(self.instance), name, stored), stored

    def clean(self):
        cleaned = super().clean()
        model = type(self.instance)
        for name in self.fields:
            value = cleaned.get(name)
            if not isinstance(value, str) or mask_field(model, name, value) is None:
                continue
            mask, stored = self._stored_mask(name)
            if mask is not None and value == mask:
                cleaned[name] = stored
            elif MASK in value:
                self.add_error(name, ValidationError(
                    _("Type the whole value: a masked value (with *) cannot be stored."), code="masked"))
        return cleaned
