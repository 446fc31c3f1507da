"""Senders hand a reminder to a channel outside the platform: a text message, enterprise WeChat, e-mail.

YUANQU_REMINDER_SENDERS names the classes to use (dotted paths); by default only ``LogSender``, which writes
a line to the log. A later app adds a channel with a class of its own::

    class SmsSender(Sender):
        def send(self, reminder):
            gateway.send(mobile_of(reminder.recipient), reminder.text)  # raise on failure

``send`` raises to say it failed: the reminder stays in the inbox whatever happens, the failure is recorded
(``ReminderDelivery``) and the next daily run tries again. Senders run after the transaction that raised the
reminder has committed, in the background worker (core.reminders.delivery).
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("yuanqu.reminders")


class Sender:
    """One channel. ``name`` is what deliveries record; by default the class's dotted path."""

    @property
    def name(self) -> str:
        return f"{type(self).__module__}.{type(self).__qualname__}"

    def send(self, reminder) -> None:
        raise NotImplementedError


class LogSender(Sender):
    """Writes each reminder to the log (logger ``yuanqu.reminders``): the default, and a record of what the
    other channels were asked to send."""

    def send(self, reminder) -> None:
        logger.info("reminder %s to %s (due %s): %s", reminder.pk, reminder.recipient.username,
                    reminder.due_date.isoformat(), reminder.text)


def configured_senders() -> list[Sender]:
    return [import_string(path)() for path in settings.YUANQU_REMINDER_SENDERS]


def check_senders(app_configs=None, **kwargs):
    """System check: every class YUANQU_REMINDER_SENDERS names can be imported and has ``send`` (a typo would
    otherwise show only when the first reminder fails to go out)."""
    from django.core.checks import Error

    errors = []
    for path in settings.YUANQU_REMINDER_SENDERS:
        try:
            sender = import_string(path)
        except ImportError as exc:
            errors.append(Error(f"YUANQU_REMINDER_SENDERS: cannot import {path!r} ({exc}).", id="yuanqu.E101"))
            continue
        if not callable(getattr(sender, "send", None)):
            errors.append(Error(f"YUANQU_REMINDER_SENDERS: {path!r} has no send(reminder) method.", id="yuanqu.E102"))
    return errors
