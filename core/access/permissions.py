"""Who may do what. Roles give actions per model; scopes (ScopedQuerySet.for_user) give which rows.

Admins and officers may view, add, change and delete every registered model; leaders only view;
operators and enterprise users get what each model lists in ``role_actions``.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.reference.choices import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTION_LETTERS = {VIEW: "v", ADD: "a", CHANGE: "c", DELETE: "d"}


def user_active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_may(user, action: str, model) -> bool:
    """Whether the user's role may ``action`` (view/add/change/delete) some rows of ``model``."""
    if not user_active(user):
        return False
    role = user.role
    if getattr(model, "admin_only", False):
        return role == Role.BUREAU_ADMIN
    if role in (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER):
        return True
    if role == Role.LEADER:
        return action == VIEW
    letters = getattr(model, "role_actions", {}).get(role, "")
    return ACTION_LETTERS[action] in letters


def ensure_can(user, action: str, model) -> None:
    if not role_may(user, action, model):
        raise PermissionDenied(_("You do not have permission to do this."))


# The declared actions (core.actions) answer for a verb beyond view/add/change/delete. core.actions hands its
# lookups down when it is imported, so that this layer needs nothing above it; before that no action exists.
DECLARED_ACTIONS: dict = {}


def answer_actions_with(*, action_for, allowed, check) -> None:
    """How ``may`` and ``ensure`` find a declared action and ask it (called once, by core.actions)."""
    DECLARED_ACTIONS.update(action_for=action_for, allowed=allowed, check=check)


def may(user, verb: str, target) -> bool:
    """The one question services, pages, the API and templates ask: may ``user`` do ``verb`` to ``target``?

    ``verb`` is view/add/change/delete or a declared action's verb (core.actions); ``target`` is a model
    (may the role do it at all?) or a record (the role, the record's scope, and for an action the record's
    present state). The service that does the thing asks it again under its lock (``ensure``)."""
    model = target if isinstance(target, type) else type(target)
    record = None if isinstance(target, type) else target
    if verb in ACTION_LETTERS:
        return role_may(user, verb, model) and (
            record is None or (in_scope(user, record) and not record_refusal(record, verb)))
    if not DECLARED_ACTIONS:
        return False
    declared = DECLARED_ACTIONS["action_for"](model, verb)
    return declared is not None and DECLARED_ACTIONS["allowed"](user, declared, record)


def record_refusal(record, verb: str) -> str | None:
    """What a record's own state says against changing or deleting it, in words (a renewed lease is kept as it
    was): the model's ``refusal(verb)`` when it declares one. The service refuses with these words; pages leave
    out the button."""
    declared = getattr(record, "refusal", None)
    return declared(verb) if declared else None


def ensure(user, verb: str, target) -> None:
    """``may`` or raise: PermissionDenied for the role or the scope, core.actions.Refused for the state."""
    model = target if isinstance(target, type) else type(target)
    record = None if isinstance(target, type) else target
    if verb in ACTION_LETTERS:
        if not may(user, verb, target):
            raise PermissionDenied(_("You do not have permission to do this."))
        return
    declared = DECLARED_ACTIONS["action_for"](model, verb) if DECLARED_ACTIONS else None
    if declared is None:
        raise PermissionDenied(_("You do not have permission to do this."))
    DECLARED_ACTIONS["check"](user, declared, record)


def in_scope(user, instance) -> bool:
    model = type(instance)
    return model._default_manager.for_user(user).filter(pk=instance.pk).exists()


def may_set_field(user, model, name: str) -> bool:
    """Whether ``user`` may give a value to ``model``'s field ``name``: a model reserves a field for some roles
    with ``field_roles = {"registered_by": (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER)}``. Services refuse
    (core.services.refuse_fields_beyond_role); forms leave such a field out (core.surfaces.forms.BaseModelForm)."""
    roles = getattr(model, "field_roles", {}).get(name)
    return roles is None or (user_active(user) and user.role in roles)
