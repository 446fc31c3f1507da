"""Certification's pages beyond the generated ones (thin: they call selectors and services)."""


# ===== schemes and their versions ==========================================================================
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
from decimal import Decimal, InvalidOperation  # noqa: E402

from django import forms as django_forms  # noqa: E402
from django.contrib.auth.decorators import login_required  # noqa: E402
from django.core.exceptions import PermissionDenied, ValidationError  # noqa: E402
from django.http import Http404, HttpResponse  # noqa: E402
from django.shortcuts import get_object_or_404, redirect, render  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.utils.translation import gettext_lazy as _lazy  # noqa: E402

from core.access.permissions import VIEW, role_may  # noqa: E402
from core.actions import Refused  # noqa: E402
from core.reference.choices import Role  # noqa: E402
from core.surfaces.reports import export  # noqa: E402

from . import forms as round_forms  # noqa: E402
from . import selectors as round_selectors  # noqa: E402
from . import services as round_services  # noqa: E402
from .choices import RoundStatus  # noqa: E402
from .models import Assessment, AssessmentRound, Certification  # noqa: E402


def _expert_only(user):
    if user.role != Role.EXPERT:
        raise PermissionDenied


@login_required
def my_reviews(request):
    """我的评审: the rounds the expert is assigned to, with its declaration and what it has left to score."""
    _expert_only(request.user)
    rounds = list(round_selectors.expert_rounds(user=request.user))
    for round_ in rounds:
        round_.declaration = round_selectors.expert_declaration(user=request.user, round=round_)
        round_.visible = round_selectors.round_assessments(user=request.user, round=round_).count()
    return render(request, "certification/my_reviews.html", {"rounds": rounds})


def _expert_round_or_404(user, pk):
    _expert_only(user)
    round_ = AssessmentRound.objects.for_user(user).filter(pk=pk, experts=user).select_related("scheme").first()
    if round_ is None:
        raise Http404
    return round_


@login_required
def round_declare(request, pk):
    """The expert's declaration of conflicts of interest for a round, made before it scores."""
    round_ = _expert_round_or_404(request.user, pk)
    subjects = [(a.certification_id, str(a.certification.subject))
                for a in round_.assessments.select_related("certification__park", "certification__building")]
    declaration = round_selectors.expert_declaration(user=request.user, round=round_)
    form = round_forms.ConflictForm(request.POST or None, subjects=subjects)
    status = 200
    if request.method == "POST" and not declaration["declared"] and form.is_valid():
        try:
            round_services.conflicts_declare(user=request.user, round=round_,
                                             certifications=[int(pk) for pk in form.cleaned_data["certifications"]],
                                             reason=form.cleaned_data["reason"])
            return redirect(round_)
        except Refused as refused:
            form.add_error(None, refused.message)
            status = 409
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
    if request.method == "POST" and status == 200:
        status = 409 if declaration["declared"] else 400
    return render(request, "certification/round_declare.html",
                  {"object": round_, "form": form, "declaration": declaration}, status=status)


