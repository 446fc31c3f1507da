"""Change records and domain events. Every write in a service ends here."""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .context import current_request_id
from .models import DomainEvent, ObjectChange

EVENT_LABELS: dict[str, str] = {}


def register_event(name: str, label) -> str:
    """Give a domain event its human name ("leasing.lease.terminate" → "提前解约"); returns the name."""
    EVENT_LABELS[name] = label
    return name


def event_label(name: str) -> str:
    return str(EVENT_LABELS.get(name, name))


def _plain(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model) -> dict:
    """The instance's stored fields (foreign keys as ids, many-to-many as sorted id lists)."""
    data = {}
    exclude = set(getattr(instance, "audit_exclude", ()))
    opts = instance._meta
    for field in opts.concrete_fields:
        if field.primary_key or field.name in exclude:
            continue
        data[field.name] = _plain(field.value_from_object(instance))
    if instance.pk is not None:
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
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        data_before=before,
        data_after=after,
    )


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
