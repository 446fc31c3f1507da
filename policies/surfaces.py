"""One surface per policy-support model: list, detail, edit, API, export and import."""


# ===== versions ====
import datetime as _dt

from certification.choices import VersionStatus
from core.access.permissions import CHANGE, may
from core.importing.spec import ImportColumn, ImportSpec
from core.rules import FactType, format_value
from core.surfaces import Column, Surface, register

from . import builder as _policy_builder
from . import filters, forms, selectors, services
from .models import Policy, PolicyVersion


def _money(value):
    return _policy_builder.yuan_text(value)


def policy_context(request, policy) -> dict:
    today = _dt.date.today()
    versions = list(selectors.policy_versions(user=request.user, policy=policy))
    budgets = selectors.policy_budgets(user=request.user, policy=policy)
    for row in budgets:
        row.update({key + "_shown": _money(row[key]) for key in ("total", "committed", "paid", "available")})
    return {"versions": versions, "in_force": services.version_in_force(policy, today), "today": today,
            "budgets": budgets, "has_draft": any(v.status == VersionStatus.DRAFT for v in versions)}


def policyversion_context(request, version) -> dict:
    can_build = version.status == VersionStatus.DRAFT and may(request.user, CHANGE, version)
    dry_run = dict(version.dry_run or {})
    if dry_run:
        dry_run["total_shown"] = _money(dry_run.get("total_amount"))
        dry_run["current"] = dry_run.get("hash") == services.engine.version_hash(version)
        for row in dry_run.get("top", []):
            row["before_shown"], row["after_shown"] = _money(row["before"]), _money(row["after"])
            row["change_shown"] = _money(row["change"])
        budget = dry_run.get("budget")
        if budget:
            budget["total_shown"], budget["available_shown"] = _money(budget["total"]), _money(budget["available"])
            budget["share_shown"] = "—" if budget.get("share") is None else format_value(FactType.SHARE,
                                                                                           budget["share"])
        if dry_run.get("in_force"):
            dry_run["in_force"]["total_shown"] = _money(dry_run["in_force"]["total_amount"])
    return {
        "condition_rows": selectors.condition_rows(version),
        "amount_line": _policy_builder.amount_line(version.amount or {}, parameters=version.parameters),
        "parameter_rows": selectors.parameter_rows(version),
        "cap_rows": selectors.cap_rows(version),
        "obligation_rows": selectors.obligation_rows(version),
        "case_rows": selectors.test_case_rows(version),
        "dry": dry_run,
        "can_build": can_build,
        "checklist": services.publish_missing(version) if version.status == VersionStatus.DRAFT else [],
        "current_hash": services.engine.version_hash(version),
    }


policy = register(Surface(
    model=Policy, filterset=filters.PolicyFilterSet, form=forms.PolicyForm, slug="policies",
    columns=[Column("name", link=True), Column("code"), Column("category", template="core/cells/choice.html"),
             Column("document_number"), Column("issuer"), Column("valid_from"), Column("valid_until"),
             Column("proactive")],
    default_sort="name", extra_context=policy_context,
    importer=ImportSpec(
        key=("code",),
        columns={"code": ImportColumn(aliases=("政策代码", "代码")),
                 "name": ImportColumn(aliases=("政策名称", "名称")),
                 "category": ImportColumn(aliases=("政策类别", "类别")),
                 "document_number": ImportColumn(aliases=("文号", "发文字号")),
                 "issuer": ImportColumn(aliases=("发文机关", "发布单位")),
                 "valid_from": ImportColumn(aliases=("生效日期", "有效期起")),
                 "valid_until": ImportColumn(aliases=("失效日期", "有效期止"))},
        example={"code": "tech-rent", "name": "科技楼宇租金补贴", "category": "rent",
                 "document_number": "福科规〔2025〕1号", "issuer": "福田区科技创新局", "valid_from": "2025-01-01"},
    ),
))

policyversion = register(Surface(
    model=PolicyVersion, filterset=filters.PolicyVersionFilterSet, form=forms.PolicyVersionForm,
    slug="policy-versions",
    columns=[Column("policy", link=True, order_by="policy__name", label=None), Column("number"),
             Column("status", template="core/cells/choice.html"), Column("effective_from"),
             Column("source_document"), Column("content_hash"), Column("published_at")],
    select_related=("policy",), default_sort="-effective_from", extra_context=policyversion_context,
    create=services.policyversion_create, update=services.policyversion_update,
    delete=services.policyversion_delete,
    api_read_only=("number", "status", "conditions", "amount", "parameters", "annual_cap", "cumulative_cap",
                   "max_years", "obligations", "content_hash", "published_at", "published_by"),
))

# (end of this part)


# ===== screening ====
from decimal import Decimal as _Decimal  # noqa: E402

from django.db.models import DecimalField as _DecimalField  # noqa: E402
from django.db.models import F as _F  # noqa: E402
from django.db.models import Value as _Value  # noqa: E402
from django.db.models.functions import Cast as _Cast  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.surfaces import Column, Surface, register  # noqa: E402

from . import filters as _filters  # noqa: E402
from . import forms as _forms  # noqa: E402
from . import screening_pages as _pages  # noqa: E402
from . import services as _services  # noqa: E402
from .models import Offer, ScreeningRun  # noqa: E402

