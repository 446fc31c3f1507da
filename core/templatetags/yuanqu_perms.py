from django import template
from django.apps import apps

from core.permissions import ADD, CHANGE, VIEW, role_may

register = template.Library()

ACTIONS = {"view": VIEW, "add": ADD, "change": CHANGE}


@register.simple_tag(takes_context=True)
def may(context, action, model_label):
    """``{% may "view" "<app_label>.<Model>" as can_view %}``: whether the page's user may do that."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user) and role_may(user, ACTIONS[action], apps.get_model(model_label))
