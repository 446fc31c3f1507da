"""Pages of policy support: thin, calling selectors and services."""

import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certification.choices import VersionStatus
from core import audit
from core.access.permissions import CHANGE, VIEW, record_refusal, role_may
from core.actions import Refused
from core.reference import spreadsheets
from core.reference.choices import Role
from core.rules import money_from_yuan, money_to_yuan, yuan_text
from core.rules.rows import criteria_from_rows, parameters_from_rows, parameters_to_rows
from core.surfaces.builder import criteria_initial, filled_rows, put_row_errors
from core.surfaces.exports import EXPORT, attachment_name
from core.surfaces.extensions import detail_context
from core.surfaces.forms import style_widget
from core.surfaces.reports import querystring
from enterprises.models import Enterprise

from . import builder, evaluation, forms, selectors, services
from .catalogue import CATALOGUE
from .choices import AwardStatus, TrancheStatus
from .forms import FundsReportFilterForm
from .models import Award, Budget, Decision, PolicyTestCase, PolicyVersion, Tranche


# ----- policies and their versions -----------------------------------------------------------------------------
def _draft_for_building(request, pk) -> PolicyVersion:
    if not role_may(request.user, VIEW, PolicyVersion):
        raise Http404
    version = get_object_or_404(PolicyVersion.objects.for_user(request.user).select_related("policy"), pk=pk)
    if not role_may(request.user, CHANGE, PolicyVersion):
        raise PermissionDenied(_("You do not have permission to do this."))
    return version


def _posted_parameters(data, initial_parameters) -> dict:
    """The parameters a POST names (so that a factor may name a parameter added in the same form)."""
    names = dict(initial_parameters or {})
    for key, value in (data or {}).items():
        if key.startswith("parameters-") and key.endswith("-name") and value:
            names.setdefault(value, {"label": value})
    return names


@login_required
def policyversion_rules(request, pk):
    """The builder of a draft: parameters, conditions, the amount formula (terms of factors), caps, maximum years
    and obligations, in rows typed in human units, checked together and saved through the service."""
    version = _draft_for_building(request, pk)
    refused = record_refusal(version, CHANGE)
    if refused:
        messages.error(request, refused)
        return HttpResponseRedirect(version.get_absolute_url())
    data = request.POST if request.method == "POST" else None
    criteria, shaped = criteria_initial(version.conditions, CATALOGUE)
    amount_rows = builder.amount_to_rows(version.amount or {})
    amount_shaped = amount_rows is not None
    terms, combine, round_yuan = amount_rows if amount_rows is not None else ([], "min", False)
    parameters_offered = _posted_parameters(data, version.parameters)
    sets = {
        "parameters": forms.ParameterRows(data, initial=parameters_to_rows(version.parameters),
                                                 prefix="parameters"),
        "criteria": forms.CriterionRows(data, initial=criteria, prefix="criteria"),
        "amount": forms.AmountRows(data, initial=terms, prefix="amount",
                                          form_kwargs={"parameters": parameters_offered}),
        "obligations": forms.ObligationRows(
            data, initial=builder.obligations_to_rows(version.obligations), prefix="obligations"),
    }
    amount_form = forms.AmountForm(data, initial={
        "combine": combine, "round_yuan": round_yuan, "annual_cap": version.annual_cap,
        "cumulative_cap": version.cumulative_cap, "max_years": version.max_years})
    status = 200
    if request.method == "POST":
        if all(formset.is_valid() for formset in sets.values()) and amount_form.is_valid():
            rows = {key: filled_rows(formset) for key, formset in sets.items()}
            parameters, errors = parameters_from_rows([f.cleaned_data for f in rows["parameters"]])
            put_row_errors(sets["parameters"], rows["parameters"], errors)
            conditions, errors = criteria_from_rows([f.cleaned_data for f in rows["criteria"]], CATALOGUE,
                                                    parameters)
            put_row_errors(sets["criteria"], rows["criteria"], errors)
            amount, errors = builder.amount_from_rows(
                [f.cleaned_data for f in rows["amount"]], amount_form.cleaned_data["combine"],
                amount_form.cleaned_data["round_yuan"], CATALOGUE, parameters)
            put_row_errors(sets["amount"], rows["amount"], errors)
            obligations, errors = builder.obligations_from_rows([f.cleaned_data for f in rows["obligations"]])
            put_row_errors(sets["obligations"], rows["obligations"], errors)
            if all(formset.is_valid() for formset in sets.values()):
                try:
                    services.policyversion_rules_set(
                        user=request.user, instance=version, conditions=conditions, amount=amount,
                        parameters=parameters, obligations=obligations,
                        annual_cap=amount_form.cleaned_data["annual_cap"].strip(),
                        cumulative_cap=amount_form.cleaned_data["cumulative_cap"].strip(),
                        max_years=amount_form.cleaned_data["max_years"])
                except ValidationError as error:
                    messages.error(request, "；".join(error.messages))
                else:
                    messages.success(request, _("Saved: %(object)s") % {"object": version})
                    return HttpResponseRedirect(version.get_absolute_url())
        status = 400
    return render(request, "policies/policyversion_rules.html", {
        "object": version, "opts": PolicyVersion._meta, "sets": sets, "amount_form": amount_form,
        "shaped": shaped and amount_shaped, "list_url": reverse("policies:policyversion_list"),
        "criteria_footer": _("Thresholds are typed in the fact's unit: ㎡ for areas, % for shares, 元 for money, whole "
                             "numbers for counts, 2021-06-21 for dates; a~b for a range; values separated by 、 for a "
                             "list."),
    }, status=status)


