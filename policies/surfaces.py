"""One surface per policy-support model: list, detail, edit, API, export and import."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====
from dataclasses import dataclass as _cb_dataclass  # noqa: E402
from decimal import Decimal as _CbDecimal  # noqa: E402

from django.db.models import DecimalField as _CbDecimalField  # noqa: E402
from django.db.models import F as _CbF  # noqa: E402
from django.db.models import Value as _CbValue  # noqa: E402
from django.db.models.functions import Cast as _CbCast  # noqa: E402
from django.utils.translation import gettext_lazy as _cb_lazy  # noqa: E402

from core.surfaces import register as _cb_register  # noqa: E402
from core.surfaces.base import Column as _CbColumn  # noqa: E402
from core.surfaces.base import Surface as _CbSurface  # noqa: E402

from . import filters as _cb_filters  # noqa: E402
from . import forms as _cb_forms  # noqa: E402
from . import selectors as _cb_selectors  # noqa: E402
from . import services as _cb_services  # noqa: E402
from .models import ClawbackCase as _CbCase  # noqa: E402


def _cb_in_yuan(field):
    return _CbCast(_CbF(field), _CbDecimalField(max_digits=18, decimal_places=2)) / _CbValue(
        _CbDecimal("100"), output_field=_CbDecimalField(max_digits=18, decimal_places=2))


@_cb_dataclass
class _ClawbackSurface(_CbSurface):
    """The list and its export show the amounts in yuan (stored in fen)."""

    def queryset(self, user):
        return super().queryset(user).annotate(amount_due_yuan=_cb_in_yuan("amount_due"),
                                               repaid_yuan=_cb_in_yuan("repaid"))


def clawbackcase_context(request, case) -> dict:
    from django.urls import NoReverseMatch

    from core.access.permissions import may

    try:
        award_url = case.award.get_absolute_url() if may(request.user, "view", case.award) else None
    except NoReverseMatch:  # the award's own page is not there
        award_url = None
    return {"award_url": award_url, "evidence_rows": _cb_selectors.clawback_evidence_rows(case),
            "repayments": _cb_selectors.clawback_repayments(user=request.user, case=case),
            "remaining": case.amount_due - case.repaid}


clawbackcase = _cb_register(_ClawbackSurface(
    model=_CbCase, filterset=_cb_filters.ClawbackCaseFilterSet, form=_cb_forms.ClawbackCaseForm,
    slug="clawbacks",
    columns=[_CbColumn("__str__", label=_cb_lazy("clawback case"), order_by=None, link=True),
             _CbColumn("enterprise", order_by="enterprise__name"),
             _CbColumn("obligation", template="core/cells/choice.html"), _CbColumn("breached_on"),
             _CbColumn("amount_due_yuan", label=_cb_lazy("amount to recover (yuan)"), order_by="amount_due"),
             _CbColumn("repaid_yuan", label=_cb_lazy("repaid (yuan)"), order_by="repaid"),
             _CbColumn("status", template="core/cells/choice.html")],
    select_related=("award__policy", "enterprise"), default_sort="-breached_on",
    create=_cb_services.clawbackcase_create, update=_cb_services.clawbackcase_update,
    delete=_cb_services.clawbackcase_delete, detail_template="policies/clawbackcase_detail.html",
    extra_context=clawbackcase_context,
    api_read_only=("status", "repaid", "reason", "evidence", "enterprise", "decided_by"),
))

# (end of this part)


# ===== govspace ====

# (end of this part)
