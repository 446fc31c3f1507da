"""Showing the outcome of criteria (core.rules' Outcome.as_dict()): values and thresholds as offices write them,
and the link from a computed value to the records behind it."""


from django import template

from core.rules import LeafOutcome, format_value

from .. import selectors

register = template.Library()


def _leaf(data: dict) -> LeafOutcome:
    return LeafOutcome.from_dict(data)


@register.filter
def leaf_value(data: dict) -> str:
    leaf = _leaf(data)
    fact_unit = _unit(leaf.fact)
    return format_value(leaf.type, leaf.value, fact_unit)


@register.filter
def leaf_threshold(data: dict) -> str:
    leaf = _leaf(data)
    unit = _unit(leaf.fact)
    if leaf.threshold is None:
        return "—"
    if leaf.op == "between":
        low, high = leaf.threshold
        return f"{format_value(leaf.type, low, unit)} – {format_value(leaf.type, high, unit)}"
    if isinstance(leaf.threshold, (tuple, list)):
        return "、".join(format_value(leaf.type, item, unit) for item in leaf.threshold)
    return f"{OPERATOR_SIGNS.get(leaf.op, '')} {format_value(leaf.type, leaf.threshold, unit)}".strip()


OPERATOR_SIGNS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


def _unit(name: str) -> str:
    from ..facts import CATALOGUE

    fact = CATALOGUE.get(name)
    return fact.unit if fact else ""


@register.simple_tag
def evidence_url(data: dict, park, building, on) -> str:
    """The evidence page of a computed leaf's value, or "" when its fact has no records to show."""
    return selectors.evidence_url(park_id=getattr(park, "pk", park), fact=data.get("fact"), on=on,
                                  building_id=getattr(building, "pk", building)) or ""
