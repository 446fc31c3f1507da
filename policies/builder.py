"""A policy version's builder, beyond the criteria and parameters core builds (core.rules.rows): the amount formula
in rows, obligations in rows, a test case's facts typed in the units people use, and a case run through the
engine. Plain data in, plain data out: no ORM.

**The amount formula in rows.** Each row is a term: one to four factors multiplied, each factor a fact of the
catalogue or a parameter of the version ("补贴比例 × 实付租金", "每平方米月补贴上限 × 租赁面积 × 租赁月数"). The
terms are combined by one choice: the smallest (三者取小), the largest, or their sum; optionally rounded to whole
yuan. So "min(rate × rent paid, cap per m² × area × months)" is two rows and "取较小值". The tree built is
core.rules' amount JSON; ``amount_to_rows`` reads back the trees of that shape. Errors name the row.
"""

import datetime

from core.rules import MISSING, FactType, ParameterSet, format_value, yuan_text
from core.rules.amounts import amount_errors
from core.rules.rows import RowError, parse_value, value_text
from core.rules.types import value_from_json, value_to_json

from .catalogue import CATALOGUE

FACTOR_FIELDS = ("first", "second", "third", "fourth")
COMBINATIONS = {"min": "取较小值", "max": "取较大值", "add": "相加"}
FACT, PARAM = "fact:", "param:"
ROUND_TO_YUAN = 100
OBLIGATION_KINDS = ("lease_kept", "no_sublet", "stay_in_district", "keep_qualification")
RECOVERY = ("all", "pro_rata")


# ----- the amount formula ----------------------------------------------------------------------------------------
def _factor_node(choice: str):
    if choice.startswith(FACT):
        return {"fact": choice[len(FACT):]}
    if choice.startswith(PARAM):
        return {"param": choice[len(PARAM):]}
    raise RowError(f"“{choice}”不是指标或参数")


def _term(factors: list) -> dict:
    node = factors[0]
    for factor in factors[1:]:
        node = {"mul": [node, factor]}
    return dict(node)


def amount_from_rows(rows: list[dict], combine: str, round_yuan: bool, catalogue=CATALOGUE,
                     parameters: dict | None = None) -> tuple[dict, dict]:
    """Rows {label, first, second, third, fourth} ("fact:lease.rent_paid", "param:rate" or "") → an amount tree that
    gives money. Returns (tree, {row number: [errors]}); 0 names the whole formula. No rows: no formula ({})."""
    errors: dict[int, list[str]] = {}
    try:
        parameter_set = ParameterSet.from_json(parameters or {})
    except ValueError:
        parameter_set = ParameterSet()
    terms = []
    for number, row in enumerate(rows, 1):
        choices = [row.get(key) or "" for key in FACTOR_FIELDS]
        choices = [choice for choice in choices if choice]
        if not choices:
            errors.setdefault(number, []).append("至少选择一个指标或参数")
            continue
        try:
            factors = [_factor_node(choice) for choice in choices]
        except RowError as error:
            errors.setdefault(number, []).append(str(error))
            continue
        term = _term(factors)
        if (row.get("label") or "").strip():
            term["label"] = row["label"].strip()
        for message in amount_errors(term, catalogue, parameter_set):
            errors.setdefault(number, []).append(message.partition("：")[2] or message)
        terms.append(term)
    if errors or not terms:
        return {}, errors
    if combine not in COMBINATIONS:
        return {}, {0: ["请选择各项的组合方式（取较小值、取较大值或相加）"]}
    tree = terms[0] if len(terms) == 1 else {combine: terms}
    if round_yuan:
        tree = {"round": tree, "to": ROUND_TO_YUAN}
    for message in amount_errors(tree, catalogue, parameter_set, result_type=FactType.MONEY):
        errors.setdefault(0, []).append(message)
    return tree, errors


def _factors(node) -> list | None:
    if not isinstance(node, dict):
        return None
    if "fact" in node:
        return [FACT + node["fact"]]
    if "param" in node:
        return [PARAM + node["param"]]
    if "mul" in node and isinstance(node["mul"], list) and len(node["mul"]) == 2:
        left, right = _factors(node["mul"][0]), _factors(node["mul"][1])
        if left is None or right is None or len(right) != 1:
            return None
        return left + right
    return None


