"""Amount formulas: how much a policy pays, as a typed tree of integer arithmetic over facts and parameters.

A node is one of::

    {"fact": "lease.rent_paid"}                   a fact of the catalogue (area, share, count, ratio or money)
    {"param": "rate"}                             a named parameter, read on the day of the decision
    {"const": 300000000, "type": "money"}         a constant in storage units
    {"min": [n, ...]}  {"max": [n, ...]}          two or more nodes of one type
    {"add": [n, ...]}  {"sub": [a, b]}            of one type
    {"mul": [a, b]}                               typed, see ``MULTIPLICATION``
    {"div": [a, b]}                               same types → a count (floor); money ÷ count → money (half-up)
    {"round": n, "to": 100}                       half-up to a multiple of ``to`` (100 fen = whole yuan)

Any node may carry ``"label"`` (the criterion as the policy names it: "按面积封顶"), ``"note"`` (free text) and
``"unit"`` (how its value is written: "个月" for a count, "元/㎡·月" for a money per m² per month; a fact's
unit comes from the catalogue). A money multiplied by an area is a money per m² and is written "元/㎡" unless
it says otherwise.

**Multiplication** is typed and order-free: share × money → money (÷ 10,000), share × area → area (÷ 10,000),
share × count → count (÷ 10,000), money × area → money (÷ 100: fen per m² times hundredths of a m²), money × count
→ money, area × count → area, count × count → count, ratio × any number → that type (÷ 100). Anything else
(money × money, share × share, …) is refused by ``validate_amount``. Every division rounds half away from zero
(``numbers.div_half_up``), applied once to the exact product.

**Missing.** A missing fact makes its node and every node above it missing, never 0; so does a division by 0
and a value beyond what int64 holds (±(2⁶³ − 1), checked after every product, sum and difference, left to
right), so that the screening evaluator (numpy int64) never wraps round where this one would not.

**Two evaluators.** ``evaluate_amount`` (A) computes one case and explains every node in Chinese, in yuan, ㎡
and % as ``format_value`` writes them; ``evaluate_amount_columns`` (B) computes a population (numpy int64) with
the same arithmetic. ``amount_over_period`` splits a period at every change of the parameters the tree uses
and sums the parts. Design: docs/decisions/0027-amount-formulas-typed-integer-arithmetic.md.
"""

import datetime
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from .catalogue import Catalogue
from .conditions import INT64_MAX, TYPE_HINTS, InvalidTree, content_hash
from .formatting import MISSING_TEXT, format_value
from .numbers import div_half_up
from .parameters import ParameterUndefined, split_period
from .types import MISSING, NUMBER_TYPES, FactType, is_value_of, value_from_json, value_to_json

A, S, C, R, M = FactType.AREA, FactType.SHARE, FactType.COUNT, FactType.RATIO, FactType.MONEY
LIMIT = INT64_MAX  # every value, intermediate or final, lies in [-LIMIT, LIMIT]

LEAF_KINDS = ("fact", "param", "const")
OPERATIONS = ("min", "max", "add", "sub", "mul", "div", "round")
KINDS = LEAF_KINDS + OPERATIONS
KEYS = {"fact": {"fact"}, "param": {"param"}, "const": {"const", "type"}, "min": {"min"}, "max": {"max"},
        "add": {"add"}, "sub": {"sub"}, "mul": {"mul"}, "div": {"div"}, "round": {"round", "to"}}
EXTRA_KEYS = {"label", "note", "unit"}
NAMES = {"min": "取较小值", "max": "取较大值", "add": "相加", "sub": "相减", "mul": "相乘", "div": "相除",
         "round": "四舍五入"}
SYMBOLS = {"add": " + ", "sub": " − ", "mul": " × ", "div": " ÷ "}
NUMERALS = {2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}


def _multiplication() -> dict:
    table = {}

    def rule(x, y, result, divisor):
        table[(x, y)] = table[(y, x)] = (result, divisor)

    rule(S, M, M, 10_000)
    rule(S, A, A, 10_000)
    rule(S, C, C, 10_000)
    rule(M, A, M, 100)
    rule(M, C, M, 1)
    rule(A, C, A, 1)
    rule(C, C, C, 1)
    for number_type in NUMBER_TYPES:
        rule(R, number_type, number_type, 100)
    return table


