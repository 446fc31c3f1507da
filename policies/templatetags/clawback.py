"""Amounts of policy support as pages show them: stored in fen, read in yuan with two decimals."""

from django import template

from core.rules import money_to_yuan

register = template.Library()


@register.filter
def fen_yuan(fen):
    """120000000 → "1,200,000.00" (the column or label says 元)."""
    if fen is None or fen == "":
        return "—"
    return f"{money_to_yuan(int(fen)):,.2f}"
