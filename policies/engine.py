"""The policy engine: what a policy version decides for an enterprise over a period, by two evaluators that
decide alike. Pure: core.rules and numpy, no ORM.

For an enterprise, a version's ``Rules`` and a period [start, end] decided on day D (normally D = end):

1. the conditions (core.rules condition tree over ``policies.catalogue.CATALOGUE``) on the facts of the whole
   period, parameters read on D; an empty tree sets no condition;
2. when the version sets ``max_years``, the engine adds the condition 已获本政策支持年数 < max_years, with its own
   sentence;
3. the amount: the formula over the period, split where a parameter it uses changes (core.rules
   ``amount_over_period``; each part with its own facts), clamped at 0;
4. the caps, once, after the sum: the annual cap less what the policy already awarded the enterprise that year,
   the cumulative cap less what it awarded in all years (caps name money parameters, read on D; a room below 0
   is 0); a cap whose history fact is missing makes the amount missing;
5. eligible = the conditions pass, the amount is not missing and it is above 0 ("金额为零" otherwise).

A version with no amount formula decides eligibility only: its amount is None and eligible = the conditions pass.

``decide_facts`` is evaluator A (one case, explained: the trace); ``decide_columns`` evaluator B (a population
as columns, numpy). tests/test_screening_property.py checks that they give the same eligibility and amounts.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from core.rules import (
    MISSING,
    FactType,
    ParameterSet,
    content_hash,
    evaluate,
    evaluate_columns,
    facts_used,
    format_value,
    leaves,
    parameters_used,
)
from core.rules.amounts import (
    amount_content_hash,
    amount_facts_used,
    amount_over_period,
    amount_over_period_columns,
)
from core.rules.types import value_to_json

from .catalogue import CATALOGUE

YEARS_FACT = "history.years_supported"
IN_YEAR_FACT = "history.awarded_in_year"
TOTAL_FACT = "history.awarded_total"
REASON_ZERO = "金额为零"
REASON_NO_AMOUNT = "金额无法计算"


@dataclass(frozen=True)
class Rules:
    """What a version decides by, read once (``rules_of``) and used for any number of enterprises."""

    conditions: dict
    amount: dict
    parameters: ParameterSet
    annual_cap: str = ""
    cumulative_cap: str = ""
    max_years: int | None = None
    hash: str = ""

    @property
    def facts(self) -> set[str]:
        """Every fact the rules read."""
        names = set(facts_used(self.conditions)) if self.conditions else set()
        names |= amount_facts_used(self.amount) if self.amount else set()
        if self.annual_cap:
            names.add(IN_YEAR_FACT)
        if self.cumulative_cap:
            names.add(TOTAL_FACT)
        if self.max_years is not None:
            names.add(YEARS_FACT)
        return names


@dataclass(frozen=True)
class Result:
    eligible: bool
    amount: int | None  # fen; None when missing or when the version has no amount formula
    trace: dict = field(default_factory=dict)
    facts_used: dict = field(default_factory=dict)  # name → value (storage units or MISSING), whole period


def version_hash(version) -> str:
    """sha256 of what a version decides by: conditions, amount, parameters, caps, max_years, obligations."""
    return amount_content_hash(conditions=version.conditions or {}, amount=version.amount or {},
                               parameters=version.parameters or {}, annual_cap=version.annual_cap or "",
                               cumulative_cap=version.cumulative_cap or "", max_years=version.max_years,
                               obligations=version.obligations or [])


def rules_of(version) -> Rules:
    """A PolicyVersion's rules (its attributes only: no query)."""
    return Rules(conditions=version.conditions or {}, amount=version.amount or {},
                 parameters=ParameterSet.from_json(version.parameters or {}),
                 annual_cap=version.annual_cap or "", cumulative_cap=version.cumulative_cap or "",
                 max_years=version.max_years, hash=version_hash(version))


def _max_years_leaf(max_years: int) -> dict:
    return {"fact": YEARS_FACT, "op": "lt", "value": max_years, "label": f"已获本政策支持年数（上限 {max_years} 年）"}


def _caps(rules: Rules, on: datetime.date) -> list[tuple[str, str, str, int]]:
    """(kind, parameter, history fact, cap value on ``on``) of each cap the rules set."""
    caps = []
    for kind, name, fact in (("annual", rules.annual_cap, IN_YEAR_FACT),
                             ("cumulative", rules.cumulative_cap, TOTAL_FACT)):
        if name:
            parameter = rules.parameters[name]
            if parameter.type is not FactType.MONEY:
                raise ValueError(f"the cap {name} is a {parameter.type.value} parameter, not money")
            caps.append((kind, name, fact, parameter.value_on(on)))
    return caps


