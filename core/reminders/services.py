"""Raising, resolving and reading reminders.

Raising is idempotent: whatever runs it (the daily run, a service's ``refresh_for``, twice in a day), each
person holds at most one open reminder per record and kind, from the nearest rule that applies, and the
database refuses a second row for the same rule, person, record and due date. A kind's rules are locked
while its reminders are raised, so two raisers of one kind run one after the other.
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from core import audit
from core.models import UNRESTRICTED_ROLES
from core.reference.choices import ReminderResolution
from core.reminders.delivery import deliver_on_commit, deliveries_retry
from core.reminders.kinds import KINDS, Kind, kinds_for_model, platform_language
from core.reminders.models import Reminder, ReminderRule
from core.runtime.context import end_memo, start_memo

RAISE = audit.register_event("core.reminders.raise", gettext_lazy("Reminders raised or resolved"))
READ = audit.register_event("core.reminder.read", gettext_lazy("Reminder marked read"))
READ_ALL = audit.register_event("core.reminders.read_all", gettext_lazy("All reminders marked read"))

CHUNK = 500


@dataclass
class Outcome:
    raised: int = 0
    reopened: int = 0
    resolved: int = 0
    updated: int = 0

    def __bool__(self):
        return bool(self.raised or self.reopened or self.resolved)


def reminders_raise(*, today: datetime.date | None = None) -> dict:
    """The daily run: every kind, every record. Returns the counts per kind."""
    today = today or timezone.localdate()
    token = start_memo()  # what scopes resolve (an operator's parks) is read once for the whole run
    try:
        totals = {name: asdict(kind_raise(KINDS[name], today)) for name in sorted(KINDS)}
    finally:
        end_memo(token)
    totals["deliveries retried"] = deliveries_retry()
    return totals


def reminders_refresh_record(*, record, today: datetime.date | None = None) -> None:
    """``refresh_for``: every kind about the record's model, for this record only."""
    today = today or timezone.localdate()
    for kind in kinds_for_model(record._meta.label_lower):
        kind_raise(kind, today, only=[record.pk], record=record)


@transaction.atomic
def kind_raise(kind: Kind, today: datetime.date, *, only: list | None = None, record=None) -> Outcome:
    """Bring the open reminders of one kind (for all records, or ``only`` those ids) in line with its rules
    on ``today``: raise what is due, keep what still is (its text brought up to date), resolve the rest."""
    rules = list(ReminderRule.objects.select_for_update().filter(kind=kind.name).order_by("pk"))
    if not rules:
        return Outcome()
    model = apps.get_model(kind.model)
    content_type = ContentType.objects.get_for_model(model)
    wanted = _wanted(kind, today, rules, only)
    wanted = _within_scope(model, wanted)
    outcome = Outcome()
    now = timezone.now()

    open_rows = Reminder.objects.filter(rule__in=rules, resolved_at__isnull=True)
    if only is not None:
        open_rows = open_rows.filter(content_type=content_type, object_id__in=[str(pk) for pk in only])
    active = {rule.pk: rule.active for rule in rules}
    kept: set = set()
    resolve: dict[str, list[int]] = defaultdict(list)
    changed = []
    for row in open_rows.only("pk", "rule_id", "recipient_id", "object_id", "due_date", "text", "link"):
        key = (row.recipient_id, row.object_id)
        want = wanted.get(key)
        if want and key not in kept and row.rule_id == want[0].pk and row.due_date == want[1]:
            kept.add(key)
            if (row.text, row.link) != (want[2], want[3]):
                row.text, row.link = want[2], want[3]
                changed.append(row)
        elif not active[row.rule_id]:
            resolve[ReminderResolution.RULE_OFF].append(row.pk)
        elif want and want[1] == row.due_date:
            resolve[ReminderResolution.SUPERSEDED].append(row.pk)
        else:
            resolve[ReminderResolution.ENDED].append(row.pk)
    for resolution, ids in resolve.items():
        for start in range(0, len(ids), CHUNK):
            outcome.resolved += Reminder.objects.filter(pk__in=ids[start:start + CHUNK]).update(
                resolved_at=now, resolution=resolution)
    if changed:
        Reminder.objects.bulk_update(changed, ["text", "link"], batch_size=CHUNK)
        outcome.updated = len(changed)

    new = {key: want for key, want in wanted.items() if key not in kept}
    sent = []
    reopened = _reopen(rules, content_type, new, now)
    sent.extend(reopened)
    outcome.reopened = len(reopened)
    created = Reminder.objects.bulk_create([
        Reminder(rule=rule, recipient_id=user_id, content_type=content_type, object_id=object_id, due_date=due,
                 text=text, link=link, raised_at=now)
        for (user_id, object_id), (rule, due, text, link) in new.items()
    ], batch_size=CHUNK)
    outcome.raised = len(created)
    sent.extend(r.pk for r in created)
    if outcome:
        audit.record_event(RAISE, user=None, instance=record, data={
            "kind": kind.name, "date": today, "raised": outcome.raised, "reopened": outcome.reopened,
            "resolved": outcome.resolved})
    deliver_on_commit(sent)
    return outcome