def amount_to_rows(tree: dict) -> tuple[list[dict], str, bool] | None:
    """(rows, combine, round_yuan) of a tree of the builder's shape; None for another shape (the page then says
    that saving replaces it)."""
    if not tree:
        return [], "min", False
    round_yuan = False
    if "round" in tree:
        if tree.get("to") != ROUND_TO_YUAN:
            return None
        tree, round_yuan = tree["round"], True
    combine = next((kind for kind in COMBINATIONS if kind in tree), None)
    terms = tree[combine] if combine else [tree]
    rows = []
    for term in terms:
        factors = _factors(term)
        if factors is None or len(factors) > len(FACTOR_FIELDS):
            return None
        factors += [""] * (len(FACTOR_FIELDS) - len(factors))
        rows.append({"label": term.get("label", ""), **dict(zip(FACTOR_FIELDS, factors, strict=True))})
    return rows, combine or "min", round_yuan


def factor_choices(catalogue=CATALOGUE, parameters: dict | None = None) -> list[tuple[str, str]]:
    """A factor's choices: the catalogue's number facts, then the version's parameters."""
    choices = [("", "—")]
    choices += [(FACT + fact.name, f"指标：{fact.label}") for fact in catalogue if fact.type.is_number]
    for name, spec in (parameters or {}).items():
        choices.append((PARAM + name, f"参数：{spec.get('label') or name}"))
    return choices


def amount_line(tree: dict, catalogue=CATALOGUE, parameters: dict | None = None) -> str:
    """The formula as one readable line: "取较小值（按实付租金比例：补贴比例 × 实付租金；按面积封顶：每平方米月补贴上限 ×
    租赁面积 × 租赁月数）", a term named by its label."""
    if not tree:
        return ""
    parameters = parameters or {}

    def text(node, top=False) -> str:
        if not isinstance(node, dict):
            return "?"
        if "fact" in node:
            fact = catalogue.get(node["fact"])
            return fact.label if fact else node["fact"]
        if "param" in node:
            return (parameters.get(node["param"]) or {}).get("label") or node["param"]
        if "const" in node:
            try:
                return format_value(FactType(node.get("type")), node["const"])
            except (ValueError, TypeError):
                return str(node["const"])
        if "round" in node:
            return f"{labelled(node['round'])}，四舍五入到元"
        for kind, word in (("mul", " × "), ("add", " + "), ("sub", " − "), ("div", " ÷ ")):
            if kind in node:
                inner = word.join(text(item) for item in node[kind])
                return inner if top or kind == "mul" else f"（{inner}）"
        for kind, word in (("min", "取较小值"), ("max", "取较大值")):
            if kind in node:
                terms = [f"{item['label']}：{text(item, True)}" if isinstance(item, dict) and item.get("label")
                         else text(item, True) for item in node[kind]]
                return f"{word}（{'；'.join(terms)}）"
        return "?"

    def labelled(node) -> str:
        line = text(node, True)
        if isinstance(node, dict) and node.get("label") and "min" not in node and "max" not in node:
            return f"{node['label']}：{line}"
        return line

    return labelled(tree)


# ----- obligations -----------------------------------------------------------------------------------------------
def obligations_from_rows(rows: list[dict]) -> tuple[list, dict]:
    """Rows {kind, years, qualification, recover, label} → the obligations' JSON (see contracts: clawback)."""
    errors: dict[int, list[str]] = {}
    found = []
    for number, row in enumerate(rows, 1):
        kind, recover = row.get("kind") or "", row.get("recover") or ""
        if kind not in OBLIGATION_KINDS:
            errors.setdefault(number, []).append("请选择义务类型")
            continue
        if recover not in RECOVERY:
            errors.setdefault(number, []).append("请选择追回方式（全部追回或按比例追回）")
            continue
        years = row.get("years")
        if years is None or years < 0:
            errors.setdefault(number, []).append("锁定年数应为不小于 0 的整数（0 表示仅限支持期间）")
            continue
        entry = {"kind": kind, "years": years, "recover": recover, "label": (row.get("label") or "").strip()}
        qualification = (row.get("qualification") or "").strip()
        if kind == "keep_qualification":
            if not qualification:
                errors.setdefault(number, []).append("“保持资质”须写明资质（如 high_tech）")
                continue
            entry["qualification"] = qualification
        elif qualification:
            errors.setdefault(number, []).append("只有“保持资质”填写资质")
            continue
        found.append(entry)
    return found, errors


