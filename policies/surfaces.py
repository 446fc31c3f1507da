"""One surface per policy-support model: list, detail, edit, API, export and import."""

import datetime as _dt
from dataclasses import dataclass

from django.db.models import DecimalField, F, FloatField, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from certification.choices import VersionStatus
from core.access.permissions import CHANGE, may
from core.importing.spec import ImportColumn, ImportSpec
from core.models import UNRESTRICTED_ROLES
from core.rules import FactType, format_value, yuan_text
from core.surfaces import Column, Surface, register

from . import builder, filters, forms, screening_pages, selectors, services
from .models import Application, Budget, ClawbackCase, Offer, Policy, PolicyVersion, ScreeningRun, SpaceAllocation


def yuan_of(field: str):
    """A money field (fen) read as yuan in the query, to the fen: what lists show and exports write. Divided as a
    float and cast back to two decimals: SQLite divides a NUMERIC integer by 100 as integers (45,205.48 would read
    45,205.00); a double holds any amount of these tables to the fen exactly enough for the cast to round it."""
    return Cast(Cast(F(field), FloatField()) / Value(100.0), DecimalField(max_digits=18, decimal_places=2))


@dataclass
class YuanSurface(Surface):
    """A surface whose list and export show money fields (fen) in yuan: ``<field>_yuan`` annotated per row."""

    yuan_fields: tuple = ()

    def queryset(self, user):
        qs = super().queryset(user)
        return qs.annotate(**{f"{name}_yuan": yuan_of(name) for name in self.yuan_fields})


# ----- policies and their versions -----------------------------------------------------------------------------
def _money(value):
    return yuan_text(value)


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
    # The evidence of publishing (the cases, the dry run naming enterprises and their amounts, the checklist) is
    # the bureau's: an operator or an enterprise reads the rules only.
    bureau = getattr(request.user, "role", None) in UNRESTRICTED_ROLES
    dry_run = dict(version.dry_run or {}) if bureau else {}
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
        "amount_line": builder.amount_line(version.amount or {}, parameters=version.parameters),
        "parameter_rows": selectors.parameter_rows(version),
        "cap_rows": selectors.cap_rows(version),
        "obligation_rows": selectors.obligation_rows(version),
        "case_rows": selectors.test_case_rows(version) if bureau else [],
        "bureau": bureau,
        "dry": dry_run,
        "can_build": can_build,
        "checklist": services.publish_missing(version) if bureau and version.status == VersionStatus.DRAFT else [],
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


# ----- screening and offers (免申即享) -----------------------------------------------------------------------------
screeningrun = register(YuanSurface(yuan_fields=("total_amount",),
    model=ScreeningRun, filterset=filters.ScreeningRunFilterSet, form=forms.ScreeningRunForm, slug="screenings",
    columns=[Column("__str__", label=_("screening"), link=True, order_by="period_start"),
             Column("decided_on"), Column("status", template="core/cells/choice.html"),
             Column("enterprises"), Column("eligible"), Column("offers"),
             Column("total_amount", template="policies/cells/yuan.html", export="total_amount_yuan"),
             Column("seconds"), Column("created")],
    default_sort="-created",
    create=services.screeningrun_create, update=services.screeningrun_update,
    delete=services.screeningrun_delete,
    detail_template="policies/screeningrun_detail.html", extra_context=screening_pages.screeningrun_context,
))

offer = register(YuanSurface(yuan_fields=("amount",),
    model=Offer, filterset=filters.OfferFilterSet, form=forms.OfferForm, slug="offers",
    columns=[Column("enterprise", link=False, order_by="enterprise__name"),
             Column("__str__", label=_("proactive offer"), link=True, order_by=None),
             Column("policy", template="policies/cells/name.html", order_by="policy__code", export="policy.name"),
             Column("period_start"), Column("period_end"),
             Column("amount", template="policies/cells/yuan.html", export="amount_yuan"),
             Column("status", template="core/cells/choice.html"), Column("run", order_by="run_id")],
    select_related=("enterprise", "policy", "run"), default_sort="-created",
    create=services.offer_create, update=services.offer_update, delete=services.offer_delete,
    detail_template="policies/offer_detail.html", extra_context=screening_pages.offer_context,
))


# ----- applications, awards, budgets and tranches --------------------------------------------------------------
def _money_column(name, label):
    return Column(f"{name}_yuan", label=label, order_by=name, template="policies/awards/yuan_cell.html")


def application_context(request, application) -> dict:
    from . import views

    return views.application_detail_context(request, application)


def budget_context(request, budget) -> dict:
    from . import views

    return views.budget_detail_context(request, budget)


