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


@register.filter
def grade_color(grade):
    """The badge colour of a grade (优秀 A green … 不合格 D red)."""
    from certification.choices import Grade

    return Grade.color(grade) if grade else "secondary"


@register.filter
def round_status_color(status):
    from certification.choices import RoundStatus

    return RoundStatus.color(status) if status else "secondary"
