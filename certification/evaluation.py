"""A scheme version's criteria against one subject as of a date: the facts computed from the records, with those
the applicant supplied (each with its document), evaluated by core.rules' explaining evaluator.

Computed facts come from the records only: a value supplied for one of them is ignored. ``subject.floor_area``
is supplied only where the buildings do not record it (a computed value wins). A supplied fact given without a
value is missing (数据缺失), never 0.
"""

from __future__ import annotations

import datetime

from core.rules import MISSING, Fact, Outcome, ParameterSet, evaluate, facts_used

from .facts import CATALOGUE, compute_one


def supplied_facts(version, *, indicators: bool = False) -> list[Fact]:
    """The facts an applicant supplies that the version's criteria name (and, with ``indicators``, its
    assessment indicators too), in the catalogue's order."""
    used = set(facts_used(version.criteria)) if version.criteria else set()
    if indicators:
        used |= {item["fact"] for item in version.indicators or [] if item.get("fact")}
    return [fact for fact in CATALOGUE if fact.name in used and fact.source == "supplied"]


def supplied_value(fact: Fact, entry):
    """The value of a supplied entry ({"value": int, "document": id}) in storage units, or MISSING."""
    value = entry.get("value") if isinstance(entry, dict) else entry
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{fact.label}：填报值须为整数（{value!r}）")
    return value


def subject_facts(*, computed: dict, supplied: dict | None) -> dict:
    """The computed facts, completed by the supplied ones where the records give nothing."""
    facts = dict(computed)
    for name, entry in (supplied or {}).items():
        fact = CATALOGUE.get(name)
        if fact is None or fact.source != "supplied":
            continue
        if facts.get(name, MISSING) is not MISSING:
            continue
        facts[name] = supplied_value(fact, entry)
    return facts


def evaluate_subject(*, version, park, building, on: datetime.date, supplied: dict | None = None,
                     computed: dict | None = None) -> Outcome:
    """The version's criteria for the subject (park, or one building of it) as of ``on``, with its parameters
    in force that day. ``computed`` may be given when the caller computed many subjects at once
    (``facts.compute``)."""
    if computed is None:
        computed = compute_one(park, building, on)
    facts = subject_facts(computed=computed, supplied=supplied)
    parameters = ParameterSet.from_json(version.parameters or {})
    if not version.criteria:
        return Outcome(passed=True, leaves=[], tree={}, on=on)  # a version without criteria asks nothing
    return evaluate(version.criteria, facts, CATALOGUE, parameters, on)
