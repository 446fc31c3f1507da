"""Reads of a person's own reminders (nobody reads another's)."""

from functools import cached_property

from core.reminders.models import Reminder


def _open(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return Reminder.objects.none()
    return Reminder.objects.filter(recipient=user, resolved_at__isnull=True)


def reminder_unread_count(*, user) -> int:
    """The bell's number: one count from the partial index on (recipient) of unread open reminders."""
    return _open(user).filter(read_at__isnull=True).count()


def reminder_open(*, user):
    """All the user's open reminders, newest first."""
    return _open(user).select_related("rule").order_by("-raised_at", "-id")


def reminder_inbox(*, user, read: bool = False):
    """The user's open reminders, unread (or read), newest first."""
    return (_open(user).filter(read_at__isnull=not read).select_related("rule")
            .order_by("-raised_at", "-id"))


class Bell:
    """The top bar's bell: counted the first time a page asks, never when it does not."""

    LIMIT = 99

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return reminder_unread_count(user=self.user)

    @property
    def label(self) -> str:
        return f"{self.LIMIT}+" if self.count > self.LIMIT else str(self.count)