def _case_initial(case: PolicyTestCase | None, version: PolicyVersion) -> dict:
    if case is None:
        start, end = evaluation.last_calendar_year()
        return {"period_start": start, "period_end": end, "expected_eligible": True}
    initial = {"name": case.name, "period_start": case.period_start, "period_end": case.period_end,
               "expected_eligible": case.expected_eligible,
               "expected_amount": None if case.expected_amount is None else money_to_yuan(case.expected_amount)}
    initial.update({f"fact__{name}": text for name, text in builder.facts_to_written(case.facts).items()})
    return initial


@login_required
def policytestcase_edit(request, pk, case_pk=None):
    """Add or change a draft's test case: the facts one by one in the units people use."""
    version = _draft_for_building(request, pk)
    case = get_object_or_404(PolicyTestCase, pk=case_pk, version=version) if case_pk else None
    if version.status != VersionStatus.DRAFT:
        messages.error(request, _("The cases of a published version cannot be changed."))
        return HttpResponseRedirect(version.get_absolute_url())
    form = forms.TestCaseForm(request.POST if request.method == "POST" else None,
                                     initial=_case_initial(case, version))
    status = 200
    if request.method == "POST":
        if request.POST.get("delete") and case is not None:
            services.policytestcase_delete(user=request.user, instance=case)
            messages.success(request, _("Deleted: %(object)s") % {"object": case.name})
            return HttpResponseRedirect(version.get_absolute_url() + "#cases")
        if form.is_valid():
            amount = form.cleaned_data["expected_amount"]
            try:
                services.policytestcase_save(
                    user=request.user, version=version, instance=case, name=form.cleaned_data["name"],
                    facts=form.cleaned_data["facts"], period_start=form.cleaned_data["period_start"],
                    period_end=form.cleaned_data["period_end"],
                    expected_eligible=form.cleaned_data["expected_eligible"],
                    expected_amount=None if amount is None else money_from_yuan(amount))
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
            else:
                messages.success(request, _("Saved: %(object)s") % {"object": form.cleaned_data["name"]})
                return HttpResponseRedirect(version.get_absolute_url() + "#cases")
        status = 400
    return render(request, "policies/testcase_edit.html", {
        "object": version, "case": case, "form": form, "opts": PolicyVersion._meta,
        "list_url": reverse("policies:policyversion_list")}, status=status)


