"""The rule language: conditions over typed facts, kept as data, evaluated by two evaluators that decide alike;
and amount formulas over the same facts (``amounts``), computed alike by two evaluators too.

A pure room: the standard library and numpy only, no Django (``core/tests/test_layers.py`` checks it). An app
declares its facts in a ``Catalogue``; officers build condition trees (JSON) over them in forms; ``validate``
checks a tree, ``evaluate`` (evaluator A) explains one case condition by condition, ``evaluate_columns``
(evaluator B) screens a population. Both compare through the one operator table in ``operators``. Design:
docs/decisions/0021-the-rule-language-a-pure-room-of-core.md.
"""

from .amounts import (
    AmountNode,
    AmountOutcome,
    amount_content_hash,
    amount_errors,
    amount_facts_used,
    amount_over_period,
    amount_over_period_columns,
    amount_parameters_used,
    amount_parts,
    amount_type,
    div_half_up_columns,
    evaluate_amount,
    evaluate_amount_columns,
    prepare_amount,
    validate_amount,
)
from .catalogue import Catalogue, Fact
from .conditions import (
    InvalidTree,
    content_hash,
    facts_used,
    leaves,
    parameters_used,
    prepare,
    validate,
)
from .evaluate import REASON_MISSING, LeafOutcome, Outcome, evaluate
from .formatting import format_value, percent_text, yuan_text
from .numbers import div_half_up, per_n, per_thousand_m2, share_of
from .operators import OPERATORS, Operator, operator_choices
from .parameters import Parameter, ParameterSet, ParameterUndefined, split_period
from .types import (
    MISSING,
    WRITTEN,
    FactType,
    NotWhole,
    area_from_m2,
    area_to_m2,
    from_written,
    is_missing,
    money_from_yuan,
    money_to_yuan,
    ratio_from_decimal,
    ratio_to_decimal,
    share_from_percent,
    share_to_percent,
    to_written,
)
from .vector import VectorOutcome, date_column, evaluate_columns

__all__ = [
    "MISSING", "NotWhole", "OPERATORS", "WRITTEN", "from_written", "to_written", "REASON_MISSING", "Catalogue", "Fact", "FactType", "InvalidTree", "LeafOutcome",
    "Operator", "Outcome", "Parameter", "ParameterSet", "ParameterUndefined", "VectorOutcome", "area_from_m2",
    "area_to_m2", "content_hash", "date_column", "div_half_up", "evaluate", "evaluate_columns", "facts_used",
    "format_value", "is_missing", "leaves", "money_from_yuan", "money_to_yuan", "operator_choices",
    "parameters_used", "per_n", "per_thousand_m2", "prepare", "ratio_from_decimal", "ratio_to_decimal",
    "share_from_percent", "share_of", "share_to_percent", "split_period", "validate",
    "AmountNode", "AmountOutcome", "amount_content_hash", "amount_errors", "amount_facts_used", "amount_over_period",
    "amount_over_period_columns", "amount_parameters_used", "amount_parts", "amount_type", "div_half_up_columns",
    "evaluate_amount", "evaluate_amount_columns", "prepare_amount", "validate_amount", "yuan_text", "percent_text",
]
