"""The life of a version of rules, written once for every kind of versioned rules (a certification scheme's
versions, a support policy's versions).

- A parent (the scheme, the policy) has at most one draft at a time. The model's partial unique constraint holds
  it when two people start one at the same moment; these services turn the clash into a Chinese refusal.
- Versions are numbered after the parent's last one.
- Only a draft changes or is deleted; a published or retired version is the record of what was decided under it.
- A new draft is started from a published (or retired) version by copying its content.
- Publishing fixes the content hash and who published it; retiring keeps the version as a record.

Each app declares one ``RuleVersions`` with its model, the name of the parent field, the fields a new draft copies
and its own Chinese messages, and keeps its services (with their permissions, actions and checks) as thin calls
into it. The status values are the ones both apps' ``VersionStatus`` share: draft, published, retired.
"""

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core import audit
from core.access.permissions import CHANGE, ensure_can, record_refusal
from core.actions import Refused
from core.reference.choices import ChangeAction
from core.services import object_create, object_delete, object_update

DRAFT, PUBLISHED, RETIRED = "draft", "published", "retired"


class RuleVersions:
    """The draft, copy, publish and retire rules of one versioned model.

    ``parent``: the name of the foreign key to what is versioned ("scheme", "policy").
    ``copied``: the fields a new draft takes from the version it starts from.
    ``draft_exists(parent)``: the message when the parent already has a draft.
    ``moved``: the message when an update tries to move a version to another parent.
    ``taken(day)``: the message when another published version takes effect on the same day.
    ``dependents(version)``: rows deleted with a draft (their deletion is audited too).
    """

    def __init__(self, model, *, parent: str, copied: Iterable[str], draft_exists: Callable[[object], str],
                 moved, taken: Callable[[datetime.date], str], dependents: Callable | None = None):
        self.model = model
        self.parent = parent
        self.copied = tuple(copied)
        self.draft_exists = draft_exists
        self.moved = moved
        self.taken = taken
        self.dependents = dependents

    # ----- reading ----------------------------------------------------------------------------------------------
    def _of(self, parent_id):
        return self.model._default_manager.filter(**{f"{self.parent}_id": parent_id})

    def next_number(self, parent_id) -> int:
        return (self._of(parent_id).aggregate(n=Max("number"))["n"] or 0) + 1

    def has_draft(self, parent_id) -> bool:
        return self._of(parent_id).filter(status=DRAFT).exists()

    def latest(self, version):
        """The parent's version with the highest number (the one a new draft is copied from)."""
        return self._of(getattr(version, f"{self.parent}_id")).order_by("-number").first()

    @staticmethod
    def refuse_if_fixed(version, verb: str) -> None:
        """A published or retired version is not changed or deleted (the model's ``refusal`` says why)."""
        refused = record_refusal(version, verb)
        if refused:
            raise ValidationError(refused)

    # ----- drafts -----------------------------------------------------------------------------------------------
    def create(self, *, user, data: dict, model=None):
        """A new draft, numbered after the parent's last version. Refused with the parent's name when it already
        has a draft, including when the constraint refuses a draft started at the same moment."""
        parent = data.get(self.parent)
        parent_id = getattr(parent, "pk", parent)
        refusal = {self.parent: self.draft_exists(parent)} if parent is not None else None
        if parent is not None and self.has_draft(parent_id):
            raise ValidationError(refusal)
        preset = {"status": DRAFT, "number": self.next_number(parent_id)}
        try:
            with transaction.atomic():
                return object_create(user=user, model=model or self.model, data=data, preset=preset)
        except (ValidationError, IntegrityError):
            if parent is not None and self.has_draft(parent_id):
                raise ValidationError(refusal) from None
            raise

    def update(self, *, user, instance, data: dict):
        """Change a draft, under its row's lock; a version stays with its parent."""
        ensure_can(user, CHANGE, self.model)
        locked = self.model._default_manager.select_for_update().get(pk=instance.pk)
        self.refuse_if_fixed(locked, "change")
        parent = data.get(self.parent)
        if parent is not None and getattr(parent, "pk", parent) != getattr(locked, f"{self.parent}_id"):
            raise ValidationError({self.parent: self.moved})
        return object_update(user=user, instance=locked, data=data)

    def delete(self, *, user, instance) -> None:
        """Delete a draft, and the rows that go with it (each deletion audited)."""
        locked = self.model._default_manager.select_for_update().filter(pk=instance.pk).first()
        if locked is not None:
            self.refuse_if_fixed(locked, "delete")
            for row in (self.dependents(locked) if self.dependents else ()):
                audit.record_change(instance=row, action=ChangeAction.DELETE, user=user, before=audit.snapshot(row),
                                    after=None)
        object_delete(user=user, instance=instance)

    def refuse_second_draft(self, user, version) -> None:
        """An action's condition: no new draft while the parent has one."""
        if self.has_draft(getattr(version, f"{self.parent}_id")):
            raise Refused(self.draft_exists(getattr(version, self.parent)))

    def start_from(self, *, user, source, effective_from: datetime.date):
        """A new draft with ``source``'s content, taking effect on ``effective_from`` once published; audited.
        Two people starting one at the same moment get one draft and one refusal (the constraint)."""
        parent_id = getattr(source, f"{self.parent}_id")
        copy = self.model(**{f"{self.parent}_id": parent_id}, number=self.next_number(parent_id), status=DRAFT,
                          effective_from=effective_from)
        for name in self.copied:
            setattr(copy, name, getattr(source, name))
        try:
            with transaction.atomic():
                copy.full_clean(validate_constraints=False, validate_unique=False)
                copy.save()
        except IntegrityError:
            raise Refused(self.draft_exists(getattr(source, self.parent))) from None
        audit.record_change(instance=copy, action=ChangeAction.CREATE, user=user, before=None,
                            after=audit.snapshot(copy))
        return copy

    # ----- publishing and retiring ------------------------------------------------------------------------------
    def publish(self, instance, *, user, content_hash: str):
        """Publish a draft: its content hash fixed, who and when recorded, audited. Another published version of
        the same parent taking effect on the same day is refused (a unique constraint on the model decides). The
        caller has checked that the version may be published."""
        before = audit.snapshot(instance)
        instance.status = PUBLISHED
        instance.content_hash = content_hash
        instance.published_at = timezone.now()
        instance.published_by = user.username
        try:
            with transaction.atomic():
                instance.save()
        except IntegrityError:
            raise Refused(self.taken(instance.effective_from)) from None
        audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                            after=audit.snapshot(instance))
        return instance

    @staticmethod
    def retire(instance, *, user):
        """Retire a published version: it stays the record of what was decided under it; audited."""
        before = audit.snapshot(instance)
        instance.status = RETIRED
        instance.save(update_fields=["status", "last_updated"])
        audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before,
                            after=audit.snapshot(instance))
        return instance
