"""Condition trees as JSON data, checked against a catalogue of facts.

A leaf compares one fact with a constant or a named parameter::

    {"fact": "subject.incubatee_count", "op": "ge", "value": 50, "label": "在孵企业数量"}
    {"fact": "subject.incubatee_count", "op": "ge", "value": {"param": "min_incubatees"}}
    {"fact": "subject.incubation_area", "op": "between", "value": [300000, {"param": "max_area"}]}
    {"fact": "subject.industry_code", "op": "in", "value": ["6511", "6512"]}
    {"fact": "subject.operating_years", "op": "missing"}

Values are in storage units (``types``): an area of 10,000 ㎡ is 1000000, 75% is 7500, a date "2021-06-21".
``label`` names the criterion (the fact's label when absent); ``note`` is free text kept with it
("[assume] 无公开来源"). Groups: ``{"all": [nodes]}``, ``{"any": [nodes]}``, ``{"not": node}``.

A node's path numbers it from 1 inside its parent: "2.1" is the first child of the root's second child; the root
itself has the empty path. ``leaves`` lists the leaves in that order, which is also the order of the bits of the
screening evaluator's failed-leaf mask.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from .catalogue import Catalogue, Fact
from .formatting import format_list, format_value
from .operators import LIST, NONE, OPERATORS, PAIR, Operator
from .parameters import ParameterUndefined
from .types import FactType, value_from_json

GROUPS = ("all", "any", "not")
LEAF_KEYS = {"fact", "op", "value", "label", "note"}
GROUP_EXTRA_KEYS = {"label", "note"}
MAX_LEAVES = 64  # one bit each in the screening evaluator's uint64 mask
INT64_MIN, INT64_MAX = -(2**63) + 1, 2**63 - 1  # the screening evaluator's integer columns are int64

TYPE_HINTS = {
    FactType.AREA: "面积，整数，以 0.01 ㎡ 计（10,000 ㎡ 写作 1000000）",
    FactType.SHARE: "比例，整数，以基点计（75% 写作 7500）",
    FactType.COUNT: "数量，整数",
    FactType.RATIO: "比率，整数，以 0.01 计（3.5 写作 350）",
    FactType.MONEY: "金额，整数，以分计（1 元写作 100）",
    FactType.DATE: "日期，写作 YYYY-MM-DD",
    FactType.CODE: "代码，文本",
    FactType.BOOL: "是否，true 或 false",
}
GROUP_NAMES = {"all": "全部满足", "any": "满足其一", "not": "不满足"}


class InvalidTree(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("；".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Leaf:
    """A checked leaf with its threshold resolved (storage units; a tuple for ``between`` and the lists)."""

    index: int
    path: str
    fact: Fact
    op: Operator
    threshold: object
    label: str
    note: str
    params: tuple
    raw: dict = field(compare=False, repr=False)
    # the threshold as the sentences show it, formatted once: {"threshold": …} or {"lo": …, "hi": …}
    shown: dict = field(compare=False, repr=False, default_factory=dict)


def _shown(fact: Fact, op: Operator, threshold) -> dict:
    if threshold is None or threshold is _PARAM:
        return {"threshold": ""}
    if op.arity == PAIR:
        low, high = threshold
        if _PARAM in threshold:
            return {}
        return {"lo": format_value(fact.type, low, fact.unit), "hi": format_value(fact.type, high, fact.unit)}
    if op.arity == LIST:
        return {"threshold": format_list(fact.type, threshold, fact.unit)}
    return {"threshold": format_value(fact.type, threshold, fact.unit)}


@dataclass(frozen=True)
class Group:
    kind: str
    path: str
    children: tuple
    label: str
    note: str
    raw: dict = field(compare=False, repr=False)


def path_name(path: str) -> str:
    return f"条件 {path}" if path else "整体条件"


def _child_path(path: str, number: int) -> str:
    return f"{path}.{number}" if path else str(number)


def _is_param(raw) -> bool:
    return isinstance(raw, dict) and set(raw) == {"param"}


class _Compiler:
    """One walk that checks a tree and, when ``on`` is given and nothing is wrong, resolves it."""

    def __init__(self, catalogue: Catalogue, parameters, on: datetime.date | None, resolve: bool):
        self.catalogue, self.parameters, self.on, self.resolve = catalogue, parameters, on, resolve
        self.errors: list[str] = []
        self.leaf_count = 0
        self.unresolved: list[Exception] = []  # parameters without a value on ``on``, raised after the checks

    def error(self, path: str, text: str):
        self.errors.append(f"{path_name(path)}：{text}")

    def node(self, node, path: str):
        if not isinstance(node, dict):
            self.error(path, "应为一个条件（JSON 对象）")
            return None
        kinds = [key for key in GROUPS if key in node]
        if "fact" in node or "op" in node:
            if kinds:
                self.error(path, "不能既是比较条件又是条件组")
                return None
            return self.leaf(node, path)
        if len(kinds) != 1:
            self.error(path, "应为比较条件（fact、op）或条件组（all、any、not 之一）")
            return None
        kind = kinds[0]
        unknown = set(node) - {kind} - GROUP_EXTRA_KEYS
        if unknown:
            self.error(path, f"不认识的键 {'、'.join(sorted(unknown))}")
        label, note = self.text(node, "label", path), self.text(node, "note", path)
        if kind == "not":
            child = self.node(node["not"], _child_path(path, 1))
            children = (child,)
        else:
            items = node[kind]
            if not isinstance(items, list) or not items:
                self.error(path, f"“{GROUP_NAMES[kind]}”需要至少一个条件的列表")
                return None
            children = tuple(self.node(item, _child_path(path, number)) for number, item in enumerate(items, 1))
        return Group(kind, path, children, label, note, node)

    def text(self, node: dict, key: str, path: str) -> str:
        value = node.get(key, "")
        if not isinstance(value, str):
            self.error(path, f"{key} 应为文本")
            return ""
        return value

    def leaf(self, node: dict, path: str):
        index = self.leaf_count
        self.leaf_count += 1
        unknown = set(node) - LEAF_KEYS
        if unknown:
            self.error(path, f"不认识的键 {'、'.join(sorted(unknown))}")
        name, code = node.get("fact"), node.get("op")
        fact = self.catalogue.get(name) if isinstance(name, str) else None
        if fact is None:
            self.error(path, f"未知的指标 {name}" if name else "缺少指标（fact）")
        op = OPERATORS.get(code) if isinstance(code, str) else None
        if op is None:
            self.error(path, f"未知的运算 {code}" if code else "缺少运算（op）")
        label, note = self.text(node, "label", path), self.text(node, "note", path)
        if fact is None or op is None:
            return None
        if not op.allows(fact.type):
            self.error(path, f"指标“{fact.label}”（{fact.type.label}）不能使用运算“{op.label}”")
            return None
        threshold, params = self.value(node, path, fact, op)
        if threshold is _BAD:
            return None
        return Leaf(index, path, fact, op, threshold, label or fact.label, note, tuple(params), node,
                    _shown(fact, op, threshold))

    def value(self, node: dict, path: str, fact: Fact, op: Operator):
        params: list[str] = []
        if op.arity == NONE:
            if "value" in node:
                self.error(path, f"运算“{op.label}”不取比较值")
                return _BAD, params
            return None, params
        if "value" not in node:
            self.error(path, f"运算“{op.label}”需要比较值")
            return _BAD, params
        raw = node["value"]
        if op.arity == PAIR:
            if not isinstance(raw, list) or len(raw) != 2:
                self.error(path, f"运算“{op.label}”需要两个值 [下限, 上限]")
                return _BAD, params
            pair = tuple(self.one(item, path, fact, params, what) for item, what in zip(raw, ("下限", "上限"), strict=True))
            if _BAD in pair:
                return _BAD, params
            if not any(_is_param(item) for item in raw) and pair[0] > pair[1]:
                self.error(path, "下限大于上限")
                return _BAD, params
            return pair, params
        if op.arity == LIST:
            if not isinstance(raw, list) or not raw:
                self.error(path, f"运算“{op.label}”需要一个非空的值列表")
                return _BAD, params
            if any(_is_param(item) for item in raw):
                self.error(path, f"运算“{op.label}”的列表只能写常量，不能引用参数")
                return _BAD, params
            items = tuple(self.one(item, path, fact, params, f"第 {n} 个值") for n, item in enumerate(raw, 1))
            return (_BAD if _BAD in items else items), params
        return self.one(raw, path, fact, params, "比较值"), params

    def one(self, raw, path: str, fact: Fact, params: list, what: str):
        if _is_param(raw):
            return self.param(raw["param"], path, fact, params)
        try:
            value = value_from_json(fact.type, raw)
        except ValueError:
            shown = json.dumps(raw, ensure_ascii=False)
            self.error(path, f"{what} {shown} 不是指标“{fact.label}”的类型（{TYPE_HINTS[fact.type]}）")
            return _BAD
        if fact.type.is_number and not INT64_MIN <= value <= INT64_MAX:
            self.error(path, f"{what} {value} 超出可比较的范围（绝对值不超过 {INT64_MAX}）")
            return _BAD
        return value

    def param(self, name, path: str, fact: Fact, params: list):
        if self.parameters is None:
            self.error(path, f"引用了参数 {name}，但没有提供参数表")
            return _BAD
        parameter = self.parameters.get(name) if isinstance(name, str) else None
        if parameter is None:
            self.error(path, f"未知的参数 {name}")
            return _BAD
        if parameter.type is not fact.type:
            self.error(path, f"参数“{parameter.label}”是{parameter.type.label}，"
                             f"指标“{fact.label}”是{fact.type.label}，类型不符")
            return _BAD
        params.append(name)
        if not self.resolve:
            if self.on is None:
                self.unresolved.append(ValueError("the tree names parameters: give the day to read them on (on=...)"))
            return _PARAM
        try:
            return parameter.value_on(self.on)
        except ParameterUndefined as error:
            self.unresolved.append(error)
            return _PARAM


class _Marker:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


_BAD = _Marker("BAD")  # a value that failed its check (its error is recorded)
_PARAM = _Marker("PARAM")  # a parameter not resolved (validation only)


def _compile(tree, catalogue: Catalogue, parameters, on: datetime.date | None) -> _Compiler:
    compiler = _Compiler(catalogue, parameters, on, resolve=on is not None)
    compiler.root = compiler.node(tree, "")
    if compiler.leaf_count > MAX_LEAVES:
        compiler.errors.append(f"整体条件：比较条件不能超过 {MAX_LEAVES} 个（现有 {compiler.leaf_count} 个）")
    return compiler


def validate(tree, catalogue: Catalogue, parameters=None) -> list[str]:
    """The tree's errors in Chinese, each naming its node ("条件 2.1：未知的指标 subject.xxx"); [] when valid."""
    return _compile(tree, catalogue, parameters, None).errors


