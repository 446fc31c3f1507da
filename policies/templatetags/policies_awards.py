"""Template filters of awards' pages: money held in fen, shown in yuan."""

from django import template

from core.rules import money_to_yuan

register = template.Library()


@register.filter
def fen_yuan(value) -> str:
    """1234500 (fen) → "12,345.00 元"; None → "—"."""
    if value is None or value == "":
        return "—"
    return f"{money_to_yuan(int(value)):,.2f} 元"
