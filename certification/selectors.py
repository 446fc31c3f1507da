"""Reads of certification that matter, scoped to the user."""

import datetime
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Sum
from django.urls import reverse

from core.models import Attachment
from core.reference.choices import Role
from core.rules import FactType, ParameterSet, ParameterUndefined, format_value
from core.rules.conditions import leaves
from core.rules.operators import LIST, NONE, OPERATORS, PAIR
from spaces.models import Building

from .choices import CertificationStatus, SchemeCategory, SchemeLevel
from .models import (
    Application,
    Assessment,
    AssessmentRound,
    Certification,
    ConflictDeclaration,
    ExpertScore,
    Scheme,
    SchemeVersion,
)

# ----- schemes and their versions -----------------------------------------------------------------------------


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


# ----- incubatees, service records, applications and certifications -------------------------------------------


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


# ----- yearly assessment rounds, experts and scores -----------------------------------------------------------


OFFICE_READERS = (Role.BUREAU_ADMIN, Role.BUREAU_OFFICER, Role.LEADER)


def round_assessments(*, user, round):
    """The round's assessments the user sees (an operator its own parks', an expert all but its conflicts),
    ranked when the round is closed, then by subject."""
    return (Assessment.objects.for_user(user).filter(round=round)
            .select_related("park", "round__version", "certification__building", "certification__park")
            .order_by("rank", "park__name", "id"))


def certification_assessments(*, user, certification):
    """A certification's assessments the user sees, oldest round first."""
    return (Assessment.objects.for_user(user).filter(certification=certification)
            .select_related("round").order_by("round__reference_date", "id"))


def expert_rounds(*, user):
    """The rounds ``user`` is an expert of, newest first."""
    return (AssessmentRound.objects.for_user(user).filter(experts=user)
            .select_related("scheme", "version").order_by("-reference_date", "-id"))


def expert_declaration(*, user, round) -> dict:
    """Whether the expert declared for the round, and the subjects it has a conflict with."""
    rows = list(ConflictDeclaration.objects.filter(round=round, expert=user).select_related("certification__park",
                                                                                             "certification__building"))
    return {"declared": bool(rows), "conflicts": [row for row in rows if row.certification_id]}


def round_experts(*, round) -> list[dict]:
    """Each expert of a round with its declaration and how many assessments it scored (for officers)."""
    declared = {}
    for row in ConflictDeclaration.objects.filter(round=round).select_related("certification__park"):
        declared.setdefault(row.expert_id, []).append(row)
    scored = {}
    for expert_id, _assessment in (ExpertScore.objects.filter(assessment__round=round)
                                     .values_list("expert_id", "assessment_id").distinct()):
        scored[expert_id] = scored.get(expert_id, 0) + 1
    return [{"user": expert, "declared": expert.pk in declared,
             "conflicts": [r for r in declared.get(expert.pk, []) if r.certification_id],
             "scored": scored.get(expert.pk, 0)} for expert in round.experts.order_by("username")]


def assessment_scores(*, user, assessment) -> list[dict]:
    """The experts' scores of an assessment: officers and leaders read who gave each; an expert only its own;
    an operator the scores without names."""
    rows = ExpertScore.objects.filter(assessment=assessment).select_related("expert").order_by("indicator", "id")
    if user.role == Role.EXPERT:
        rows = rows.filter(expert=user)
    named = user.role in OFFICE_READERS or user.role == Role.EXPERT
    numbers: dict = {}
    result = []
    for row in rows:
        numbers.setdefault(row.expert_id, len(numbers) + 1)
        who = (row.expert.display_name or row.expert.username) if named else f"专家{numbers[row.expert_id]}"
        result.append({"indicator": row.indicator, "expert": who, "score": row.score, "comment": row.comment})
    return result


def evidence_url(*, park_id, building_id, fact, on) -> str | None:
    """The page listing the records behind a computed value (certification:evidence); None for a fact with no
    records to list (a stated value, or the floor area the buildings record)."""
    from .facts import EVIDENCE

    if fact not in EVIDENCE or park_id is None:
        return None
    query = {"on": on.isoformat() if isinstance(on, datetime.date) else str(on)}
    if building_id is not None:
        query["building"] = building_id
    return f"{reverse('certification:evidence', args=[park_id, fact])}?{urlencode(query)}"


def _outcome_rows(evaluation: dict) -> list[list[str]]:
    """The criteria of an evaluation stored with an application (core.rules Outcome.as_dict): one row each."""
    rows = []
    for number, leaf in enumerate((evaluation or {}).get("leaves", []), start=1):
        if leaf.get("missing"):
            verdict = "数据缺失"
        else:
            verdict = "满足" if leaf.get("passed") else "不满足"
        rows.append([str(number), str(leaf.get("label") or leaf.get("fact") or ""), verdict,
                     str(leaf.get("sentence") or "")])
    return rows


