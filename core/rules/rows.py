"""Rows typed in human units (㎡, %, 元, 家, dates) to rule-language JSON in storage units and back, with errors in
Chinese naming the row: what every condition builder shares (certification's schemes, policies' versions). Plain
data in, plain data out.

Criteria rows carry a group number: rows of one group are OR-ed, groups are AND-ed, and a row's NOT tick negates
that row alone. The tree built is ``{"all": [group, ...]}`` where a group of one row is the row's leaf (or
``{"not": leaf}``) and a group of several rows is ``{"any": [...]}``; ``tree_to_rows`` reads back exactly the trees
of that shape. The tree is then checked by ``validate``, whose errors name a node by its path ("条件 2.1"); they
are given back naming the row ("第 3 行") instead.

Parameter rows {name, label, type, effective_from, value} give a parameter set's JSON, a name's rows being its
dated values.
"""

import datetime
import re
from decimal import Decimal

from .conditions import validate
from .operators import LIST, NONE, OPERATORS, PAIR
from .parameters import ParameterSet
from .types import WRITTEN, FactType, NotWhole, from_written, to_written

# What a person types after the number, by type: the unit the field's help shows.
HUMAN_UNITS = {
    FactType.AREA: "㎡", FactType.SHARE: "%", FactType.MONEY: "元", FactType.RATIO: "", FactType.COUNT: "",
    FactType.DATE: "", FactType.CODE: "", FactType.BOOL: "",
}
# Units a person may type with the number; they are dropped before the number is read.
_UNIT_WORDS = re.compile(r"(㎡|m²|m2|平方米|%|％|元|家|人|年|名|项|类|个)$")
_LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")
_RANGE_SEPARATORS = re.compile(r"\s*(?:~|～|至|到|—|–)\s*")
YES_WORDS = {"是", "有", "true", "yes", "1", "y"}
NO_WORDS = {"否", "无", "false", "no", "0", "n"}


class RowError(ValueError):
    """A value a row cannot hold: the message is Chinese, for the page."""


def _number(text: str) -> Decimal:
    cleaned = _UNIT_WORDS.sub("", text.strip().replace(",", "").replace("，", "")).strip()
    try:
        value = Decimal(cleaned)
    except Exception:
        raise RowError(f"“{text}”不是数字") from None
    if not value.is_finite():
        raise RowError(f"“{text}”不是数字")
    return value


def parse_value(fact_type: FactType, text: str):
    """One value typed in human units → storage units: "10,000" ㎡ → 1000000, "75" % → 7500, "2021-06-21"."""
    fact_type = FactType(fact_type)
    text = (text or "").strip()
    if not text:
        raise RowError("缺少比较值")
    if fact_type in (*WRITTEN, FactType.COUNT):
        try:
            return from_written(fact_type, _number(text))
        except NotWhole:
            raise RowError(f"“{text}”应为整数") from None
    if fact_type is FactType.DATE:
        try:
            return datetime.date.fromisoformat(text.replace("/", "-"))
        except ValueError:
            raise RowError(f"“{text}”不是日期，请写作 2021-06-21") from None
    if fact_type is FactType.BOOL:
        if text.lower() in YES_WORDS:
            return True
        if text.lower() in NO_WORDS:
            return False
        raise RowError(f"“{text}”应为“是”或“否”")
    return text


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def value_text(fact_type: FactType, value) -> str:
    """A stored value as a person types it (the inverse of ``parse_value``): 1000000 ㎡ → "10000"."""
    fact_type = FactType(fact_type)
    if fact_type in WRITTEN:
        return _plain(to_written(fact_type, value))
    if fact_type is FactType.DATE:
        return value if isinstance(value, str) else value.isoformat()
    if fact_type is FactType.BOOL:
        return "是" if value else "否"
    return str(value)


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def parse_threshold(fact_type: FactType, op_code: str, text: str):
    """The JSON value of a row's threshold for ``op_code``: one value, [lo, hi] for 介于 (typed "lo~hi" or
    "lo 至 hi"), a list for 属于 / 不属于 (typed with 、 or commas), none for 数据缺失."""
    op = OPERATORS[op_code]
    if op.arity == NONE:
        if (text or "").strip():
            raise RowError(f"运算“{op.label}”不取比较值")
        return None
    if op.arity == PAIR:
        parts = [p for p in _RANGE_SEPARATORS.split((text or "").strip()) if p]
        if len(parts) != 2:
            raise RowError("“介于”需要两个值，写作“下限~上限”")
        return [_json_value(parse_value(fact_type, p)) for p in parts]
    if op.arity == LIST:
        parts = [p for p in _LIST_SEPARATORS.split((text or "").strip()) if p]
        if not parts:
            raise RowError(f"运算“{op.label}”需要至少一个值，以顿号分隔")
        return [_json_value(parse_value(fact_type, p)) for p in parts]
    return _json_value(parse_value(fact_type, text))


def threshold_text(fact_type: FactType, op_code: str, value) -> str:
    op = OPERATORS[op_code]
    if op.arity == NONE or value is None:
        return ""
    if op.arity == PAIR:
        return "~".join(value_text(fact_type, v) for v in value)
    if op.arity == LIST:
        return "、".join(value_text(fact_type, v) for v in value)
    return value_text(fact_type, value)


