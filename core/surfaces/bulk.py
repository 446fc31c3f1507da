"""Bulk edit and bulk delete of a list's rows, each object through its surface's own services.

A bulk edit sets the same values on many objects. Each object's edit form is filled with the object's current
values, the new values are put over them, the form validates, and ``surface.update`` saves the cleaned data
exactly as the edit page would: every rule of the edit page holds (a lease's overlap check, a unit's status
following its leases, the user's scope), and every change is recorded by the service. A bulk delete deletes each
object through ``surface.delete``.

All or nothing: one transaction. When any object fails, nothing is kept and every failure is reported, naming
the object, the field and the reason. The rows are locked (in the order the surface's services lock them) before
their values are read, so the values put back are the stored ones. The change records of one bulk operation
share one request id, and a domain event records the operation as a whole.

Permissions are decided here, not in the view: ``may_bulk`` is the one place that asks the role.
"""

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.access.permissions import CHANGE, DELETE, ensure_can, role_may
from core.runtime.context import current_request_id, end_memo, end_request, start_memo, start_request
from core.surfaces.forms import refuse_control_characters, refuse_implausible_dates

BULK_UPDATE = audit.register_event("core.bulk.update", gettext_lazy("Bulk edit"))
BULK_DELETE = audit.register_event("core.bulk.delete", gettext_lazy("Bulk delete"))


def bulk_max() -> int:
    """The most rows one bulk operation may touch (``YUANQU_BULK_MAX``)."""
    return settings.YUANQU_BULK_MAX


# ----- permission: the one place a bulk operation asks the role ------------------------------------------------
def may_bulk(user, verb: str, model) -> bool:
    """Whether ``user`` may change (``CHANGE``) or delete (``DELETE``) records of ``model`` in bulk."""
    return role_may(user, verb, model)


def _require(user, verb: str, model) -> None:
    ensure_can(user, verb, model)