application = register(YuanSurface(
    model=Application, filterset=filters.ApplicationFilterSet, form=forms.ApplicationForm,
    slug="applications",
    columns=[Column("number", link=True), Column("policy", order_by="policy__name"),
             Column("enterprise", order_by="enterprise__name"), Column("year"),
             Column("status", template="core/cells/choice.html"), Column("submitted_at"),
             _money_column("approved_amount", _("approved amount (yuan)")), Column("payout_due")],
    select_related=("policy", "enterprise"), default_sort="-created", yuan_fields=("approved_amount",),
    api_read_only=("number", "status", "version", "period_start", "period_end", "decision", "approved_decision",
                   "approved_amount", "submitted_at", "first_reviewed_by", "second_reviewed_by", "decided_by",
                   "decided_at", "review_comment", "payout_due", "offer"),
    create=services.application_create, update=services.application_update,
    detail_template="policies/awards/application_detail.html", extra_context=application_context,
))

budget = register(YuanSurface(
    model=Budget, filterset=filters.BudgetFilterSet, form=forms.BudgetForm, slug="budgets",
    columns=[Column("policy", link=True, order_by="policy__name"), Column("year"),
             _money_column("total", _("budget (yuan)")), _money_column("committed", _("committed (yuan)")),
             _money_column("paid", _("paid (yuan)"))],
    select_related=("policy",), default_sort="-year", yuan_fields=("total", "committed", "paid"),
    api_read_only=("committed", "paid"),
    create=services.budget_create,
    detail_template="policies/awards/budget_detail.html", extra_context=budget_context,
))


# ----- obligations and clawback --------------------------------------------------------------------------------
def clawbackcase_context(request, case) -> dict:
    from django.urls import NoReverseMatch

    from core.access.permissions import may

    try:
        award_url = case.award.get_absolute_url() if may(request.user, "view", case.award) else None
    except NoReverseMatch:  # the award's own page is not there
        award_url = None
    return {"award_url": award_url, "evidence_rows": selectors.clawback_evidence_rows(case),
            "repayments": selectors.clawback_repayments(user=request.user, case=case),
            "remaining": case.amount_due - case.repaid}


clawbackcase = register(YuanSurface(yuan_fields=("amount_due", "repaid"),
    model=ClawbackCase, filterset=filters.ClawbackCaseFilterSet, form=forms.ClawbackCaseForm,
    slug="clawbacks",
    columns=[Column("__str__", label=_("clawback case"), order_by=None, link=True),
             Column("enterprise", order_by="enterprise__name"),
             Column("obligation", template="core/cells/choice.html"), Column("breached_on"),
             Column("amount_due_yuan", label=_("amount to recover (yuan)"), order_by="amount_due"),
             Column("repaid_yuan", label=_("repaid (yuan)"), order_by="repaid"),
             Column("status", template="core/cells/choice.html")],
    select_related=("award__policy", "enterprise"), default_sort="-breached_on",
    create=services.clawbackcase_create, update=services.clawbackcase_update,
    delete=services.clawbackcase_delete, detail_template="policies/clawbackcase_detail.html",
    extra_context=clawbackcase_context,
    api_read_only=("status", "repaid", "reason", "evidence", "enterprise", "decided_by"),
))


# ----- government-owned space and the funds report -------------------------------------------------------------
def spaceallocation_context(request, allocation) -> dict:
    """The admission checks with their sentences, and what the rent is worked out from."""
    checks = []
    for title, decision in ((_("Admission check at approval"), allocation.approved_decision),
                            (_("Admission check when proposed"), allocation.decision)):
        if decision is not None:
            checks.append({"title": title, "decision": decision, "admitted": services.admitted(decision),
                           "sentences": services.admission_sentences(decision)})
    return {"checks": checks, "area": sum((unit.area for unit in allocation.units.all()), 0)}


spaceallocation = register(Surface(
    model=SpaceAllocation, filterset=filters.SpaceAllocationFilterSet, form=forms.SpaceAllocationForm,
    slug="space-allocations",
    columns=[Column("enterprise", order_by="enterprise__name", link=True),
             Column("policy", order_by="policy__name"),
             Column("units", label=_("units"), order_by=None, template="leasing/cells/units.html"),
             Column("start_date"), Column("end_date"), Column("assessed_rent"),
             Column("rent_share_percent", label=_("rent as a share of the assessed rent (%)"),
                     order_by="rent_share"),
             Column("monthly_rent"), Column("status", template="core/cells/choice.html")],
    select_related=("enterprise", "policy"), prefetch_related=("units__building",), default_sort="-created",
    create=services.spaceallocation_create, update=services.spaceallocation_update,
    delete=services.spaceallocation_delete, lock=services.spaceallocations_lock,
    api_read_only=("version", "rent_share", "monthly_rent", "status", "lease"),
    detail_template="policies/govspace/spaceallocation_detail.html", extra_context=spaceallocation_context,
))
