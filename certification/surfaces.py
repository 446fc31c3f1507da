"""One surface per certification model: list, detail, edit, API, export and import."""

import datetime

from django.utils.translation import gettext_lazy as _

from core.access.permissions import CHANGE, may
from core.importing.spec import ImportColumn, ImportSpec
from core.surfaces import Column, Surface, register
from enterprises.surfaces import ENTERPRISE
from spaces.surfaces import BUILDING

from . import filters, forms, selectors, services
from .choices import ExitReason, Grade, GraduationBasis, RoundStatus, ServiceArea, VersionStatus
from .models import (
    Application,
    Assessment,
    AssessmentRound,
    Certification,
    Incubatee,
    Scheme,
    SchemeVersion,
    ServiceRecord,
)

# ----- schemes and their versions -----------------------------------------------------------------------------


def scheme_context(request, scheme) -> dict:
    today = datetime.date.today()
    versions = list(selectors.scheme_versions(user=request.user, scheme=scheme))
    return {"versions": versions, "in_force": services.version_in_force(scheme, today), "today": today,
            "has_draft": any(v.status == VersionStatus.DRAFT for v in versions)}


def schemeversion_context(request, version) -> dict:
    catalogue = services.fact_catalogue()
    return {
        "criteria_rows": selectors.criteria_rows(version, catalogue),
        "indicator_rows": selectors.indicator_rows(version, catalogue),
        "parameter_rows": selectors.parameter_rows(version),
        "weight_total": sum(i.get("weight") or 0 for i in version.indicators or []),
        "band_rows": [{"grade": b.get("grade"), "label": Grade(b["grade"]).label if b.get("grade") in Grade.values
                       else b.get("grade"), "min": b.get("min")} for b in version.grade_bands or []],
        "can_build": may(request.user, CHANGE, version),
        # What still keeps a draft from being published, shown to those who build it (the button stays hidden).
        "problems": services.version_problems(version)
        if version.status == VersionStatus.DRAFT and may(request.user, CHANGE, version) else [],
    }


scheme = register(Surface(
    model=Scheme, filterset=filters.SchemeFilterSet, form=forms.SchemeForm,
    slug="schemes",
    columns=[Column("name", link=True), Column("code"), Column("category", template="core/cells/choice.html"),
             Column("subject_kind"), Column("level", template="core/cells/choice.html"), Column("issuer")],
    default_sort="name", extra_context=scheme_context,
))

schemeversion = register(Surface(
    model=SchemeVersion, filterset=filters.SchemeVersionFilterSet,
    form=forms.SchemeVersionForm, slug="scheme-versions",
    columns=[Column("scheme", link=True, order_by="scheme__name", label=None), Column("number"),
             Column("status", template="core/cells/choice.html"), Column("effective_from"),
             Column("source_document"), Column("published_at")],
    select_related=("scheme",), default_sort="-effective_from", extra_context=schemeversion_context,
    create=services.schemeversion_create, update=services.schemeversion_update,
    delete=services.schemeversion_delete,
    api_read_only=("number", "status", "criteria", "indicators", "grade_bands", "parameters", "content_hash",
                   "published_at", "published_by"),
))


# ----- incubatees, service records, applications and certifications -------------------------------------------


PARK = ImportColumn(match=("code", "name"), aliases=("园区", "园区编码", "园区名称", "孵化器", "孵化载体", "载体名称"),
                    help=_("The park's code (or its exact name)"))
SUBJECT_BUILDING = ImportColumn(match=BUILDING.match, aliases=BUILDING.aliases,
                                help=_("Only when a building of the park is certified on its own: its code"))
TENANT = ImportColumn(match=ENTERPRISE.match, parse=ENTERPRISE.parse,
                      aliases=("企业", "企业名称", "服务对象", "服务企业", *ENTERPRISE.aliases), help=ENTERPRISE.help)

