"""Certification's pages beyond the generated ones (thin: they call selectors and services)."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.access.permissions import CHANGE, VIEW, may, record_refusal, role_may
from core.actions import Refused
from core.reference.choices import Role
from core.rules import format_value
from core.surfaces.builder import criteria_initial, filled_rows, put_row_errors
from core.surfaces.exports import attachment_name
from core.surfaces.forms import style_widget
from core.surfaces.reports import export, page_of, querystring
from spaces.models import Building, Park

from . import builder, facts, selectors, services
from . import forms as certification_forms
from .choices import ApplicationStatus, RoundStatus
from .models import Application, Assessment, AssessmentRound, Certification, Incubatee, SchemeVersion

# ----- schemes and their versions -----------------------------------------------------------------------------


_filled, _row_errors = filled_rows, put_row_errors


def _initial_rows(version, catalogue):
    criteria, shaped = criteria_initial(version.criteria, catalogue)
    return {
        "parameters": builder.parameters_to_rows(version.parameters),
        "criteria": criteria,
        "indicators": builder.indicators_to_rows(version.indicators, catalogue),
        "bands": list(version.grade_bands or []),
        "shaped": shaped,
    }


@login_required
def schemeversion_rules(request, pk):
    """The condition builder: a draft's parameters, criteria, indicators and grade bands in rows typed in human
    units, checked together and saved through the service (never JSON typed by hand)."""
    if not role_may(request.user, VIEW, SchemeVersion):
        raise Http404
    version = get_object_or_404(SchemeVersion.objects.for_user(request.user).select_related("scheme"), pk=pk)
    if not role_may(request.user, CHANGE, SchemeVersion):
        raise PermissionDenied(_("You do not have permission to do this."))
    refused = record_refusal(version, CHANGE)
    if refused:
        messages.error(request, refused)
        return HttpResponseRedirect(version.get_absolute_url())
    catalogue = services.fact_catalogue()
    initial = _initial_rows(version, catalogue)
    data = request.POST if request.method == "POST" else None
    sets = {
        "parameters": certification_forms.ParameterRows(data, initial=initial["parameters"], prefix="parameters"),
        "criteria": certification_forms.CriterionRows(data, initial=initial["criteria"], prefix="criteria"),
        "indicators": certification_forms.IndicatorRows(data, initial=initial["indicators"], prefix="indicators"),
        "bands": certification_forms.GradeBandRows(data, initial=initial["bands"], prefix="bands"),
    }
    status = 200
    if request.method == "POST":
        if all(formset.is_valid() for formset in sets.values()):
            rows = {key: _filled(formset) for key, formset in sets.items()}
            parameters, errors = builder.parameters_from_rows([f.cleaned_data for f in rows["parameters"]])
            _row_errors(sets["parameters"], rows["parameters"], errors)
            criteria, errors = builder.criteria_from_rows([f.cleaned_data for f in rows["criteria"]], catalogue,
                                                          parameters)
            _row_errors(sets["criteria"], rows["criteria"], errors)
            indicators, errors = builder.indicators_from_rows([f.cleaned_data for f in rows["indicators"]], catalogue)
            _row_errors(sets["indicators"], rows["indicators"], errors)
            bands, errors = builder.grade_bands_from_rows([f.cleaned_data for f in rows["bands"]])
            _row_errors(sets["bands"], rows["bands"], errors)
            if all(formset.is_valid() for formset in sets.values()):
                try:
                    services.schemeversion_rules_set(
                        user=request.user, instance=version, criteria=criteria, indicators=indicators,
                        grade_bands=bands, parameters=parameters)
                except ValidationError as error:
                    messages.error(request, "；".join(error.messages))
                else:
                    messages.success(request, _("Saved: %(object)s") % {"object": version})
                    return HttpResponseRedirect(version.get_absolute_url())
        status = 400
    return render(request, "certification/schemeversion_rules.html", {
        "object": version, "opts": SchemeVersion._meta, "sets": sets, "shaped": initial["shaped"],
        "list_url": reverse("certification:schemeversion_list"),
        "criteria_footer": _("Thresholds are typed in the fact's unit: ㎡ for areas, % for shares, 元 for money, whole "
                             "numbers for counts, 2021-06-21 for dates; a~b for a range; values separated by 、 for a "
                             "list."),
    }, status=status)


# ----- incubatees, service records, applications and certifications -------------------------------------------


# How a person writes each kind of supplied value.
HUMAN_UNITS = {"area": "㎡", "money": "元", "share": "%"}


def _formatted(fact, value):
    from core import rules

    return rules.format_value(fact.type, value, fact.unit)


class SuppliedValuesForm(forms.Form):
    """One value (in the units people write: ㎡, 元, %, 家) and the document behind it per supplied fact."""

    def __init__(self, *args, facts, documents, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.facts = facts
        stored = application.supplied or {}
        document_choices = [("", _("— choose an attached document —")), *[(str(pk), title) for pk, title in documents]]
        for fact in facts:
            key = fact.name.replace(".", "__")
            entry = stored.get(fact.name) or {}
            unit = HUMAN_UNITS.get(getattr(fact.type, "value", fact.type), fact.unit)
            self.fields[f"{key}__value"] = forms.CharField(
                label=f"{fact.label}（{unit}）" if unit else str(fact.label), required=False,
                initial=services.supplied_to_human(fact, entry.get("value")))
            self.fields[f"{key}__document"] = forms.ChoiceField(
                label=_("document behind %(fact)s") % {"fact": fact.label}, choices=document_choices, required=False,
                initial=str(entry.get("document") or ""))
        for field in self.fields.values():
            style_widget(field.widget)

    def rows(self):
        for fact in self.facts:
            key = fact.name.replace(".", "__")
            yield fact, self[f"{key}__value"], self[f"{key}__document"]

    def clean(self):
        cleaned = super().clean()
        values = {}
        for fact in self.facts:
            key = fact.name.replace(".", "__")
            text = (cleaned.get(f"{key}__value") or "").strip()
            value = None
            if text:
                try:
                    value = services.supplied_from_human(
                        fact, Decimal(text.rstrip("%㎡元").replace(",", "").replace("，", "")))
                except (InvalidOperation, ValueError, ValidationError) as error:
                    self.add_error(f"{key}__value", error.messages[0] if isinstance(error, ValidationError)
                                   else _("“%(value)s” is not a number.") % {"value": text})
                    continue
            document = cleaned.get(f"{key}__document") or None
            values[fact.name] = {"value": value, "document": int(document) if document else None}
        cleaned["values"] = values
        return cleaned


def _scoped_application(request, pk) -> Application:
    return get_object_or_404(Application.objects.for_user(request.user), pk=pk)


@login_required
def application_supplied(request, pk):
    """The applicant's page for the values the records do not hold, each with the document behind it."""
    application = _scoped_application(request, pk)
    if not may(request.user, "supply", application):
        raise PermissionDenied
    facts = services.application_needed_facts(application)
    documents = selectors.application_documents(user=request.user, application=application)
    form = SuppliedValuesForm(request.POST or None, facts=facts, documents=documents, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_supplied_set(user=request.user, application=application,
                                                      values=form.cleaned_data["values"])
        except ValidationError as error:
            for name, messages in getattr(error, "message_dict", {None: error.messages}).items():
                target = f"{name.replace('.', '__')}__document" if name else None
                form.add_error(target if target in form.fields else None, messages)
        else:
            return redirect(application.get_absolute_url())
    return render(request, "certification/application_supplied.html", {
        "object": application, "form": form, "opts": Application._meta, "has_facts": bool(facts)},
        status=400 if request.method == "POST" else 200)


def application_detail_context(request, application) -> dict:
    """The application's page: the criteria as evaluated now (a draft or a returned one: live, from the records and
    the values supplied so far) or as kept at submission; the values supplied; the certification it renews or
    issued."""
    live = application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
    version = application.version
    if live:
        version = services.version_in_force(application.scheme, application.reference_date)
    outcome = None
    if live and version is not None:
        outcome = services.application_outcome(application, version).as_dict()
    elif not live:
        outcome = (application.evaluation or {}).get("outcome")
    documents = dict(selectors.application_documents(user=request.user, application=application))
    supplied_rows = []
    for fact in (services.application_needed_facts(application, version) if version else []):
        entry = (application.supplied or {}).get(fact.name) or {}
        value = entry.get("value")
        supplied_rows.append({
            "label": fact.label, "value": _formatted(fact, value) if value is not None else None,
            "document": documents.get(entry.get("document")) if entry.get("document") else None})
    return {
        "live": live, "version": version, "outcome": outcome, "supplied_rows": supplied_rows,
        "renews": services.application_renews(application),
        "issued": getattr(application, "certification", None) if application.status == ApplicationStatus.APPROVED
        else None,
        "can_supply": may(request.user, "supply", application),
    }


# ----- yearly assessment rounds, experts and scores -----------------------------------------------------------


def _expert_only(user):
    if user.role != Role.EXPERT:
        raise PermissionDenied


@login_required
def my_reviews(request):
    """我的评审: the rounds the expert is assigned to, with its declaration and what it has left to score."""
    _expert_only(request.user)
    rounds = list(selectors.expert_rounds(user=request.user))
    for round_ in rounds:
        round_.declaration = selectors.expert_declaration(user=request.user, round=round_)
        round_.visible = selectors.round_assessments(user=request.user, round=round_).count()
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
    declaration = selectors.expert_declaration(user=request.user, round=round_)
    form = certification_forms.ConflictForm(request.POST or None, subjects=subjects)
    status = 200
    if request.method == "POST" and not declaration["declared"] and form.is_valid():
        try:
            services.conflicts_declare(user=request.user, round=round_,
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


class ScoreForm(forms.Form):
    """One score (0–100) and a comment per qualitative indicator."""

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            code = indicator["code"]
            self.fields[f"score_{code}"] = forms.DecimalField(
                label=f"{code} {indicator.get('label', '')}", min_value=0, max_value=100, decimal_places=2,
                max_digits=5, widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}))
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_lazy("comment"), required=False, max_length=500,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


