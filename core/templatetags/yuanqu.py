from decimal import Decimal

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from core.reference.choices import choice_set_of
from core.surfaces.display import display, resolve

register = template.Library()


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


register.filter(display)


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
    """The colour of a status badge: the model's ``<field>_color`` when it has one, else the colour its ChoiceSet
    gives the value."""
    declared = getattr(record, f"{field_name}_color", None)
    if declared:
        return declared
    try:
        field = record._meta.get_field(field_name)
    except (AttributeError, FieldDoesNotExist):
        return "secondary"
    choice_set = choice_set_of(field)
    return choice_set.color(getattr(record, field_name)) if choice_set else "secondary"


@register.filter
def verbose_column(column, model):
    return column.verbose(model)
