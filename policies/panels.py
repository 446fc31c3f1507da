"""Blocks policy support adds to other apps' pages (core.surfaces panels)."""


# ===== versions ====
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

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