def obligations_to_rows(obligations: list) -> list[dict]:
    return [{"kind": item.get("kind", ""), "years": item.get("years"), "qualification": item.get("qualification", ""),
             "recover": item.get("recover", ""), "label": item.get("label", "")}
            for item in obligations or [] if isinstance(item, dict)]


# ----- a test case's facts --------------------------------------------------------------------------------------
def facts_from_written(written: dict, catalogue=CATALOGUE) -> tuple[dict, dict]:
    """{fact: text typed in ㎡, 元, %, 是/否, dates, codes} → the facts' JSON (blank: missing, left out), and
    {fact: error}."""
    facts, errors = {}, {}
    for name, text in written.items():
        fact = catalogue.get(name)
        if fact is None or not (text or "").strip():
            continue
        try:
            facts[name] = value_to_json(parse_value(fact.type, text))
        except (RowError, ValueError, TypeError) as error:
            errors[name] = f"{fact.label}：{error}"
    return facts, errors


def facts_to_written(facts: dict, catalogue=CATALOGUE) -> dict:
    written = {}
    for name, raw in (facts or {}).items():
        fact = catalogue.get(name)
        if fact is None or raw is None:
            continue
        written[name] = value_text(fact.type, raw)
    return written


def facts_from_json(facts: dict, catalogue=CATALOGUE) -> dict:
    """The stored JSON of facts → values in storage units (a fact left out is missing)."""
    values = {}
    for name, raw in (facts or {}).items():
        fact = catalogue.get(name)
        if fact is not None and raw is not None:
            values[name] = value_from_json(fact.type, raw)
    return values


def facts_shown(facts: dict, catalogue=CATALOGUE) -> list[dict]:
    """Each fact of the catalogue with its value as a page writes it (数据缺失 when absent)."""
    values = facts_from_json(facts, catalogue)
    return [{"name": fact.name, "label": fact.label,
             "value": yuan_text(values[fact.name]) if fact.type is FactType.MONEY
             else format_value(fact.type, values[fact.name], fact.unit)}
            for fact in catalogue if fact.name in values]


# Facts that grow with the length of the period: a case's whole-period value is shared among the parts of a period
# split at a parameter's change.
PERIOD_FACTS = {"lease.rent_paid": "days", "lease.months": "months"}


def _months_in(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def case_facts_for_part(facts: dict, start: datetime.date, end: datetime.date):
    """``facts_for_part`` of a test case: its facts are the whole period's; a part of the period gets the same
    facts, except rent paid shared by days (half-up, the last part taking what remains) and months leased
    shared as the calendar months before the part and the part touch (the last part taking what remains)."""
    whole_days = (end - start).days + 1

    def for_part(part_start: datetime.date, part_end: datetime.date) -> dict:
        if (part_start, part_end) == (start, end):
            return facts
        part = dict(facts)
        rent = facts.get("lease.rent_paid", MISSING)
        if rent is not MISSING:
            before = (part_start - start).days
            days = (part_end - part_start).days + 1
            share_before = (rent * before * 2 + whole_days) // (2 * whole_days)
            share_through = rent if part_end == end else (rent * (before + days) * 2 + whole_days) // (2 * whole_days)
            part["lease.rent_paid"] = share_through - share_before
        months = facts.get("lease.months", MISSING)
        if months is not MISSING:
            earlier = min(months, _months_in(start, part_start - datetime.timedelta(days=1))) if part_start > start else 0
            remaining = months - earlier
            part["lease.months"] = remaining if part_end == end else min(_months_in(part_start, part_end), remaining)
        return part

    return for_part
