import datetime
from decimal import Decimal

from django import template
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def resolve(record, accessor: str):
    if accessor == "__str__":
        return str(record)
    value = record
    for part in accessor.replace("__", ".").split("."):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display else getattr(value, part, None)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value


@register.simple_tag
def cell(record, column):
    """One table cell: a template, a link to the object, or the formatted value."""
    raw = resolve(record, column.name.split(".")[0]) if column.template else resolve(record, column.name)
    if column.template:
        return render_to_string(column.template, {"record": record, "value": raw, "column": column})
    text = display(raw)
    if column.link and hasattr(record, "get_absolute_url"):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), text)
    if isinstance(raw, models.Model) and hasattr(raw, "get_absolute_url"):
        return format_html('<a href="{}" class="link-secondary">{}</a>', raw.get_absolute_url(), text)
    return text


@register.filter
def display(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")  # 2021年6月21日 in Chinese
    return str(value)


@register.filter
def area(value):
    """Area in a table: 1,234.50 ㎡ (one unit per column, so figures compare)."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f} ㎡"


@register.filter
def area_large(value):
    """Area in a headline figure: 37.02 万㎡ from 100,000 ㎡ up, as reports write it."""
    if value is None:
        return "—"
    value = Decimal(value)
    if value >= 100000:
        return f"{value / 10000:,.2f} 万㎡"
    return f"{value:,.2f} ㎡"


@register.filter
def percent(value):
    return "—" if value is None else f"{value}%"


@register.filter
def verbose_name(obj, name):
    try:
        return obj._meta.get_field(name).verbose_name
    except Exception:
        return name


@register.simple_tag(takes_context=True)
def sort_url(context, column_name):
    current = context.get("sort", "")
    new = f"-{column_name}" if current == column_name else column_name
    base = context.get("sort_querystring", "")
    return f"?{base + '&' if base else ''}sort={new}"


@register.simple_tag
def object_url(obj, action):
    return reverse(f"{obj._meta.app_label}:{obj._meta.model_name}_{action}", args=[obj.pk])


@register.filter
def choice_color(record, field_name):
    """The colour of a status badge: the model's ``<field>_color`` when it has one."""
    return getattr(record, f"{field_name}_color", None) or "secondary"


@register.filter
def verbose_column(column, model):
    return column.verbose(model)


def visible_to(user, model):
    """The objects of ``model`` the user may see (all of them for models without scopes)."""
    manager = model._default_manager
    return manager.for_user(user) if hasattr(manager, "for_user") else manager.all()


@register.simple_tag(takes_context=True)
def attribute(context, obj, field_name):
    """An attribute on a detail page; a related object outside the user's scope is not named."""
    value = resolve(obj, field_name)
    if isinstance(value, dict) and value.get("type") in ("Polygon", "MultiPolygon"):
        rings = value["coordinates"] if value["type"] == "Polygon" else [r for p in value["coordinates"] for r in p]
        points = sum(len(ring) for ring in rings)
        text = _("Boundary with %(n)d points") % {"n": points}
        if hasattr(obj, "get_map_url"):  # the model says where its geometry is drawn
            return format_html('{} <a href="{}">{}</a>', text, obj.get_map_url(), _("see the map"))
        return text
    if isinstance(value, models.Model):
        user = context["request"].user
        if not visible_to(user, type(value)).filter(pk=value.pk).exists():
            return _("(outside the data you manage)")
        if hasattr(value, "get_absolute_url"):
            return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value)
    return display(value)
