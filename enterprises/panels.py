"""The financial years panel on an enterprise's page (registered in EnterprisesConfig.ready)."""

from core.surfaces.extensions import add_detail_panel


def financial_years_panel(request, enterprise, context):
    from core.access.permissions import ADD, VIEW, role_may

    from .models import FinancialYear

    if not role_may(request.user, VIEW, FinancialYear):
        return None
    return {"years": FinancialYear.objects.for_user(request.user).filter(enterprise=enterprise).order_by("-year")[:10],
            "can_add": role_may(request.user, ADD, FinancialYear)}


def register():
    add_detail_panel("enterprises.enterprise", "enterprises/financial_years_panel.html", financial_years_panel)