incubatee = register(Surface(
    model=Incubatee, filterset=filters.IncubateeFilterSet, form=forms.IncubateeForm, slug="incubatees",
    columns=[Column("enterprise", order_by="enterprise__name", link=True), Column("park", order_by="park__name"),
             Column("entered_on"), Column("left_on"), Column("exit_reason", template="core/cells/choice.html"),
             Column("graduation_basis"), Column("industry_match")],
    select_related=("enterprise", "park", "building"), default_sort="-entered_on",
    bulk_fields=("industry_match",),
    importer=ImportSpec(
        key=("park", "enterprise", "entered_on"),
        columns={"park": PARK, "building": SUBJECT_BUILDING,
                 "enterprise": ImportColumn(match=ENTERPRISE.match, parse=ENTERPRISE.parse,
                                            aliases=("在孵企业", "企业名称", *ENTERPRISE.aliases), help=ENTERPRISE.help),
                 "entered_on": ImportColumn(aliases=("入孵日期", "入孵时间", "入驻日期")),
                 "left_on": ImportColumn(aliases=("离孵日期", "出孵日期", "毕业日期", "离开日期")),
                 "exit_reason": ImportColumn(aliases=("离孵原因", "出孵原因", "离开原因")),
                 "graduation_basis": ImportColumn(aliases=("毕业条件", "毕业依据", "毕业标准")),
                 "industry_match": ImportColumn(aliases=("主导产业", "是否主导产业", "属于主导产业")),
                 "note": ImportColumn(aliases=("备注",))},
        example={"park": "DEMO-P01", "enterprise": "91440300MA5DEXAM87", "entered_on": "2023-03-01",
                 "left_on": "2025-12-31", "exit_reason": ExitReason.GRADUATED.label,
                 "graduation_basis": GraduationBasis.HIGH_TECH.label, "industry_match": "是"},
    ),
))

servicerecord = register(Surface(
    model=ServiceRecord, filterset=filters.ServiceRecordFilterSet, form=forms.ServiceRecordForm,
    slug="service-records",
    columns=[Column("served_on", link=True), Column("area", template="core/cells/choice.html"),
             Column("enterprise", order_by="enterprise__name"), Column("park", order_by="park__name"),
             Column("description"), Column("outcome")],
    select_related=("enterprise", "park"), default_sort="-served_on",
    bulk_fields=("area",),
    importer=ImportSpec(
        key=("park", "enterprise", "area", "served_on"),
        columns={"park": PARK, "building": SUBJECT_BUILDING, "enterprise": TENANT,
                 "area": ImportColumn(aliases=("服务领域", "服务类别", "服务类型", "领域")),
                 "served_on": ImportColumn(aliases=("服务日期", "服务时间", "日期")),
                 "description": ImportColumn(aliases=("服务内容", "内容", "服务事项")),
                 "outcome": ImportColumn(aliases=("服务成效", "成效", "服务结果", "结果"))},
        example={"park": "DEMO-P01", "enterprise": "91440300MA5DEXAM87", "area": ServiceArea.FINANCE.label,
                 "served_on": "2026-03-18", "description": "组织银企对接会，推荐科技信贷产品",
                 "outcome": "企业获得科技贷款300万元"},
    ),
))


def application_context(request, application) -> dict:
    from . import views

    return views.application_detail_context(request, application)


application = register(Surface(
    model=Application, filterset=filters.ApplicationFilterSet, form=forms.ApplicationForm, slug="applications",
    columns=[Column("number", link=True), Column("scheme", order_by="scheme__name"),
             Column("park", order_by="park__name"), Column("building", order_by="building__name"),
             Column("reference_date"), Column("status", template="core/cells/choice.html"),
             Column("submitted_at")],
    select_related=("scheme", "park", "building"), default_sort="-created",
    api_read_only=("number", "status", "version", "evaluation", "supplied"),
    create=services.application_create, detail_template="certification/application_detail.html",
    extra_context=application_context,
))

certification = register(Surface(
    model=Certification, filterset=filters.CertificationFilterSet, form=forms.CertificationForm,
    slug="certifications",
    columns=[Column("certificate_number", link=True), Column("scheme", order_by="scheme__name"),
             Column("park", order_by="park__name"), Column("building", order_by="building__name"),
             Column("level", template="core/cells/choice.html"), Column("valid_from"), Column("valid_until"),
             Column("status", template="core/cells/choice.html")],
    select_related=("scheme", "park", "building"), default_sort="-valid_from",
    create=services.certification_create, update=services.certification_update,
))


