"""Reminders go to the senders after the transaction that raised them commits, as background tasks; each
sender's outcome per reminder is a ``ReminderDelivery`` row, and failed ones are tried again daily."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from core.reminders.models import Reminder, ReminderDelivery
from core.reminders.senders import configured_senders

logger = logging.getLogger("yuanqu.reminders")

CHUNK = 1000
# A delivery that failed this many times is not tried again (its error stays on record).
MAX_ATTEMPTS = 3


@task()
def reminders_deliver(ids: list[int]) -> int:
    return deliver(ids)


def deliver_on_commit(ids: list[int]) -> None:
    """Queue the reminders for the senders once the current transaction has committed (never before: a
    reminder rolled back must not have been sent)."""
    ids = list(ids)
    if not ids:
        return

    def enqueue():
        for start in range(0, len(ids), CHUNK):
            reminders_deliver.enqueue(ids[start:start + CHUNK])

    transaction.on_commit(enqueue)


def deliver(ids: list[int]) -> int:
    """Hand each open reminder to each configured sender that has not sent it yet; returns how many sends
    succeeded. A sender that raises is recorded as failed; the others still send."""
    senders = configured_senders()
    sent_already = set(ReminderDelivery.objects.filter(reminder_id__in=ids, sent_at__isnull=False)
                       .values_list("reminder_id", "sender"))
    succeeded = 0
    for reminder in Reminder.objects.filter(pk__in=ids, resolved_at__isnull=True).select_related("recipient"):
        for sender in senders:
            if (reminder.pk, sender.name) in sent_already:
                continue
            now = timezone.now()
            try:
                sender.send(reminder)
            except Exception as exc:  # a failing channel must not lose the reminder or stop the others
                logger.exception("reminder %s: sender %s failed", reminder.pk, sender.name)
                _record(reminder, sender.name, now, error=f"{type(exc).__name__}: {exc}"[:2000])
            else:
                _record(reminder, sender.name, now, error="")
                succeeded += 1
    return succeeded


def _record(reminder, sender: str, now, *, error: str) -> None:
    delivery, _created = ReminderDelivery.objects.get_or_create(reminder=reminder, sender=sender)
    ReminderDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1, last_attempt=now, error=error, sent_at=None if error else now)


def deliveries_retry() -> int:
    """Queue again the open reminders whose delivery failed fewer than MAX_ATTEMPTS times (the daily run)."""
    ids = sorted(set(ReminderDelivery.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, reminder__resolved_at__isnull=True,
    ).values_list("reminder_id", flat=True)))
    deliver_on_commit(ids)
    return len(ids)
