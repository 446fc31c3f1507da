"""Badge colours of certification's records (their ChoiceSets carry the colours)."""

from django import template

from certification import choices

register = template.Library()

TONES = {
    ("application", "status"): choices.ApplicationStatus,
    ("certification", "status"): choices.CertificationStatus,
    ("certification", "level"): choices.SchemeLevel,
    ("incubatee", "exit_reason"): choices.ExitReason,
}


@register.filter
def tone(record, field_name: str) -> str:
    """The Bootstrap colour of ``record``'s choice field ``field_name`` (secondary when it has none)."""
    choice_set = TONES.get((record._meta.model_name, field_name))
    return choice_set.color(getattr(record, field_name)) if choice_set else "secondary"
