"""Reads of innovation carriers: the list a user may see and the live counts (by level, kind, zone and year)
that the counts page, the home page and the tests share."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractYear

from .choices import CURRENT_STATUSES, MUNICIPAL_OR_ABOVE, CarrierKind, CarrierLevel
from .models import Carrier


def carrier_list(*, user):
    return Carrier.objects.for_user(user).select_related("zone", "building", "host_enterprise")


def current_carriers(*, user):
    """The district's carriers now: being set up or operating (a revoked one is not; an upgraded one is
    counted as its successor)."""
    return Carrier.objects.for_user(user).filter(status__in=CURRENT_STATUSES)


@dataclass
class CarrierCounts:
    levels: list  # [(value, label)] in the order of the choice set
    kinds: list
    by_level_kind: dict = field(default_factory=dict)  # (level, kind) → n
    by_level: Counter = field(default_factory=Counter)
    by_kind: Counter = field(default_factory=Counter)
    by_zone: list = field(default_factory=list)  # [(zone id, zone name, {level: n}, total)], most first
    by_year: list = field(default_factory=list)  # [(year, {level: n}, total, upgrades)], latest first
    total: int = 0
    municipal_or_above: int = 0

    def new_in(self, year: int) -> int:
        return next((total for y, _levels, total, _up in self.by_year if y == year), 0)


def carrier_counts(*, user) -> CarrierCounts:
    """Live counts of the carriers ``user`` may see, in four queries."""
    counts = CarrierCounts(levels=list(CarrierLevel.choices), kinds=list(CarrierKind.choices))
    current = current_carriers(user=user)
    for row in current.values("level", "kind").annotate(n=Count("pk")):
        counts.by_level_kind[(row["level"], row["kind"])] = row["n"]
        counts.by_level[row["level"]] += row["n"]
        counts.by_kind[row["kind"]] += row["n"]
    counts.total = sum(counts.by_level.values())
    counts.municipal_or_above = sum(counts.by_level[level] for level in MUNICIPAL_OR_ABOVE)
    zones: dict = defaultdict(Counter)
    names = {}
    for row in current.values("zone_id", "zone__name", "level").annotate(n=Count("pk")):
        zones[row["zone_id"]][row["level"]] += row["n"]
        names[row["zone_id"]] = row["zone__name"]
    counts.by_zone = sorted(((zone_id, names[zone_id], dict(levels), sum(levels.values()))
                             for zone_id, levels in zones.items()), key=lambda row: (-row[3], row[1]))
    # Approved in each year, whatever became of them since: the district's new carriers of that year, an
    # upgrade included (it is a new designation at its level).
    years: dict = defaultdict(Counter)
    upgrades: Counter = Counter()
    approved = Carrier.objects.for_user(user).annotate(year=ExtractYear("approved_on"))
    for row in approved.values("year", "level").annotate(n=Count("pk")):
        years[row["year"]][row["level"]] += row["n"]
    for row in approved.filter(upgraded_from__isnull=False).values("year").annotate(n=Count("pk")):
        upgrades[row["year"]] = row["n"]
    counts.by_year = [(year, dict(levels), sum(levels.values()), upgrades[year])
                      for year, levels in sorted(years.items(), reverse=True)]
    return counts
