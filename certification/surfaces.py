"""One surface per certification model: list, detail, edit, API, export and import."""


# ===== schemes and their versions ==========================================================================
import datetime  # noqa: E402

from core.access.permissions import CHANGE, may  # noqa: E402
from core.surfaces import Column, Surface, register  # noqa: E402

from . import filters as certification_filters  # noqa: E402
from . import forms as certification_forms  # noqa: E402
from . import selectors as certification_selectors  # noqa: E402
from . import services as certification_services  # noqa: E402
from .choices import Grade  # noqa: E402
from .models import Scheme, SchemeVersion  # noqa: E402


def scheme_context(request, scheme) -> dict:
    today = datetime.date.today()
    return {"versions": certification_selectors.scheme_versions(user=request.user, scheme=scheme),
            "in_force": certification_services.version_in_force(scheme, today), "today": today}


def schemeversion_context(request, version) -> dict:
    catalogue = certification_services.fact_catalogue()
    return {
        "criteria_rows": certification_selectors.criteria_rows(version, catalogue),
        "indicator_rows": certification_selectors.indicator_rows(version, catalogue),
        "parameter_rows": certification_selectors.parameter_rows(version),
        "weight_total": sum(i.get("weight") or 0 for i in version.indicators or []),
        "band_rows": [{"grade": b.get("grade"), "label": Grade(b["grade"]).label if b.get("grade") in Grade.values
                       else b.get("grade"), "min": b.get("min")} for b in version.grade_bands or []],
        "can_build": may(request.user, CHANGE, version),
    }


scheme = register(Surface(
    model=Scheme, filterset=certification_filters.SchemeFilterSet, form=certification_forms.SchemeForm,
    slug="schemes",
    columns=[Column("name", link=True), Column("code"), Column("category", template="core/cells/choice.html"),
             Column("subject_kind"), Column("level", template="core/cells/choice.html"), Column("issuer")],
    default_sort="name", extra_context=scheme_context,
))

schemeversion = register(Surface(
    model=SchemeVersion, filterset=certification_filters.SchemeVersionFilterSet,
    form=certification_forms.SchemeVersionForm, slug="scheme-versions",
    columns=[Column("scheme", link=True, order_by="scheme__name", label=None), Column("number"),
             Column("status", template="core/cells/choice.html"), Column("effective_from"),
             Column("source_document"), Column("published_at")],
    select_related=("scheme",), default_sort="-effective_from", extra_context=schemeversion_context,
    create=certification_services.schemeversion_create, update=certification_services.schemeversion_update,
    delete=certification_services.schemeversion_delete,
    api_read_only=("number", "status", "criteria", "indicators", "grade_bands", "parameters", "content_hash",
                   "published_at", "published_by"),
))
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