# (type, type) → (type of the product, divisor applied half-up to the exact product)
MULTIPLICATION: dict[tuple[FactType, FactType], tuple[FactType, int]] = _multiplication()
# (type, type) → (type of the quotient, floor division?)
DIVISION: dict[tuple[FactType, FactType], tuple[FactType, bool]] = {
    **{(number_type, number_type): (C, True) for number_type in NUMBER_TYPES},
    (M, C): (M, False),
}
MULTIPLICATION_TEXT = "比例×金额、比例×面积、比例×数量、金额×面积、金额×数量、面积×数量、数量×数量、比率×任一数值"
DIVISION_TEXT = "同类型相除（得数量，向下取整）、金额÷数量（得金额，四舍五入）"


def path_name(path: str) -> str:
    return f"金额公式 {path}" if path else "整体金额公式"


def _child_path(path: str, number: int) -> str:
    return f"{path}.{number}" if path else str(number)


def _kind(node: dict) -> str | None:
    kinds = [kind for kind in KINDS if kind in node]
    return kinds[0] if len(kinds) == 1 else None


@dataclass(frozen=True, eq=False)
class AmountNode:
    """A checked node, its parameters resolved on the day it was prepared for (``prepare_amount``)."""

    kind: str
    path: str
    type: FactType
    label: str = ""
    unit: str = ""
    note: str = ""
    children: tuple = ()
    name: str = ""  # the fact's or the parameter's name
    title: str = ""  # the fact's or the parameter's label
    value: object = None  # a const, or the parameter's value on the day
    divisor: int = 1  # mul: the exact product ÷ this, half-up; round: the multiple
    floor: bool = False  # div: floor division (same types) rather than half-up (money ÷ count)
    raw: dict = field(default_factory=dict, repr=False)


_UNRESOLVED = object()


