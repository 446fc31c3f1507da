"""Evaluator B: the same decisions as ``evaluate``, for a whole population at once (numpy).

``columns`` maps a fact's name to ``(values, present)``, two arrays of one length: ``present[i]`` False means the
fact is missing in row i (whatever ``values[i]`` holds). A fact not in ``columns`` is missing in every row.
Values are in storage units, as for evaluator A:

- area, share, count, ratio, money: integer arrays (int64);
- date: integer arrays of ``date.toordinal()`` day numbers (``date_column`` makes one);
- code: arrays of ``str`` (numpy ``<U`` or object dtype), compared by equality and ``np.isin``;
- bool: bool arrays.

The comparisons are the operator table's ``vector`` functions; the groups follow the three-valued logic of
``evaluate`` (a node is a pair of masks: where it is true, where it is false; unknown is neither). The result is
the mask of rows that pass and, per row, a uint64 whose bit i is set when the i-th leaf of ``leaves(tree)``
did not pass (false or unknown), so that a screening can say why.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .catalogue import Catalogue
from .conditions import Group, Leaf, prepare
from .operators import LIST, PAIR
from .types import FactType


@dataclass(frozen=True)
class VectorOutcome:
    passed: np.ndarray  # bool, one per row
    failed_leaves: np.ndarray  # uint64, bit i = leaf i (leaves(tree) order) did not pass

    def failed_indexes(self, row: int) -> list[int]:
        mask = int(self.failed_leaves[row])
        return [bit for bit in range(64) if mask >> bit & 1]


def date_column(days) -> np.ndarray:
    """Day numbers (``date.toordinal``) of dates; give a placeholder date where a value is missing."""
    return np.fromiter((day.toordinal() for day in days), dtype=np.int64)


def _vector_threshold(leaf: Leaf):
    if leaf.fact.type is not FactType.DATE or leaf.threshold is None:
        return leaf.threshold
    if leaf.op.arity in (PAIR, LIST):
        return tuple(day.toordinal() for day in leaf.threshold)
    return leaf.threshold.toordinal()


def evaluate_columns(tree, columns: Mapping, parameters=None, on: datetime.date | None = None, *,
                     catalogue: Catalogue, rows: int | None = None) -> VectorOutcome:
    """Every row of ``columns`` against ``tree``; ``rows`` is needed only when no column is given."""
    root = tree if isinstance(tree, (Group, Leaf)) else prepare(tree, catalogue, parameters, on)
    lengths = {len(present) for _, present in columns.values()} | {len(values) for values, _ in columns.values()}
    if rows is not None:
        lengths.add(rows)
    if len(lengths) != 1:
        raise ValueError(f"columns of different lengths: {sorted(lengths)}" if lengths else "give rows=")
    (n,) = lengths
    failed = np.zeros(n, dtype=np.uint64)

    def walk(node) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(node, Leaf):
            column = columns.get(node.fact.name)
            if column is None:
                present = np.zeros(n, dtype=bool)
                hit = np.zeros(n, dtype=bool)
            else:
                values, present = column
                present = np.asarray(present, dtype=bool)
                hit = np.asarray(node.op.vector(np.asarray(values), _vector_threshold(node)), dtype=bool)
            if node.op.when_missing is True:
                true, false = (present & hit) | ~present, present & ~hit
            else:
                true, false = present & hit, present & ~hit
            np.bitwise_or(failed, np.uint64(1 << node.index), out=failed, where=~true)
            return true, false
        parts = [walk(child) for child in node.children]
        if node.kind == "not":
            true, false = parts[0]
            return false, true
        trues, falses = [p[0] for p in parts], [p[1] for p in parts]
        if node.kind == "all":
            return np.logical_and.reduce(trues), np.logical_or.reduce(falses)
        return np.logical_or.reduce(trues), np.logical_and.reduce(falses)

    true, _false = walk(root)
    return VectorOutcome(passed=true, failed_leaves=failed)