class ScoreForm(django_forms.Form):
    """One score (0–100) and a comment per qualitative indicator."""

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            code = indicator["code"]
            self.fields[f"score_{code}"] = django_forms.DecimalField(
                label=f"{code} {indicator.get('label', '')}", min_value=0, max_value=100, decimal_places=2,
                max_digits=5, widget=django_forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}))
            self.fields[f"comment_{code}"] = django_forms.CharField(
                label=_lazy("comment"), required=False, max_length=500,
                widget=django_forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


@login_required
def assessment_score(request, pk):
    """The expert's scoring page of one assessment: a score and a comment per qualitative indicator."""
    _expert_only(request.user)
    assessment = get_object_or_404(Assessment.objects.for_user(request.user).select_related(
        "round__version", "certification__park", "certification__building"), pk=pk)
    round_ = assessment.round
    indicators = round_services.qualitative_indicators(round_.version)
    mine = {s["indicator"]: s for s in round_selectors.assessment_scores(user=request.user, assessment=assessment)}
    initial = {}
    for code, s in mine.items():
        initial[f"score_{code}"] = Decimal(s["score"]) / 100
        initial[f"comment_{code}"] = s["comment"]
    form = ScoreForm(request.POST or None, indicators=indicators, initial=initial)
    declaration = round_selectors.expert_declaration(user=request.user, round=round_)
    refusal = None
    if round_.status != RoundStatus.SCORING:
        refusal = _("The round is not in expert scoring: scores can be given only then.")
    elif not declaration["declared"]:
        refusal = _("Declare your conflicts of interest for this round before scoring.")
    status = 200
    if request.method == "POST":
        if form.is_valid() and not refusal:
            scores = {i["code"]: (form.cleaned_data[f"score_{i['code']}"], form.cleaned_data[f"comment_{i['code']}"])
                      for i in indicators}
            try:
                round_services.expert_scores_save(user=request.user, assessment=assessment, scores=scores)
                return redirect(assessment)
            except Refused as refused:
                refusal, status = refused.message, 409
            except (ValidationError, InvalidOperation) as error:
                form.add_error(None, getattr(error, "messages", [str(error)]))
                status = 400
        else:
            status = 409 if refusal else 400
    context = assessment_score_context(assessment)
    return render(request, "certification/assessment_score.html",
                  {"object": assessment, "round": round_, "form": form, "refusal": refusal,
                   "declaration": declaration, **context}, status=status)


def assessment_score_context(assessment):
    """What the expert reads before scoring: the computed and added values with their points."""
    result = round_services.assessment_result(assessment) if assessment.round.version else None
    rows = [item for item in (result.items if result else []) if item.kind == "quantitative"]
    return {"quantitative": rows}


def _round_for_results(user, pk):
    if not role_may(user, VIEW, AssessmentRound):
        raise PermissionDenied
    round_ = get_object_or_404(AssessmentRound.objects.for_user(user).select_related("scheme", "version"), pk=pk)
    return round_


def _result_rows(user, round_):
    assessments = list(round_selectors.round_assessments(user=user, round=round_))
    indicators = (round_.version.indicators or []) if round_.version else []
    for assessment in assessments:
        points = {i["code"]: i["points"] for i in (assessment.result or {}).get("items", [])}
        assessment.points = [points.get(i["code"]) for i in indicators]
    return assessments, indicators


@login_required
def round_results(request, pk):
    """The ranked list of a round: rank, subject, each indicator's points, the adjustment, total and grade."""
    round_ = _round_for_results(request.user, pk)
    assessments, indicators = _result_rows(request.user, round_)
    return render(request, "certification/round_results.html", {
        "object": round_, "assessments": assessments, "indicators": indicators,
        "closed": round_.status == RoundStatus.CLOSED})


@login_required
def round_results_export(request, pk):
    """The ranked list as .xlsx (or .csv), through the platform's export writer."""
    round_ = _round_for_results(request.user, pk)
    assessments, indicators = _result_rows(request.user, round_)
    headers = [_("rank"), _("subject"), _("park"), _("certificate number"),
               *[f"{i['code']} {i.get('label', '')}（{i['weight']}）" for i in indicators],
               _("adjustment"), _("reason for the adjustment"), _("score"), _("grade")]

    def number(hundredths):
        return None if hundredths is None else Decimal(hundredths) / 100

    rows = ([a.rank, str(a.certification.subject), a.park.name, a.certification.certificate_number,
             *[number(p) for p in a.points], number(a.adjustment), a.adjustment_reason,
             number(a.score), a.get_grade_display()] for a in assessments)
    return export(request, title=f"{round_.title}{_('ranked list')}", model=Assessment, headers=headers,
                  rows=rows, count=len(assessments), about={"round": round_.pk})


@login_required
def certification_pack(request, pk):
    """A certification's decision pack as a PDF laid out as an official document (officers and leaders; an
    operator for its own parks)."""
    if not role_may(request.user, VIEW, Certification):
        raise PermissionDenied
    certification = get_object_or_404(Certification.objects.for_user(request.user).select_related(
        "scheme", "version", "park__operator", "building", "application"), pk=pk)
    from core import audit
    from core.documents import render_pdf

    document = round_selectors.certification_pack(user=request.user, certification=certification)
    pdf = render_pdf(document)
    audit.record_event(round_services.PACK_DOWNLOAD, user=request.user, instance=certification,
                       data={"bytes": len(pdf)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (f"attachment; filename=\"pack-{certification.pk}.pdf\"; "
                                       f"filename*=UTF-8''{_quote(certification.certificate_number)}.pdf")
    return response


def _quote(text):
    from urllib.parse import quote

    return quote(f"认定材料-{text}")

# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
