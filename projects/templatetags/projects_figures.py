"""Figures of projects' pages: basis points as per cent, fen as yuan."""

from django import template

from core.rules import percent_text, yuan_text
from core.rules.types import MISSING

register = template.Library()


@register.filter
def percent_bp(value) -> str:
    """9600 → "96.00%"; none or MISSING → "—" (core.rules.percent_text)."""
    return percent_text(value)


@register.filter
def yuan_fen(value) -> str:
    """An amount in fen as yuan with thousands separators: 123456 → "1,234.56"."""
    if value is None or value is MISSING:
        return "—"
    return yuan_text(int(value), unit=False)