@login_required
def assessment_score(request, pk):
    """The expert's scoring page of one assessment: a score and a comment per qualitative indicator."""
    _expert_only(request.user)
    assessment = get_object_or_404(Assessment.objects.for_user(request.user).select_related(
        "round__version", "certification__park", "certification__building"), pk=pk)
    round_ = assessment.round
    indicators = services.qualitative_indicators(round_.version)
    mine = {s["indicator"]: s for s in selectors.assessment_scores(user=request.user, assessment=assessment)}
    initial = {}
    for code, s in mine.items():
        initial[f"score_{code}"] = Decimal(s["score"]) / 100
        initial[f"comment_{code}"] = s["comment"]
    form = ScoreForm(request.POST or None, indicators=indicators, initial=initial)
    declaration = selectors.expert_declaration(user=request.user, round=round_)
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
                services.expert_scores_save(user=request.user, assessment=assessment, scores=scores)
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
    result = services.assessment_result(assessment) if assessment.round.version else None
    rows = [item for item in (result.items if result else []) if item.kind == "quantitative"]
    return {"quantitative": rows}


def _round_for_results(user, pk):
    if not role_may(user, VIEW, AssessmentRound):
        raise PermissionDenied
    round_ = get_object_or_404(AssessmentRound.objects.for_user(user).select_related("scheme", "version"), pk=pk)
    return round_


