"""The one operator table. Both evaluators compare through it and nothing else, so that a decision cannot depend on
which evaluator made it.

``scalar(value, threshold)`` and ``vector(array, threshold)`` see only present values (dates, in the vector, as
the day numbers of ``date.toordinal``). What a missing value gives is the operator's ``when_missing``: True for
``missing`` (it passes exactly when the fact is missing), None for every other operator (unknown, which fails:
see ``evaluate``).

Sentences: ``pass_text`` and ``fail_text`` are ``str.format`` templates over ``label``, ``value``, ``threshold``
(for ``between``: ``lo`` and ``hi``) with values already formatted.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .types import NUMBER_TYPES, ORDERED_TYPES, FactType

# How many values an operator compares with: one, a pair [lo, hi], a list, or none.
ONE, PAIR, LIST, NONE = "one", "pair", "list", "none"


@dataclass(frozen=True)
class Operator:
    code: str
    symbol: str
    label: str  # what a form shows: 不少于
    types: frozenset
    arity: str
    scalar: Callable
    vector: Callable
    pass_text: str
    fail_text: str
    when_missing: bool | None = None

    def allows(self, fact_type: FactType) -> bool:
        return fact_type in self.types


ALL_TYPES = frozenset(FactType)
ORDERED = frozenset(ORDERED_TYPES)
LISTED = frozenset({FactType.CODE, *NUMBER_TYPES})


def _between(value, threshold):
    low, high = threshold
    return (value >= low) & (value <= high)


def _never_vector(array, threshold):
    return np.zeros(len(array), dtype=bool)


OPERATORS: dict[str, Operator] = {
    op.code: op
    for op in [
        Operator("eq", "=", "等于", ALL_TYPES, ONE,
                 lambda v, t: v == t, lambda a, t: np.asarray(a == t, dtype=bool),
                 "{label}：{value}，符合要求的“{threshold}”", "{label}：{value}，不符合要求的“{threshold}”"),
        Operator("ne", "≠", "不等于", ALL_TYPES, ONE,
                 lambda v, t: v != t, lambda a, t: np.asarray(a != t, dtype=bool),
                 "{label}：{value}，不是排除的“{threshold}”", "{label}：{value}，是排除的“{threshold}”"),
        Operator("lt", "<", "低于", ORDERED, ONE,
                 lambda v, t: v < t, lambda a, t: a < t,
                 "{label} {value}，低于要求的上限 {threshold}", "{label} {value}，未低于要求的上限 {threshold}"),
        Operator("le", "≤", "不超过", ORDERED, ONE,
                 lambda v, t: v <= t, lambda a, t: a <= t,
                 "{label} {value}，未超过上限 {threshold}", "{label} {value}，超过上限 {threshold}"),
        Operator("gt", ">", "超过", ORDERED, ONE,
                 lambda v, t: v > t, lambda a, t: a > t,
                 "{label} {value}，超过要求的 {threshold}", "{label} {value}，未超过要求的 {threshold}"),
        Operator("ge", "≥", "不少于", ORDERED, ONE,
                 lambda v, t: v >= t, lambda a, t: a >= t,
                 "{label} {value}，达到要求的 {threshold}", "{label} {value}，低于要求的 {threshold}"),
        Operator("between", "∈", "介于", ORDERED, PAIR,
                 _between, _between,
                 "{label} {value}，在要求的 {lo} 至 {hi} 之间", "{label} {value}，不在要求的 {lo} 至 {hi} 之间"),
        Operator("in", "∈", "属于", LISTED, LIST,
                 lambda v, t: v in t, lambda a, t: np.isin(a, list(t)),
                 "{label} {value}，属于 {threshold}", "{label} {value}，不属于 {threshold}"),
        Operator("not_in", "∉", "不属于", LISTED, LIST,
                 lambda v, t: v not in t, lambda a, t: ~np.isin(a, list(t)),
                 "{label} {value}，不属于排除的 {threshold}", "{label} {value}，属于排除的 {threshold}"),
        Operator("missing", "∅", "数据缺失", ALL_TYPES, NONE,
                 lambda v, t: False, _never_vector,
                 "{label}：数据缺失", "{label}：已有数据（{value}）", when_missing=True),
    ]
}


def operator_choices(fact_type: FactType | None = None) -> list[tuple[str, str]]:
    """(code, label) of the operators a fact of ``fact_type`` allows (all when None), for a form."""
    return [(op.code, op.label) for op in OPERATORS.values() if fact_type is None or op.allows(fact_type)]
