"""Reads the generic pages show beyond a list: a record's attributes, as label and value."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _

from core.surfaces.display import display, resolve

# Fields the attributes leave out (their own panel shows them, or they are only asked on the form); the units and
# floors of a building show their building.
NOT_ATTRIBUTES = {"users", "confirm_credit_code", "building"}
BUILDING_SHOWN = {"unit", "floor", "carrier"}


@dataclass(frozen=True)
class Attribute:
    label: str
    text: str
    url: str | None = None  # the text links to it
    map_url: str | None = None  # where a boundary is drawn ("see the map")


def _label(model, name):
    try:
        return model._meta.get_field(name).verbose_name
    except Exception:
        return name


def visible_to(user, model):
    """The objects of ``model`` the user may see (all of them for models without scopes)."""
    manager = model._default_manager
    return manager.for_user(user) if hasattr(manager, "for_user") else manager.all()


def attribute_of(*, user, obj, name: str) -> Attribute:
    """One attribute of ``obj`` as the detail page shows it; a related record outside the user's scope is not
    named, a boundary is told by its number of points."""
    label = _label(type(obj), name)
    value = resolve(obj, name)
    if isinstance(value, dict) and value.get("type") in ("Polygon", "MultiPolygon"):
        rings = value["coordinates"] if value["type"] == "Polygon" else [r for p in value["coordinates"] for r in p]
        text = _("Boundary with %(n)d points") % {"n": sum(len(ring) for ring in rings)}
        map_url = obj.get_map_url() if hasattr(obj, "get_map_url") else None  # the model says where it is drawn
        return Attribute(label, text, map_url=map_url)
    if isinstance(value, models.Model):
        if not visible_to(user, type(value)).filter(pk=value.pk).exists():
            return Attribute(label, _("(outside the data you manage)"))
        if hasattr(value, "get_absolute_url"):
            return Attribute(label, str(value), url=value.get_absolute_url())
    return Attribute(label, display(value))


def object_attributes(*, user, obj, surface) -> list[Attribute]:
    """The attributes of ``obj`` on its detail page: the fields of its surface's form, in their order."""
    shown_all = obj._meta.model_name in BUILDING_SHOWN
    return [attribute_of(user=user, obj=obj, name=name) for name in surface.form.base_fields
            if shown_all or name not in NOT_ATTRIBUTES]
