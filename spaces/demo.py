"""Spaces' part of the demo data (``demo.parts``): zones, operators, parks, buildings, floors and units.

Demo district: Futian's zones with shapes inside the district boundary, the operators and parks the letter
names (``demo.district``), and generated buildings and units whose areas are fitted so that the letter's
figures come out of the records (37万㎡ of research space in Hetao, 45万㎡ of cultural parks, 13万㎡ at the
fashion centre). Units leave here vacant; the leasing part decides which are let.

Generator: parks spread over the leaf zones in proportion to the demo's buildings per zone, each copying the
kind, building profile and government share of a demo park in its zone; about one operator per ten parks, a
few large ones running many; 5–60 floors by profile, 1–15 units a floor, unit areas log-normal around the
floor plate's share (60–3,000 m²), asking rents in the zone's range, higher on upper floors and for
ground-floor shops. Floors and units are written building by building in batches; other parts plan what
sits on a building's units when it is planned (``spaces.units_planned``) and write it when the batch's units
are written (``spaces.units_written``), in the batch's transaction.
"""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import shapely
from django.db import transaction
from shapely.geometry import MultiPoint, Point, Polygon, mapping, shape
from shapely.prepared import prep

from core.reference.search import search_key
from demo import district as D
from demo.parts import Part
from demo.plan import DistrictPlan, SyntheticPlan
from demo.values import area, cached_search_key, coordinate, money, searchable

from .models import Building, Floor, Operator, Park, Unit, Zone

BOUNDARY_FILE = Path(__file__).resolve().parent / "data" / "futian-boundary.geojson"

part = Part(
    "spaces",
    tables=[
        ("units", Unit),
        ("floors", Floor),
        ("buildings", Building),
        ("parks", Park),
        ("operator_users", Operator.users.through),
        ("operators", Operator),
    ],
)


@part.flushes
def flush_zones(*, everything: bool) -> dict:
    """Zones are the district's plan: ``generate`` keeps them for its next run, ``load_demo`` replaces them."""
    if not everything:
        return {}
    Zone.objects.update(parent=None)
    return {"zones": Zone.objects.all().delete()[0]}


# Demo district: records ------------------------------------------------------------------------------


@dataclass(eq=False)
class ZoneRec:
    code: str
    name: str
    kind: str
    parent: ZoneRec | None
    sort_order: int
    description: str = ""
    geometry: dict | None = None
    polygon: object = None  # shapely geometry, for placing parks
    obj: object = None


@dataclass(eq=False)
class OperatorRec:
    key: str
    name: str
    phone: str
    credit_code: str = ""
    obj: object = None


@dataclass(eq=False)
class ParkRec:
    code: str
    name: str
    kind: str
    zone: ZoneRec
    operator: OperatorRec
    n_buildings: int
    profile: str
    sector: str  # the industry mix of its tenants (demo.district.SECTORS)
    gov_share: float
    description: str
    address: str = ""
    lat: float = 0.0
    lng: float = 0.0
    buildings: list = field(default_factory=list)
    obj: object = None


@dataclass(eq=False)
class BuildingRec:
    park: ParkRec
    code: str
    name: str
    address: str
    lat: float
    lng: float
    floors_above: int
    floors_below: int
    completed_year: int
    gfa_cents: int = 0
    units: list = field(default_factory=list)
    vacancy_target: float = 0.0  # share of its leasable area left vacant, set by the part that lets it
    obj: object = None


@dataclass(eq=False)
class UnitRec:
    building: BuildingRec
    floor: int
    code: str
    cents: int  # area in 0.01 m²
    use: str
    rent: int  # asking rent, 元/m²/月
    gov: bool
    status: str = "vacant"  # set by the part that lets it, as the leasing services would
    vacant_since: datetime.date | None = None
    obj: object = None


# Demo district: planning -----------------------------------------------------------------------------


@part.district.step("places")
def plan_places(plan: DistrictPlan) -> None:
    """Zones, operators, parks, buildings, floors and units."""
    plan.zones = plan_zones(plan)
    plan.operators = plan_operators(plan)
    plan.parks = plan_parks(plan)
    plan_buildings(plan)
    fit_figures(plan)


