from django import template
from django.apps import apps
from django.db import models

from core import actions
from core.access.permissions import may as user_may

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, verb, target):
    """``{% may "view" "<app_label>.<Model>" as can_view %}`` or ``{% may "renew" object as can_renew %}``:
    whether the page's user may do that (core.access.permissions.may)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not user:
        return False
    if not isinstance(target, models.Model):
        target = apps.get_model(target)
    return user_may(user, verb, target)


@register.inclusion_tag("core/object_actions.html", takes_context=True)
def object_actions(context, obj):
    """The buttons of the actions (core.actions) the page's user may take on ``obj`` in its present state.
    A detail page's object was read within the user's scope, so the scope is not asked again."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"buttons": actions.buttons(user, obj, scoped=True) if user else []}
