"""Plain create, update and delete for every registered model, with permission, scope and audit.

Model-specific services (e.g. ``leasing.services.lease_create``) call these with a ``check``
that runs inside the same transaction after the row and its many-to-many links are written,
so a rule that fails rolls the whole write back.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from . import audit
from .choices import ChangeAction
from .permissions import ADD, CHANGE, DELETE, ensure_can, in_scope


def _split_m2m(model, data: dict) -> tuple[dict, dict]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


def _ensure_related_in_scope(user, model, data: dict) -> None:
    """Every object the data points at must be one the user may see (forms limit choices; this holds
    for the API and imports too)."""
    errors = {}
    for name, value in data.items():
        try:
            field = model._meta.get_field(name)
        except Exception:
            continue
        if not field.is_relation or value is None:
            continue
        related = field.related_model
        if not hasattr(related._default_manager, "for_user"):
            continue
        values = list(value) if field.many_to_many else [value]
        pks = {getattr(v, "pk", v) for v in values}
        if related._default_manager.for_user(user).filter(pk__in=pks).count() != len(pks):
            errors[name] = _("Includes records outside the data you manage.")
    if errors:
        raise ValidationError(errors)


def _ensure_still_in_scope(user, instance) -> None:
    if not in_scope(user, instance):
        raise ValidationError(_("The result would be outside the data you manage; nothing was saved."))


@transaction.atomic
def object_create(*, user, model, data: dict, check: Callable | None = None):
    """Create one object from cleaned data, audited; refuse one that would fall outside the user's scope."""
    ensure_can(user, ADD, model)
    _ensure_related_in_scope(user, model, data)
    plain, m2m = _split_m2m(model, data)
    instance = model(**plain)
    instance.full_clean()
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    if check:
        check(instance)
    _ensure_still_in_scope(user, instance)
    audit.record_change(
        instance=instance, action=ChangeAction.CREATE, user=user, before=None, after=audit.snapshot(instance)
    )
    return instance


@transaction.atomic
def object_update(*, user, instance, data: dict, check: Callable | None = None):
    """Apply cleaned data to an object the user may change; record before and after."""
    model = type(instance)
    ensure_can(user, CHANGE, model)
    instance = model._default_manager.for_user(user).select_for_update().get(pk=instance.pk)
    before = audit.snapshot(instance)
    _ensure_related_in_scope(user, model, data)
    plain, m2m = _split_m2m(model, data)
    for name, value in plain.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    if check:
        check(instance)
    _ensure_still_in_scope(user, instance)
    after = audit.snapshot(instance)
    if after != before:
        audit.record_change(instance=instance, action=ChangeAction.UPDATE, user=user, before=before, after=after)
    return instance


def _refuse_if_linked(instance, before: dict) -> None:
    """Many-to-many links are not protected by the database: a unit still named by a lease stays."""
    blockers = []
    for relation in type(instance)._meta.related_objects:
        if relation.many_to_many and getattr(instance, relation.get_accessor_name()).exists():
            blockers.append(str(relation.related_model._meta.verbose_name))
    if blockers:
        raise ValidationError(
            _("%(object)s cannot be deleted: related records (%(kinds)s) still refer to it.")
            % {"object": before.get("name") or str(instance), "kinds": "、".join(blockers)}
        )


@transaction.atomic
def object_delete(*, user, instance, check: Callable | None = None) -> None:
    """Delete an object the user may delete; refuse (in Chinese) when other records still point at it."""
    model = type(instance)
    ensure_can(user, DELETE, model)
    instance = model._default_manager.for_user(user).select_for_update().get(pk=instance.pk)
    before = audit.snapshot(instance)
    pk = instance.pk
    if check:
        check(instance)
    _refuse_if_linked(instance, before)
    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        blockers = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
        names = sorted({str(type(o)._meta.verbose_name) for o in blockers})
        raise ValidationError(
            _("%(object)s cannot be deleted: %(count)d related record(s) (%(kinds)s) still refer to it.")
            % {"object": before.get("name") or str(instance), "count": len(blockers), "kinds": "、".join(names)}
        ) from exc
    instance.pk = pk
    audit.record_change(instance=instance, action=ChangeAction.DELETE, user=user, before=before, after=None)
