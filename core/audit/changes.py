"""Change records as people read them, on every page that shows one.

A change record stores what a save wrote: foreign keys and many-to-many links as ids, choices as codes,
times in UTC (core.audit.snapshot). Shown as stored, an enterprise user reads "园区 — #33" and an officer
reads "leased" and "True". This module turns a page of records into rows of (field, before, after) in the
words of the pages around them:

- related objects by name, resolved with one query per related model through its scoped queryset
  (``Model.objects.for_user``), so a name is shown only to someone who may see that object. The objects the
  viewed object links to now are named too, as its own page names them (a lease's park and units, for the
  enterprise that holds it). Anything else outside the viewer's scope reads （无权查看）, never an id;
- choices by their labels (已出租), yes/no as 是/否, amounts and dates as the lists write them, times in
  the district's time zone (settings.TIME_ZONE, Asia/Shanghai);
- no empty fields on a create or a delete, and no internal fields (password, last login, staff and
  superuser flags, groups, permissions; a model's ``audit_exclude``);
- personal data masked: see ``personal_value``, the one hook for it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access.personal import mask_field
from core.models import UNRESTRICTED_ROLES, ObjectChange, User
from core.reference.choices import yes_no

NOT_VISIBLE = gettext_lazy("(not visible to you)")
DELETED = gettext_lazy("(deleted)")
EMPTY = "—"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

# Kept by Django for its own machinery; never a change a person needs to read.
INTERNAL_FIELDS = frozenset({
    "password", "last_login", "is_staff", "is_superuser", "groups", "user_permissions",
})


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass
class ReadableChange:
    record: ObjectChange
    time: str
    fields: list[FieldChange] = field(default_factory=list)


def district_time(value: datetime.datetime) -> str:
    """A stored time in the district's time zone, as the change records write it (2026-06-30 14:05:00)."""
    if value.tzinfo is None:
        return value.strftime(TIME_FORMAT)
    return value.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime(TIME_FORMAT)


def personal_value(model, name: str, value, user) -> str | None:
    """The text shown for a personal-data field (``None``: the field is not personal data).

    The hook for masking in change records: ``core.access.personal.mask_field``. ``user`` is the viewer, for a rule
    that depends on who looks.
    """
    return mask_field(model, name, value)


def readable_changes(changes, *, user, instance=None) -> list[ReadableChange]:
    """The records ``changes`` (an iterable of ObjectChange) as rows people read, for the viewer ``user``;
    ``instance`` is the object whose page shows them, if there is one."""
    records = list(changes)
    names = _Names(user, instance)
    planned = []
    for record in records:
        model = ContentType.objects.get_for_id(record.content_type_id).model_class()
        entries = list(_changed(model, record))
        for model_field, _name, before, after in entries:
            if model_field is not None and model_field.is_relation and model_field.related_model is not None:
                names.want(model_field.related_model, before, after)
        planned.append((record, model, entries))
    names.resolve()
    rows = []
    for record, model, entries in planned:
        rows.append(ReadableChange(record=record, time=district_time(record.time), fields=[
            FieldChange(name=name, label=_label(model_field, name),
                        before=_display(model, model_field, name, before, names, user),
                        after=_display(model, model_field, name, after, names, user))
            for model_field, name, before, after in entries
        ]))
    return rows


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _changed(model, record):
    """(model field or None, name, before, after) for each field a person would read, in the model's order."""
    before = record.data_before or {}
    after = record.data_after or {}
    hidden = INTERNAL_FIELDS | set(getattr(model, "audit_exclude", ()) if model else ())
    order = {}
    if model is not None:
        order = {f.name: i for i, f in enumerate([*model._meta.concrete_fields, *model._meta.many_to_many])}
    names = sorted(set(before) | set(after), key=lambda n: (order.get(n, len(order)), n))
    for name in names:
        old, new = before.get(name), after.get(name)
        if name in hidden or old == new or (_empty(old) and _empty(new)):
            continue
        try:
            model_field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            model_field = None  # a field since removed: its stored value is shown as written
        yield model_field, name, old, new


def _label(model_field, name: str) -> str:
    return str(model_field.verbose_name) if model_field is not None and hasattr(model_field, "verbose_name") else name


