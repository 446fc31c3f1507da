"""Blocks policy support adds to other apps' pages (core.surfaces panels)."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====
def _clawback_award_panel(request, award, context):
    from . import selectors

    return {"cases": list(selectors.clawback_cases(user=request.user, award=award)), "award": award}


def _clawback_enterprise_panel(request, enterprise, context):
    from . import selectors

    return {"cases": list(selectors.clawback_cases(user=request.user, enterprise=enterprise)),
            "enterprise": enterprise}


def register_clawback():
    from core.surfaces.extensions import add_detail_panel

    add_detail_panel("policies.award", "policies/clawback_panel.html", _clawback_award_panel)
    add_detail_panel("enterprises.enterprise", "policies/clawback_panel.html", _clawback_enterprise_panel)

# (end of this part)


# ===== govspace ====

# (end of this part)