_YUAN = _DecimalField(max_digits=18, decimal_places=2)


class _YuanSurface(Surface):
    """A surface whose rows carry their fen amounts also in yuan, ``<field>_yuan``, for the export."""

    fen_fields: tuple = ()

    def queryset(self, user):
        return super().queryset(user).annotate(**{
            f"{name}_yuan": _Cast(_F(name), _YUAN) / _Value(_Decimal("100"), output_field=_YUAN)
            for name in self.fen_fields})


class _RunSurface(_YuanSurface):
    fen_fields = ("total_amount",)


class _OfferSurface(_YuanSurface):
    fen_fields = ("amount",)


screeningrun = register(_RunSurface(
    model=ScreeningRun, filterset=_filters.ScreeningRunFilterSet, form=_forms.ScreeningRunForm, slug="screenings",
    columns=[Column("__str__", label=_("screening"), link=True, order_by="period_start"),
             Column("decided_on"), Column("status", template="core/cells/choice.html"),
             Column("enterprises"), Column("eligible"), Column("offers"),
             Column("total_amount", template="policies/cells/yuan.html", export="total_amount_yuan"),
             Column("seconds"), Column("created")],
    default_sort="-created",
    create=_services.screeningrun_create, update=_services.screeningrun_update,
    delete=_services.screeningrun_delete,
    detail_template="policies/screeningrun_detail.html", extra_context=_pages.screeningrun_context,
))

offer = register(_OfferSurface(
    model=Offer, filterset=_filters.OfferFilterSet, form=_forms.OfferForm, slug="offers",
    columns=[Column("enterprise", link=False, order_by="enterprise__name"),
             Column("__str__", label=_("proactive offer"), link=True, order_by=None),
             Column("policy", template="policies/cells/name.html", order_by="policy__code", export="policy.name"),
             Column("period_start"), Column("period_end"),
             Column("amount", template="policies/cells/yuan.html", export="amount_yuan"),
             Column("status", template="core/cells/choice.html"), Column("run", order_by="run_id")],
    select_related=("enterprise", "policy", "run"), default_sort="-created",
    create=_services.offer_create, update=_services.offer_update, delete=_services.offer_delete,
    detail_template="policies/offer_detail.html", extra_context=_pages.offer_context,
))

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
from dataclasses import dataclass as _cb_dataclass  # noqa: E402

from django.db.models import DecimalField as _CbDecimalField  # noqa: E402
from django.db.models import F as _CbF  # noqa: E402
from django.db.models import FloatField as _CbFloatField  # noqa: E402
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
    """Fen as yuan in the query. Divided as a float and cast back to two decimals: SQLite divides a NUMERIC
    integer by 100 as integers (45,205.48 would read 45,205.00); a double holds any amount to the fen exactly
    enough for the cast to round it right."""
    return _CbCast(_CbCast(_CbF(field), _CbFloatField()) / _CbValue(100.0),
                   _CbDecimalField(max_digits=18, decimal_places=2))


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
from django.utils.translation import gettext_lazy as _lazy  # noqa: E402

from core.surfaces import Column as _Column  # noqa: E402
from core.surfaces import Surface as _Surface  # noqa: E402
from core.surfaces import register as _register  # noqa: E402

from . import filters as _filters  # noqa: E402
from . import forms as _forms  # noqa: E402
from . import services as _services  # noqa: E402
from .models import SpaceAllocation as _SpaceAllocation  # noqa: E402


def spaceallocation_context(request, allocation) -> dict:
    """The admission checks with their sentences, and what the rent is worked out from."""
    checks = []
    for title, decision in ((_lazy("Admission check at approval"), allocation.approved_decision),
                            (_lazy("Admission check when proposed"), allocation.decision)):
        if decision is not None:
            checks.append({"title": title, "decision": decision, "admitted": _services.admitted(decision),
                           "sentences": _services.admission_sentences(decision)})
    return {"checks": checks, "area": sum((unit.area for unit in allocation.units.all()), 0)}


spaceallocation = _register(_Surface(
    model=_SpaceAllocation, filterset=_filters.SpaceAllocationFilterSet, form=_forms.SpaceAllocationForm,
    slug="space-allocations",
    columns=[_Column("enterprise", order_by="enterprise__name", link=True),
             _Column("policy", order_by="policy__name"),
             _Column("units", label=_lazy("units"), order_by=None, template="leasing/cells/units.html"),
             _Column("start_date"), _Column("end_date"), _Column("assessed_rent"),
             _Column("rent_share_percent", label=_lazy("rent as a share of the assessed rent (%)"),
                     order_by="rent_share"),
             _Column("monthly_rent"), _Column("status", template="core/cells/choice.html")],
    select_related=("enterprise", "policy"), prefetch_related=("units__building",), default_sort="-created",
    create=_services.spaceallocation_create, update=_services.spaceallocation_update,
    delete=_services.spaceallocation_delete, lock=_services.spaceallocations_lock,
    api_read_only=("version", "rent_share", "monthly_rent", "status", "lease"),
    detail_template="policies/govspace/spaceallocation_detail.html", extra_context=spaceallocation_context,
))
# (end of this part)
