"""Amounts held in fen (policies' money fields), as pages show them: 1,234.56 (the column or the words say 元)."""

from django import template

from core.rules import money_to_yuan

register = template.Library()


@register.filter
def yuan(fen):
    """Fen → "1,234.56"; "—" for none."""
    if fen is None or fen == "":
        return "—"
    return f"{money_to_yuan(int(fen)):,.2f}"
