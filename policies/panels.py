"""Blocks policy support adds to other apps' pages (core.surfaces panels)."""

from django.utils.translation import gettext_lazy

from core.attachments.registry import register_attachable, register_kind


# ----- policies and their versions -----------------------------------------------------------------------------
def _decisions_panel(request, enterprise, context):
    """The enterprise's latest policy decisions (政策测算), for those who may see them; None hides the panel."""
    from core.access.permissions import VIEW, role_may

    from .models import Decision
    from .selectors import decisions_of

    if not role_may(request.user, VIEW, Decision):
        return None
    return {"decisions": list(decisions_of(user=request.user, enterprise=enterprise)[:10]), "enterprise": enterprise}


def register_versions():
    from core.surfaces.extensions import add_detail_panel

    add_detail_panel("enterprises.enterprise", "policies/decisions_panel.html", _decisions_panel)


# ----- applications, awards, budgets and tranches --------------------------------------------------------------
# Documents of an application belong to the enterprise: attached once, they are offered again for its later
# applications ("attach existing").
APPLICATION_DOCUMENT = register_kind("policy_application_document",
                                             gettext_lazy("Supporting document of a support application"), reusable=True)


def enterprise_support_panel(request, enterprise, context):
    """The enterprise's support applications and awards the user may see (None hides the panel)."""
    from core.access.permissions import VIEW, role_may

    from .models import Application, Award

    if not role_may(request.user, VIEW, Application):
        return None
    applications = list(Application.objects.for_user(request.user).filter(enterprise=enterprise)
                        .select_related("policy").order_by("-year", "-id")[:20])
    awards = {award.application_id: award for award in Award.objects.for_user(request.user)
              .filter(application__in=applications)}
    for application in applications:
        application.award_shown = awards.get(application.pk)
    return {"applications": applications}


def register_awards():
    from core.surfaces.extensions import add_detail_panel

    add_detail_panel("enterprises.enterprise", "policies/awards/enterprise_panel.html", enterprise_support_panel)
    register_attachable("policies.application", kinds=[APPLICATION_DOCUMENT],
                                owner=lambda application: application.enterprise,
                                owner_model="enterprises.enterprise")


# ----- obligations and clawback --------------------------------------------------------------------------------
def _clawback_sees_cases(user) -> bool:
    from core.access.permissions import role_may

    from .models import ClawbackCase

    return role_may(user, "view", ClawbackCase)


def _clawback_award_panel(request, award, context):
    """The award's clawback cases; no panel for whom cases are not shown (operators)."""
    from . import selectors

    if not _clawback_sees_cases(request.user):
        return None
    return {"cases": list(selectors.clawback_cases(user=request.user, award=award)), "award": award}


def _clawback_enterprise_panel(request, enterprise, context):
    from . import selectors

    if not _clawback_sees_cases(request.user):
        return None
    return {"cases": list(selectors.clawback_cases(user=request.user, enterprise=enterprise)),
            "enterprise": enterprise}


def register_clawback():
    from core.surfaces.extensions import add_detail_panel

    add_detail_panel("policies.award", "policies/clawback_panel.html", _clawback_award_panel)
    add_detail_panel("enterprises.enterprise", "policies/clawback_panel.html", _clawback_enterprise_panel)


# ----- government-owned space and the funds report -------------------------------------------------------------
def _lease_discount_panel(request, lease, context):
    """A lease of government-owned space at a share of its assessed market rent: the assessment, the share and
    the allocation it was made by (None for a lease without an assessment: no panel)."""
    from core.access.permissions import VIEW, role_may

    from .models import SpaceAllocation

    if lease.assessed_monthly_rent is None:
        return None
    allocation = SpaceAllocation.objects.filter(lease=lease).select_related("policy").first()
    share = None
    if lease.assessed_monthly_rent:
        from core.rules import money_from_yuan, share_of, share_to_percent

        share = share_to_percent(share_of(money_from_yuan(lease.monthly_rent), money_from_yuan(lease.assessed_monthly_rent)))
    return {"lease": lease, "share": share, "discount": None if share is None else 100 - share,
            "allocation": allocation if allocation and role_may(request.user, VIEW, SpaceAllocation) else None,
            "policy": allocation.policy if allocation else None}


def register_govspace():
    from core.surfaces.extensions import add_detail_panel

    add_detail_panel("leasing.lease", "policies/govspace/lease_discount.html", _lease_discount_panel)


def register() -> None:
    """What every part of policy support adds to other pages, registered once when the app is ready."""
    for part in (register_versions, register_awards, register_clawback, register_govspace):
        part()
