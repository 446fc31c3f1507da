"""Certification's pages beyond the generated ones (thin: they call selectors and services)."""


# ===== schemes and their versions ==========================================================================
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
import datetime  # noqa: E402

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.http import Http404  # noqa: E402
from django.shortcuts import render  # noqa: E402

from core.access.permissions import VIEW, role_may  # noqa: E402
from core.rules import format_value  # noqa: E402
from core.surfaces.reports import page_of, querystring  # noqa: E402
from spaces.models import Building, Park  # noqa: E402

from . import facts  # noqa: E402
from .models import Incubatee  # noqa: E402


def _day(text: str | None) -> datetime.date:
    if not text:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise Http404 from error


@login_required
def fact_evidence(request, park_id: int, fact: str):
    """The records behind one number of a subject on a day: the units, tenants, incubatees or service records
    it counts, with the number itself. Outside the user's parks, not found."""
    if not role_may(request.user, VIEW, Incubatee):
        raise Http404
    on = _day(request.GET.get("on"))
    building_id = request.GET.get("building") or None
    if building_id is not None and not building_id.isdigit():
        raise Http404
    found = facts.evidence(user=request.user, park=park_id, building=building_id, fact=fact, on=on)
    if found is None:
        raise Http404
    page = page_of(request, found.queryset)
    rows = [[{"text": column.value(row), "url": column.url(row) if column.url else None}
             for column in found.columns] for row in page]
    return render(request, "certification/evidence.html", {
        "evidence": found, "page": page, "rows": rows, "querystring": querystring(request, "page"),
        "park": Park.objects.get(pk=park_id),
        "building": Building.objects.get(pk=building_id) if building_id else None,
        "value": format_value(found.fact.type, found.value, found.fact.unit),
    })


# (end of this part)
