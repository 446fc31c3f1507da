"""Pages of policy support: thin, calling selectors and services."""


# ===== versions ====

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
    plan_text = "\n".join(f"{t.amount / 100:.2f}" + (f" {t.due_on.isoformat()}" if t.due_on else "")
                           for t in tranches)
    return _awards_render(request, "policies/awards/award_detail.html", {
        "object": award, "tranches": tranches,
        "entries": _awards_selectors.ledger_of(user=request.user, award=award),
        "ledger_visible": _awards_selectors.ledger_visible(request.user),
        "cancel_form": (cancel_form or _awards_styled(_awards_forms.AwardCancelForm())) if officer and unpaid
        else None,
        "plan_form": (plan_form or _awards_styled(_awards_forms.TranchePlanForm(initial={"plan": plan_text})))
        if officer and unpaid else None,
        "money": _awards_services.money_text,
    }, status=status)


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

# (end of this part)


# ===== govspace ====

# (end of this part)