# ----- yearly assessment rounds, experts and scores -----------------------------------------------------------


def assessmentround_context(request, round_) -> dict:
    """The round's subjects (ranked once closed), its experts and, for an expert, its declaration."""
    user = request.user
    assessments = list(selectors.round_assessments(user=user, round=round_))
    expert = user.role == "expert"
    if round_.status != RoundStatus.CLOSED and round_.version_id and not expert:
        scores = services.expert_scores_of(assessments)
        for assessment in assessments:
            assessment.live = services.assessment_result(assessment, scores.get(assessment.pk, {}))
    context = {"assessments": assessments, "closed": round_.status == RoundStatus.CLOSED}
    if expert:
        # An expert sees which subjects it has scored, not the totals the others' scores make.
        context["declaration"] = selectors.expert_declaration(user=user, round=round_)
        context["scored"] = set(services.expert_scores_of(assessments, expert=user))
    elif user.role in selectors.OFFICE_READERS:
        context["experts"] = selectors.round_experts(round=round_)
    return context


def assessment_context(request, assessment) -> dict:
    """What an assessment holds: each indicator's value (computed with a link to its records, or added by the
    operator), the experts' scores, the adjustment, and the points, total and grade."""
    round_ = assessment.round
    version = round_.version
    closed = round_.status == RoundStatus.CLOSED and assessment.result
    # Until the round closes, an expert's page counts its own scores only: the others' do not sway it.
    expert = request.user if request.user.role == "expert" else None
    own = services.expert_scores_of([assessment], expert=expert).get(assessment.pk, {}) if expert else None
    result = assessment.result if closed else (
        services.assessment_result(assessment, own).as_dict() if version else {})
    supplied = assessment.supplied or {}
    computed = assessment.computed or {}
    rows = []
    for item in result.get("items", []):
        indicator = next((i for i in version.indicators if i.get("code") == item["code"]), {})
        fact = indicator.get("fact")
        row = {**item, "fact": fact}
        if fact:
            if computed.get(fact) is not None:
                row["source"] = "computed"
                # An expert reads the values, not the leases and tenants behind them (outside its scope).
                row["evidence"] = None if request.user.role == "expert" else selectors.evidence_url(park_id=assessment.park_id,
                                                         building_id=assessment.certification.building_id,
                                                         fact=fact, on=round_.reference_date)
            elif fact in supplied:
                row["source"] = "supplied"
                row["supplied"] = supplied[fact]
        rows.append(row)
    return {"rows": rows, "result": result, "final": bool(closed), "round": round_,
            "expert_scores": selectors.assessment_scores(user=request.user, assessment=assessment),
            "adjustment_points": services.scoring.points_text(assessment.adjustment)}


assessmentround = register(Surface(
    model=AssessmentRound, filterset=filters.AssessmentRoundFilterSet, form=forms.AssessmentRoundForm,
    slug="rounds",
    columns=[Column("title", label=_("assessment title"), link=True), Column("scheme", order_by="scheme__name"),
             Column("year"),
             Column("reference_date"), Column("status", template="core/cells/choice.html")],
    select_related=("scheme",), default_sort="-year",
    create=services.assessmentround_create, update=services.assessmentround_update,
    delete=services.assessmentround_delete,
    detail_template="certification/assessmentround_detail.html", extra_context=assessmentround_context,
))

assessment = register(Surface(
    model=Assessment, filterset=filters.AssessmentFilterSet, form=forms.AssessmentForm, slug="assessments",
    columns=[Column("certification", link=True, order_by="certification__certificate_number",
                    export="certification.certificate_number"),
             Column("round", order_by="round__title"), Column("park", order_by="park__name"),
             Column("score", template="certification/cells/points.html"),
             Column("grade", template="core/cells/choice.html"), Column("rank")],
    select_related=("round", "park", "certification__scheme", "certification__building"),
    default_sort="rank",
    create=services.assessment_create, update=services.assessment_update, delete=services.assessment_delete,
    detail_template="certification/assessment_detail.html", extra_context=assessment_context,
))