# ----- outcomes ----------------------------------------------------------------------------------------------------
@dataclass
class Failure:
    """One object that refused the operation: its name, its page and each (field name, field label, message)."""

    pk: int
    name: str
    url: str = ""
    errors: list[tuple[str | None, str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [f"{label}：{message}" if label else message for _name, label, message in self.errors]


class BulkRefused(ValidationError):
    """The request itself is refused (selection, limit, fields) before any object is touched."""


class BulkFailed(ValidationError):
    """Some objects refused; the whole operation was rolled back. ``failures`` lists each of them."""

    def __init__(self, model, failures: list[Failure], total: int):
        self.failures = failures
        self.total = total
        kind = model._meta.verbose_name
        super().__init__([
            _("%(kind)s “%(object)s”: %(reason)s") % {"kind": kind, "object": f.name, "reason": "；".join(f.lines())}
            for f in failures
        ])


@dataclass
class BulkResult:
    count: int  # objects the operation went through
    changed: int  # of which actually changed (edit) or deleted (delete)
    request_id: str
    dry_run: bool = False


class _DryRun(Exception):
    def __init__(self, result):
        self.result = result


@contextlib.contextmanager
def _one_request_id():
    """The change records of one operation share a request id; outside a request (a command, a test) one is made,
    and what the scopes resolve is read once for the operation, as within a request (core.runtime.context.memo)."""
    if current_request_id():
        yield current_request_id()
        return
    token, kept = start_request(), start_memo()
    try:
        yield current_request_id()
    finally:
        end_memo(kept)
        end_request(token)


# ----- what is selected ------------------------------------------------------------------------------------------------
def too_many_message(count: int) -> str:
    return _("At most %(max)d records can be changed or deleted at once; %(count)d are selected. "
             "Narrow the filter and try again.") % {"max": bulk_max(), "count": count}


def bulk_selection(*, user, surface, selection) -> list[int]:
    """The ids, in id order, of the selected records within the user's scope.

    ``selection`` is a queryset (a list's whole filter, run again on the server: it is narrowed to the user's
    scope) or the ids a person ticked: one that is not in the user's scope (or no longer exists) refuses the
    whole request, since the person chose something they cannot have seen. More than ``YUANQU_BULK_MAX`` is
    refused too, with a message."""
    model = surface.model
    scoped = model._default_manager.for_user(user)
    cap = bulk_max()
    if isinstance(selection, models.QuerySet):
        if selection.model is not model:
            raise BulkRefused(_("The selection is not of this list."))
        chosen = scoped.filter(pk__in=selection.order_by().values("pk"))
        ids = list(chosen.order_by("pk").values_list("pk", flat=True)[:cap + 1])
        if len(ids) > cap:
            raise BulkRefused(too_many_message(chosen.count()))
    else:
        wanted = set()
        for value in selection:
            text = str(value).strip()
            if not text.isdigit() or len(text) > 15:
                raise BulkRefused(_("The selection holds “%(value)s”, which is not a record of this list; "
                                    "nothing was changed.") % {"value": text[:20]})
            wanted.add(int(text))
        if len(wanted) > cap:
            raise BulkRefused(too_many_message(len(wanted)))
        ids = sorted(scoped.filter(pk__in=wanted).values_list("pk", flat=True))
        missing = len(wanted) - len(ids)
        if missing:
            raise BulkRefused(_("%(count)d of the selected records do not exist or are outside the data you manage; "
                                "nothing was changed.") % {"count": missing})
    if not ids:
        raise BulkRefused(_("Select at least one record."))
    return ids


def _lock(surface, ids: list[int]) -> None:
    """Lock the selected rows before their values are read, the way the surface's services lock them."""
    if surface.lock is not None:
        surface.lock(ids)
    else:
        list(surface.model._default_manager.select_for_update().filter(pk__in=ids).order_by("pk")
             .values_list("pk", flat=True))


def _objects(surface, user, ids: list[int]) -> Iterable:
    return surface.queryset(user).filter(pk__in=ids).order_by("pk")


# ----- bulk edit ---------------------------------------------------------------------------------------------------
def bulk_field_fit(model, name: str) -> bool:
    """A field set to one value on many records: a plain field, a choice or a foreign key; not a many-to-many,
    not a field that must differ from record to record (unique alone or with others: codes, credit codes), and
    not personal data (its value would be written, unmasked, into the operation's event)."""
    if name in getattr(model, "personal_fields", ()):
        return False
    try:
        model_field = model._meta.get_field(name)
    except Exception:
        return True  # a form's own field (an industry typed as a code): the form decides
    if model_field.many_to_many or not model_field.concrete or model_field.primary_key or model_field.unique:
        return False
    unique_sets = [set(group) for group in model._meta.unique_together]
    unique_sets += [set(c.fields) for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    return not any(name in group for group in unique_sets)


def bulk_edit_fields(surface, user) -> list[str]:
    """The fields ``user`` may set in bulk on this surface: those the surface offers (``bulk_fields``) that the
    user's edit form has and that suit a bulk edit (``bulk_field_fit``), in the surface's order."""
    if not surface.bulk_fields or not may_bulk(user, CHANGE, surface.model):
        return []
    form = surface.form(user=user)
    return [n for n in surface.bulk_fields if n in form.fields and bulk_field_fit(surface.model, n)
            and not form.fields[n].disabled]


def bulk_values_check(*, user, surface, values: dict) -> dict[str, list[str]]:
    """Errors of the new values themselves (a rent that is not a number, a required field left empty), by field,
    before any object is tried: one message beside the field instead of one per record."""
    offered = bulk_edit_fields(surface, user)
    form = surface.form(user=user)
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        if name not in offered:
            errors[name] = [_("This field cannot be set in bulk.")]
            continue
        form_field = form.fields[name]
        refuse_control_characters(form_field)
        refuse_implausible_dates(form_field)
        try:
            form_field.clean(value)
        except ValidationError as error:
            errors[name] = error.messages
    return errors


def _label(form, model, name: str) -> str:
    if name in (None, "__all__"):
        return ""
    if form is not None and name in form.fields:
        return str(form.fields[name].label or name)
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return ""


def _failure(obj, error, form=None) -> Failure:
    """The object and each message of ``error`` (a ValidationError, a form's errors or a refusal) with its field."""
    model = type(obj)
    failure = Failure(pk=obj.pk, name=str(obj), url=obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "")
    if isinstance(error, dict):
        items = error.items()
    elif isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        items = error.message_dict.items()
    elif isinstance(error, ValidationError):
        items = [(None, error.messages)]
    else:
        items = [(None, [str(error) or _("You do not have permission to do this.")])]
    for name, messages in items:
        label = _label(form, model, name)
        for message in messages:
            failure.errors.append((None if name in (None, "__all__") else name, label, str(message)))
    return failure


def current_form_data(form) -> dict:
    """What an unbound edit form holds for its object: sent back unchanged, it changes nothing (masked personal
    data included: core.access.personal keeps the stored value when the mask comes back)."""
    return {name: form[name].value() for name, form_field in form.fields.items() if not form_field.disabled}


def _edit_one(surface, user, obj, values: dict):
    """Save ``obj`` with ``values`` over its current ones through the surface's update service.

    Returns (the saved object, None) or (None, its Failure)."""
    blank = surface.form(instance=obj, user=user)
    fixed = {name: blank.fields[name] for name in values if name in blank.fields and blank.fields[name].disabled}
    if fixed:  # a leased unit's status follows its leases: the edit page shows it greyed out
        return None, _failure(obj, {name: [_("Cannot be changed for this record.") + (
            f"（{str(form_field.help_text).rstrip('。.')}）" if form_field.help_text else "")]
            for name, form_field in fixed.items()}, blank)
    form = surface.form(data={**current_form_data(blank), **values}, instance=obj, user=user)
    if not form.is_valid():
        return None, _failure(obj, {name: list(messages) for name, messages in form.errors.items()}, form)
    try:
        with transaction.atomic():
            return surface.update(user=user, instance=obj, data=form.cleaned_data), None
    except (ValidationError, PermissionDenied) as error:
        return None, _failure(obj, error, form)


def objects_bulk_update(*, user, surface, selection, values: dict, dry_run: bool = False) -> BulkResult:
    """Set ``values`` (field → the value as a browser sends it) on every selected record, each through the
    surface's update service with its edit form's checks. All or nothing (BulkFailed lists every record that
    refused); ``dry_run`` goes through every record and keeps nothing (a preview)."""
    model = surface.model
    _require(user, CHANGE, model)
    if not values:
        raise BulkRefused(_("Choose at least one field to change."))
    errors = bulk_values_check(user=user, surface=surface, values=values)
    if errors:
        form = surface.form(user=user)
        raise BulkRefused({name: [f"{_label(form, model, name) or name}：{m}" for m in messages]
                           for name, messages in errors.items()})
    ids = bulk_selection(user=user, surface=surface, selection=selection)
    with _one_request_id() as request_id:
        try:
            with transaction.atomic():
                _lock(surface, ids)
                failures, seen, changed = [], set(), 0
                for obj in _objects(surface, user, ids):
                    seen.add(obj.pk)
                    before = audit.snapshot(obj, many=False)
                    saved, failure = _edit_one(surface, user, obj, values)
                    if failure:
                        failures.append(failure)
                    elif saved is None or audit.snapshot(saved, many=False) != before:
                        changed += 1
                failures += _vanished(model, ids, seen)
                if failures:
                    raise BulkFailed(model, failures, len(ids))
                audit.record_event(BULK_UPDATE, user=user, data={
                    "model": model._meta.label_lower, "fields": values, "count": len(ids), "changed": changed,
                    "ids": ids})
                result = BulkResult(count=len(ids), changed=changed, request_id=request_id, dry_run=dry_run)
                if dry_run:
                    raise _DryRun(result)
        except _DryRun as done:
            return done.result
    return result


def _vanished(model, ids, seen) -> list[Failure]:
    """Records deleted (or moved out of the user's scope) between the selection and the lock."""
    return [Failure(pk=pk, name=f"#{pk}", errors=[(None, "", _(
        "This record was deleted, or moved outside the data you manage, while you were working on it."))])
        for pk in ids if pk not in seen]


# ----- bulk delete -------------------------------------------------------------------------------------------------
def _delete_one(surface, user, obj):
    try:
        with transaction.atomic():
            surface.delete(user=user, instance=obj)
    except (ProtectedError, RestrictedError) as exc:
        blockers = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        kinds = "、".join(sorted({str(type(o)._meta.verbose_name) for o in blockers}))
        return _failure(obj, ValidationError(_("Related records (%(kinds)s) still refer to it.") % {"kinds": kinds}))
    except (ValidationError, PermissionDenied) as error:
        return _failure(obj, error)
    return None


def objects_bulk_delete(*, user, surface, selection, dry_run: bool = False) -> BulkResult:
    """Delete every selected record through the surface's delete service. All or nothing: a record that others
    still refer to (a building with units, an enterprise with leases) or that its service refuses stops the
    whole deletion, and BulkFailed names each one with its reason. Records that refer to one another within the
    selection are deleted in the order that works (a zone's sub-zones before the zone)."""
    model = surface.model
    _require(user, DELETE, model)
    ids = bulk_selection(user=user, surface=surface, selection=selection)
    with _one_request_id() as request_id:
        try:
            with transaction.atomic():
                _lock(surface, ids)
                pending = list(_objects(surface, user, ids))
                failures = _vanished(model, ids, {o.pk for o in pending})
                while pending:
                    refused = [(obj, f) for obj in pending if (f := _delete_one(surface, user, obj))]
                    if len(refused) == len(pending):
                        failures += [f for _obj, f in refused]
                        break
                    pending = [obj for obj, _f in refused]  # another pass: what held them may be gone now
                if failures:
                    raise BulkFailed(model, sorted(failures, key=lambda f: f.pk), len(ids))
                audit.record_event(BULK_DELETE, user=user, data={
                    "model": model._meta.label_lower, "count": len(ids), "ids": ids})
                result = BulkResult(count=len(ids), changed=len(ids), request_id=request_id, dry_run=dry_run)
                if dry_run:
                    raise _DryRun(result)
        except _DryRun as done:
            return done.result
    return result
