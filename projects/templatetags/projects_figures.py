"""Figures of projects' pages: basis points as per cent, fen as yuan."""

from django import template

from core.rules import yuan_text
from core.rules.types import MISSING

register = template.Library()


@register.filter
def percent_bp(value) -> str:
    """9600 → "96.00%"; none or MISSING → "—"."""
    if value is None or value is MISSING or value == "":
        return "—"
    value = int(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}%"


@register.filter
def yuan_fen(value) -> str:
    """An amount in fen as yuan with thousands separators: 123456 → "1,234.56"."""
    if value is None or value is MISSING:
        return "—"
    return yuan_text(int(value), unit=False)