def _display(model, model_field, name, value, names, user) -> str:
    if _empty(value):
        return EMPTY
    personal = personal_value(model, name, value, user)
    if personal is not None:
        return personal
    if model_field is None or not hasattr(model_field, "get_internal_type"):
        return str(value)
    if model_field.many_to_many:
        ids = value if isinstance(value, list) else [value]
        return "、".join(names.name(model_field.related_model, pk) for pk in ids)
    if model_field.is_relation and model_field.related_model is not None:
        return names.name(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    kind = model_field.get_internal_type()
    if isinstance(value, bool) or kind in ("BooleanField", "NullBooleanField"):
        return yes_no(value)
    if kind == "DecimalField":
        try:
            return f"{Decimal(str(value)):,.{model_field.decimal_places}f}"
        except (InvalidOperation, TypeError, ValueError):
            return str(value)
    if kind == "DateField" and isinstance(value, str):
        try:
            return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    if kind == "DateTimeField" and isinstance(value, str):
        try:
            return district_time(datetime.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, dict) and value.get("type") in ("Polygon", "MultiPolygon"):
        rings = value["coordinates"] if value["type"] == "Polygon" else [r for p in value["coordinates"] for r in p]
        return _("Boundary with %(n)d points") % {"n": sum(len(ring) for ring in rings)}
    return str(value)


def _visible(model, user):
    """The objects of ``model`` the viewer may see: its scoped queryset (for accounts, one's own unless the
    viewer's role is unrestricted: User.objects.for_user); reference data (industries, departments) for
    everyone."""
    manager = model._default_manager
    return manager.for_user(user) if hasattr(manager, "for_user") else manager.all()


class _Names:
    """The names of the related objects a page of change records mentions, one query per model."""

    def __init__(self, user, instance):
        self.user = user
        self.instance = instance
        self.wanted: dict = {}
        self.found: dict = {}

    def want(self, model, *values):
        ids = self.wanted.setdefault(model, set())
        for value in values:
            if _empty(value):
                continue
            ids.update(str(v) for v in (value if isinstance(value, list) else [value]))

    def resolve(self):
        restricted = not _unrestricted(self.user)
        for model, ids in self.wanted.items():
            if ids:
                self.found[model] = self._names(_visible(model, self.user), ids)
        if restricted and self.instance is not None:
            for model, ids in self._linked_now().items():
                missing = ids & self.wanted.get(model, set()) - set(self.found.get(model, {}))
                if missing:
                    self.found.setdefault(model, {}).update(self._names(model._default_manager.all(), missing))

    @staticmethod
    def _names(queryset, ids) -> dict[str, str]:
        model = queryset.model
        # __str__ of a unit or floor names its building, of a lease its enterprise: joined, not queried per row.
        joined = [f.name for f in model._meta.concrete_fields if f.many_to_one and not f.null]
        return {str(obj.pk): str(obj) for obj in queryset.filter(pk__in=list(ids)).select_related(*joined)}

    def _linked_now(self) -> dict:
        """{model: ids} the viewed object links to now (its page names them), except user accounts."""
        linked: dict = {}
        opts = self.instance._meta
        for model_field in opts.concrete_fields:
            target = model_field.related_model if model_field.many_to_one else None
            value = getattr(self.instance, model_field.attname, None) if target else None
            if target is not None and not issubclass(target, User) and value is not None:
                linked.setdefault(target, set()).add(str(value))
        for model_field in opts.many_to_many:
            target = model_field.related_model
            if issubclass(target, User) or not self.wanted.get(target):
                continue
            ids = getattr(self.instance, model_field.name).values_list("pk", flat=True)
            linked.setdefault(target, set()).update(str(pk) for pk in ids)
        return linked

    def name(self, model, pk) -> str:
        found = self.found.get(model, {}).get(str(pk))
        if found is not None:
            return found
        # An unrestricted viewer sees every object: one it cannot find no longer exists.
        return str(DELETED if _unrestricted(self.user) else NOT_VISIBLE)


def _unrestricted(user) -> bool:
    return getattr(user, "role", None) in UNRESTRICTED_ROLES
