"""Change records and domain events. Every write in a service ends here."""

import datetime
import decimal
import json
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from core.models import EVENT_LABELS, DomainEvent, ObjectChange, event_label  # noqa: F401  (event_label: audit's API)
from core.runtime.context import current_batch_id, current_request_id


def register_event(name: str, label) -> str:
    """Give a domain event (``<app>.<entity>.<verb>``) its human name (a lease's ``terminate`` → "提前解约");
    returns the name."""
    EVENT_LABELS[name] = label
    return name


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name  # the stored file's name, not its content
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, many: bool = True) -> dict:
    """The instance's stored fields (foreign keys as ids, many-to-many as sorted id lists unless ``many`` is
    False: an import that does not touch them leaves them out instead of querying each row's)."""
    data = {}
    exclude = set(getattr(instance, "audit_exclude", ()))
    opts = instance._meta
    for field in opts.concrete_fields:
        if field.primary_key or field.name in exclude:
            continue
        data[field.name] = _plain(field.value_from_object(instance))
    if instance.pk is not None and many:
        for field in opts.many_to_many:
            if field.name in exclude:
                continue
            data[field.name] = sorted(getattr(instance, field.name).values_list("pk", flat=True))
    return data


def record_change(*, instance, action: str, user, before: dict | None, after: dict | None) -> ObjectChange:
    return ObjectChange.objects.create(
        user=user if user and user.is_authenticated else None,
        user_name=getattr(user, "username", "") or "",
        request_id=current_request_id(),
        batch_id=current_batch_id(),
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        data_before=before,
        data_after=after,
    )


def record_changes_bulk(*, model, user, rows: list[tuple[str, object, str, dict | None, dict | None]],
                        chunk: int = 2000) -> None:
    """Many change records at once (an import): ``rows`` of (action, object id, object repr, before, after).

    Written with the database driver's executemany: the ORM's per-value preparation would cost more than
    the import's own writes. Same columns and values as ``record_change``.
    """
    if not rows:
        return
    from django.db import connection

    table = ObjectChange._meta.db_table
    quote = connection.ops.quote_name
    columns = ["time", "user_id", "user_name", "request_id", "batch_id", "action", "content_type_id", "object_id",
               "object_repr", "data_before", "data_after"]
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None and user.is_authenticated else None
    user_name = getattr(user, "username", "") or ""
    request_id = current_request_id()
    batch_id = current_batch_id()
    content_type_id = ContentType.objects.get_for_model(model).pk

    def as_json(value):
        return None if value is None else json.dumps(value, ensure_ascii=False)

    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            cursor.executemany(sql, [
                (now, user_id, user_name, request_id, batch_id, action, content_type_id, str(object_id), object_repr[:200],
                 as_json(before), as_json(after))
                for action, object_id, object_repr, before, after in rows[start:start + chunk]
            ])


def record_event(name: str, *, user, instance=None, data: dict | None = None) -> DomainEvent:
    return DomainEvent.objects.create(
        user=user if user and user.is_authenticated else None,
        user_name=getattr(user, "username", "") or "",
        request_id=current_request_id(),
        name=name,
        content_type=ContentType.objects.get_for_model(type(instance)) if instance is not None else None,
        object_id=str(instance.pk) if instance is not None else "",
        object_repr=str(instance)[:200] if instance is not None else "",
        data=_plain(data or {}),
    )


def changes_for(instance):
    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).select_related("user")


def events_for(instance):
    return DomainEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    )
