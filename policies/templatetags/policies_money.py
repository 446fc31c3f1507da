"""Amounts held in fen (policies' money fields) as pages show them, in yuan with two decimals
(core.rules.yuan_text)."""

from django import template

from core.rules import yuan_text

register = template.Library()


@register.filter
def yuan(fen):
    """120000000 → "1,200,000.00" (the column or the words around it say 元); "—" for none."""
    return yuan_text(fen, unit=False)


@register.filter
def yuan_unit(fen):
    """120000000 → "1,200,000.00 元"; "—" for none."""
    return yuan_text(fen)