class _Compiler:
    def __init__(self, catalogue: Catalogue, parameters, on: datetime.date | None):
        self.catalogue, self.parameters, self.on = catalogue, parameters, on
        self.errors: list[str] = []
        self.unresolved: list[Exception] = []

    def error(self, path: str, text: str):
        self.errors.append(f"{path_name(path)}：{text}")

    def text(self, node: dict, key: str, path: str) -> str:
        value = node.get(key, "")
        if not isinstance(value, str):
            self.error(path, f"{key} 应为文本")
            return ""
        return value

    def node(self, node, path: str) -> AmountNode | None:
        if not isinstance(node, dict):
            self.error(path, "应为一个金额节点（JSON 对象）")
            return None
        kind = _kind(node)
        if kind is None:
            self.error(path, "应为指标（fact）、参数（param）、常数（const）或运算（min、max、add、sub、mul、div、"
                             "round）之一")
            return None
        unknown = set(node) - KEYS[kind] - EXTRA_KEYS
        if unknown:
            self.error(path, f"不认识的键 {'、'.join(sorted(unknown))}")
        common = {"label": self.text(node, "label", path), "unit": self.text(node, "unit", path),
                  "note": self.text(node, "note", path), "raw": node}
        if kind in LEAF_KINDS:
            return getattr(self, kind)(node, path, common)
        return self.operation(kind, node, path, common)

    def fact(self, node: dict, path: str, common: dict):
        name = node["fact"]
        fact = self.catalogue.get(name) if isinstance(name, str) else None
        if fact is None:
            self.error(path, f"未知的指标 {name}" if name else "缺少指标名称")
            return None
        if not fact.type.is_number:
            self.error(path, f"指标“{fact.label}”的类型是“{fact.type.label}”，不是数值，不能参与金额计算")
            return None
        common["unit"] = common["unit"] or fact.unit
        return AmountNode("fact", path, fact.type, name=name, title=fact.label, **common)

    def param(self, node: dict, path: str, common: dict):
        name = node["param"]
        if self.parameters is None:
            self.error(path, f"引用了参数 {name}，但没有提供参数表")
            return None
        parameter = self.parameters.get(name) if isinstance(name, str) else None
        if parameter is None:
            self.error(path, f"未知的参数 {name}")
            return None
        if not parameter.type.is_number:
            self.error(path, f"参数“{parameter.label}”的类型是“{parameter.type.label}”，不是数值，不能参与金额计算")
            return None
        value = _UNRESOLVED
        if self.on is not None:
            try:
                value = parameter.value_on(self.on)
            except ParameterUndefined as error:
                self.unresolved.append(error)
            else:
                if not -LIMIT <= value <= LIMIT:
                    self.error(path, f"参数“{parameter.label}”的值 {value} 超出可计算的范围")
                    return None
        return AmountNode("param", path, parameter.type, name=name, title=parameter.label, value=value, **common)

    def const(self, node: dict, path: str, common: dict):
        raw_type = node.get("type")
        try:
            const_type = FactType(raw_type)
        except ValueError:
            const_type = None
        if const_type is None or not const_type.is_number:
            self.error(path, f"常数需要数值类型（type：money、area、share、count、ratio 之一），不是 {raw_type}")
            return None
        try:
            value = value_from_json(const_type, node["const"])
        except ValueError:
            shown = json.dumps(node["const"], ensure_ascii=False)
            self.error(path, f"常数 {shown} 不是{const_type.label}的值：{TYPE_HINTS[const_type]}")
            return None
        if not -LIMIT <= value <= LIMIT:
            self.error(path, f"常数 {value} 超出可计算的范围（绝对值不超过 {LIMIT}）")
            return None
        return AmountNode("const", path, const_type, value=value, **common)

    def operation(self, kind: str, node: dict, path: str, common: dict):
        name = NAMES[kind]
        if kind == "round":
            child = self.node(node["round"], _child_path(path, 1))
            to = node.get("to")
            if not isinstance(to, int) or isinstance(to, bool) or not 0 < to <= LIMIT:
                self.error(path, f"“{name}”的 to 应为正整数，取整的倍数（以存储单位计：100 分即 1 元），"
                                 f"不是 {to!r}")
                return None
            if child is None:
                return None
            return AmountNode("round", path, child.type, children=(child,), divisor=to, **common)
        items = node[kind]
        pair = kind in ("sub", "mul", "div")
        if pair and (not isinstance(items, list) or len(items) != 2):
            self.error(path, f"“{name}”需要恰好两个金额节点 [a, b]")
            return None
        if not pair and (not isinstance(items, list) or len(items) < 2):
            self.error(path, f"“{name}”需要至少两个金额节点的列表")
            return None
        children = [self.node(item, _child_path(path, number)) for number, item in enumerate(items, 1)]
        if None in children:
            return None
        types = [child.type for child in children]
        if kind == "mul":
            rule = MULTIPLICATION.get((types[0], types[1]))
            if rule is None:
                self.error(path, f"不能相乘：{types[0].label} × {types[1].label}（可乘的组合：{MULTIPLICATION_TEXT}）")
                return None
            result, divisor = rule
            if {types[0], types[1]} == {M, A}:  # a money per m²: written 元/㎡ unless the node says otherwise
                children = [replace(child, unit=child.unit or "元/㎡") if child.type is M else child
                            for child in children]
            return AmountNode("mul", path, result, children=tuple(children), divisor=divisor, **common)
        if kind == "div":
            rule = DIVISION.get((types[0], types[1]))
            if rule is None:
                self.error(path, f"不能相除：{types[0].label} ÷ {types[1].label}（可除的组合：{DIVISION_TEXT}）")
                return None
            result, floor = rule
            return AmountNode("div", path, result, children=tuple(children), floor=floor, **common)
        if len(set(types)) != 1:
            shown = "，".join(f"第 {number} 项是{item.label}" for number, item in enumerate(types, 1))
            self.error(path, f"“{name}”的各项类型须相同：{shown}")
            return None
        return AmountNode(kind, path, types[0], children=tuple(children), **common)


def _compile(tree, catalogue: Catalogue, parameters, on: datetime.date | None) -> tuple[_Compiler, AmountNode]:
    compiler = _Compiler(catalogue, parameters, on)
    root = compiler.node(tree, "")
    return compiler, root


