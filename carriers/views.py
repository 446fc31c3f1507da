from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.access.permissions import VIEW, role_may
from core.surfaces.reports import export

from . import selectors
from .choices import CarrierLevel
from .models import Carrier


def _counts(request):
    if not role_may(request.user, VIEW, Carrier):
        raise PermissionDenied
    return selectors.carrier_counts(user=request.user)


@login_required
def carrier_counts(request):
    """The district's carriers counted live: now by level and kind, by zone, and those approved each year."""
    counts = _counts(request)
    kinds = [(value, label, [counts.by_level_kind.get((level, value), 0) for level, _l in counts.levels],
              counts.by_kind[value]) for value, label in counts.kinds if counts.by_kind[value]]
    zones = [(zone_id, name, [levels.get(level, 0) for level, _l in counts.levels], total)
             for zone_id, name, levels, total in counts.by_zone]
    years = [(year, [levels.get(level, 0) for level, _l in counts.levels], total, upgrades)
             for year, levels, total, upgrades in counts.by_year]
    return render(request, "carriers/counts.html", {
        "counts": counts, "kinds": kinds, "zones": zones, "years": years,
        "level_totals": [counts.by_level[level] for level, _l in counts.levels],
    })


@login_required
def carrier_counts_export(request):
    """The counts page's three tables in one sheet: a block a table, each row labelled."""
    counts = _counts(request)
    levels = [level for level, _l in counts.levels]
    headers = [_("table"), _("row"), *[str(label) for _v, label in counts.levels], pgettext("count", "total")]
    rows = []
    for value, label in counts.kinds:
        if counts.by_kind[value]:
            rows.append([_("Now, by kind"), str(label),
                         *[counts.by_level_kind.get((level, value), 0) for level in levels], counts.by_kind[value]])
    for _zone_id, name, by_level, total in counts.by_zone:
        rows.append([_("Now, by zone"), name, *[by_level.get(level, 0) for level in levels], total])
    for year, by_level, total, _upgrades in counts.by_year:
        rows.append([_("Approved in the year"), str(year), *[by_level.get(level, 0) for level in levels], total])
    return export(request, title=_("Innovation carrier counts"), model=Carrier, headers=headers, rows=rows,
                  count=len(rows), about={"report": "carrier_counts", "levels": [str(CarrierLevel(v).label)
                                                                                  for v in levels]})