@login_required
def evaluate(request):
    """政策测算: any enterprise in the user's scope × any policy × a period (default: last calendar year), decided
    now and stored as a Decision whose page shows it."""
    if not evaluation.may_enquire(request.user):
        raise Http404
    start, end = evaluation.last_calendar_year()
    data = request.POST if request.method == "POST" else None
    own = list(Enterprise.objects.for_user(request.user)[:2]) if request.user.role == Role.ENTERPRISE else []
    form = forms.EvaluationForm(data, user=request.user,
                                       initial={"period_start": start, "period_end": end,
                                                "policy": request.GET.get("policy"),
                                                # an enterprise user with one enterprise decides for it
                                                "enterprise": own[0] if len(own) == 1 else None})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                decision = evaluation.decide_policy(
                    form.cleaned_data["enterprise"], form.cleaned_data["policy"], form.cleaned_data["period_start"],
                    form.cleaned_data["period_end"], user=request.user)
            except ValidationError as error:
                form.add_error(None, "；".join(error.messages))
            else:
                return HttpResponseRedirect(decision.get_absolute_url())
        status = 400
    return render(request, "policies/evaluate.html", {"form": form}, status=status)


@login_required
def decision_detail(request, pk):
    """A stored decision exactly as it was made: its version, hash, facts and sentences, read from what was
    stored (never decided again)."""
    decision = get_object_or_404(Decision.objects.for_user(request.user).select_related(
        "policy", "version", "enterprise"), pk=pk)
    trace = decision.trace or {}
    amount = trace.get("amount") or {}
    return render(request, "policies/decision_detail.html", {
        "object": decision, "opts": Decision._meta, "amount_shown": yuan_text(decision.amount),
        "sentences": trace.get("sentences", []),
        "leaves": (trace.get("conditions") or {}).get("leaves", []) + (trace.get("max_years") or {}).get("leaves", []),
        "amount_sentence": amount.get("sentence", ""), "amount_parts": amount.get("parts", []),
        "caps": trace.get("caps", []), "facts": evaluation.stored_facts_shown(decision),
        "hash_matches": decision.content_hash == (decision.version.content_hash or decision.content_hash),
    })


# ----- applications, awards, budgets and tranches --------------------------------------------------------------
def _awards_styled(form):
    for field in form.fields.values():
        style_widget(field.widget)
    return form


def application_detail_context(request, application) -> dict:
    """The decision's sentences (at submission, and at approval), the steps with their comments, the award."""
    award = Award.objects.for_user(request.user).filter(application=application).first()
    payout_warning = ""
    if award and not application.payout_due and application.status == "approved":
        _due, payout_warning = services.payout_due_for(
            timezone.localtime(application.decided_at).date() if application.decided_at
            else timezone.localdate())
    return {
        "decision": application.decision,
        "decision_sentences": services.decision_sentences(application.decision),
        "approved_sentences": services.decision_sentences(application.approved_decision),
        "steps": selectors.application_steps(application),
        "award": award,
        "payout_warning": payout_warning,
        "money": services.money_text,
    }


def budget_detail_context(request, budget) -> dict:
    return {"entries": selectors.ledger_of(user=request.user, budget=budget),
            "ledger_visible": selectors.ledger_visible(request.user),
            "awards": selectors.budget_awards(user=request.user, budget=budget)}


@login_required
def application_queue(request):
    if request.user.role not in ("bureau_admin", "bureau_officer", "leader"):
        raise PermissionDenied
    return render(request, "policies/awards/application_queue.html",
                          {"queue": selectors.application_queue(user=request.user),
                           "list_url": reverse("policies:application_list")})


@login_required
def award_list(request):
    if not role_may(request.user, VIEW, Award):
        raise PermissionDenied
    awards = selectors.awards_for(user=request.user)
    status = request.GET.get("status")
    if status in AwardStatus.values:
        awards = awards.filter(status=status)
    return render(request, "policies/awards/award_list.html",
                          {"awards": awards[:500], "statuses": AwardStatus.choices, "status": status})