def amount_errors(tree, catalogue: Catalogue, parameters=None, *, result_type: FactType | None = None) -> list[str]:
    """The tree's errors in Chinese, each naming its node ("金额公式 2.1：未知的指标 lease.xxx"); [] when valid.
    ``result_type``: the type the whole formula must have (a policy pays money)."""
    compiler, root = _compile(tree, catalogue, parameters, None)
    if root is not None and result_type is not None and root.type is not FactType(result_type):
        compiler.errors.append(f"{path_name('')}：结果应为{FactType(result_type).label}，现为{root.type.label}")
    return compiler.errors


def validate_amount(tree, catalogue: Catalogue, parameters=None, *, result_type: FactType | None = None) -> None:
    """InvalidTree (its ``errors`` in Chinese, by path) unless the tree is a valid amount formula."""
    errors = amount_errors(tree, catalogue, parameters, result_type=result_type)
    if errors:
        raise InvalidTree(errors)


def prepare_amount(tree, catalogue: Catalogue, parameters=None, on: datetime.date | None = None) -> AmountNode:
    """The tree checked and its parameters read on ``on``: InvalidTree when it has errors, else ParameterUndefined
    when a parameter has no value on ``on`` (ValueError when the tree names a parameter and ``on`` is not given).
    Give what it returns to either evaluator to decide many cases on one day without checking the tree again."""
    compiler, root = _compile(tree, catalogue, parameters, on)
    if compiler.errors:
        raise InvalidTree(compiler.errors)
    if compiler.unresolved:
        raise compiler.unresolved[0]
    if on is None and amount_parameters_used(tree):
        raise ValueError("the formula names parameters: give the day to read them on (on=...)")
    return root


def _prepared(tree, catalogue, parameters, on) -> AmountNode:
    return tree if isinstance(tree, AmountNode) else prepare_amount(tree, catalogue, parameters, on)


# --- the JSON tree, unchecked ------------------------------------------------------------------------------


def _walk(tree):
    if not isinstance(tree, dict):
        return
    yield tree
    kind = _kind(tree)
    if kind == "round":
        yield from _walk(tree["round"])
    elif kind in OPERATIONS and isinstance(tree[kind], list):
        for item in tree[kind]:
            yield from _walk(item)


def amount_facts_used(tree) -> set[str]:
    return {node["fact"] for node in _walk(tree) if _kind(node) == "fact" and isinstance(node["fact"], str)}


def amount_parameters_used(tree) -> set[str]:
    return {node["param"] for node in _walk(tree) if _kind(node) == "param" and isinstance(node["param"], str)}


def _jsonable(value):
    if hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value_to_json(value)


def amount_content_hash(*, conditions, amount, parameters=None, **more) -> str:
    """The hash of what a policy version decides by: ``content_hash`` (sha256 of canonical JSON) of
    {"conditions": …, "amount": …, "parameters": …, **more} (caps, obligations…), a ParameterSet as its JSON and
    dates as "YYYY-MM-DD". Any change of the amount tree, a label included, changes it."""
    content = {"conditions": conditions, "amount": amount, "parameters": parameters, **more}
    return content_hash(_jsonable(content))


# --- evaluator A ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountOutcome:
    value: object  # int in storage units, or MISSING
    type: FactType
    steps: list = field(default_factory=list)  # {path, label, type, value, sentence} per node, children first
    sentence: str = ""
    reasons: list = field(default_factory=list)  # why the value is missing, in Chinese ([] when it is not)
    on: datetime.date | None = None
    parts: list = field(default_factory=list)  # amount_over_period: {start, end, on, value, sentence, steps}

    @property
    def missing(self) -> bool:
        return self.value is MISSING

    def as_dict(self) -> dict:
        return {"value": value_to_json(self.value), "type": self.type.value, "steps": self.steps,
                "sentence": self.sentence, "reasons": self.reasons,
                "on": self.on.isoformat() if self.on else None, "parts": self.parts}

    @classmethod
    def from_dict(cls, data: dict) -> "AmountOutcome":
        return cls(value=MISSING if data["value"] is None else data["value"], type=FactType(data["type"]),
                   steps=data.get("steps", []), sentence=data.get("sentence", ""), reasons=data.get("reasons", []),
                   on=datetime.date.fromisoformat(data["on"]) if data.get("on") else None,
                   parts=data.get("parts", []))


