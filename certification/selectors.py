"""Reads of certification that matter, scoped to the user."""


# ===== schemes and their versions ==========================================================================
import datetime  # noqa: E402

from core.rules import FactType, ParameterSet, ParameterUndefined, format_value  # noqa: E402
from core.rules.conditions import leaves  # noqa: E402
from core.rules.operators import LIST, NONE, OPERATORS, PAIR  # noqa: E402

from .models import Scheme, SchemeVersion  # noqa: E402


def scheme_versions(*, user, scheme: Scheme):
    """The versions of a scheme the user sees, newest first."""
    return SchemeVersion.objects.for_user(user).filter(scheme=scheme).order_by("-number")


def _threshold_text(fact, op, value, parameters, on) -> str:
    if op.arity == NONE:
        return ""
    if isinstance(value, dict) and "param" in value:
        parameter = parameters.get(value["param"])
        if parameter is None:
            return value["param"]
        try:
            current = format_value(parameter.type, parameter.value_on(on), fact.unit)
        except ParameterUndefined:
            current = "—"
        return f"{parameter.label}（{current}）"
    if fact.type is FactType.DATE:
        value = [datetime.date.fromisoformat(v) for v in value] if isinstance(value, list) else \
            datetime.date.fromisoformat(value)
    if op.arity == PAIR:
        return " 至 ".join(format_value(fact.type, v, fact.unit) for v in value)
    if op.arity == LIST:
        return "、".join(format_value(fact.type, v, fact.unit) for v in value)
    return format_value(fact.type, value, fact.unit)


def criteria_rows(version: SchemeVersion, catalogue, on: datetime.date | None = None) -> list[dict]:
    """The criteria as a person reads them: path, the group's joining word, fact label, operator symbol,
    threshold in its unit (a parameter with its value on ``on``), NOT, note."""
    on = on or max(version.effective_from, datetime.date.today())
    try:
        parameters = ParameterSet.from_json(version.parameters or {})
    except ValueError:
        parameters = ParameterSet()
    rows = []
    for path, leaf in leaves(version.criteria or {}):
        fact = catalogue.get(leaf.get("fact", ""))
        op = OPERATORS.get(leaf.get("op", ""))
        negated = path.endswith(".1") and _negated(version.criteria, path)
        rows.append({
            "path": path,
            "group": path.split(".")[0],
            "either": _in_any(version.criteria, path),
            "label": leaf.get("label") or (fact.label if fact else leaf.get("fact", "")),
            "fact": fact.label if fact else leaf.get("fact", ""),
            "fact_name": leaf.get("fact", ""),
            "symbol": op.symbol if op else leaf.get("op", ""),
            "operator": op.label if op else "",
            "threshold": _threshold_text(fact, op, leaf.get("value"), parameters, on) if fact and op else
            str(leaf.get("value", "")),
            "negated": negated,
            "note": leaf.get("note", ""),
        })
    return rows


def _node_at(tree, path):
    node = tree
    for part in path.split(".") if path else []:
        index = int(part) - 1
        if "not" in node:
            node = node["not"]
        else:
            node = (node.get("all") or node.get("any"))[index]
    return node


def _negated(tree, path) -> bool:
    parent = _node_at(tree, path.rsplit(".", 1)[0])
    return isinstance(parent, dict) and "not" in parent


def _in_any(tree, path) -> bool:
    parts = path.split(".")
    if len(parts) < 2:
        return False
    parent = _node_at(tree, parts[0])
    return isinstance(parent, dict) and "any" in parent


def indicator_rows(version: SchemeVersion, catalogue) -> list[dict]:
    rows = []
    for entry in version.indicators or []:
        fact = catalogue.get(entry.get("fact") or "") if entry.get("fact") else None
        full_at = entry.get("full_at")
        rows.append({**entry, "fact_label": fact.label if fact else "",
                     "full_at_text": format_value(fact.type, full_at, fact.unit) if fact and full_at is not None
                     else ""})
    return rows


def parameter_rows(version: SchemeVersion) -> list[dict]:
    rows = []
    try:
        parameters = ParameterSet.from_json(version.parameters or {})
    except ValueError:
        return rows
    for name, parameter in parameters.items():
        for day, value in parameter.values:
            rows.append({"name": name, "label": parameter.label, "from": day,
                         "value": format_value(parameter.type, value)})
    return rows
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
from django.contrib.contenttypes.models import ContentType  # noqa: E402

from core.models import Attachment  # noqa: E402

from .choices import CertificationStatus  # noqa: E402
from .models import Application, Certification  # noqa: E402


def application_document_ids(application) -> set[int]:
    """The documents attached to an application (those a supplied value may name)."""
    return set(Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Application),
                                         object_id=application.pk).values_list("document_id", flat=True))


def application_documents(*, user, application) -> list:
    """The documents attached to an application that ``user`` may see, newest first: (id, title)."""
    return [(a.document_id, str(a.document)) for a in
            Attachment.objects.for_user(user).filter(content_type=ContentType.objects.get_for_model(Application),
                                                     object_id=application.pk)
            .select_related("document").order_by("-created", "-id")]


def certifications_of_subject(*, user, park, building=None):
    """The certifications of a park (``building`` None: the park's own and its buildings') or of one building,
    that ``user`` may see, valid first, latest first."""
    found = Certification.objects.for_user(user).filter(park=park).select_related("scheme", "building")
    if building is not None:
        found = found.filter(building=building)
    order = {CertificationStatus.VALID: 0, CertificationStatus.EXPIRED: 1, CertificationStatus.REVOKED: 2}
    return sorted(found, key=lambda c: (order.get(c.status, 3), -c.valid_until.toordinal(), c.pk))


# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
