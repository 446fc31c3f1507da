"""Pages of policy support: thin, calling selectors and services."""


# ===== versions ====

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from certification.choices import VersionStatus
from core.access.permissions import CHANGE, VIEW, record_refusal, role_may
from core.reference.choices import Role
from core.rules import money_from_yuan, money_to_yuan
from core.rules import yuan_text as _yuan_text
from core.rules.rows import criteria_from_rows, parameters_from_rows, parameters_to_rows
from core.surfaces.builder import criteria_initial, filled_rows, put_row_errors
from core.surfaces.extensions import detail_context
from enterprises.models import Enterprise

from . import builder as policy_builder
from . import evaluation
from . import forms as policy_forms
from . import services as policy_services
from .catalogue import CATALOGUE
from .models import Decision, PolicyTestCase, PolicyVersion


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
    amount_rows = policy_builder.amount_to_rows(version.amount or {})
    amount_shaped = amount_rows is not None
    terms, combine, round_yuan = amount_rows if amount_rows is not None else ([], "min", False)
    parameters_offered = _posted_parameters(data, version.parameters)
    sets = {
        "parameters": policy_forms.ParameterRows(data, initial=parameters_to_rows(version.parameters),
                                                 prefix="parameters"),
        "criteria": policy_forms.CriterionRows(data, initial=criteria, prefix="criteria"),
        "amount": policy_forms.AmountRows(data, initial=terms, prefix="amount",
                                          form_kwargs={"parameters": parameters_offered}),
        "obligations": policy_forms.ObligationRows(
            data, initial=policy_builder.obligations_to_rows(version.obligations), prefix="obligations"),
    }
    amount_form = policy_forms.AmountForm(data, initial={
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
            amount, errors = policy_builder.amount_from_rows(
                [f.cleaned_data for f in rows["amount"]], amount_form.cleaned_data["combine"],
                amount_form.cleaned_data["round_yuan"], CATALOGUE, parameters)
            put_row_errors(sets["amount"], rows["amount"], errors)
            obligations, errors = policy_builder.obligations_from_rows([f.cleaned_data for f in rows["obligations"]])
            put_row_errors(sets["obligations"], rows["obligations"], errors)
            if all(formset.is_valid() for formset in sets.values()):
                try:
                    policy_services.policyversion_rules_set(
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
    initial.update({f"fact__{name}": text for name, text in policy_builder.facts_to_written(case.facts).items()})
    return initial


@login_required
def policytestcase_edit(request, pk, case_pk=None):
    """Add or change a draft's test case: the facts one by one in the units people use."""
    version = _draft_for_building(request, pk)
    case = get_object_or_404(PolicyTestCase, pk=case_pk, version=version) if case_pk else None
    if version.status != VersionStatus.DRAFT:
        messages.error(request, _("The cases of a published version cannot be changed."))
        return HttpResponseRedirect(version.get_absolute_url())
    form = policy_forms.TestCaseForm(request.POST if request.method == "POST" else None,
                                     initial=_case_initial(case, version))
    status = 200
    if request.method == "POST":
        if request.POST.get("delete") and case is not None:
            policy_services.policytestcase_delete(user=request.user, instance=case)
            messages.success(request, _("Deleted: %(object)s") % {"object": case.name})
            return HttpResponseRedirect(version.get_absolute_url() + "#cases")
        if form.is_valid():
            amount = form.cleaned_data["expected_amount"]
            try:
                policy_services.policytestcase_save(
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
    form = policy_forms.EvaluationForm(data, user=request.user,
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
        "object": decision, "opts": Decision._meta, "amount_shown": _yuan_text(decision.amount),
        "sentences": trace.get("sentences", []),
        "leaves": (trace.get("conditions") or {}).get("leaves", []) + (trace.get("max_years") or {}).get("leaves", []),
        "amount_sentence": amount.get("sentence", ""), "amount_parts": amount.get("parts", []),
        "caps": trace.get("caps", []), "facts": evaluation.stored_facts_shown(decision),
        "hash_matches": decision.content_hash == (decision.version.content_hash or decision.content_hash),
    })



# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====
from django.contrib import messages as _awards_messages  # noqa: E402
from django.contrib.auth.decorators import login_required as _awards_login_required  # noqa: E402
from django.core.exceptions import PermissionDenied as _AwardsPermissionDenied  # noqa: E402
from django.core.exceptions import ValidationError as _AwardsValidationError  # noqa: E402
from django.http import Http404 as _AwardsHttp404  # noqa: E402
from django.shortcuts import redirect as _awards_redirect  # noqa: E402
from django.shortcuts import render as _awards_render  # noqa: E402
from django.urls import reverse as _awards_reverse  # noqa: E402
from django.utils import timezone as _awards_timezone  # noqa: E402
from django.utils.translation import gettext as _awards_t  # noqa: E402
from django.views.decorators.http import require_POST as _awards_require_post  # noqa: E402

from core.access.permissions import VIEW as _AWARDS_VIEW  # noqa: E402
from core.access.permissions import role_may as _awards_role_may  # noqa: E402
from core.actions import Refused as _AwardsRefused  # noqa: E402
from core.surfaces.forms import style_widget as _awards_style  # noqa: E402

from . import forms as _awards_forms  # noqa: E402
from . import selectors as _awards_selectors  # noqa: E402
from . import services as _awards_services  # noqa: E402
from .choices import AwardStatus as _AwardsAwardStatus  # noqa: E402
from .choices import TrancheStatus as _AwardsTrancheStatus  # noqa: E402
from .models import Award as _AwardsAward  # noqa: E402
from .models import Tranche as _AwardsTranche  # noqa: E402


def _awards_styled(form):
    for field in form.fields.values():
        _awards_style(field.widget)
    return form


def application_detail_context(request, application) -> dict:
    """The decision's sentences (at submission, and at approval), the steps with their comments, the award."""
    award = _AwardsAward.objects.for_user(request.user).filter(application=application).first()
    payout_warning = ""
    if award and not application.payout_due and application.status == "approved":
        _due, payout_warning = _awards_services.payout_due_for(
            _awards_timezone.localtime(application.decided_at).date() if application.decided_at
            else _awards_timezone.localdate())
    return {
        "decision": application.decision,
        "decision_sentences": _awards_services.decision_sentences(application.decision),
        "approved_sentences": _awards_services.decision_sentences(application.approved_decision),
        "steps": _awards_selectors.application_steps(application),
        "award": award,
        "payout_warning": payout_warning,
        "money": _awards_services.money_text,
    }


def budget_detail_context(request, budget) -> dict:
    return {"entries": _awards_selectors.ledger_of(user=request.user, budget=budget),
            "ledger_visible": _awards_selectors.ledger_visible(request.user),
            "awards": _awards_selectors.budget_awards(user=request.user, budget=budget)}


@_awards_login_required
def application_queue(request):
    if request.user.role not in ("bureau_admin", "bureau_officer", "leader"):
        raise _AwardsPermissionDenied
    return _awards_render(request, "policies/awards/application_queue.html",
                          {"queue": _awards_selectors.application_queue(user=request.user),
                           "list_url": _awards_reverse("policies:application_list")})


@_awards_login_required
def award_list(request):
    if not _awards_role_may(request.user, _AWARDS_VIEW, _AwardsAward):
        raise _AwardsPermissionDenied
    awards = _awards_selectors.awards_for(user=request.user)
    status = request.GET.get("status")
    if status in _AwardsAwardStatus.values:
        awards = awards.filter(status=status)
    return _awards_render(request, "policies/awards/award_list.html",
                          {"awards": awards[:500], "statuses": _AwardsAwardStatus.choices, "status": status})


def _scoped_award(request, pk):
    if not _awards_role_may(request.user, _AWARDS_VIEW, _AwardsAward):
        raise _AwardsPermissionDenied
    award = _awards_selectors.awards_for(user=request.user).filter(pk=pk).first()
    if award is None:
        raise _AwardsHttp404
    return award


def _award_page(request, award, *, pay_forms=None, cancel_form=None, plan_form=None, status=200):
    officer = request.user.role in _awards_services.AWARD_OFFICERS
    tranches = _awards_selectors.award_tranches(award)
    active = award.status == _AwardsAwardStatus.ACTIVE
    unpaid = active and not award.paid and all(t.status == _AwardsTrancheStatus.SCHEDULED for t in tranches)
    pay_forms = pay_forms or {}
    for tranche in tranches:
        if officer and active and tranche.status == _AwardsTrancheStatus.SCHEDULED:
            tranche.pay_form = pay_forms.get(tranche.pk) or _awards_styled(_awards_forms.TranchePayForm(
                prefix=f"t{tranche.pk}", initial={"paid_on": _awards_timezone.localdate()}))
    plan_text = "\n".join(f"{money_to_yuan(t.amount)}" + (f" {t.due_on.isoformat()}" if t.due_on else "")
                           for t in tranches)
    context = {
        "object": award, "tranches": tranches,
        "entries": _awards_selectors.ledger_of(user=request.user, award=award),
        "ledger_visible": _awards_selectors.ledger_visible(request.user),
        "cancel_form": (cancel_form or _awards_styled(_awards_forms.AwardCancelForm())) if officer and unpaid
        else None,
        "plan_form": (plan_form or _awards_styled(_awards_forms.TranchePlanForm(initial={"plan": plan_text})))
        if officer and unpaid else None,
        "money": _awards_services.money_text,
    }
    # What other parts add to an award's page (the clawback cases: policies.panels).
    context.update(detail_context(request, award, context))
    return _awards_render(request, "policies/awards/award_detail.html", context, status=status)


@_awards_login_required
def award_detail(request, pk):
    return _award_page(request, _scoped_award(request, pk))


def _awards_refusal(request, error) -> None:
    if isinstance(error, _AwardsValidationError):
        _awards_messages.error(request, "；".join(error.messages))
    else:
        _awards_messages.error(request, str(error))


@_awards_login_required
@_awards_require_post
def tranche_pay(request, pk):
    tranche = _AwardsTranche.objects.filter(pk=pk).first()
    if tranche is None:
        raise _AwardsHttp404
    award = _scoped_award(request, tranche.award_id)
    form = _awards_styled(_awards_forms.TranchePayForm(request.POST, prefix=f"t{tranche.pk}"))
    if form.is_valid():
        try:
            _awards_services.tranche_pay(tranche, user=request.user, **form.cleaned_data)
        except (_AwardsRefused, _AwardsValidationError) as error:
            _awards_refusal(request, error)
        else:
            _awards_messages.success(request, _awards_t("Tranche %(number)s paid.") % {"number": tranche.number})
            return _awards_redirect(award.get_absolute_url())
    return _award_page(request, award, pay_forms={tranche.pk: form}, status=400)


@_awards_login_required
@_awards_require_post
def award_cancel(request, pk):
    award = _scoped_award(request, pk)
    form = _awards_styled(_awards_forms.AwardCancelForm(request.POST))
    if form.is_valid():
        try:
            _awards_services.award_release(award, user=request.user, reason=form.cleaned_data["reason"])
        except (_AwardsRefused, _AwardsValidationError) as error:
            _awards_refusal(request, error)
        else:
            _awards_messages.success(request, _awards_t("The award is cancelled and its reserve released."))
            return _awards_redirect(award.get_absolute_url())
    return _award_page(request, award, cancel_form=form, status=400)


@_awards_login_required
@_awards_require_post
def award_plan(request, pk):
    award = _scoped_award(request, pk)
    form = _awards_styled(_awards_forms.TranchePlanForm(request.POST))
    if form.is_valid():
        try:
            _awards_services.award_tranches_plan(award, user=request.user, plan=form.cleaned_data["plan"])
        except _AwardsValidationError as error:
            for message in error.messages:
                form.add_error("plan", message)
        except _AwardsRefused as error:
            _awards_refusal(request, error)
        else:
            _awards_messages.success(request, _awards_t("The tranches are saved."))
            return _awards_redirect(award.get_absolute_url())
    return _award_page(request, award, plan_form=form, status=400)

# (end of this part)


# ===== clawback ====
import datetime as _cb_datetime  # noqa: E402

from django.contrib import messages as _cb_messages  # noqa: E402
from django.contrib.auth.decorators import login_required as _cb_login_required  # noqa: E402
from django.core.exceptions import PermissionDenied as _CbPermissionDenied  # noqa: E402
from django.shortcuts import redirect as _cb_redirect  # noqa: E402
from django.shortcuts import render as _cb_render  # noqa: E402
from django.urls import reverse as _cb_reverse  # noqa: E402
from django.utils.translation import gettext as _cb_  # noqa: E402
from django.utils.translation import ngettext as _cb_ngettext  # noqa: E402

from core.access.permissions import role_may as _cb_role_may  # noqa: E402


@_cb_login_required
def clawback_scan_view(request):
    """Check every holding award's obligations now (the daily run does the same each morning): a lease just
    ended early shows as a case at once."""
    from .forms import ClawbackScanForm
    from .models import ClawbackCase
    from .services import clawback_scan

    if not _cb_role_may(request.user, "add", ClawbackCase):
        raise _CbPermissionDenied
    form = ClawbackScanForm(request.POST or None, user=request.user, initial={"on": _cb_datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        outcome = clawback_scan(on=form.cleaned_data["on"], user=request.user)
        _cb_messages.success(request, _cb_ngettext(
            "%(awards)d awards checked, %(raised)d case raised.", "%(awards)d awards checked, %(raised)d cases raised.",
            outcome["raised"]) % outcome)
        return _cb_redirect(_cb_reverse("policies:clawbackcase_list") + "?status=raised")
    return _cb_render(request, "policies/clawback_scan.html", {"form": form, "title": _cb_("Check obligations")})

# (end of this part)


# ===== govspace ====
import io as _io  # noqa: E402

from django.contrib.auth.decorators import login_required as _login_required  # noqa: E402
from django.core.exceptions import PermissionDenied as _PermissionDenied  # noqa: E402
from django.http import HttpResponse as _HttpResponse  # noqa: E402
from django.shortcuts import render as _render  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402
from django.utils.translation import gettext as _gettext  # noqa: E402

from core import audit as _audit  # noqa: E402
from core.reference import spreadsheets as _spreadsheets  # noqa: E402
from core.surfaces.exports import EXPORT as _EXPORT  # noqa: E402
from core.surfaces.exports import attachment_name as _attachment_name  # noqa: E402
from core.surfaces.reports import querystring as _querystring  # noqa: E402

from . import selectors as _selectors  # noqa: E402
from .forms import FundsReportFilterForm as _FundsReportFilterForm  # noqa: E402
from .models import Budget as _Budget  # noqa: E402


def _funds_report_of(request):
    """(filter form, report) for the page and its export: invalid filters are ignored."""
    if not _selectors.funds_report_visible(request.user):
        raise _PermissionDenied
    form = _FundsReportFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    report = _selectors.funds_report(user=request.user, policy=chosen.get("policy"), year=chosen.get("year"),
                                     zone=chosen.get("zone"), division=chosen.get("division") or "")
    return form, report


@_login_required
def funds_report(request):
    """Budget and payout by policy and year, by zone and by industry, with the filters and the .xlsx export."""
    form, report = _funds_report_of(request)
    return _render(request, "policies/govspace/funds_report.html", {
        "form": form, "report": report, "querystring": _querystring(request, "format")})


def _money_row(row) -> list:
    return [money_to_yuan(row.committed), money_to_yuan(row.paid), money_to_yuan(row.recovered), money_to_yuan(row.net_paid), money_to_yuan(row.unpaid),
            money_to_yuan(row.scheduled), row.enterprises]


def funds_report_headers():
    money = [_gettext("committed (yuan)"), _gettext("paid (yuan)"), _gettext("recovered (yuan)"),
             _gettext("paid less recovered (yuan)"), _gettext("committed, not yet paid (yuan)"),
             _gettext("tranches scheduled (yuan)"), _gettext("enterprises supported")]
    return {
        "budgets": [_gettext("policy"), _gettext("year"), _gettext("budget (yuan)"), *money,
                    _gettext("budget available (yuan)")],
        "zones": [_gettext("zone"), *money],
        "divisions": [_gettext("industry (GB/T 4754 division)"), *money],
    }


@_login_required
def funds_report_export(request):
    """The report's three tables as three sheets of one .xlsx, written by core's spreadsheet writer (values, never
    formulas); audited as every export is."""
    form, report = _funds_report_of(request)
    headers = funds_report_headers()
    book = _spreadsheets.Book()
    sheets = (
        (_gettext("By policy and year"), headers["budgets"],
         [[str(row.budget.policy), row.budget.year, money_to_yuan(row.budget.total), *_money_row(row), money_to_yuan(row.available)]
          for row in report.budgets]),
        (_gettext("By zone"), headers["zones"], [[row.label, *_money_row(row)] for row in report.zones]),
        (_gettext("By industry"), headers["divisions"], [[row.label, *_money_row(row)] for row in report.divisions]),
    )
    for title, heads, rows in sheets:
        sheet = book.sheet(title)
        sheet.append(heads)
        for row in rows:
            sheet.append(row)
        for column in range(1, len(heads) + 1):
            sheet.width(column, 18)
        sheet.freeze("A2")
    buffer = _io.BytesIO()
    book.save(buffer)
    title = _gettext("Budget and payout report")
    _audit.record_event(_EXPORT, user=request.user, data={
        "model": _Budget._meta.label_lower, "report": title, "format": "xlsx", "query": request.GET.urlencode(),
        "rows": len(report.budgets)})
    response = _HttpResponse(buffer.getvalue(),
                             content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _attachment_name(
        f"{title}-{_timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx")
    return response
# (end of this part)
