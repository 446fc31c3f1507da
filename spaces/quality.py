"""Data quality: values the rules allow but that are probably wrong, caught before they distort the
district's figures.

Two halves. Warnings a person confirms before a unit is saved (its edit form, the API and the import
preview all ask the same question): an area above ``YUANQU_UNIT_AREA_CEILING``, or a building whose units
would cover more than its gross floor area. And the lists of the 数据质量 page, per park and for the
district: buildings whose units exceed their floor area, buildings with no floors, units with no asking
rent, and asking rents far from their building's median. Each list is one query over the user's scope,
grouped in the database, whatever the number of buildings.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.surfaces import Column

from .models import Building, Floor, Unit

ZERO = Decimal("0")
CHUNK = 500


def _area(value) -> str:
    return f"{Decimal(value):,.2f}"


# ----- warnings before a save ---------------------------------------------------------------------------------
def area_ceiling_warning(area) -> str | None:
    ceiling = settings.YUANQU_UNIT_AREA_CEILING
    if area is None or area <= ceiling:
        return None
    return _("The area %(area)s m² is above %(ceiling)s m², more than a unit usually has: check that it is not "
             "the building's area or a figure with an extra zero.") % {"area": _area(area), "ceiling": _area(ceiling)}


def building_area_warning(building, units_area) -> str | None:
    """``units_area``: the area of all the building's units, the one being saved included."""
    floor_area = building.gross_floor_area
    if not floor_area or units_area is None or units_area <= floor_area:
        return None
    return _("With this unit the units of %(building)s add up to %(total)s m², more than the building's gross "
             "floor area of %(floor_area)s m².") % {
        "building": building.name, "total": _area(units_area), "floor_area": _area(floor_area)}


def unit_warnings(unit: Unit) -> list[str]:
    """What a person should confirm about a unit as it now stands (called inside the saving transaction, so
    the building's total includes this unit's new area)."""
    total = Unit.objects.filter(building_id=unit.building_id).aggregate(total=Sum("area"))["total"]
    found = [area_ceiling_warning(unit.area), building_area_warning(unit.building, total)]
    return [message for message in found if message]


def unit_import_warnings(rows, user):
    """The same warnings for the rows of an import about to be written: (row, column, message). A building's
    total is what is stored, less the stored areas of the units the file changes, plus the file's areas;
    one grouped query per 500 buildings."""
    found = []
    buildings, totals = {}, {}
    for row in rows:
        message = area_ceiling_warning(row.instance.area)
        if message:
            found.append((row, "area", message))
        buildings[row.instance.building_id] = row.instance.building
    ids = list(buildings)
    for start in range(0, len(ids), CHUNK):
        stored = (Unit.objects.filter(building_id__in=ids[start:start + CHUNK]).order_by()
                  .values("building_id").annotate(total=Sum("area")))
        totals.update({item["building_id"]: item["total"] or ZERO for item in stored})
    for row in rows:
        if row.existing is not None:
            totals[row.existing.building_id] = totals.get(row.existing.building_id, ZERO) - row.existing.area
        totals[row.instance.building_id] = totals.get(row.instance.building_id, ZERO) + row.instance.area
    for row in rows:
        moved = row.existing is None or row.existing.area != row.instance.area or (
            row.existing.building_id != row.instance.building_id)
        if not moved:
            continue  # a row that changes only the rent does not answer for its building's total
        message = building_area_warning(buildings[row.instance.building_id], totals[row.instance.building_id])
        if message:
            found.append((row, "area", message))
    return found


# ----- the 数据质量 lists ---------------------------------------------------------------------------------------
def _buildings(user, park):
    buildings = Building.objects.for_user(user)
    return buildings.filter(park=park) if park is not None else buildings


def _units(user, park):
    units = Unit.objects.for_user(user)
    return units.filter(building__park=park) if park is not None else units


def buildings_over_floor_area(*, user, park=None):
    """Buildings whose units add up to more than the building's gross floor area."""
    return (
        _buildings(user, park).exclude(gross_floor_area=None)
        .annotate(units_area=Sum("units__area"), unit_count=Count("units"))
        .filter(units_area__gt=F("gross_floor_area"))
        .select_related("park").order_by("park__code", "code")
    )


def buildings_without_floors(*, user, park=None):
    """Buildings with no floor recorded: their units cannot be placed and their stacking plan is empty."""
    return (
        _buildings(user, park).filter(~Exists(Floor.objects.filter(building=OuterRef("pk"))))
        .select_related("park").order_by("park__code", "code")
    )


def units_without_rent(*, user, park=None):
    """Units whose asking rent is empty: they drop out of every rent figure."""
    return (
        _units(user, park).filter(asking_rent=None)
        .select_related("building", "building__park", "floor").order_by("building__code", "-floor__number", "code")
    )


def rent_medians(units):
    """A queryset of the middle unit (two middle units, for an even count) of each building's asking rents:
    the rows whose rank is the median's. Buildings with fewer than ``YUANQU_RENT_MEDIAN_MIN_UNITS`` rents
    have none."""
    by_building = {"partition_by": [F("building_id")]}
    return (
        units.exclude(asking_rent=None)
        .annotate(rank=Window(RowNumber(), order_by=[F("asking_rent").asc(), F("pk").asc()], **by_building),
                  rents=Window(Count("pk"), **by_building))
        .filter(rents__gte=settings.YUANQU_RENT_MEDIAN_MIN_UNITS,
                rank__gte=(F("rents") + 1) / 2, rank__lte=F("rents") / 2 + 1)
    )


