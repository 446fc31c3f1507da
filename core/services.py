"""Plain create, update and delete for every registered model, with permission, scope and audit.

Model-specific services (e.g. an app's ``lease_create``) call these with a ``check``
that runs inside the same transaction after the row and its many-to-many links are written,
so a rule that fails rolls the whole write back.
"""

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from core import audit
from core.access.permissions import ADD, CHANGE, DELETE, ensure_can, in_scope, may_set_field
from core.reference.choices import ChangeAction


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


def save_or_explain(instance, *, user=None, m2m: dict | None = None, **save_kwargs) -> None:
    """Save ``instance`` (and set its many-to-many links); when the database refuses because another writer
    got there first (a unique code or credit code taken meanwhile, a related record deleted meanwhile), raise
    the ValidationError its validation gives now that the other row is there, never the IntegrityError.

    The check before a save reads what was committed then; only the database's constraint sees what another
    transaction commits in between, so this is where the two meet. On PostgreSQL foreign keys are checked at
    commit: they are checked here instead, while the error can still be explained."""
    adding = instance._state.adding
    try:
        with transaction.atomic():
            instance.save(**save_kwargs)
            for name, values in (m2m or {}).items():
                getattr(instance, name).set(values)
            if connection.vendor == "postgresql":
                connection.check_constraints()
    except IntegrityError as exc:
        if adding:
            instance.pk, instance._state.adding = None, True
        raise clash_error(instance, user) from exc


def clash_error(instance, user=None) -> ValidationError:
    """Why the stored rows refuse ``instance``, in the words its validation uses (a model may word it for the
    user with ``clash_errors(user)``, e.g. without naming an enterprise outside the user's scope)."""
    explain = getattr(instance, "clash_errors", None)
    errors = explain(user) if explain else None
    if errors:
        return ValidationError(errors)
    try:
        instance.clean_fields()
        instance.validate_unique()
        instance.validate_constraints()
    except ValidationError as error:
        return error
    return ValidationError(_("Another change was saved at the same moment and conflicts with this one; "
                             "nothing was saved. Check the data and save again."))


def full_clean_for(instance, user) -> None:
    """``instance.full_clean()``; a unique value another record has (a check that another writer may have won
    since the form's) is worded as the model words it for this user (``clash_errors``), as in clash_error."""
    try:
        instance.full_clean()
    except ValidationError as error:
        explain = getattr(instance, "clash_errors", None)
        clash = explain(user) if explain and hasattr(error, "error_dict") else None
        for name, messages in (clash or {}).items():
            if any(e.code == "unique" for e in error.error_dict.get(name, ())):
                error.error_dict[name] = [ValidationError(m, code="unique") for m in messages]
        raise


def locked_for_user(user, model, pk):
    """The row, locked until the transaction ends, within the user's scope; deleted meanwhile (by someone else
    while this person was editing it) is a message, not an error page."""
    try:
        return model._default_manager.for_user(user).select_for_update().get(pk=pk)
    except ObjectDoesNotExist as exc:
        raise ValidationError(_("This record was deleted, or moved outside the data you manage, while you were working on it.")) from exc


