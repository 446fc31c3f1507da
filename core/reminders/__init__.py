"""Reminders raised daily by rules kept as data, and the in-app inbox (ADR 0016).

An app contributes a *kind* of reminder (``register_kind``): a name, a label, the model its records are,
and ``due(today, rule, only=None)``, which yields for one rule the records that call for a reminder now,
each with its due date, its recipients and its text. Core keeps the rules (``ReminderRule``), raises the
reminders once a day and whenever a service asks (``refresh_for``), resolves those whose condition no
longer holds, keeps them in each user's inbox and hands new ones to the senders. Core names no app.
"""

from core.reminders.kinds import Due, audience_ids, register_kind

__all__ = ["Due", "audience_ids", "register_kind", "refresh_for"]


def refresh_for(record, *, today=None) -> None:
    """Evaluate every kind about ``record``'s model for this one record now (after a service changed it):
    reminders it no longer calls for are resolved, new ones raised. Call it inside the service's transaction."""
    from core.reminders.services import reminders_refresh_record

    reminders_refresh_record(record=record, today=today)