def written(fact_type: FactType, value, unit: str = "") -> str:
    """A value as the sentences write it: ``format_value``, a money with its unit ("30.00 元/㎡·月")."""
    if value is MISSING:
        return MISSING_TEXT
    if fact_type is M and unit:
        number = format_value(M, value).removesuffix(" 元")
        return f"{number} {unit if unit.startswith('元') else '元' + unit}"
    return format_value(fact_type, value, unit)


class _Failure(Exception):
    pass


def _checked(value: int, node: AmountNode) -> int:
    if not -LIMIT <= value <= LIMIT:
        raise _Failure(f"{_node_name(node)}的结果超出可计算的范围")
    return value


def _node_name(node: AmountNode) -> str:
    return f"“{node.label}”" if node.label else path_name(node.path)


def _apply(node: AmountNode, items: list) -> int:
    """One operation on present values, exactly as ``_apply_columns`` does it on arrays."""
    kind = node.kind
    if kind == "min":
        return min(items)
    if kind == "max":
        return max(items)
    if kind == "add":
        total = items[0]
        for item in items[1:]:
            total = _checked(total + item, node)
        return total
    if kind == "sub":
        return _checked(items[0] - items[1], node)
    if kind == "mul":
        product = _checked(items[0] * items[1], node)
        return product if node.divisor == 1 else div_half_up(product, node.divisor)
    if kind == "div":
        if items[1] == 0:
            raise _Failure(f"{_node_name(node)}的除数为 0")
        return items[0] // items[1] if node.floor else div_half_up(items[0], items[1])
    # round
    return _checked(div_half_up(items[0], node.divisor) * node.divisor, node)


def _compute(node: AmountNode, facts: Mapping, values: dict, reasons: dict) -> object:
    """The node's value (or MISSING), children first, every child computed; fills ``values`` and ``reasons``
    (why a node is missing: fact labels as ("fact", label), other reasons as text) by path."""
    found: list = []
    if node.kind == "fact":
        value = facts.get(node.name, MISSING)
        if value is not MISSING:
            if not is_value_of(node.type, value):
                raise TypeError(f"fact {node.name} ({node.type.value}) has the value {value!r}: give a value of its "
                                f"type in storage units, or MISSING")
            if not -LIMIT <= value <= LIMIT:
                found.append(f"指标“{node.title}”的值超出可计算的范围")
                value = MISSING
        else:
            found.append(("fact", node.title))
    elif node.kind in LEAF_KINDS:
        value = node.value
        if value is _UNRESOLVED:
            raise ValueError("the formula names parameters: give the day to read them on (on=...)")
    else:
        items = [_compute(child, facts, values, reasons) for child in node.children]
        for child in node.children:
            found.extend(item for item in reasons[child.path] if item not in found)
        if any(item is MISSING for item in items):
            value = MISSING
        else:
            try:
                value = _apply(node, items)
            except _Failure as failure:
                found.append(str(failure))
                value = MISSING
    values[node.path] = value
    reasons[node.path] = found
    return value


def reason_text(found: list) -> str:
    """"实付租金、租赁面积数据缺失；金额公式 2 的除数为 0"."""
    labels = [item[1] for item in found if isinstance(item, tuple)]
    texts = [f"{'、'.join(labels)}数据缺失"] if labels else []
    return "；".join(texts + [item for item in found if isinstance(item, str)])


def _numeral(n: int) -> str:
    return NUMERALS.get(n, str(n))


