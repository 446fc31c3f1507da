"""``{% readable_changes changes object as rows %}``: change records as people read them (core.audit.changes)."""

from django import template

from core.audit.changes import district_time
from core.audit.changes import readable_changes as rows_of

register = template.Library()


@register.simple_tag(takes_context=True)
def readable_changes(context, changes, instance=None):
    """The change records ``changes`` for the page's user; ``instance`` is the object the page shows."""
    return rows_of(changes, user=context["request"].user, instance=instance)


@register.filter(name="district_time")
def district_time_filter(value):
    """A stored time in the district's time zone (2026-06-30 14:05:00)."""
    return district_time(value) if value else "—"