def _scoped_award(request, pk):
    if not role_may(request.user, VIEW, Award):
        raise PermissionDenied
    award = selectors.awards_for(user=request.user).filter(pk=pk).first()
    if award is None:
        raise Http404
    return award


def _award_page(request, award, *, pay_forms=None, cancel_form=None, plan_form=None, status=200):
    officer = request.user.role in services.AWARD_OFFICERS
    tranches = selectors.award_tranches(award)
    active = award.status == AwardStatus.ACTIVE
    unpaid = active and not award.paid and all(t.status == TrancheStatus.SCHEDULED for t in tranches)
    pay_forms = pay_forms or {}
    for tranche in tranches:
        if officer and active and tranche.status == TrancheStatus.SCHEDULED:
            tranche.pay_form = pay_forms.get(tranche.pk) or _awards_styled(forms.TranchePayForm(
                prefix=f"t{tranche.pk}", initial={"paid_on": timezone.localdate()}))
    plan_text = "\n".join(f"{money_to_yuan(t.amount)}" + (f" {t.due_on.isoformat()}" if t.due_on else "")
                           for t in tranches)
    context = {
        "object": award, "tranches": tranches,
        "entries": selectors.ledger_of(user=request.user, award=award),
        "ledger_visible": selectors.ledger_visible(request.user),
        "cancel_form": (cancel_form or _awards_styled(forms.AwardCancelForm())) if officer and unpaid
        else None,
        "plan_form": (plan_form or _awards_styled(forms.TranchePlanForm(initial={"plan": plan_text})))
        if officer and unpaid else None,
        "money": services.money_text,
    }
    # The panels declared for an award's page (its clawback cases: policies.panels).
    context.update(detail_context(request, award, context))
    return render(request, "policies/awards/award_detail.html", context, status=status)


@login_required
def award_detail(request, pk):
    return _award_page(request, _scoped_award(request, pk))


def _awards_refusal(request, error) -> None:
    if isinstance(error, ValidationError):
        messages.error(request, "；".join(error.messages))
    else:
        messages.error(request, str(error))


@login_required
@require_POST
def tranche_pay(request, pk):
    tranche = Tranche.objects.filter(pk=pk).first()
    if tranche is None:
        raise Http404
    award = _scoped_award(request, tranche.award_id)
    form = _awards_styled(forms.TranchePayForm(request.POST, prefix=f"t{tranche.pk}"))
    if form.is_valid():
        try:
            services.tranche_pay(tranche, user=request.user, **form.cleaned_data)
        except (Refused, ValidationError) as error:
            _awards_refusal(request, error)
        else:
            messages.success(request, _("Tranche %(number)s paid.") % {"number": tranche.number})
            return redirect(award.get_absolute_url())
    return _award_page(request, award, pay_forms={tranche.pk: form}, status=400)


@login_required
@require_POST
def award_cancel(request, pk):
    award = _scoped_award(request, pk)
    form = _awards_styled(forms.AwardCancelForm(request.POST))
    if form.is_valid():
        try:
            services.award_release(award, user=request.user, reason=form.cleaned_data["reason"])
        except (Refused, ValidationError) as error:
            _awards_refusal(request, error)
        else:
            messages.success(request, _("The award is cancelled and its reserve released."))
            return redirect(award.get_absolute_url())
    return _award_page(request, award, cancel_form=form, status=400)