# ----- parameters ---------------------------------------------------------------------------------------------------
def parameters_from_rows(rows: list[dict]) -> tuple[dict, dict]:
    """Rows {name, label, type, effective_from, value (human units)} → a ParameterSet's JSON; rows of one name are
    its dated values. Returns (json, {row number: [errors]})."""
    errors: dict[int, list[str]] = {}
    found: dict[str, dict] = {}
    for number, row in enumerate(rows, 1):
        name, fact_type = row["name"], FactType(row["type"])
        spec = found.setdefault(name, {"type": fact_type.value, "label": row.get("label") or name, "values": []})
        if spec["type"] != fact_type.value:
            errors.setdefault(number, []).append(f"参数 {name} 在前面的行是另一种类型")
            continue
        try:
            value = parse_value(fact_type, row["value"])
        except (RowError, ValueError, TypeError) as error:
            errors.setdefault(number, []).append(str(error))
            continue
        day = row["effective_from"].isoformat()
        if any(existing == day for existing, _v in spec["values"]):
            errors.setdefault(number, []).append(f"参数 {name} 在 {day} 已有一个值")
            continue
        spec["values"].append([day, _json_value(value)])
    for spec in found.values():
        spec["values"].sort()
    if not errors:
        try:
            ParameterSet.from_json(found)
        except ValueError as error:
            errors.setdefault(0, []).append(str(error))
    return found, errors


def parameters_to_rows(data: dict) -> list[dict]:
    rows = []
    for name, spec in (data or {}).items():
        fact_type = FactType(spec["type"])
        for day, value in spec["values"]:
            rows.append({"name": name, "label": spec.get("label", ""), "type": fact_type.value,
                         "effective_from": datetime.date.fromisoformat(day), "value": value_text(fact_type, value)})
    return rows


# ----- criteria -----------------------------------------------------------------------------------------------------
def criteria_from_rows(rows: list[dict], catalogue, parameters: dict | None = None) -> tuple[dict, dict]:
    """Rows {label, fact, op, value (human units), param, group, negate, note} → a condition tree, checked.
    Returns (tree, {row number: [errors]}); row numbers count from 1 in the order given (0: the whole)."""
    errors: dict[int, list[str]] = {}
    groups: dict[int, list[tuple[int, dict]]] = {}
    for number, row in enumerate(rows, 1):
        fact = catalogue.get(row["fact"])
        if fact is None:
            errors.setdefault(number, []).append(f"未知的指标 {row['fact']}")
            continue
        op = OPERATORS.get(row["op"])
        if op is None:
            errors.setdefault(number, []).append(f"未知的运算 {row['op']}")
            continue
        if not op.allows(fact.type):
            errors.setdefault(number, []).append(f"指标“{fact.label}”（{fact.type.label}）不能使用运算“{op.label}”")
            continue
        leaf = {"fact": fact.name, "op": op.code}
        param = (row.get("param") or "").strip()
        if param:
            if (row.get("value") or "").strip():
                errors.setdefault(number, []).append("比较值与参数只能填一个")
                continue
            if op.arity in (NONE, LIST):
                errors.setdefault(number, []).append(f"运算“{op.label}”不能引用参数")
                continue
            if op.arity == PAIR:
                errors.setdefault(number, []).append("“介于”的上下限请直接填写数值")
                continue
            leaf["value"] = {"param": param}
        else:
            try:
                value = parse_threshold(fact.type, op.code, row.get("value") or "")
            except (RowError, ValueError, TypeError) as error:
                errors.setdefault(number, []).append(str(error))
                continue
            if op.arity != NONE:
                leaf["value"] = value
        if (row.get("label") or "").strip():
            leaf["label"] = row["label"].strip()
        if (row.get("note") or "").strip():
            leaf["note"] = row["note"].strip()
        node = {"not": leaf} if row.get("negate") else leaf
        groups.setdefault(int(row.get("group") or number * 1000), []).append((number, node))
    if errors:
        return {}, errors
    if not groups:
        return {}, {}
    children, paths = [], {}
    for position, key in enumerate(sorted(groups), 1):
        members = groups[key]
        if len(members) == 1:
            number, node = members[0]
            children.append(node)
            paths[str(position)] = number
            if "not" in node:
                paths[f"{position}.1"] = number
        else:
            children.append({"any": [node for _n, node in members]})
            for inner, (number, node) in enumerate(members, 1):
                paths[f"{position}.{inner}"] = number
                if "not" in node:
                    paths[f"{position}.{inner}.1"] = number
    tree = {"all": children}
    parameter_set = ParameterSet.from_json(parameters or {})
    for message in validate(tree, catalogue, parameter_set):
        where, _sep, text = message.partition("：")
        path = where.replace("条件 ", "").strip()
        errors.setdefault(paths.get(path, 0), []).append(text or message)
    return tree, errors


def tree_to_rows(tree: dict) -> list[dict] | None:
    """The rows of a tree of the builder's shape (None when the tree has another shape)."""
    if not tree:
        return []
    if set(tree) != {"all"} or not isinstance(tree["all"], list):
        return None
    rows = []

    def leaf_row(node, group):
        negate = "not" in node
        leaf = node["not"] if negate else node
        if not isinstance(leaf, dict) or "fact" not in leaf:
            return None
        value = leaf.get("value")
        param = value["param"] if isinstance(value, dict) and "param" in value else ""
        return {"label": leaf.get("label", ""), "fact": leaf["fact"], "op": leaf["op"], "raw": None if param else value,
                "param": param, "group": group, "negate": negate, "note": leaf.get("note", "")}

    for group, node in enumerate(tree["all"], 1):
        members = node["any"] if isinstance(node, dict) and set(node) == {"any"} else [node]
        for member in members:
            row = leaf_row(member, group)
            if row is None:
                return None
            rows.append(row)
    return rows