class _Explainer:
    """The sentences of a computed tree. A node is written in its own clause ("按面积封顶：30.00 元/㎡ × 1,000.00
    ㎡ = 30,000.00 元") when it is the root, labelled, a min, max, division or rounding, an operand of a min or
    max, or the (non-leaf) operand of a rounding; otherwise its parent writes it inline, a leaf as its value, an
    arithmetic node as its expression. Clauses come children first."""

    def __init__(self, values: dict):
        self.values = values
        self.clauses: list[str] = []

    def shown(self, node: AmountNode) -> str:
        return written(node.type, self.values[node.path], node.unit)

    def own_clause(self, node: AmountNode, parent: AmountNode | None) -> bool:
        if parent is None or parent.kind in ("min", "max"):
            return True
        if node.kind in LEAF_KINDS:
            return False
        return bool(node.label) or node.kind in ("min", "max", "div", "round") or parent.kind == "round"

    def text(self, node: AmountNode, parent: AmountNode | None) -> str:
        if self.own_clause(node, parent):
            self.clauses.append(self.clause(node))
            return self.shown(node)
        return self.expression(node)

    def expression(self, node: AmountNode) -> str:
        if node.kind in LEAF_KINDS:
            return self.shown(node)
        parts = []
        for number, child in enumerate(node.children):
            inline = not self.own_clause(child, node)
            text = self.text(child, node)
            grouped = child.kind in ("add", "sub") and (node.kind in ("mul", "div") or
                                                         (node.kind == "sub" and number == 1))
            parts.append(f"（{text}）" if inline and grouped else text)
        return SYMBOLS[node.kind].join(parts)

    def clause(self, node: AmountNode, *, step: bool = False) -> str:
        prefix = f"{node.label}：" if node.label else ""
        if node.kind in LEAF_KINDS:
            name = node.label or node.title
            return f"{name} {self.shown(node)}" if name else self.shown(node)
        if node.kind in ("min", "max"):
            count = len(node.children)
            which = "较小值" if node.kind == "min" else "较大值"
            if count == 2:
                what = f"取两者{which}"
            else:
                what = f"取{_numeral(count)}者中的{'最小值' if node.kind == 'min' else '最大值'}"
            if step:
                listed = "、".join(self.shown(child) for child in node.children)
                return f"{prefix}{listed}，{what} {self.shown(node)}"
            for child in node.children:
                self.text(child, node)
            return f"{prefix}{what} {self.shown(node)}"
        if node.kind == "round":
            (child,) = node.children
            inner = self.shown(child) if step else self.text(child, node)
            if node.type is M and node.divisor == 100:
                target = "四舍五入到元"
            elif node.type is M and node.divisor == 1:
                target = "四舍五入到分"
            else:
                target = f"四舍五入到 {written(node.type, node.divisor, node.unit)} 的整数倍"
            return f"{prefix}{inner} {target}为 {self.shown(node)}"
        text = f"{prefix}{self.expression(node)} = {self.shown(node)}"
        return text + "（向下取整）" if node.kind == "div" and node.floor else text


def _steps(root: AmountNode, values: dict, reasons: dict) -> list[dict]:
    steps = []

    def walk(node: AmountNode):
        for child in node.children:
            walk(child)
        value = values[node.path]
        if value is MISSING:
            name = node.label or node.title or path_name(node.path)
            sentence = f"{name}：无法计算（{reason_text(reasons[node.path])}）"
        else:
            sentence = _Explainer(values).clause(node, step=True)
        steps.append({"path": node.path, "label": node.label or node.title, "type": node.type.value,
                      "value": value_to_json(value), "sentence": sentence})

    walk(root)
    return steps


def evaluate_amount(tree, facts: Mapping, catalogue: Catalogue, parameters=None,
                    on: datetime.date | None = None) -> AmountOutcome:
    """Evaluator A: the formula's value for ``facts`` (name → value in storage units, or MISSING; an absent name
    is missing), one step per node and the whole as one sentence. Parameters are read on ``on``. ``tree`` may be
    what ``prepare_amount`` returned (give ``on`` too: the outcome keeps it)."""
    root = _prepared(tree, catalogue, parameters, on)
    values: dict = {}
    reasons: dict = {}
    value = _compute(root, facts, values, reasons)
    steps = _steps(root, values, reasons)
    if value is MISSING:
        why = reasons[root.path]
        sentence = f"金额无法计算：{reason_text(why)}"
        shown_reasons = [f"{item[1]}数据缺失" if isinstance(item, tuple) else item for item in why]
    else:
        explainer = _Explainer(values)
        explainer.text(root, None)
        sentence = "；".join(explainer.clauses)
        shown_reasons = []
    return AmountOutcome(value=value, type=root.type, steps=steps, sentence=sentence, reasons=shown_reasons, on=on)


# --- evaluator B ---------------------------------------------------------------------------------------------