def _wanted(kind: Kind, today, rules, only) -> dict:
    """{(user id, record id as text): (rule, due date, text, link)}: for each person and record the nearest
    active rule that calls for a reminder (rules are asked nearest first)."""
    wanted = {}
    with translation.override(platform_language()):
        for rule in sorted((r for r in rules if r.active), key=lambda r: (r.days_before, r.pk)):
            for due in kind.evaluate(today, rule, only):
                object_id = str(due.record.pk)
                text = str(due.text)[:300]
                link = due.record.get_absolute_url()[:200]
                for user in due.recipients:
                    wanted.setdefault((getattr(user, "pk", user), object_id), (rule, due.due_date, text, link))
    return wanted


def _within_scope(model, wanted: dict) -> dict:
    """Only what each person may see: an operator is never reminded of another operator's lease, whatever a
    kind names. Inactive accounts get nothing."""
    by_user: dict[int, set[str]] = defaultdict(set)
    for user_id, object_id in wanted:
        by_user[user_id].add(object_id)
    users = get_user_model().objects.in_bulk(list(by_user))
    to_pk = model._meta.pk.to_python
    kept = set()
    for user_id, object_ids in by_user.items():
        user = users.get(user_id)
        if user is None or not user.is_active:
            continue
        if user.role in UNRESTRICTED_ROLES:
            kept.update((user_id, o) for o in object_ids)
            continue
        ordered = sorted(object_ids)
        for start in range(0, len(ordered), CHUNK):
            chunk = [to_pk(o) for o in ordered[start:start + CHUNK]]
            visible = model._default_manager.for_user(user).filter(pk__in=chunk).values_list("pk", flat=True)
            kept.update((user_id, str(pk)) for pk in visible)
    return {key: want for key, want in wanted.items() if key in kept}


def _reopen(rules, content_type, new: dict, now) -> list[int]:
    """Reminders resolved earlier that are due again (a date moved back): opened again, unread, instead of a
    second row for the same occasion. Taken out of ``new``; returns their ids."""
    if not new:
        return []
    object_ids = sorted({object_id for _user, object_id in new})
    found = []
    for start in range(0, len(object_ids), CHUNK):
        rows = Reminder.objects.filter(rule__in=rules, content_type=content_type, resolved_at__isnull=False,
                                       object_id__in=object_ids[start:start + CHUNK])
        for row in rows:
            key = (row.recipient_id, row.object_id)
            want = new.get(key)
            if want and row.rule_id == want[0].pk and row.due_date == want[1]:
                row.text, row.link = want[2], want[3]
                row.resolved_at, row.resolution, row.read_at, row.raised_at = None, "", None, now
                found.append(row)
                del new[key]
    Reminder.objects.bulk_update(found, ["text", "link", "resolved_at", "resolution", "read_at", "raised_at"],
                                 batch_size=CHUNK)
    return [row.pk for row in found]


# ----- reading ------------------------------------------------------------------------------------------------
def _own(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return Reminder.objects.none()
    return Reminder.objects.filter(recipient=user, resolved_at__isnull=True)


@transaction.atomic
def reminder_read(*, user, pk: int) -> Reminder:
    """Mark one of the user's own open reminders read (another person's is not found)."""
    reminder = _own(user).select_for_update().get(pk=pk)
    if reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at"])
        audit.record_event(READ, user=user, instance=reminder, data={"rule": reminder.rule_id})
    return reminder


@transaction.atomic
def reminders_read_all(*, user) -> int:
    """Mark all the user's open unread reminders read; returns how many."""
    count = _own(user).filter(read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit.record_event(READ_ALL, user=user, data={"count": count})
    return count