def certification_pack(*, user, certification):
    """The decision pack of a certification as an official document (core.documents): how it was certified
    (the criteria's outcome at the time), the evidence on file, each assessment round's score and grade, and its
    history from the audit records."""

    from django.utils import timezone

    from core import audit
    from core.attachments.selectors import attachment_list
    from core.documents import OfficialDocument, Section, Table, arabic_date

    from .facts import Records, compute_one
    from .scoring import points_text

    today = timezone.localdate()
    subject = certification.subject
    scheme = certification.scheme
    version = certification.version
    sections = [Section("认定情况", [
        f"{subject}于{arabic_date(certification.valid_from)}经认定为{scheme.name}（{certification.get_level_display()}），"
        f"证书编号{certification.certificate_number}，有效期至{arabic_date(certification.valid_until)}。"
        f"认定依据{version.source_document or scheme.name}（第{version.number}版，"
        f"{arabic_date(version.effective_from)}起施行）。",
        f"认定状态：{certification.get_status_display()}"
        + (f"，{arabic_date(certification.revoked_on)}撤销，理由：{certification.revocation_reason}"
           if certification.revoked_on else "") + "。",
    ])]
    application = certification.application
    criteria = _outcome_rows(application.evaluation) if application else []
    if criteria:
        sections.append(Section("认定标准", [
            f"认定申请{application.number}以{arabic_date(application.reference_date)}为基准日，逐项评价如下。"],
            [Table(["序号", "标准", "结论", "说明"], criteria, widths=[1, 3, 1.6, 6])]))
    else:
        sections.append(Section("认定标准", ["本认定未经系统内申请评价，无逐项标准记录。"]))
    documents = attachment_list(user=user, record=application).count() if application else 0
    # The same counts as the criteria and their evidence pages (certification.facts), of the certified subject.
    counted = compute_one(certification.park_id, certification.building_id, today)
    incubatees = counted["subject.incubatee_count"]
    services = Records(certification.park_id, certification.building_id, today).services().count()
    sections.append(Section("证明材料", [
        f"申请所附材料{documents}份；在孵企业记录{incubatees}家；近12个月服务记录{services}条。"
        "各项数值均可在系统中追溯至所依据的租约、资质和服务记录。"]))
    assessments = (certification.assessments.select_related("round").order_by("round__reference_date"))
    rounds = [[str(a.round.year), a.round.title, points_text(a.score) if a.score is not None else "未结束",
               a.get_grade_display() or "—", str(a.rank or "—"),
               f"{points_text(a.adjustment)}（{a.adjustment_reason}）" if a.adjustment else "—"]
              for a in assessments]
    sections.append(Section("年度考核", [] if rounds else ["尚无年度考核记录。"],
                            [Table(["年度", "考核", "得分", "等级", "排名", "调整"], rounds,
                                   widths=[1.1, 4, 1.2, 1.8, 1, 2.4])] if rounds else []))
    for a in assessments:
        items = (a.result or {}).get("items", [])
        if items:
            sections.append(Section(f"{a.round.title}评分明细", [], [Table(
                ["指标", "权重", "得分", "说明"],
                [[f"{i['code']} {i['label']}", str(i["weight"]), points_text(i["points"]), i["sentence"]]
                 for i in items], widths=[3, 1, 1.2, 6])]))
    events = sorted([*audit.events_for(certification)] + ([*audit.events_for(application)] if application else []),
                    key=lambda e: e.time)
    history = [[arabic_date(timezone.localtime(e.time).date()), str(audit.event_label(e.name)), e.user_name or "—"]
               for e in events]
    sections.append(Section("认定历程", [] if history else ["系统中无该认定的流转记录。"],
                            [Table(["日期", "事项", "经办人"], history, widths=[2, 5, 2])] if history else []))
    issuer = scheme.issuer or "深圳市福田区科技创新局"
    return OfficialDocument(
        issuer=issuer,
        number=f"福科创认〔{today.year}〕{certification.pk}号",
        title=f"关于{subject}的{scheme.name}认定与考核情况",
        date=today,
        sections=sections,
        addressee=str(certification.park.operator) if certification.park.operator_id else "",
        printed_by=f"{issuer}办公室",
    )


def certified_summary(*, user, on: datetime.date) -> list[dict]:
    """The subjects certified on ``on`` that the user may see, by category and level: [{category, label, total,
    levels: [(level label, count)], floor_area}] (floor area in m², of the certified parks' buildings that record
    one), categories in their order, levels from the highest; a park counted once per category. Three queries."""
    valid = Certification.objects.for_user(user).in_force_on(on)
    counts = {}
    for category, level, count in (valid.order_by().values_list("scheme__category", "level")
                                   .annotate(count=Count("id")).values_list("scheme__category", "level", "count")):
        counts.setdefault(category, {})[level] = count
    parks_of = {}
    for category, park_id in (valid.filter(building__isnull=True).order_by()
                              .values_list("scheme__category", "park_id").distinct()):
        parks_of.setdefault(category, set()).add(park_id)
    every_park = set().union(*parks_of.values()) if parks_of else set()
    area_of = dict(Building.objects.filter(park_id__in=every_park).order_by().values_list("park_id")
                   .annotate(area=Sum("gross_floor_area")).values_list("park_id", "area"))
    floor = {category: sum((area_of.get(p) or 0) for p in parks) for category, parks in parks_of.items()}
    levels = list(reversed(SchemeLevel.choices))
    summary = []
    for category, label in SchemeCategory.choices:
        if category not in counts:
            continue
        by_level = counts[category]
        summary.append({"category": category, "label": label, "total": sum(by_level.values()),
                        "levels": [(level_label, by_level[level]) for level, level_label in levels if level in by_level],
                        "floor_area": floor.get(category)})
    return summary
