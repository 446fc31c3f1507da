"""One surface per policy-support model: list, detail, edit, API, export and import."""


# ===== versions ====

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
    delete=_services.spaceallocation_delete,
    api_read_only=("version", "rent_share", "monthly_rent", "status", "lease"),
    detail_template="policies/govspace/spaceallocation_detail.html", extra_context=spaceallocation_context,
))
# (end of this part)
