"""Reads about space: occupancy, vacancy and the stacking plan, always within the user's scope."""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db.models import Count, Q, Sum

from core.reference.geo import feature

from .choices import UnitStatus
from .models import Building, Floor, Operator, Park, Unit, Zone

ZERO = Decimal("0")



@dataclass
class Occupancy:
    """Area-weighted occupancy of a set of units. Unavailable space is not leasable."""

    total_area: Decimal = ZERO
    leased_area: Decimal = ZERO
    vacant_area: Decimal = ZERO
    reserved_area: Decimal = ZERO
    unavailable_area: Decimal = ZERO
    unit_count: int = 0
    counts: dict = field(default_factory=dict)

    def add(self, status: str, area: Decimal, count: int) -> None:
        self.total_area += area
        self.unit_count += count
        self.counts[status] = self.counts.get(status, 0) + count
        if status == UnitStatus.LEASED:
            self.leased_area += area
        elif status == UnitStatus.VACANT:
            self.vacant_area += area
        elif status == UnitStatus.RESERVED:
            self.reserved_area += area
        else:
            self.unavailable_area += area

    def merge(self, other: "Occupancy | None") -> None:
        if other is None:
            return
        for status, count in other.counts.items():
            self.counts[status] = self.counts.get(status, 0) + count
        self.total_area += other.total_area
        self.unit_count += other.unit_count
        self.leased_area += other.leased_area
        self.vacant_area += other.vacant_area
        self.reserved_area += other.reserved_area
        self.unavailable_area += other.unavailable_area

    @property
    def leasable_area(self) -> Decimal:
        return self.total_area - self.unavailable_area

    def _share(self, part: Decimal) -> Decimal | None:
        if not self.leasable_area:
            return None
        return (part * 100 / self.leasable_area).quantize(Decimal("0.1"))

    @property
    def occupancy_rate(self):
        return self._share(self.leased_area)

    @property
    def vacancy_rate(self):
        return self._share(self.vacant_area)

    @property
    def reserved_rate(self):
        return self._share(self.reserved_area)


def park_count(*, user) -> int:
    return Park.objects.for_user(user).count()


def building_count(*, user) -> int:
    return Building.objects.for_user(user).count()


def unit_list(*, user):
    return Unit.objects.for_user(user)


def occupancy_of(units) -> Occupancy:
    """One query: area and count of ``units`` by status."""
    result = Occupancy()
    for row in units.order_by().values("status").annotate(area=Sum("area"), n=Count("pk")):
        result.add(row["status"], row["area"] or ZERO, row["n"])
    return result


def occupancy_by_zone(*, user) -> list[tuple[Zone, int, Occupancy]]:
    """Every zone the user sees as (zone, depth, occupancy of its units and its sub-zones' units),
    in tree order, from one grouped query."""
    direct: dict[int, Occupancy] = {}
    rows = (
        Unit.objects.for_user(user).order_by().values("building__park__zone_id", "status")
        .annotate(area=Sum("area"), n=Count("pk"))
    )
    for row in rows:
        direct.setdefault(row["building__park__zone_id"], Occupancy()).add(row["status"], row["area"] or ZERO, row["n"])
    tree = zone_tree(user=user)
    totals: dict[int, Occupancy] = {}
    for zone, _depth in reversed(tree):  # children come after their parent: sum bottom-up
        total = totals.setdefault(zone.pk, Occupancy())
        total.merge(direct.get(zone.pk))
        if zone.parent_id is not None:
            totals.setdefault(zone.parent_id, Occupancy()).merge(total)
    return [(zone, depth, totals[zone.pk]) for zone, depth in tree]


def units_in_zone(*, user, zone: Zone):
    return Unit.objects.for_user(user).filter(building__park__zone_id__in=zone.descendant_ids())


def units_in_park(*, user, park: Park):
    return Unit.objects.for_user(user).filter(building__park=park)


def units_in_building(*, user, building: Building):
    return Unit.objects.for_user(user).filter(building=building)


@dataclass
class PlanFloor:
    floor: Floor
    units: list
    area: Decimal


