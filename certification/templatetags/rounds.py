"""Template filters of the assessment pages: points kept in hundredths, written with two decimals."""

from django import template

from certification.scoring import points_text

register = template.Library()


@register.filter
def points(hundredths):
    """8765 → "87.65"; nothing → "—"."""
    if hundredths is None or hundredths == "":
        return "—"
    return points_text(int(hundredths))