def users_link_check(model, m2m: dict) -> None:
    """Accounts linked to a record (``model.user_links``: field → role) have that record's role: an operator's
    users are park operators, an enterprise's are enterprise accounts. The accounts' rows are locked (in id
    order) before their roles are read, and core.accounts.views.user_save locks the same row before it changes a
    role, so a role changed at the same moment comes wholly before this link (refused here) or after it
    (refused there)."""
    from django.contrib.auth import get_user_model

    from core.reference.choices import Role

    errors = {}
    for name, role in getattr(model, "user_links", {}).items():
        if name not in m2m:
            continue
        ids = sorted({getattr(u, "pk", u) for u in m2m[name]})
        accounts = list(get_user_model().objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        wrong = [a.username for a in accounts if a.role != role]
        if wrong or len(accounts) != len(ids):
            errors[name] = _("Only %(role)s accounts can be linked here; not %(users)s.") % {
                "role": Role(role).label, "users": "、".join(wrong) or "—"}
    if errors:
        raise ValidationError(errors)


def _ensure_still_in_scope(user, instance) -> None:
    if not in_scope(user, instance):
        raise ValidationError(_("The result would be outside the data you manage; nothing was saved."))


def refuse_fields_beyond_role(user, model, data: dict, instance=None) -> None:
    """A field the model reserves for some roles (``field_roles``, core.access.permissions.may_set_field) keeps its
    stored value (or its default, for a new record) when anyone else writes the record: a value given for it
    is refused, naming the field, whichever page, import or API call gave it. Clearing a yes/no flag (e.g.
    withdrawing a confirmation) is not a privilege and passes."""
    errors = {}
    for name in getattr(model, "field_roles", {}):
        if name not in data or may_set_field(user, model, name):
            continue
        field = model._meta.get_field(name)
        value = data[name]
        if field.get_internal_type() == "BooleanField":
            if not value:
                continue
            given, current = True, bool(field.value_from_object(instance)) if instance is not None else bool(field.get_default())
        elif field.many_to_many:  # ids compared as text: a JSON body gives them as numbers or strings
            given = sorted(str(getattr(v, "pk", v)) for v in (value or ()))
            current = sorted(str(pk) for pk in getattr(instance, name).values_list("pk", flat=True)) if instance is not None and instance.pk else []
        else:
            given = str(getattr(value, "pk", value))
            current = str(field.value_from_object(instance) if instance is not None
                          else field.get_default() if field.has_default() else None)
        if given == current:
            continue
        errors[name] = _("Your role may not set this field; it is kept as it was.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def object_create(*, user, model, data: dict, check: Callable | None = None, preset: dict | None = None):
    """Create one object from cleaned data, audited; refuse one that would fall outside the user's scope.
    ``preset``: values the calling service sets itself (after the fields the role may not set are checked)."""
    ensure_can(user, ADD, model)
    refuse_fields_beyond_role(user, model, data)
    data = {**data, **(preset or {})}
    _ensure_related_in_scope(user, model, data)
    plain, m2m = _split_m2m(model, data)
    instance = model(**plain)
    full_clean_for(instance, user)
    users_link_check(model, m2m)
    save_or_explain(instance, user=user, m2m=m2m)
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
    instance = locked_for_user(user, model, instance.pk)
    refuse_fields_beyond_role(user, model, data, instance)
    before = audit.snapshot(instance)
    _ensure_related_in_scope(user, model, data)
    plain, m2m = _split_m2m(model, data)
    for name, value in plain.items():
        setattr(instance, name, value)
    full_clean_for(instance, user)
    users_link_check(model, m2m)
    save_or_explain(instance, user=user, m2m=m2m)
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
    attached = _attachment_count(instance)
    if attached:
        raise ValidationError(
            _("%(object)s cannot be deleted: it has %(count)d attachment(s); remove them first.")
            % {"object": before.get("name") or str(instance), "count": attached})
    if blockers:
        raise ValidationError(
            _("%(object)s cannot be deleted: related records (%(kinds)s) still refer to it.")
            % {"object": before.get("name") or str(instance), "kinds": "、".join(blockers)}
        )


def _attachment_count(instance) -> int:
    """Attachments point at their record by type and id, which the database cannot protect; the record's row is
    locked here, and an attachment is only added under the same lock (core.attachments.services)."""
    from django.contrib.contenttypes.models import ContentType

    from core.attachments.registry import attachable_for
    from core.models import Attachment

    if attachable_for(type(instance)) is None:
        return 0
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(type(instance)),
                                     object_id=instance.pk).count()


@transaction.atomic
def object_delete(*, user, instance, check: Callable | None = None) -> None:
    """Delete an object the user may delete; refuse (in Chinese) when other records still point at it."""
    model = type(instance)
    ensure_can(user, DELETE, model)
    instance = locked_for_user(user, model, instance.pk)
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


# ----- versions of rules kept as data (certification schemes, support policies) ----------------------------------
