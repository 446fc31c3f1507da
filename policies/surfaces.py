"""One surface per policy-support model: list, detail, edit, API, export and import."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====
from dataclasses import dataclass as _awards_dataclass  # noqa: E402

from django.db.models import DecimalField as _AwardsDecimal  # noqa: E402
from django.db.models import ExpressionWrapper as _AwardsExpression  # noqa: E402
from django.db.models import F as _AwardsF  # noqa: E402
from django.db.models.functions import Cast as _AwardsCast  # noqa: E402
from django.utils.translation import gettext_lazy as _awards_  # noqa: E402

from core.surfaces import Column as _AwardsColumn  # noqa: E402
from core.surfaces import Surface as _AwardsSurface  # noqa: E402
from core.surfaces import register as _awards_register  # noqa: E402

from . import filters as _awards_filters  # noqa: E402
from . import forms as _awards_forms  # noqa: E402
from . import services as _awards_services  # noqa: E402
from .models import Application as _AwardsApplication  # noqa: E402
from .models import Budget as _AwardsBudget  # noqa: E402

_YUAN = _AwardsDecimal(max_digits=16, decimal_places=2)


def yuan_of(field: str):
    """A money field (fen) read as yuan in the query: what lists show and exports write."""
    return _AwardsExpression(_AwardsCast(_AwardsF(field), _YUAN) / 100, output_field=_YUAN)


@_awards_dataclass
class YuanSurface(_AwardsSurface):
    """A surface whose list and export show money fields (fen) in yuan: ``<field>_yuan`` annotated per row."""

    yuan_fields: tuple = ()

    def queryset(self, user):
        qs = super().queryset(user)
        return qs.annotate(**{f"{name}_yuan": yuan_of(name) for name in self.yuan_fields})


def _money_column(name, label):
    return _AwardsColumn(f"{name}_yuan", label=label, order_by=name, template="policies/awards/yuan_cell.html")


def application_context(request, application) -> dict:
    from . import views

    return views.application_detail_context(request, application)


def budget_context(request, budget) -> dict:
    from . import views

    return views.budget_detail_context(request, budget)


application = _awards_register(YuanSurface(
    model=_AwardsApplication, filterset=_awards_filters.ApplicationFilterSet, form=_awards_forms.ApplicationForm,
    slug="applications",
    columns=[_AwardsColumn("number", link=True), _AwardsColumn("policy", order_by="policy__name"),
             _AwardsColumn("enterprise", order_by="enterprise__name"), _AwardsColumn("year"),
             _AwardsColumn("status", template="core/cells/choice.html"), _AwardsColumn("submitted_at"),
             _money_column("approved_amount", _awards_("approved amount (yuan)")), _AwardsColumn("payout_due")],
    select_related=("policy", "enterprise"), default_sort="-created", yuan_fields=("approved_amount",),
    api_read_only=("number", "status", "version", "period_start", "period_end", "decision", "approved_decision",
                   "approved_amount", "submitted_at", "first_reviewed_by", "second_reviewed_by", "decided_by",
                   "decided_at", "review_comment", "payout_due", "offer"),
    create=_awards_services.application_create, update=_awards_services.application_update,
    detail_template="policies/awards/application_detail.html", extra_context=application_context,
))

budget = _awards_register(YuanSurface(
    model=_AwardsBudget, filterset=_awards_filters.BudgetFilterSet, form=_awards_forms.BudgetForm, slug="budgets",
    columns=[_AwardsColumn("policy", link=True, order_by="policy__name"), _AwardsColumn("year"),
             _money_column("total", _awards_("budget (yuan)")), _money_column("committed", _awards_("committed (yuan)")),
             _money_column("paid", _awards_("paid (yuan)"))],
    select_related=("policy",), default_sort="-year", yuan_fields=("total", "committed", "paid"),
    api_read_only=("committed", "paid"),
    create=_awards_services.budget_create,
    detail_template="policies/awards/budget_detail.html", extra_context=budget_context,
))

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