CAP_NAMES = {"annual": "年度上限", "cumulative": "累计上限"}


def _money(value) -> str:
    return format_value(FactType.MONEY, value)


def decide_facts(rules: Rules, facts_for_part: Callable, start: datetime.date, end: datetime.date,
                 on: datetime.date) -> Result:
    """Evaluator A. ``facts_for_part(part_start, part_end)`` gives the facts (name → value in storage units, or
    MISSING) of that part of the period; (start, end) gives the whole period's."""
    facts = facts_for_part(start, end)
    sentences: list[str] = []
    trace: dict = {"period": [start.isoformat(), end.isoformat()], "on": on.isoformat(), "hash": rules.hash}

    if rules.conditions:
        outcome = evaluate(rules.conditions, facts, CATALOGUE, rules.parameters, on=on)
        conditions_pass = outcome.passed
        trace["conditions"] = outcome.as_dict()
        sentences.extend(outcome.sentences)
    else:
        conditions_pass = True
        trace["conditions"] = {"passed": True, "on": on.isoformat(), "tree": {}, "leaves": []}
    if rules.max_years is not None:
        years = evaluate(_max_years_leaf(rules.max_years), facts, CATALOGUE, on=on)
        conditions_pass = conditions_pass and years.passed
        trace["max_years"] = years.as_dict()
        sentences.extend(years.sentences)

    amount = None
    caps_trace: list[dict] = []
    if rules.amount:
        outcome = amount_over_period(rules.amount, facts_for_part, CATALOGUE, rules.parameters, start, end)
        trace["amount"] = outcome.as_dict()
        value = outcome.value
        if value is MISSING:
            sentences.append(f"{REASON_NO_AMOUNT}：{'；'.join(outcome.reasons) or '数据缺失'}")
        else:
            if value < 0:
                sentences.append(f"计算金额 {_money(value)} 低于零，按零计")
                value = 0
            sentences.append(f"金额：{outcome.sentence}" if outcome.sentence else f"金额 {_money(value)}")
        for kind, name, fact, cap in _caps(rules, on):
            used = facts.get(fact, MISSING)
            entry = {"kind": kind, "parameter": name, "cap": cap, "used": value_to_json(used),
                     "before": value_to_json(value)}
            if used is MISSING:
                entry["room"] = None
                entry["sentence"] = f"{CAP_NAMES[kind]} {_money(cap)}：{CATALOGUE[fact].label}数据缺失，金额无法计算"
                value = MISSING
            else:
                room = max(cap - used, 0)
                entry["room"] = room
                if value is not MISSING:
                    capped = min(value, room)
                    entry["sentence"] = (f"{CAP_NAMES[kind]} {_money(cap)}，已获 {_money(used)}，尚余 {_money(room)}；"
                                         + (f"金额按上限计为 {_money(capped)}" if capped < value
                                            else f"金额 {_money(value)} 未超过"))
                    value = capped
                else:
                    entry["sentence"] = f"{CAP_NAMES[kind]} {_money(cap)}，已获 {_money(used)}，尚余 {_money(room)}"
            entry["after"] = value_to_json(value)
            caps_trace.append(entry)
            sentences.append(entry["sentence"])
        amount = None if value is MISSING else value
        eligible = conditions_pass and amount is not None and amount > 0
        if conditions_pass and amount == 0:
            sentences.append(REASON_ZERO)
    else:
        eligible = conditions_pass
    trace["caps"] = caps_trace
    trace["sentences"] = sentences
    trace["eligible"] = eligible
    trace["amount_value"] = amount
    used = {name: facts.get(name, MISSING) for name in sorted(rules.facts)}
    return Result(eligible=eligible, amount=amount, trace=trace, facts_used=used)


def conditions_key(rules: Rules, on: datetime.date) -> str | None:
    """What the conditions' outcome over a population depends on besides the population: the tree, the values of
    the parameters it names on ``on``. None when the conditions read a fact that differs
    from one policy to another (history), so that no other version may share their outcome."""
    used = facts_used(rules.conditions) if rules.conditions else set()
    if used & {YEARS_FACT, IN_YEAR_FACT, TOTAL_FACT}:
        return None
    values = {name: value_to_json(rules.parameters[name].value_on(on))
              for name in sorted(parameters_used(rules.conditions))} if rules.conditions else {}
    return content_hash({"conditions": rules.conditions, "parameters": values, "on": on.isoformat()})


