"""One surface per model: its FilterSet, Form, table columns and services, shared by the list page,
the detail page, the edit form, the API, export and import.

An app declares its surfaces in ``<app>/surfaces.py``; its pages come from ``core.surfaces.urls`` and its API
from ``core.surfaces.api``. Core's own surfaces (departments, reminder rules) are declared in this package.
"""

from django.utils.module_loading import autodiscover_modules

from core.surfaces import department, reminder_rule  # noqa: F401  core's own surfaces
from core.surfaces.base import REGISTRY, Column, Surface, register

__all__ = ["REGISTRY", "Column", "Surface", "discover", "register", "surface_for"]


def discover() -> dict[type, Surface]:
    """Every app's surfaces (the URL modules import them too; commands and workers need this)."""
    autodiscover_modules("surfaces")
    return REGISTRY


def surface_for(model) -> Surface | None:
    found = REGISTRY.get(model if isinstance(model, type) else type(model))
    if found is None:
        found = discover().get(model if isinstance(model, type) else type(model))
    return found