def prepare(tree, catalogue: Catalogue, parameters=None, on: datetime.date | None = None) -> "Group | Leaf":
    """The tree checked and its parameters resolved on ``on``, in one walk: InvalidTree when it has errors, else
    ParameterUndefined when a parameter has no value on ``on`` (ValueError when the tree names a parameter and
    ``on`` is not given). Both evaluators walk what this returns; give it to them instead of the tree to decide
    many cases on one day without checking the tree each time."""
    compiler = _compile(tree, catalogue, parameters, on)
    if compiler.errors:
        raise InvalidTree(compiler.errors)
    if compiler.unresolved:
        raise compiler.unresolved[0]
    return compiler.root


def compiled_leaves(node) -> list[Leaf]:
    if isinstance(node, Leaf):
        return [node]
    return [leaf for child in node.children for leaf in compiled_leaves(child)]


def leaves(tree) -> list[tuple[str, dict]]:
    """(path, leaf) of every leaf, depth first, in the order of the failed-leaf bits."""
    found = []

    def walk(node, path):
        if not isinstance(node, dict):
            return
        if "fact" in node or "op" in node:
            found.append((path, node))
        elif "not" in node:
            walk(node["not"], _child_path(path, 1))
        else:
            for kind in ("all", "any"):
                if isinstance(node.get(kind), list):
                    for number, child in enumerate(node[kind], 1):
                        walk(child, _child_path(path, number))
                    break

    walk(tree, "")
    return found


def facts_used(tree) -> set[str]:
    return {leaf["fact"] for _, leaf in leaves(tree) if isinstance(leaf.get("fact"), str)}


def _raw_values(leaf: dict) -> list:
    raw = leaf.get("value")
    return raw if isinstance(raw, list) else [raw]


def parameters_used(tree) -> set[str]:
    return {item["param"] for _, leaf in leaves(tree) for item in _raw_values(leaf) if _is_param(item)}


def canonical_json(obj) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(obj) -> str:
    """sha256 (hex) of the canonical JSON: keys sorted, no spaces, characters as they are."""
    return hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()
