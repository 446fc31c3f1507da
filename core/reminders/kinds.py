"""The registry of reminder kinds. Apps register theirs when they are ready; core never names them."""

import datetime
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings


class Due(NamedTuple):
    """One record that calls for a reminder under a rule (a kind's ``due`` may yield plain tuples too)."""

    record: object  # a model instance with get_absolute_url()
    due_date: datetime.date  # the day the reminder is about (a lease's end, a certificate's last valid day)
    recipients: Iterable  # users or user ids; core keeps only those who may see the record
    text: str  # one sentence in the platform's language, naming the record and the date


@dataclass(frozen=True)
class Kind:
    name: str  # "<app label>.<what>": the app that registers it, and what it reminds of
    label: object  # shown to the administrator choosing a rule's kind
    model: str  # the records' model label, "app_label.ModelName": refresh_for(record) finds its kinds by it
    due: Callable
    # Sub-sorts of record a rule may be limited to (a qualification's kind): [(value, label)]; empty for none.
    applies_to: tuple = ()
    takes_only: bool = field(default=False, compare=False)

    def evaluate(self, today: datetime.date, rule, only: list | None = None) -> Iterable[Due]:
        """``due`` for the rule; with ``only`` (record ids) just those records."""
        if only is None:
            return (Due(*item) for item in self.due(today, rule))
        if self.takes_only:
            return (Due(*item) for item in self.due(today, rule, only=only))
        wanted = {str(pk) for pk in only}
        return (Due(*item) for item in self.due(today, rule) if str(item[0].pk) in wanted)


KINDS: dict[str, Kind] = {}


def register_kind(name: str, label, *, due: Callable, model: str, applies_to=()) -> Kind:
    """Contribute a kind of reminder. ``due(today, rule[, only=None])`` yields ``Due(record, due_date,
    recipients, text)`` for every record the rule calls a reminder for on ``today``; when it accepts ``only``
    (a list of record ids) it limits itself to those, which makes ``refresh_for`` cheap. ``model`` is the
    records' label ("app_label.ModelName")."""
    takes_only = "only" in inspect.signature(due).parameters
    kind = Kind(name=name, label=label, model=model.lower(), due=due, applies_to=tuple(applies_to),
                takes_only=takes_only)
    KINDS[name] = kind
    return kind


def kind_for(name: str) -> Kind | None:
    return KINDS.get(name)


def kinds_for_model(label_lower: str) -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.model == label_lower]


def kind_choices():
    """The model field's choices (a callable, so that kinds registered when the apps are ready are offered)."""
    return sorted(((kind.name, kind.label) for kind in KINDS.values()), key=lambda choice: choice[0])


def applies_to_choices():
    """Every kind's sub-sorts, grouped under the kind's label."""
    return [(kind.label, list(kind.applies_to)) for _name, kind in sorted(KINDS.items()) if kind.applies_to]


def audience_ids(rule, *, operators: Iterable = (), enterprise: Iterable = ()) -> set[int]:
    """The user ids a rule's audience names for one record: the operator accounts of the record's park
    (``operators``), the enterprise's own accounts (``enterprise``), and the bureau's administrators and
    officers. Core then keeps only those who may see the record."""
    ids: set[int] = set()
    if rule.to_operators:
        ids.update(getattr(u, "pk", u) for u in operators)
    if rule.to_enterprise:
        ids.update(getattr(u, "pk", u) for u in enterprise)
    if rule.to_bureau:
        ids.update(bureau_ids())
    return ids


def bureau_ids() -> list[int]:
    """The active administrators and officers (read once per run: core.runtime.context.memo)."""
    from django.contrib.auth import get_user_model

    from core.reference.choices import Role
    from core.runtime.context import memo

    return memo(("reminders-bureau",), lambda: list(get_user_model().objects.filter(
        is_active=True, role__in=(Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)).values_list("pk", flat=True)))


def days_left(today: datetime.date, day: datetime.date) -> int:
    return (day - today).days


def platform_language() -> str:
    """Reminder texts are stored in the platform's language (they are read later, by anyone)."""
    return settings.LANGUAGE_CODE
