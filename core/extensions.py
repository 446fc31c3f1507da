"""Hooks by which a later app adds to an earlier app's pages without the earlier app importing it.

An app that holds leases adds tenants and industries to the building pages of the app that holds buildings this
way, and arrows keep pointing one way. Menu entries (core.navigation), home-page blocks (core.home), field
templates (core.forms.BaseModelForm) and account links (core.accounts.account_links) are declared likewise.
"""

from collections import defaultdict
from collections.abc import Callable

_detail_context: dict[str, list[Callable]] = defaultdict(list)


def add_detail_context(model_label: str, provider: Callable) -> None:
    """``provider(request, obj, context) -> dict`` merged into that model's detail page context."""
    _detail_context[model_label].append(provider)


_hooks: dict[str, list[Callable]] = defaultdict(list)


def add_hook(name: str, function: Callable) -> None:
    """Run ``function(**kwargs)`` when an earlier app reports ``name`` (``<app>.<entity>.<what happened>``, e.g.
    that a unit's area changed)."""
    _hooks[name].append(function)


def run_hooks(name: str, **kwargs) -> None:
    for function in _hooks.get(name, []):
        function(**kwargs)


def detail_context(request, obj, context: dict) -> dict:
    extra = {}
    for provider in _detail_context.get(obj._meta.label_lower, []):
        extra.update(provider(request, obj, {**context, **extra}))
    return extra
