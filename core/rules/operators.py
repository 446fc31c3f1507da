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
    types: frozenset
    arity: str
    scalar: Callable
    vector: Callable
    pass_text: str
    fail_text: str
    label: str = ""  # what a form shows: 不少于
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


def _eq(array, threshold):
    return np.asarray(array == threshold, dtype=bool)


def _ne(array, threshold):
    return np.asarray(array != threshold, dtype=bool)


def _isin(array, threshold):
    return np.isin(array, list(threshold))


def _not_isin(array, threshold):
    return ~np.isin(array, list(threshold))


OPERATORS: dict[str, Operator] = {
    op.code: op
    for op in [
        Operator("eq", "=", ALL_TYPES, ONE, lambda v, t: v == t, _eq,
                 "{label}：{value}，符合要求的“{threshold}”", "{label}：{value}，不符合要求的“{threshold}”",
                 label="等于"),
        Operator("ne", "≠", ALL_TYPES, ONE, lambda v, t: v != t, _ne,
                 "{label}：{value}，不为“{threshold}”，符合要求", "{label}：{value}，要求不为“{threshold}”",
                 label="不等于"),
        Operator("lt", "<", ORDERED, ONE, lambda v, t: v < t, lambda a, t: a < t,
                 "{label} {value}，低于 {threshold}，符合要求", "{label} {value}，要求低于 {threshold}",
                 label="低于"),
        Operator("le", "≤", ORDERED, ONE, lambda v, t: v <= t, lambda a, t: a <= t,
                 "{label} {value}，未超过上限 {threshold}", "{label} {value}，超过上限 {threshold}",
                 label="不超过"),
        Operator("gt", ">", ORDERED, ONE, lambda v, t: v > t, lambda a, t: a > t,
                 "{label} {value}，超过要求的 {threshold}", "{label} {value}，未超过要求的 {threshold}",
                 label="超过"),
        Operator("ge", "≥", ORDERED, ONE, lambda v, t: v >= t, lambda a, t: a >= t,
                 "{label} {value}，达到要求的 {threshold}", "{label} {value}，低于要求的 {threshold}",
                 label="不少于"),
        Operator("between", "∈", ORDERED, PAIR, _between, _between,
                 "{label} {value}，在要求的 {lo} 至 {hi} 之间", "{label} {value}，不在要求的 {lo} 至 {hi} 之间",
                 label="介于"),
        Operator("in", "∈", LISTED, LIST, lambda v, t: v in t, _isin,
                 "{label} {value}，属于 {threshold}", "{label} {value}，不属于 {threshold}",
                 label="属于"),
        Operator("not_in", "∉", LISTED, LIST, lambda v, t: v not in t, _not_isin,
                 "{label} {value}，不属于排除的 {threshold}", "{label} {value}，属于排除的 {threshold}",
                 label="不属于"),
        Operator("missing", "∅", ALL_TYPES, NONE, lambda v, t: False, _never_vector,
                 "{label}：数据缺失，符合条件", "{label}：已有数据（{value}），不符合“数据缺失”的条件",
                 label="数据缺失", when_missing=True),
    ]
}


def operator_choices(fact_type: FactType | None = None) -> list[tuple[str, str]]:
    """(code, label) of the operators a fact of ``fact_type`` allows (all when None), for a form."""
    return [(op.code, op.label) for op in OPERATORS.values() if fact_type is None or op.allows(fact_type)]
