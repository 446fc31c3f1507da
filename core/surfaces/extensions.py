"""Hooks by which a later app adds to an earlier app's pages without the earlier app importing it.

An app that holds leases adds tenants and industries to the building pages of the app that holds buildings this
way, and arrows keep pointing one way. Menu entries (core.surfaces.navigation), home-page blocks (core.surfaces.home), field
templates (core.surfaces.forms.BaseModelForm) and account links (core.accounts.views.account_links) are declared likewise.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

_detail_context: dict[str, list[Callable]] = defaultdict(list)


def add_detail_context(model_label: str, provider: Callable) -> None:
    """``provider(request, obj, context) -> dict`` merged into that model's detail page context."""
    _detail_context[model_label].append(provider)


@dataclass(frozen=True)
class DetailPanel:
    template: str
    provider: Callable  # (request, obj, context) -> dict for the template (as ``panel``), or None to leave it out


_detail_panels: dict[str, list[DetailPanel]] = defaultdict(list)


def add_detail_panel(model_label: str, template: str, provider: Callable) -> None:
    """A panel below the attributes of that model's detail page, whatever template the page uses:
    ``template`` is rendered with the page's context and ``panel`` = ``provider(request, obj, context)``."""
    _detail_panels[model_label].append(DetailPanel(template, provider))


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
    panels = []
    for panel in _detail_panels.get(obj._meta.label_lower, []):
        data = panel.provider(request, obj, {**context, **extra})
        if data is not None:
            panels.append({"template": panel.template, "data": data})
    extra["extension_panels"] = panels
    return extra