def building_stacking_plan(*, user, building: Building) -> list[PlanFloor]:
    """Floors from top to bottom, each with its units (largest first) and their share of the floor."""
    floors = list(Floor.objects.for_user(user).filter(building=building).order_by("-number"))
    units = Unit.objects.for_user(user).filter(building=building).order_by("code")
    by_floor: dict[int, list] = {f.pk: [] for f in floors}
    for unit in units:
        by_floor.setdefault(unit.floor_id, []).append(unit)
    plan = []
    for floor in floors:
        floor_units = by_floor.get(floor.pk, [])
        area = sum((u.area for u in floor_units), ZERO)
        for unit in floor_units:
            unit.plan_share = float(unit.area / area * 100) if area else 0.0
        plan.append(PlanFloor(floor=floor, units=floor_units, area=area))
    return plan


def long_vacant_units(*, user, months: int, today: datetime.date | None = None):
    """Units vacant since at least ``months`` months ago: candidates for revitalising empty space."""
    today = today or datetime.date.today()
    cutoff = months_before(today, months)
    return (
        Unit.objects.for_user(user)
        .filter(status=UnitStatus.VACANT, vacant_since__lte=cutoff)
        .select_related("building", "building__park", "floor")
        .order_by("vacant_since", "pk")
    )


def long_vacant_buildings(*, user, months: int, today: datetime.date | None = None):
    """Buildings with long-vacant units, with that area and its share of the building's area."""
    today = today or datetime.date.today()
    cutoff = months_before(today, months)
    units = Unit.objects.for_user(user)
    return (
        Building.objects.for_user(user)
        .annotate(
            long_vacant_area=Sum(
                "units__area",
                filter=Q(units__status=UnitStatus.VACANT, units__vacant_since__lte=cutoff, units__in=units),
            ),
            long_vacant_units=Count(
                "units", filter=Q(units__status=UnitStatus.VACANT, units__vacant_since__lte=cutoff, units__in=units)
            ),
            total_area=Sum("units__area", filter=Q(units__in=units)),
        )
        .filter(long_vacant_units__gt=0)
        .select_related("park")
        .order_by("-long_vacant_area")
    )


def months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return datetime.date(year, month, min(day.day, last_day))


def zone_tree(*, user) -> list[tuple[Zone, int]]:
    """All zones as (zone, depth), parents before children, in sort order."""
    zones = list(Zone.objects.for_user(user).order_by("sort_order", "code"))
    children: dict = {}
    for zone in zones:
        children.setdefault(zone.parent_id, []).append(zone)
    out: list[tuple[Zone, int]] = []

    def walk(parent_id, depth):
        for zone in children.get(parent_id, []):
            out.append((zone, depth))
            walk(zone.pk, depth + 1)

    walk(None, 0)
    return out


BOUNDARY_FILE = Path(__file__).parent / "data" / "futian-boundary.geojson"


def map_features(*, user) -> tuple[dict, list[dict], list[dict]]:
    """What the map draws for ``user``: the district boundary, the zones with a polygon, and the parks the user
    may see as points (GeoJSON features whose properties the map shows as text)."""
    boundary = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    zones = [
        feature(z.geometry, id=z.pk, name=z.name, kind=z.kind, url=z.get_absolute_url())
        for z in Zone.objects.for_user(user).exclude(geometry=None).filter(parent__isnull=False)
        if z.geometry
    ]
    parks = [
        feature({"type": "Point", "coordinates": [float(park.longitude), float(park.latitude)]},
                id=park.pk, name=park.name, zone=park.zone.name, kind=park.get_kind_display(),
                url=park.get_absolute_url())
        for park in Park.objects.for_user(user).select_related("zone").exclude(latitude=None)
    ]
    return boundary, zones, parks


def operator_accounts_by_park(park_ids) -> dict[int, list[int]]:
    """{park id: ids of the accounts of the park's operator} (who is told about a park's records; the
    reminders re-check each account's scope)."""
    found: dict[int, list[int]] = {}
    for park_id, user_id in Operator.users.through.objects.filter(operator__parks__in=list(park_ids)).values_list(
            "operator__parks", "user_id"):
        found.setdefault(park_id, []).append(user_id)
    return found