@login_required
@require_POST
def award_plan(request, pk):
    award = _scoped_award(request, pk)
    form = _awards_styled(forms.TranchePlanForm(request.POST))
    if form.is_valid():
        try:
            services.award_tranches_plan(award, user=request.user, plan=form.cleaned_data["plan"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error("plan", message)
        except Refused as error:
            _awards_refusal(request, error)
        else:
            messages.success(request, _("The tranches are saved."))
            return redirect(award.get_absolute_url())
    return _award_page(request, award, plan_form=form, status=400)


# ----- obligations and clawback --------------------------------------------------------------------------------
@login_required
def clawback_scan_view(request):
    """Check every holding award's obligations now (the daily run does the same each morning): a lease just
    ended early shows as a case at once."""
    from .forms import ClawbackScanForm
    from .models import ClawbackCase
    from .services import clawback_scan

    if not role_may(request.user, "add", ClawbackCase):
        raise PermissionDenied
    form = ClawbackScanForm(request.POST or None, user=request.user, initial={"on": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        outcome = clawback_scan(on=form.cleaned_data["on"], user=request.user)
        messages.success(request, ngettext(
            "%(awards)d awards checked, %(raised)d case raised.", "%(awards)d awards checked, %(raised)d cases raised.",
            outcome["raised"]) % outcome)
        return redirect(reverse("policies:clawbackcase_list") + "?status=raised")
    return render(request, "policies/clawback_scan.html", {"form": form, "title": _("Check obligations")})


# ----- government-owned space and the funds report -------------------------------------------------------------
def _funds_report_of(request):
    """(filter form, report) for the page and its export: invalid filters are ignored."""
    if not selectors.funds_report_visible(request.user):
        raise PermissionDenied
    form = FundsReportFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    report = selectors.funds_report(user=request.user, policy=chosen.get("policy"), year=chosen.get("year"),
                                     zone=chosen.get("zone"), division=chosen.get("division") or "")
    return form, report


@login_required
def funds_report(request):
    """Budget and payout by policy and year, by zone and by industry, with the filters and the .xlsx export."""
    form, report = _funds_report_of(request)
    return render(request, "policies/govspace/funds_report.html", {
        "form": form, "report": report, "querystring": querystring(request, "format")})


def _money_row(row) -> list:
    return [money_to_yuan(row.committed), money_to_yuan(row.paid), money_to_yuan(row.recovered), money_to_yuan(row.net_paid), money_to_yuan(row.unpaid),
            money_to_yuan(row.scheduled), row.enterprises]


def funds_report_headers():
    money = [_("committed (yuan)"), _("paid (yuan)"), _("recovered (yuan)"),
             _("paid less recovered (yuan)"), _("committed, not yet paid (yuan)"),
             _("tranches scheduled (yuan)"), _("enterprises supported")]
    return {
        "budgets": [_("policy"), _("year"), _("budget (yuan)"), *money,
                    _("budget available (yuan)")],
        "zones": [_("zone"), *money],
        "divisions": [_("industry (GB/T 4754 division)"), *money],
    }


@login_required
def funds_report_export(request):
    """The report's three tables as three sheets of one .xlsx, written by core's spreadsheet writer (values, never
    formulas); audited as every export is."""
    form, report = _funds_report_of(request)
    headers = funds_report_headers()
    book = spreadsheets.Book()
    sheets = (
        (_("By policy and year"), headers["budgets"],
         [[str(row.budget.policy), row.budget.year, money_to_yuan(row.budget.total), *_money_row(row), money_to_yuan(row.available)]
          for row in report.budgets]),
        (_("By zone"), headers["zones"], [[row.label, *_money_row(row)] for row in report.zones]),
        (_("By industry"), headers["divisions"], [[row.label, *_money_row(row)] for row in report.divisions]),
    )
    for title, heads, rows in sheets:
        sheet = book.sheet(title)
        sheet.append(heads)
        for row in rows:
            sheet.append(row)
        for column in range(1, len(heads) + 1):
            sheet.width(column, 18)
        sheet.freeze("A2")
    buffer = io.BytesIO()
    book.save(buffer)
    title = _("Budget and payout report")
    audit.record_event(EXPORT, user=request.user, data={
        "model": Budget._meta.label_lower, "report": title, "format": "xlsx", "query": request.GET.urlencode(),
        "rows": len(report.budgets)})
    response = HttpResponse(buffer.getvalue(),
                             content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = attachment_name(
        f"{title}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx")
    return response
