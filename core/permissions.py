"""Who may do what. Roles give actions per model; scopes (ScopedQuerySet.for_user) give which rows.

Admins and officers may view, add, change and delete every registered model; leaders only view;
operators and enterprise users get what each model lists in ``role_actions``.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .choices import Role

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
ACTION_LETTERS = {VIEW: "v", ADD: "a", CHANGE: "c", DELETE: "d"}


def role_may(user, action: str, model) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
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


def in_scope(user, instance) -> bool:
    model = type(instance)
    return model._default_manager.for_user(user).filter(pk=instance.pk).exists()


def can_reveal_personal_data(user) -> bool:
    return bool(user and user.is_authenticated and user.role in (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER))