def div_half_up_columns(a: np.ndarray, b) -> np.ndarray:
    """``div_half_up`` element by element on int64 (``b`` an array or an int, never 0): the quotient of the
    absolute values, plus one when twice the remainder reaches the divisor, with the sign of a ÷ b. Both arguments
    within ±(2⁶³ − 1), so no step overflows (the remainder is compared with divisor − remainder, not doubled)."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    abs_a, abs_b = np.abs(a), np.abs(b)
    quotient = abs_a // abs_b
    remainder = abs_a - quotient * abs_b
    quotient = quotient + (remainder >= abs_b - remainder)
    return np.where((a < 0) != (b < 0), -quotient, quotient)


def _sum_ok(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Where a + b stays within ±LIMIT (both are)."""
    upper = LIMIT - np.maximum(b, 0)
    lower = -LIMIT - np.minimum(b, 0)
    return (a <= upper) & (a >= lower)


def _product_ok(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Where a × b stays within ±LIMIT (both are): |a| ≤ LIMIT // |b|."""
    return (b == 0) | (np.abs(a) <= np.int64(LIMIT) // np.maximum(np.abs(b), 1))


def _apply_columns(node: AmountNode, items: list, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_apply`` on arrays whose absent rows hold 0: (values, rows where the result exists)."""
    kind = node.kind
    if kind == "min":
        return np.minimum.reduce(items), present
    if kind == "max":
        return np.maximum.reduce(items), present
    if kind in ("add", "sub"):
        total = items[0]
        rest = items[1:] if kind == "add" else [-items[1]]
        for item in rest:
            ok = _sum_ok(total, item)
            present = present & ok
            total = np.where(ok, total, 0) + np.where(ok, item, 0)
        return total, present
    if kind == "mul":
        a, b = items
        ok = _product_ok(a, b)
        product = np.where(ok, a, 0) * b
        if node.divisor != 1:
            product = div_half_up_columns(product, node.divisor)
        return product, present & ok
    if kind == "div":
        a, b = items
        nonzero = b != 0
        b = np.where(nonzero, b, 1)
        quotient = a // b if node.floor else div_half_up_columns(a, b)
        return quotient, present & nonzero
    (a,) = items
    rounded = div_half_up_columns(a, node.divisor)
    ok = np.abs(rounded) <= LIMIT // node.divisor
    return np.where(ok, rounded, 0) * np.int64(node.divisor), present & ok


def _rows(columns: Mapping, rows: int | None) -> int:
    lengths = {len(present) for _, present in columns.values()} | {len(values) for values, _ in columns.values()}
    if rows is not None:
        lengths.add(rows)
    if len(lengths) != 1:
        raise ValueError(f"columns of different lengths: {sorted(lengths)}" if lengths else "give rows=")
    return lengths.pop()


def evaluate_amount_columns(tree, columns: Mapping, catalogue: Catalogue, parameters=None,
                            on: datetime.date | None = None, *, rows: int | None = None
                            ) -> tuple[np.ndarray, np.ndarray]:
    """Evaluator B: the formula for every row of ``columns`` (name → (int64 values, bool present), as for
    ``evaluate_columns``; a fact not given is missing in every row; ``rows`` is needed only when no column is
    given). Returns (values int64, present bool); a value where ``present`` is False is 0 and means nothing."""
    root = _prepared(tree, catalogue, parameters, on)
    n = _rows(columns, rows)

    def walk(node: AmountNode) -> tuple[np.ndarray, np.ndarray]:
        if node.kind == "fact":
            column = columns.get(node.name)
            if column is None:
                return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
            values = np.asarray(column[0], dtype=np.int64)
            present = np.asarray(column[1], dtype=bool) & (values >= -LIMIT)  # -2⁶³ is beyond what A accepts
            return np.where(present, values, 0), present
        if node.kind in LEAF_KINDS:
            if node.value is _UNRESOLVED:
                raise ValueError("the formula names parameters: give the day to read them on (on=...)")
            return np.full(n, node.value, dtype=np.int64), np.ones(n, dtype=bool)
        results = [walk(child) for child in node.children]
        present = np.logical_and.reduce([child_present for _, child_present in results])
        values, present = _apply_columns(node, [child_values for child_values, _ in results], present)
        return np.where(present, values, 0), present

    return walk(root)


# --- over a period -------------------------------------------------------------------------------------------


def amount_parts(tree, parameters, start: datetime.date, end: datetime.date) -> list[tuple]:
    """[start, end] split at every change of a parameter the tree uses (``split_period``)."""
    used = [parameters[name] for name in sorted(amount_parameters_used(tree)) if parameters and name in parameters]
    return split_period(start, end, used)


def _period_text(start: datetime.date, end: datetime.date) -> str:
    return f"{format_value(FactType.DATE, start)}至{format_value(FactType.DATE, end)}"


def amount_over_period(tree, facts_for_part: Callable, catalogue: Catalogue, parameters,
                       start: datetime.date, end: datetime.date) -> AmountOutcome:
    """The formula over [start, end]: split at every change date of the parameters it uses, each part evaluated
    with ``facts_for_part(part_start, part_end)`` and the parameters' values on the part's first day, summed
    (missing when any part is; the sum checked against ±(2⁶³ − 1) as every sum is). ``parts`` lists each part
    (start, end, on, value, sentence, steps); with one part the outcome's steps are its steps, with several one
    step per part."""
    validate_amount(tree, catalogue, parameters)
    parts, outcomes = [], []
    for part_start, part_end in amount_parts(tree, parameters, start, end):
        outcome = evaluate_amount(tree, facts_for_part(part_start, part_end), catalogue, parameters, on=part_start)
        outcomes.append(outcome)
        parts.append({"start": part_start.isoformat(), "end": part_end.isoformat(), "on": part_start.isoformat(),
                      "value": value_to_json(outcome.value), "sentence": outcome.sentence, "steps": outcome.steps})
    fact_type = outcomes[0].type
    if len(outcomes) == 1:
        only = outcomes[0]
        return replace(only, parts=parts)
    reasons, total = [], 0
    for part, outcome in zip(parts, outcomes, strict=True):
        period = _period_text(datetime.date.fromisoformat(part["start"]), datetime.date.fromisoformat(part["end"]))
        reasons.extend(f"{period}：{reason}" for reason in outcome.reasons)
        if total is not MISSING and outcome.value is not MISSING:
            total = total + outcome.value
            if not -LIMIT <= total <= LIMIT:
                reasons.append("各段合计超出可计算的范围")
                total = MISSING
        else:
            total = MISSING
    texts = [f"{_period_text(o_start, o_end)}：{outcome.sentence}" for (o_start, o_end), outcome in
             zip(((datetime.date.fromisoformat(p["start"]), datetime.date.fromisoformat(p["end"])) for p in parts),
                 outcomes, strict=True)]
    count = _numeral(len(parts))
    if total is MISSING:
        texts.append(f"{count}段合计无法计算")
    else:
        texts.append(f"{count}段合计 {written(fact_type, total)}")
    steps = [{"path": "", "label": _period_text(datetime.date.fromisoformat(part["start"]),
                                                 datetime.date.fromisoformat(part["end"])),
              "type": fact_type.value, "value": part["value"], "sentence": part["sentence"]} for part in parts]
    return AmountOutcome(value=total, type=fact_type, steps=steps, sentence="。".join(texts),
                         reasons=reasons if total is MISSING else [], on=None, parts=parts)


def amount_over_period_columns(tree, columns_for_part: Callable, catalogue: Catalogue, parameters,
                               start: datetime.date, end: datetime.date, *, rows: int | None = None
                               ) -> tuple[np.ndarray, np.ndarray]:
    """Evaluator B's ``amount_over_period``: ``columns_for_part(part_start, part_end)`` gives each part's columns;
    the parts' values summed with the same range check, present where every part is."""
    validate_amount(tree, catalogue, parameters)
    total = present = None
    for part_start, part_end in amount_parts(tree, parameters, start, end):
        values, part_present = evaluate_amount_columns(tree, columns_for_part(part_start, part_end), catalogue,
                                                       parameters, on=part_start, rows=rows)
        if total is None:
            total, present = values, part_present
            continue
        present = present & part_present
        ok = _sum_ok(total, values)
        present = present & ok
        total = np.where(present, np.where(ok, total, 0) + np.where(ok, values, 0), 0)
    return np.where(present, total, 0), present