def units_with_outlying_rent(*, user, park=None):
    """Units whose asking rent is below the building's median divided by ``YUANQU_RENT_OUTLIER_FACTOR`` or
    above the median times it. In the database: each unit is joined to its building's middle unit(s),
    found by a window over the building's rents, and compared with their average (grouped by unit id only;
    the rows to show are then read by id)."""
    factor = settings.YUANQU_RENT_OUTLIER_FACTOR
    units = _units(user, park)
    middle = rent_medians(units).order_by().values("pk")
    outlying = (
        units.exclude(asking_rent=None).filter(building__units__in=middle).order_by().values("pk")
        .annotate(median_rent=Avg("building__units__asking_rent"))
        .filter(Q(asking_rent__lt=F("median_rent") / factor) | Q(asking_rent__gt=F("median_rent") * factor))
    )
    return (
        units.filter(pk__in=outlying.values("pk"))
        .select_related("building", "building__park", "floor").order_by("building__code", "-floor__number", "code")
    )


def building_rent_medians(building_ids) -> dict[int, Decimal]:
    """{building id: median asking rent} of the given buildings, in one query (at most two rows each)."""
    middles: dict[int, list] = defaultdict(list)
    rows = rent_medians(Unit.objects.filter(building_id__in=list(building_ids))).order_by()
    for building_id, rent in rows.values_list("building_id", "asking_rent"):
        middles[building_id].append(rent)
    return {building_id: sum(rents) / len(rents) for building_id, rents in middles.items()}


def with_rent_medians(units: list) -> list:
    """Give each unit its building's median asking rent (``median_rent``), for the page and the export."""
    medians = building_rent_medians({unit.building_id for unit in units}) if units else {}
    for unit in units:
        unit.median_rent = medians.get(unit.building_id)
    return units


BUILDING_COLUMNS = [Column("name", link=True), Column("code"), Column("park"), Column("floors_above"),
                    Column("floors_below"), Column("gross_floor_area")]
UNIT_COLUMNS = [Column("code", link=True), Column("building"), Column("building.park", label=gettext_lazy("park")),
                Column("floor", label=gettext_lazy("floor"), export="floor.label"), Column("area"),
                Column("asking_rent"), Column("status")]
COLUMNS = {
    "over-area": [*BUILDING_COLUMNS, Column("units_area", label=gettext_lazy("units' area (m²)")),
                  Column("unit_count", label=gettext_lazy("Units"))],
    "no-floors": BUILDING_COLUMNS,
    "no-rent": UNIT_COLUMNS,
    "far-rent": [*UNIT_COLUMNS, Column("median_rent", label=gettext_lazy("building's median asking rent"))],
}


@dataclass
class QualityList:
    slug: str
    title: object
    explanation: object
    kind: str  # "building" or "unit"
    rows: object  # a queryset
    fill: Callable | None = None  # rows (a list) → the same rows with what the queryset cannot carry

    def complete(self, rows) -> list:
        rows = list(rows)
        return self.fill(rows) if self.fill else rows

    @property
    def columns(self) -> list[Column]:
        return COLUMNS[self.slug]

    @property
    def model(self):
        return Building if self.kind == "building" else Unit


LISTS = {
    "over-area": (gettext_lazy("Buildings whose units exceed their floor area"),
                  gettext_lazy("The units' areas add up to more than the building's gross floor area: a unit's "
                               "area or the building's is wrong."), "building", buildings_over_floor_area),
    "no-floors": (gettext_lazy("Buildings with no floors"),
                  gettext_lazy("No floor is recorded, so no unit can be placed: generate the floors from the "
                               "building's number of floors on its page."), "building", buildings_without_floors),
    "no-rent": (gettext_lazy("Units with no asking rent"),
                gettext_lazy("The asking rent is empty, so the unit is left out of rent figures."), "unit",
                units_without_rent),
    "far-rent": (gettext_lazy("Asking rents far from their building's median"),
                 gettext_lazy("Below the median asking rent of the unit's building divided by %(factor)s, or above "
                              "the median times %(factor)s."), "unit",
                 units_with_outlying_rent),
}


def quality_list(slug: str, *, user, park=None) -> QualityList | None:
    """One list of the 数据质量 page, within the user's scope (and the park, if given)."""
    if slug not in LISTS:
        return None
    title, explanation, kind, selector = LISTS[slug]
    factor = format(settings.YUANQU_RENT_OUTLIER_FACTOR.normalize(), "f")
    return QualityList(slug=slug, title=title, explanation=str(explanation).replace("%(factor)s", factor), kind=kind,
                       rows=selector(user=user, park=park), fill=with_rent_medians if slug == "far-rent" else None)


def quality_lists(*, user, park=None) -> list[QualityList]:
    return [quality_list(slug, user=user, park=park) for slug in LISTS]
