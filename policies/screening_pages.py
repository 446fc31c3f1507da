"""What the screening's pages show: a run's results by policy against the budget, an offer with the decision
behind it (made on first view, then kept: services.offer_decision), and the enterprise's page of offers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse

from core.reference.choices import Role

from . import selectors, services
from .choices import OfferStatus


def screeningrun_context(request, run) -> dict:
    summary = run.summary or {}
    rows = summary.get("policies", [])
    offers_url = reverse("policies:offer_list")
    for row in rows:
        row["offers_url"] = f"{offers_url}?run={run.pk}&policy={row['policy']}"
    return {"policy_rows": rows, "step_seconds": summary.get("seconds", {}),
            "snapshot_seconds": summary.get("snapshot", {}), "differences": summary.get("differences", []),
            "error": summary.get("error", ""), "offers_url": f"{offers_url}?run={run.pk}"}


def reasons(decision) -> list[dict]:
    """One line per condition, the years limit, the amount and each cap, as the decision's trace has them."""
    trace = decision.trace or {}
    lines = [{"text": leaf["sentence"], "passed": leaf["passed"]}
             for leaf in (trace.get("conditions") or {}).get("leaves", [])]
    lines += [{"text": leaf["sentence"], "passed": leaf["passed"]}
              for leaf in (trace.get("max_years") or {}).get("leaves", [])]
    amount = trace.get("amount") or {}
    if amount.get("sentence"):
        lines.append({"text": "金额：" + amount["sentence"], "passed": amount.get("value") is not None})
    lines += [{"text": cap["sentence"], "passed": cap.get("after") not in (None, 0)} for cap in trace.get("caps", [])]
    return lines


def offer_context(request, offer) -> dict:
    decision = services.offer_decision(offer, user=request.user)
    application = getattr(offer, "application", None) if offer.status == OfferStatus.CONFIRMED else None
    return {"decision": decision, "reasons": reasons(decision), "application": application,
            "differs": decision.eligible != (offer.amount > 0) or (decision.amount or 0) != offer.amount}


@login_required
def my_offers(request):
    """可能符合的政策: an enterprise user's open offers, each with its likely amount and why, and those answered."""
    if request.user.role != Role.ENTERPRISE:
        raise PermissionDenied
    offers = list(selectors.offers_proposed(user=request.user))
    for offer in offers:
        offer.shown_decision = services.offer_decision(offer, user=request.user)
        offer.reasons = reasons(offer.shown_decision)
    return render(request, "policies/my_offers.html", {
        "offers": offers, "answered": list(selectors.offers_answered(user=request.user)[:20])})
