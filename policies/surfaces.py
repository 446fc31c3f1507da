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

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

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