def decide_columns(rules: Rules, columns_for_part: Callable, start: datetime.date, end: datetime.date,
                   on: datetime.date, rows: int, *, shared: dict | None = None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluator B over ``rows`` enterprises: ``columns_for_part(part_start, part_end)`` gives name → (values,
    present) arrays (core.rules.vector's format) for that part; (start, end) the whole period's. Returns
    (eligible bool, amount int64 — 0 where not eligible, failed_leaves uint64 — bit i: the i-th leaf of the
    conditions did not pass; the max_years condition, when set, is the bit after the last leaf).

    ``shared``: a dict kept across the versions screened over one population (one snapshot): versions whose
    conditions are the same tree with the same parameter values (two versions of a policy that changed only its
    rates) share one evaluation of them (``conditions_key``)."""
    columns = columns_for_part(start, end)
    key = conditions_key(rules, on) if shared is not None else None
    if key is not None and key in shared:
        passed, failed = shared[key]
        leaf_count = len(leaves(rules.conditions))
    elif rules.conditions:
        outcome = evaluate_columns(rules.conditions, columns, rules.parameters, on, catalogue=CATALOGUE, rows=rows)
        passed, failed = outcome.passed, outcome.failed_leaves
        leaf_count = len(leaves(rules.conditions))
        if key is not None:
            shared[key] = (passed, failed)
    else:
        passed, failed, leaf_count = np.ones(rows, dtype=bool), np.zeros(rows, dtype=np.uint64), 0
    if rules.max_years is not None:
        years = evaluate_columns(_max_years_leaf(rules.max_years), columns, on=on, catalogue=CATALOGUE, rows=rows)
        passed = passed & years.passed
        if leaf_count < 64:
            failed = failed | np.where(years.passed, np.uint64(0), np.uint64(1 << leaf_count))
    amounts = np.zeros(rows, dtype=np.int64)
    if not rules.amount:
        return passed, amounts, failed
    # The amount only where the conditions pass (the others are not eligible whatever it is): a screening
    # computes it for the few, not for every row.
    where = np.flatnonzero(passed)
    if not len(where):
        return passed, amounts, failed
    needed = amount_facts_used(rules.amount) | {fact for _k, _n, fact, _c in _caps(rules, on)}

    def subset(part_columns):
        return {name: (np.asarray(values)[where], np.asarray(present)[where])
                for name, (values, present) in part_columns.items() if name in needed}

    values, present = amount_over_period_columns(rules.amount, lambda s, e: subset(columns_for_part(s, e)),
                                                 CATALOGUE, rules.parameters, start, end, rows=len(where))
    values = np.maximum(values, 0)
    whole = subset(columns)
    for _kind, _name, fact, cap in _caps(rules, on):
        column = whole.get(fact)
        if column is None:
            present = np.zeros(len(where), dtype=bool)
            continue
        used, used_present = np.asarray(column[0], dtype=np.int64), np.asarray(column[1], dtype=bool)
        room = np.maximum(np.int64(cap) - np.where(used_present, used, 0), 0)
        values = np.minimum(values, room)
        present = present & used_present
    ok = present & (values > 0)
    eligible = np.zeros(rows, dtype=bool)
    eligible[where[ok]] = True
    amounts[where[ok]] = values[ok]
    return eligible, amounts, failed


def columns_from_facts(rows: list[Mapping], names=None) -> dict:
    """Columns (core.rules.vector's format) from fact dicts, one per row: for tests and small populations."""
    names = sorted(names if names is not None else {name for row in rows for name in row})
    columns = {}
    for name in names:
        fact_type = CATALOGUE[name].type
        raw = [row.get(name, MISSING) for row in rows]
        present = np.fromiter((value is not MISSING for value in raw), dtype=bool, count=len(raw))
        if fact_type is FactType.DATE:
            values = np.fromiter((0 if value is MISSING else value.toordinal() for value in raw), dtype=np.int64,
                                 count=len(raw))
        elif fact_type is FactType.CODE:
            values = np.array(["" if value is MISSING else value for value in raw], dtype=object)
        elif fact_type is FactType.BOOL:
            values = np.fromiter((False if value is MISSING else value for value in raw), dtype=bool, count=len(raw))
        else:
            values = np.fromiter((0 if value is MISSING else value for value in raw), dtype=np.int64, count=len(raw))
        columns[name] = (values, present)
    return columns