def plan_zones(plan: DistrictPlan) -> list[ZoneRec]:
    rng = plan.rng
    boundary = shape(json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))["features"][0]["geometry"])
    zones, by_code = [], {}
    for code, name, kind, parent, order, _centre, _radius in D.ZONES:
        zone = ZoneRec(code, name, kind, by_code.get(parent), order, D.ZONE_DESCRIPTIONS.get(code, ""))
        by_code[code] = zone
        zones.append(zone)
    centred = [(by_code[z[0]], z[5], z[6]) for z in D.ZONES if z[5]]
    cells = shapely.voronoi_polygons(MultiPoint([c for _, c, _ in centred]), extend_to=boundary.envelope.buffer(0.1))
    for zone, centre, radius in centred:
        cell = next(c for c in cells.geoms if c.contains(Point(centre)))
        k = rng.randint(6, 10)
        turn = rng.uniform(0, 2 * math.pi)
        ring = []
        for i in range(k):
            angle = turn + 2 * math.pi * i / k + rng.uniform(-0.2, 0.2)
            r = radius * rng.uniform(0.8, 1.15)
            ring.append(
                (
                    centre[0] + r * math.cos(angle) / math.cos(math.radians(centre[1])),
                    centre[1] + r * math.sin(angle),
                )
            )
        polygon = Polygon(ring).convex_hull.intersection(cell).intersection(boundary)
        zone.polygon = largest_polygon(shapely.set_precision(polygon, 1e-6))
        zone.geometry = geojson(zone.polygon)
    # Engines, axes and wings carry the union of their children.
    for zone in reversed(zones):
        if zone.polygon is None:
            pieces = [z.polygon for z in zones if z.parent is zone and z.polygon is not None]
            if pieces:
                union = shapely.set_precision(shapely.union_all(pieces), 1e-6)
                zone.polygon = union
                zone.geometry = geojson(union)
    return zones


def plan_operators(plan: DistrictPlan) -> list[OperatorRec]:
    operators = []
    for key, name, phone in D.OPERATORS:
        prefix = {"fintech-assoc": "51", "sznews": "12"}.get(key, "91")
        established = datetime.date(plan.rng.randint(1985, 2015), plan.rng.randint(1, 12), plan.rng.randint(1, 28))
        operators.append(OperatorRec(key, name, phone, plan.credit_codes.new(established, "440300", prefix)))
    return operators


def plan_parks(plan: DistrictPlan) -> list[ParkRec]:
    rng = plan.rng
    zones = {z.code: z for z in plan.zones}
    operators = {o.key: o for o in plan.operators}
    placed: dict[str, list] = {}
    parks = []
    for code, name, kind, zone_code, op, n_b, profile, sector, gov, desc in D.PARKS:
        zone = zones[zone_code]
        n = n_b if plan.scale >= 1 else max(1, round(n_b * plan.scale))
        park = ParkRec(code, name, kind, zone, operators[op], n, profile, sector, gov, desc)
        lng, lat = point_in(rng, zone.polygon, inset=0.0012, away_from=placed.setdefault(zone_code, []), gap=0.0025)
        placed[zone_code].append((lng, lat))
        park.lng, park.lat = lng, lat
        street, roads = D.ADDRESSES[zone_code]
        park.address = f"深圳市福田区{street}{rng.choice(roads)}{rng.randint(1, 3000)}号"
        parks.append(park)
    return parks


def point_in(rng, polygon, *, inset: float, near=None, radius=None, away_from=(), gap=0.0):
    """A random point inside ``polygon`` (shrunk by ``inset``), optionally within ``radius`` of ``near`` and
    ``gap`` away from the points in ``away_from``."""
    inner = polygon.buffer(-inset)
    if inner.is_empty:
        inner = polygon
    minx, miny, maxx, maxy = inner.bounds
    if near is not None:
        minx, maxx = max(minx, near[0] - radius), min(maxx, near[0] + radius)
        miny, maxy = max(miny, near[1] - radius), min(maxy, near[1] + radius)
    best = None
    for _ in range(400):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not inner.contains(Point(x, y)):
            continue
        if best is None:
            best = (x, y)
        if all(math.hypot(x - a, y - b) >= gap for a, b in away_from):
            return x, y
    if best is not None:
        return best
    if near is not None and polygon.contains(Point(near)):
        return near
    point = polygon.representative_point()
    return point.x, point.y


