"""One surface per certification model: list, detail, edit, API, export and import."""


# ===== schemes and their versions ==========================================================================
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================

from core.surfaces import Column, Surface, register  # noqa: E402

from . import filters, forms, selectors, services  # noqa: E402
from .choices import RoundStatus  # noqa: E402
from .models import Assessment, AssessmentRound  # noqa: E402


def assessmentround_context(request, round_) -> dict:
    """The round's subjects (ranked once closed), its experts and, for an expert, its declaration."""
    user = request.user
    assessments = list(selectors.round_assessments(user=user, round=round_))
    if round_.status != RoundStatus.CLOSED and round_.version_id:
        scores = services.expert_scores_of(assessments)
        for assessment in assessments:
            assessment.live = services.assessment_result(assessment, scores.get(assessment.pk, {}))
    context = {"assessments": assessments, "closed": round_.status == RoundStatus.CLOSED}
    if user.role == "expert":
        context["declaration"] = selectors.expert_declaration(user=user, round=round_)
    elif user.role in selectors.OFFICE_READERS:
        context["experts"] = selectors.round_experts(round=round_)
    return context


def assessment_context(request, assessment) -> dict:
    """What an assessment holds: each indicator's value (computed with a link to its records, or added by the
    operator), the experts' scores, the adjustment, and the points, total and grade."""
    round_ = assessment.round
    version = round_.version
    closed = round_.status == RoundStatus.CLOSED and assessment.result
    result = assessment.result if closed else (services.assessment_result(assessment).as_dict() if version else {})
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
                row["evidence"] = selectors.evidence_url(park_id=assessment.park_id,
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
    columns=[Column("title", link=True), Column("scheme", order_by="scheme__name"), Column("year"),
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
    create=services.assessment_create,
    detail_template="certification/assessment_detail.html", extra_context=assessment_context,
))
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