def _result_rows(user, round_):
    assessments = list(selectors.round_assessments(user=user, round=round_))
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
    title = _("%(round)s ranked list") % {"round": round_.title}
    return export(request, title=title, model=Assessment, headers=headers,
                  rows=rows, count=len(assessments), about={"round": round_.pk})


@login_required
def certification_pack(request, pk):
    """A certification's decision pack as a PDF laid out as an official document (officers and leaders; an
    operator for its own parks)."""
    if not role_may(request.user, VIEW, Certification):
        raise PermissionDenied
    certification = get_object_or_404(Certification.objects.for_user(request.user).select_related(
        "scheme", "version", "park__operator", "building", "application"), pk=pk)
    pdf = services.certification_pack_download(user=request.user, certification=certification)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = attachment_name(f"认定材料-{certification.certificate_number}.pdf")
    return response


# ----- facts computed from the records, and their evidence ----------------------------------------------------


def _day(text: str | None) -> datetime.date:
    if not text:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise Http404 from error


@login_required
def fact_evidence(request, park_id: int, fact: str):
    """The records behind one number of a subject on a day: the units, tenants, incubatees or service records
    it counts, with the number itself. Outside the user's parks, not found."""
    if not role_may(request.user, VIEW, Incubatee):
        raise Http404
    on = _day(request.GET.get("on"))
    building_id = request.GET.get("building") or None
    if building_id is not None and not building_id.isdigit():
        raise Http404
    found = facts.evidence(user=request.user, park=park_id, building=building_id, fact=fact, on=on)
    if found is None:
        raise Http404
    page = page_of(request, found.queryset)
    rows = [[{"text": column.value(row), "url": column.url(row) if column.url else None}
             for column in found.columns] for row in page]
    return render(request, "certification/evidence.html", {
        "evidence": found, "page": page, "rows": rows, "querystring": querystring(request, "page"),
        "park": Park.objects.get(pk=park_id),
        "building": Building.objects.get(pk=building_id) if building_id else None,
        "value": format_value(found.fact.type, found.value, found.fact.unit),
    })