def plan_buildings(plan: DistrictPlan) -> None:
    rng = plan.rng
    floor_factor = 1.0 if plan.scale >= 1 else 0.35
    for park in plan.parks:
        spec = D.PROFILES[park.profile]
        label = spec["label"]
        overrides = D.PARK_OVERRIDES.get(park.code, {})
        for index in range(park.n_buildings):
            letter = "abcdefghijklmnopqrstuvwxyz"[index]
            floors_range = overrides.get("floors", spec["floors"])
            floors = max(5, round(rng.randint(*floors_range) * floor_factor))
            floors = min(floors, 45)
            below = rng.randint(*spec["below"])
            building_label = f"{letter.upper()}{label}" if label == "座" else f"{index + 1}{label}"
            lng, lat = point_in(rng, park.zone.polygon, inset=0.0004, near=(park.lng, park.lat), radius=0.0018)
            b = BuildingRec(
                park=park,
                code=f"{park.code}-{letter}",
                name=f"{park.name} {building_label}",
                address=f"{park.address}{building_label}",
                lat=lat,
                lng=lng,
                floors_above=floors,
                floors_below=below,
                completed_year=rng.randint(*spec["years"]),
            )
            plate = rng.randint(*overrides.get("plate", spec["plate"])) // 10 * 10
            base_rent = rng.uniform(*D.RENT_RANGES[park.zone.code])
            lo, hi = D.RENT_RANGES[park.zone.code]
            # Light industry on the lower floors of general parks in the old industrial areas only.
            industrial = 0.35 if park.zone.code in ("bagualing", "huaqiang-shangbu") else 0.0
            for number in range(1, floors + 1):
                n = rng.randint(*overrides.get("units", spec["units"]))
                n = max(n, math.ceil(plate / 1400))
                n = min(n, max(1, plate // 100))
                weights = [rng.uniform(0.6, 1.4) for _ in range(n)]
                total = sum(weights)
                use = floor_use(rng, park.kind, number, industrial=industrial)
                gov = rng.random() < park.gov_share
                for i, w in enumerate(weights, start=1):
                    unit_area = min(1500.0, max(80.0, plate * w / total))
                    unit_use = use
                    if number == 1 and (park.profile != "research" or i == 1):
                        unit_use = "commercial"
                    rent = base_rent * (1 + 0.004 * number) * rng.uniform(0.95, 1.05)
                    if unit_use == "commercial":
                        rent *= 1.15
                    b.units.append(
                        UnitRec(
                            building=b,
                            floor=number,
                            code=f"{number}{i:02d}",
                            cents=round(unit_area * 100),
                            use=unit_use,
                            rent=int(min(hi, max(lo, round(rent)))),
                            gov=gov,
                        )
                    )
            park.buildings.append(b)


def floor_use(rng, kind: str, number: int, *, industrial: float) -> str:
    """A floor's use by the park's kind: science parks research, general parks mostly offices with some
    research, and light industry on the lower floors with probability ``industrial``."""
    if kind == "science":
        return "research"
    if kind == "general":
        r = rng.random()
        if number <= 4 and r < industrial:
            return "industrial"
        return "research" if r > 0.75 else "office"
    return "office"


def fit_figures(plan: DistrictPlan) -> None:
    """Scale areas so the letter's figures come out of the records (exactly, at full scale)."""
    s = plan.scale
    hetao_research = [
        u for p in plan.parks if p.zone.code == "hetao" for b in p.buildings for u in b.units if u.use == "research"
    ]
    scale_to(hetao_research, round(D.HETAO_RESEARCH_AREA * s * 100))
    fashion = [u for p in plan.parks if p.code == D.FASHION_CENTRE_PARK for b in p.buildings for u in b.units]
    scale_to(fashion, round(D.FASHION_CENTRE_AREA * s * 100))
    # Gross floor area: leasable area over an efficiency of about 0.8; cultural parks sum to 45万 m².
    cultural_units = [u for p in plan.parks if p.kind == "cultural" for b in p.buildings for u in b.units]
    scale_to(cultural_units, round(D.CULTURAL_GFA * s * 100 * 0.81))
    rng = plan.rng
    cultural = []
    for park in plan.parks:
        for b in park.buildings:
            b.gfa_cents = round(sum(u.cents for u in b.units) / rng.uniform(0.76, 0.86))
            if park.kind == "cultural":
                cultural.append(b)
    target = round(D.CULTURAL_GFA * s * 100)
    total = sum(b.gfa_cents for b in cultural)
    running = 0
    for i, b in enumerate(cultural):
        if i == len(cultural) - 1:
            b.gfa_cents = target - running
        else:
            b.gfa_cents = round(b.gfa_cents * target / total)
            running += b.gfa_cents


def scale_to(units: list, target_cents: int) -> None:
    """Scale unit areas so they sum to exactly ``target_cents``, keeping each within 80–1,500 m²."""
    if not units:
        return
    total = sum(u.cents for u in units)
    for u in units:
        u.cents = min(150_000, max(8_000, round(u.cents * target_cents / total)))
    diff = target_cents - sum(u.cents for u in units)
    for u in sorted(units, key=lambda u: -u.cents if diff > 0 else u.cents):
        if diff == 0:
            break
        room = (150_000 - u.cents) if diff > 0 else (8_000 - u.cents)
        step = min(diff, room) if diff > 0 else max(diff, room)
        step = max(-abs(diff), min(abs(diff), step))
        u.cents += step
        diff -= step


def largest_polygon(geometry):
    if geometry.geom_type == "Polygon":
        return geometry
    pieces = [g for g in getattr(geometry, "geoms", []) if g.geom_type == "Polygon"]
    return max(pieces, key=lambda g: g.area)


def geojson(geometry) -> dict:
    """GeoJSON with plain lists (JSON round-trips equal) and coordinates to 6 decimals."""
    data = mapping(geometry)

    def lists(value):
        if isinstance(value, (list, tuple)):
            return [lists(v) for v in value]
        return round(value, 6) if isinstance(value, float) else value

    return {"type": data["type"], "coordinates": lists(data["coordinates"])}


# Demo district: writing ------------------------------------------------------------------------------


@part.district.writes
def write_places(plan: DistrictPlan) -> None:
    write_zones(plan.zones)
    operators = []
    for o in plan.operators:
        o.obj = Operator(name=o.name, credit_code=o.credit_code, contact_phone=o.phone)
        o.obj.full_clean()
        operators.append(searchable(o.obj))
    Operator.objects.bulk_create(operators)
    parks = []
    for p in plan.parks:
        p.obj = Park(
            code=p.code,
            name=p.name,
            kind=p.kind,
            zone=p.zone.obj,
            operator=p.operator.obj,
            address=p.address,
            latitude=coordinate(p.lat),
            longitude=coordinate(p.lng),
            description=p.description,
        )
        p.obj.full_clean()
        parks.append(searchable(p.obj))
    Park.objects.bulk_create(parks)
    buildings = []
    for p in plan.parks:
        for b in p.buildings:
            b.obj = Building(
                park=p.obj,
                code=b.code,
                name=b.name,
                address=b.address,
                latitude=coordinate(b.lat),
                longitude=coordinate(b.lng),
                floors_above=b.floors_above,
                floors_below=b.floors_below,
                gross_floor_area=area(b.gfa_cents),
                completed_year=b.completed_year,
            )
            buildings.append(searchable(b.obj))
    Building.objects.bulk_create(buildings)
    floors = []
    floor_of = {}
    for p in plan.parks:
        for b in p.buildings:
            numbers = list(range(-b.floors_below, 0)) + list(range(1, b.floors_above + 1))
            for number in numbers:
                label = f"B{-number}" if number < 0 else f"{number}F"
                floor = Floor(building=b.obj, number=number, name=label)
                floor_of[(b.code, number)] = floor
                floors.append(searchable(floor))
    Floor.objects.bulk_create(floors)
    units = []
    for p in plan.parks:
        for b in p.buildings:
            for u in b.units:
                u.obj = Unit(
                    building=b.obj,
                    floor=floor_of[(b.code, u.floor)],
                    code=u.code,
                    area=area(u.cents),
                    use=u.use,
                    asking_rent=money(u.rent),
                    government_owned=u.gov,
                    status=u.status,
                    vacant_since=u.vacant_since if u.status == "vacant" else None,
                )
                units.append(searchable(u.obj))
    Unit.objects.bulk_create(units, batch_size=2000)
    # The demo operator accounts (core's part made them) run these operators' parks.
    operators_by_key = {o.key: o.obj for o in plan.operators}
    operators_by_key[D.OPERATOR_USER_OPERATOR].users.add(plan.accounts["operator"])
    operators_by_key[D.OPERATOR2_USER_OPERATOR].users.add(plan.accounts["operator2"])


def write_zones(zones: list[ZoneRec]) -> None:
    for z in zones:
        z.obj = Zone(
            code=z.code,
            name=z.name,
            kind=z.kind,
            parent=z.parent.obj if z.parent else None,
            sort_order=z.sort_order,
            geometry=z.geometry,
            description=z.description,
        )
        z.obj.full_clean()
        z.obj.save()


# Generator ----------------------------------------------------------------------------------------------

ZONE_SEED = 2021  # the demo's default seed: generated zones have the demo's shapes

# Building profiles: floors above ground (low, mode, high), units per floor, floor plate (m²), basements,
# years completed, label.
PROFILES = {
    "tower": {"floors": (20, 30, 60), "upf": (2, 10), "plate": (1500, 3200), "below": (2, 4),
              "years": (1998, 2023), "label": "座"},
    "research": {"floors": (8, 14, 30), "upf": (1, 8), "plate": (1000, 2200), "below": (1, 2),
                 "years": (2008, 2024), "label": "栋"},
    "midrise": {"floors": (6, 12, 24), "upf": (2, 12), "plate": (900, 2000), "below": (1, 2),
                "years": (1992, 2020), "label": "栋"},
    "lowrise": {"floors": (5, 6, 9), "upf": (3, 15), "plate": (800, 2400), "below": (0, 1),
                "years": (1985, 2012), "label": "号楼"},
}
BUILDINGS_PER_PARK = (1, 4, 12)  # triangular low, mode, high
MIN_AREA, MAX_AREA = 6_000, 300_000  # unit area in 0.01 m²
PARK_SUFFIXES = {
    "science": ["科技园", "科创园", "创新中心", "智谷", "科技企业孵化器"],
    "cultural": ["文化创意园", "创意产业园", "文创街区", "设计产业园"],
    "fintech": ["金融科技中心", "金融科技园", "金融大厦"],
    "headquarters": ["总部基地", "总部中心", "国际中心"],
    "fund": ["基金小镇", "财富中心"],
    "general": ["产业园", "科技工业园", "工业区", "创业园"],
}
OPERATOR_FORMS = [
    ("深圳市", "产业园运营管理", "有限公司"),
    ("深圳", "科技园区发展", "有限公司"),
    ("", "产业服务", "（深圳）有限公司"),
    ("深圳市", "置业", "有限公司"),
    ("深圳市", "物业管理", "有限公司"),
]
DEFAULT_RENT = (80, 160)
DEFAULT_TEMPLATE = ("general", "midrise", 0.0)  # kind, profile, government share
DEFAULT_ADDRESS = ("福田街道", ["深南大道", "福华路", "红荔路"])


@dataclass(eq=False, slots=True)
class ZonePlan:
    obj: Zone
    weight: float
    templates: list  # (kind, profile, government share) of the demo's parks in the zone
    rent: tuple
    street: str
    roads: list
    polygon: object = None  # (shape, prepared shape)
    units: int = 0


@dataclass(eq=False, slots=True)
class ParkPlan:
    index: int
    zone: ZonePlan
    kind: str
    profile: str
    gov: float
    obj: Park


@dataclass(eq=False, slots=True)
class BuildingPlan:
    park: ParkPlan
    obj: Building
    completed: int  # date ordinal
    plate: int
    base_rent: float
    upf: bytes  # units on each floor above ground, from the 1st


@dataclass(eq=False, slots=True)
class UnitRow:
    obj: Unit
    floor: int
    cents: int
    rent: float


@part.synthetic.prepares
def read_operator_codes(plan: SyntheticPlan) -> None:
    plan.codes_taken.update(Operator.objects.exclude(credit_code="").values_list("credit_code", flat=True))


@part.synthetic.step("places")
def generate_places(plan: SyntheticPlan) -> None:
    """Zones (the demo's, written if there are none), operators, parks and buildings, in one transaction."""
    with transaction.atomic():
        plan.counts["zones"] = 0
        if not Zone.objects.exists():
            write_demo_zones()
            plan.counts["zones"] = Zone.objects.count()
        plan.zones = zone_plans()
        write_operators_and_parks(plan)
        write_buildings(plan)
    plan.say(f"{plan.counts['parks']} parks, {plan.counts['buildings']} buildings planned")


def write_demo_zones() -> None:
    """The demo district's zones (names, nesting and shapes), as ``manage.py load_demo`` writes them."""
    zones = DistrictPlan(seed=ZONE_SEED, scale="small")
    write_zones(plan_zones(zones))


def zone_plans() -> list[ZonePlan]:
    """The leaf zones, each weighted by the demo's buildings in it and with its demo parks as templates."""
    zones = list(Zone.objects.order_by("sort_order", "code"))
    with_children = {z.parent_id for z in zones if z.parent_id}
    leaves = [z for z in zones if z.pk not in with_children]
    demo_buildings: dict[str, int] = {}
    templates: dict[str, list] = {}
    for _code, _name, kind, zone, _op, n_b, profile, _sector, gov, _desc in D.PARKS:
        demo_buildings[zone] = demo_buildings.get(zone, 0) + n_b
        templates.setdefault(zone, []).append((kind, profile, gov))
    mean = sum(demo_buildings.values()) / len(demo_buildings)
    plans = []
    for z in leaves:
        street, roads = D.ADDRESSES.get(z.code, DEFAULT_ADDRESS)
        polygon = None
        if z.geometry:
            shp = shape(z.geometry)
            polygon = (shp, prep(shp))
        plans.append(ZonePlan(
            obj=z, weight=demo_buildings.get(z.code, mean), templates=templates.get(z.code, [DEFAULT_TEMPLATE]),
            rent=D.RENT_RANGES.get(z.code, DEFAULT_RENT), street=street, roads=roads, polygon=polygon,
        ))
    if not plans:
        raise LookupError("No zones to put parks in.")
    return plans


def point_in_zone(rng, zone: ZonePlan, near=None, radius=0.002) -> tuple[float, float]:
    """A random point in the zone (near ``near``), tested against the prepared shape: fast enough for 12,000
    buildings."""
    if zone.polygon is None:
        base = near or (114.05 + rng.uniform(-0.04, 0.04), 22.54 + rng.uniform(-0.025, 0.025))
        return base[0] + rng.uniform(-radius, radius) / 4, base[1] + rng.uniform(-radius, radius) / 4
    shp, prepared = zone.polygon
    minx, miny, maxx, maxy = shp.bounds
    if near is not None:
        minx, maxx = max(minx, near[0] - radius), min(maxx, near[0] + radius)
        miny, maxy = max(miny, near[1] - radius), min(maxy, near[1] + radius)
    for _ in range(50):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if prepared.contains(Point(x, y)):
            return x, y
    if near is not None:
        return near
    point = shp.representative_point()
    return point.x, point.y


def write_operators_and_parks(plan: SyntheticPlan) -> None:
    rng = plan.rng
    n_buildings = plan.scale.buildings
    sizes, placed = [], 0
    while placed < n_buildings:
        size = min(max(1, round(rng.triangular(*BUILDINGS_PER_PARK))), n_buildings - placed)
        sizes.append(size)
        placed += size
    plan.park_sizes = sizes
    n_parks = len(sizes)
    n_operators = max(1, round(n_parks / plan.scale.parks_per_operator))
    names = plan.trade_names
    codes = plan.credit_codes  # made here: its permutations are drawn after the parks' sizes
    taken_names = set(Operator.objects.values_list("name", flat=True))
    operators = []
    for _ in range(n_operators):
        while True:
            prefix, word, suffix = rng.choice(OPERATOR_FORMS)
            name = prefix + names.next(("operator", word, suffix)) + word + suffix
            if name not in taken_names:
                break
        year = rng.randint(1990, 2018)
        phone = f"0755-{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"
        operator = Operator(name=name, credit_code=codes.next(year, "440300"), contact_phone=phone)
        operator.search_text = cached_search_key(name)
        operators.append(operator)
    Operator.objects.bulk_create(operators, batch_size=plan.batch_size)
    # A few large operators run many parks.
    operator_weights = [1 / (k + 1) ** 0.8 for k in range(n_operators)]
    zone_weights = [z.weight for z in plan.zones]
    parks = []
    plan.parks = []
    for index in range(n_parks):
        zone = rng.choices(plan.zones, zone_weights)[0]
        kind, profile, gov = rng.choice(zone.templates)
        suffix = rng.choice(PARK_SUFFIXES.get(kind, PARK_SUFFIXES["general"]))
        name = names.next(("park", suffix)) + suffix
        lng, lat = point_in_zone(rng, zone)
        address = f"深圳市福田区{zone.street}{rng.choice(zone.roads)}{rng.randint(1, 3000)}号"
        park = Park(code=f"gen-{index + 1:05d}", name=name, kind=kind, zone=zone.obj,
                    operator=rng.choices(operators, operator_weights)[0], address=address,
                    latitude=coordinate(lat), longitude=coordinate(lng))
        park.search_text = search_key(name)
        parks.append(park)
        plan.parks.append(ParkPlan(index, zone, kind, profile, gov, park))
    Park.objects.bulk_create(parks, batch_size=plan.batch_size)
    plan.counts["operators"] = len(operators)
    plan.counts["parks"] = len(parks)


def write_buildings(plan: SyntheticPlan) -> None:
    rng = plan.rng
    factor = plan.scale.units_factor
    plan.buildings = []
    rows = []
    for park, size in zip(plan.parks, plan.park_sizes, strict=True):
        spec = PROFILES[park.profile]
        lng0, lat0 = float(park.obj.longitude), float(park.obj.latitude)
        base_rent = rng.uniform(*park.zone.rent)
        for j in range(size):
            floors = max(5, min(60, round(rng.triangular(*spec["floors"]))))
            below = rng.randint(*spec["below"])
            per_floor = rng.randint(*spec["upf"])
            upf = bytes(
                max(1, min(15, round((per_floor + rng.choice((-1, 0, 0, 0, 1))) * factor)))
                for _ in range(floors)
            )
            completed_year = min(rng.randint(*spec["years"]), plan.today.year - 1)
            completed = datetime.date(completed_year, rng.randint(1, 12), rng.randint(1, 28)).toordinal()
            if spec["label"] == "座":
                label = f"{chr(ord('A') + j)}座" if j < 26 else f"{j + 1}栋"
            else:
                label = f"{j + 1}{spec['label']}"
            lng, lat = point_in_zone(rng, park.zone, near=(lng0, lat0), radius=0.0015)
            plate = rng.randint(*spec["plate"]) // 10 * 10
            building = Building(
                park=park.obj, code=f"{park.obj.code}-{j + 1:02d}", name=f"{park.obj.name} {label}",
                address=f"{park.obj.address}{label}", latitude=coordinate(lat), longitude=coordinate(lng),
                floors_above=floors, floors_below=below, completed_year=completed_year,
                gross_floor_area=Decimal(plate * (floors + below)) * Decimal("1.08"),
            )
            building.gross_floor_area = building.gross_floor_area.quantize(Decimal("0.01"))
            building.search_text = search_key(building.name)
            rows.append(building)
            plan.buildings.append(BuildingPlan(park, building, completed, plate, base_rent * rng.uniform(0.9, 1.1), upf))
            park.zone.units += sum(upf)
    Building.objects.bulk_create(rows, batch_size=plan.batch_size)
    plan.counts["buildings"] = len(rows)


@part.synthetic.step("units")
def generate_units(plan: SyntheticPlan) -> None:
    """Floors and units, building by building in batches of about ``batch_size`` units, each batch in its
    own transaction with what other parts plan on its units."""
    plan.count("floors", 0)
    plan.count("units", 0)
    batch: list[BuildingPlan] = []
    units_in_batch = 0
    for building in plan.buildings:
        batch.append(building)
        units_in_batch += sum(building.upf)
        if units_in_batch >= plan.batch_size:
            write_batch(plan, batch)
            batch, units_in_batch = [], 0
    if batch:
        write_batch(plan, batch)
    plan.say(progress(plan))


def write_batch(plan: SyntheticPlan, buildings: list[BuildingPlan]) -> None:
    with transaction.atomic():
        floors = []
        for building in buildings:
            b = building.obj
            for number in [*range(-b.floors_below, 0), *range(1, b.floors_above + 1)]:
                label = f"B{-number}" if number < 0 else f"{number}F"
                floors.append(Floor(building=b, number=number, name=label, search_text=cached_search_key(label)))
        Floor.objects.bulk_create(floors, batch_size=plan.batch_size)
        floor_of = {(f.building_id, f.number): f for f in floors}
        units = []
        for building in buildings:
            rows = plan_units(plan, building, floor_of)
            units.extend(r.obj for r in rows)
            plan.emit("spaces.units_planned", building=building, units=rows)
        Unit.objects.bulk_create(units, batch_size=plan.batch_size)
        plan.emit("spaces.units_written", buildings=buildings)
    plan.count("floors", len(floors))
    plan.count("units", len(units))
    plan.count("buildings_written", len(buildings))
    done = plan.counts["buildings_written"]
    if done % max(1, len(plan.buildings) // 10) < len(buildings):
        plan.say(f"{done}/{len(plan.buildings)} buildings: {progress(plan)}")


def progress(plan: SyntheticPlan) -> str:
    """Units written so far, and what other parts wrote on them (the counts that follow the units')."""
    keys = list(plan.counts)
    return ", ".join(f"{plan.counts[k]} {k}" for k in keys[keys.index("units"):] if k != "buildings_written")


def plan_units(plan: SyntheticPlan, building: BuildingPlan, floor_of: dict) -> list[UnitRow]:
    """The units of one building, floor by floor; vacant until a part that lets them says otherwise."""
    rng = plan.rng
    b = building.obj
    park = building.park
    lo, hi = park.zone.rent
    rows: list[UnitRow] = []
    for number, n in enumerate(building.upf, start=1):
        weights = [math.exp(rng.gauss(0, 0.45)) for _ in range(n)]
        total = sum(weights)
        gov = rng.random() < park.gov
        use = floor_use(rng, park.kind, number, industrial=0.3)
        floor = floor_of[(b.pk, number)]
        for i, w in enumerate(weights, start=1):
            cents = min(MAX_AREA, max(MIN_AREA, round(building.plate * 100 * w / total * rng.uniform(0.85, 1.0))))
            unit_use = "commercial" if number == 1 and (park.kind != "science" or i == 1) else use
            rent = building.base_rent * (1 + 0.004 * number) * rng.uniform(0.95, 1.05)
            if unit_use == "commercial":
                rent *= 1.15
            rent = min(hi * 1.15, max(lo, rent))
            code = f"{number}{i:02d}"
            unit = Unit(building=b, floor=floor, code=code, area=area(cents), use=unit_use,
                        asking_rent=Decimal(round(rent * 2) / 2).quantize(Decimal("0.01")),
                        government_owned=gov, search_text=cached_search_key(code))
            rows.append(UnitRow(unit, number, cents, rent))
    return rows
