"""Evaluator A: one case at a time, explaining every condition.

Each leaf gives its value, its threshold, whether it passed, and one Chinese sentence ("在孵企业 42 家，低于要求的
50 家"). Every child of every group is evaluated (no short-circuit), so every failure is reported.

**Missing data.** A fact absent from ``facts`` or given as ``MISSING`` is missing. A leaf on a missing fact fails
with the reason 数据缺失; it is never read as 0. Only the operator ``missing`` passes on it.

**Missing data under NOT.** A leaf on a missing fact is *unknown*, not false, and the groups use three-valued logic:

- ``not``: true ↔ false; unknown stays unknown;
- ``all``: false if any child is false, else unknown if any is unknown, else true;
- ``any``: true if any child is true, else unknown if any is unknown, else false.

A node passes only when it is true. So ``{"not": leaf}`` on a missing fact fails (a missing fact cannot satisfy a
condition by negation: "not a listed company" is not proven by knowing nothing), ``any`` passes through another
alternative that holds, and ``not (any [missing, false])`` fails. The screening evaluator (``vector``) follows the
same rules.

A fact's value must be of its type in storage units (``types.is_value_of``); ``None`` is not a value and raises,
so that a caller who means "no data" says MISSING.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from .catalogue import Catalogue
from .conditions import Group, Leaf, prepare
from .formatting import MISSING_TEXT, format_value
from .operators import LIST, OPERATORS, PAIR
from .types import MISSING, FactType, is_value_of, value_from_json, value_to_json

REASON_MISSING = "数据缺失"


@dataclass(frozen=True, slots=True)
class LeafOutcome:
    path: str
    fact: str
    label: str
    op: str
    type: FactType
    value: object  # storage units, or MISSING
    threshold: object  # resolved, storage units; (lo, hi) for between, a tuple for in / not_in, None for missing
    passed: bool
    missing: bool
    reason: str
    sentence: str
    note: str = ""
    params: tuple = ()

    def as_dict(self) -> dict:
        return {
            "path": self.path, "fact": self.fact, "label": self.label, "op": self.op, "type": self.type.value,
            "value": value_to_json(self.value), "threshold": value_to_json(self.threshold),
            "passed": self.passed, "missing": self.missing, "reason": self.reason, "sentence": self.sentence,
            "note": self.note, "params": list(self.params),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "LeafOutcome":
        fact_type = FactType(data["type"])
        arity = OPERATORS[data["op"]].arity

        def decode(raw):
            return MISSING if raw is None else value_from_json(fact_type, raw)

        raw_threshold = data["threshold"]
        if raw_threshold is None:
            threshold = None
        elif arity in (PAIR, LIST):
            threshold = tuple(decode(item) for item in raw_threshold)
        else:
            threshold = decode(raw_threshold)
        return cls(
            path=data["path"], fact=data["fact"], label=data["label"], op=data["op"], type=fact_type,
            value=MISSING if data["missing"] else decode(data["value"]), threshold=threshold,
            passed=data["passed"], missing=data["missing"], reason=data["reason"], sentence=data["sentence"],
            note=data.get("note", ""), params=tuple(data.get("params", ())),
        )


@dataclass(frozen=True)
class Outcome:
    passed: bool
    leaves: list = field(default_factory=list)
    tree: dict = field(default_factory=dict)  # the tree, each node with "passed" (and "unknown"); JSON-able
    on: datetime.date | None = None

    @property
    def failed(self) -> list[LeafOutcome]:
        return [leaf for leaf in self.leaves if not leaf.passed]

    @property
    def sentences(self) -> list[str]:
        return [leaf.sentence for leaf in self.leaves]

    def as_dict(self) -> dict:
        return {"passed": self.passed, "on": self.on.isoformat() if self.on else None, "tree": self.tree,
                "leaves": [leaf.as_dict() for leaf in self.leaves]}

    @classmethod
    def from_dict(cls, data: dict) -> "Outcome":
        return cls(passed=data["passed"], leaves=[LeafOutcome.from_dict(item) for item in data["leaves"]],
                   tree=data["tree"], on=datetime.date.fromisoformat(data["on"]) if data.get("on") else None)


def sentence(leaf: Leaf, value, passed: bool) -> str:
    if value is MISSING and leaf.op.when_missing is None:
        return f"{leaf.label}：{MISSING_TEXT}"
    text = leaf.op.pass_text if passed else leaf.op.fail_text
    shown = MISSING_TEXT if value is MISSING else format_value(leaf.fact.type, value, leaf.fact.unit)
    return text.format(label=leaf.label, value=shown, **leaf.shown)


def leaf_state(leaf: Leaf, value) -> bool | None:
    """True, False, or None (unknown: the fact is missing and the operator does not ask for that)."""
    if value is MISSING:
        return leaf.op.when_missing
    return bool(leaf.op.scalar(value, leaf.threshold))


def combine(kind: str, states: list) -> bool | None:
    if kind == "not":
        return None if states[0] is None else not states[0]
    if kind == "all":
        if False in states:
            return False
        return None if None in states else True
    if True in states:
        return True
    return None if None in states else False


def _value_of(facts: Mapping, leaf: Leaf):
    value = facts.get(leaf.fact.name, MISSING)
    if value is MISSING:
        return MISSING
    if not is_value_of(leaf.fact.type, value):
        raise TypeError(f"fact {leaf.fact.name} ({leaf.fact.type.value}) has the value {value!r}: give a value of "
                        f"its type in storage units, or MISSING")
    return value


def evaluate(tree, facts: Mapping, catalogue: Catalogue, parameters=None,
             on: datetime.date | None = None) -> Outcome:
    """Whether ``facts`` satisfy ``tree``, with a LeafOutcome per leaf. Parameters are read on ``on`` (needed
    when the tree names one). ``tree`` may be what ``prepare`` returned, to decide many cases without checking the
    tree each time; give ``on`` too, the day it was prepared for, which the outcome keeps."""
    root = tree if isinstance(tree, (Group, Leaf)) else prepare(tree, catalogue, parameters, on)
    outcomes: list[LeafOutcome] = []

    def walk(node) -> tuple[bool | None, dict]:
        if isinstance(node, Leaf):
            value = _value_of(facts, node)
            state = leaf_state(node, value)
            passed = state is True
            missing = value is MISSING
            text = sentence(node, value, passed)
            outcomes.append(LeafOutcome(
                path=node.path, fact=node.fact.name, label=node.label, op=node.op.code, type=node.fact.type,
                value=value, threshold=node.threshold, passed=passed, missing=missing,
                reason=REASON_MISSING if missing and node.op.when_missing is None else "", sentence=text,
                note=node.note, params=node.params))
            return state, {**node.raw, "passed": passed, "unknown": state is None, "sentence": text}
        results = [walk(child) for child in node.children]
        states = [state for state, _ in results]
        if node.kind == "not":
            annotated = {**node.raw, "not": results[0][1]}
        else:
            annotated = {**node.raw, node.kind: [child for _, child in results]}
        state = combine(node.kind, states)
        annotated.update(passed=state is True, unknown=state is None)
        return state, annotated

    state, annotated = walk(root)
    return Outcome(passed=state is True, leaves=outcomes, tree=annotated, on=on)
