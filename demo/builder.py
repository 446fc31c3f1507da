"""Builds the demo district in memory from a seed: same seed, scale and day give the same records.

The builder makes plain records (``*Rec``); ``demo.loader`` turns them into model rows. One
``random.Random(seed)`` is drawn from in a fixed order, and every collection is iterated in a fixed
order (lists, never sets), so the result does not depend on hashing or timing.
"""

from __future__ import annotations

import datetime
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping, shape
from stdnum.cn import uscc

from core.validators import check_credit_code, organisation_code_check_char

from . import district as D

BOUNDARY_FILE = Path(__file__).resolve().parent.parent / "spaces" / "data" / "futian-boundary.geojson"
SCALES = {"full": 1.0, "small": 0.1}
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DAY = datetime.timedelta(days=1)

# Lease groups: how many adjacent units one lease takes (most take one).
GROUP_SIZES = ([1, 2, 3, 4], [60, 22, 11, 7])
LEASE_YEARS = ([1, 2, 3, 5], [20, 35, 30, 15])
UNAVAILABLE_SHARE = 0.01
RESERVED_SHARE = 0.02
EXPIRING_SHARE = 0.05  # of active leases: end within 90 days
PREVIOUSLY_LEASED_SHARE = 0.55  # of vacant groups: had a tenant before
PRIOR_LEASE_SHARE = 0.25  # of leased groups: an earlier, expired lease by another tenant
TERMINATED_SHARE = 0.15  # of historical leases: ended early


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def months_ago(today: datetime.date, months: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(today.day, 28))


# Records -------------------------------------------------------------------------------------------


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
    sector: str
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
    vacancy_target: float = 0.0
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
    status: str = "vacant"
    vacant_since: datetime.date | None = None
    obj: object = None


@dataclass(eq=False)
class GroupRec:
    """Adjacent units on one floor that are let together."""

    building: BuildingRec
    units: list
    state: str = "vacant"  # leased | reserved_lease | reserved | vacant_prev | vacant_never
    tenant: EnterpriseRec | None = None
    pinned: bool = False

    @property
    def cents(self):
        return sum(u.cents for u in self.units)


@dataclass(eq=False)
class EnterpriseRec:
    name: str
    industry: str
    park: ParkRec | None
    role: str  # named | fund_present | fund_virtual | tenant | departed | unleased
    established: datetime.date | None = None
    capital: float | None = None
    credit_code: str = ""
    exception: bool = False
    registered_by: OperatorRec | None = None
    description: str = ""
    address: str = ""
    high_tech: bool = False
    specialised: str = ""
    leases: list = field(default_factory=list)
    obj: object = None


@dataclass(eq=False)
class LeaseRec:
    tenant: EnterpriseRec
    units: list
    start: datetime.date
    end: datetime.date
    status: str
    rent: int
    terminated_on: datetime.date | None = None
    contract_number: str = ""
    obj: object = None


@dataclass(eq=False)
class QualificationRec:
    enterprise: EnterpriseRec
    kind: str
    level: str
    certificate_number: str
    issued_on: datetime.date
    valid_until: datetime.date


@dataclass(eq=False)
class ContactRec:
    enterprise: EnterpriseRec
    name: str
    title: str
    mobile: str


# Builder -------------------------------------------------------------------------------------------


class DistrictBuilder:
    def __init__(
        self,
        *,
        seed: int = 2021,
        scale: str = "full",
        today: datetime.date | None = None,
        validity_years: dict | None = None,
    ):
        self.seed = seed
        self.scale_name = scale
        self.scale = SCALES[scale]
        self.today = today or datetime.date.today()
        self.validity_years = validity_years or {"high_tech": 3, "specialised": 3}
        self.rng = random.Random(seed)
        self.zones: list[ZoneRec] = []
        self.operators: list[OperatorRec] = []
        self.parks: list[ParkRec] = []
        self.groups: list[GroupRec] = []
        self.enterprises: list[EnterpriseRec] = []
        self.leases: list[LeaseRec] = []
        self.qualifications: list[QualificationRec] = []
        self.contacts: list[ContactRec] = []
        self.used_codes: set[str] = set()
        self.used_names: set[str] = set()

    def build(self):
        self.build_zones()
        self.build_operators()
        self.build_parks()
        self.build_space()
        self.plan_occupancy()
        self.build_enterprises()
        self.build_leases()
        self.finish_enterprises()
        self.build_qualifications()
        self.build_contacts()
        return self

    # Zones -----------------------------------------------------------------------------------------

    def build_zones(self):
        rng = self.rng
        boundary = shape(json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))["features"][0]["geometry"])
        by_code = {}
        for code, name, kind, parent, order, _centre, _radius in D.ZONES:
            zone = ZoneRec(code, name, kind, by_code.get(parent), order, D.ZONE_DESCRIPTIONS.get(code, ""))
            by_code[code] = zone
            self.zones.append(zone)
        centred = [(by_code[z[0]], z[5], z[6]) for z in D.ZONES if z[5]]
        cells = shapely.voronoi_polygons(
            MultiPoint([c for _, c, _ in centred]), extend_to=boundary.envelope.buffer(0.1)
        )
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
        for zone in reversed(self.zones):
            if zone.polygon is None:
                parts = [z.polygon for z in self.zones if z.parent is zone and z.polygon is not None]
                if parts:
                    union = shapely.set_precision(shapely.union_all(parts), 1e-6)
                    zone.polygon = union
                    zone.geometry = geojson(union)

    # Operators and parks ---------------------------------------------------------------------------

    def build_operators(self):
        for key, name, phone in D.OPERATORS:
            prefix = {"fintech-assoc": "51", "sznews": "12"}.get(key, "91")
            established = datetime.date(self.rng.randint(1985, 2015), self.rng.randint(1, 12), self.rng.randint(1, 28))
            self.operators.append(OperatorRec(key, name, phone, self.new_credit_code(established, "440300", prefix)))

    def build_parks(self):
        rng = self.rng
        zones = {z.code: z for z in self.zones}
        operators = {o.key: o for o in self.operators}
        placed: dict[str, list] = {}
        for code, name, kind, zone_code, op, n_b, profile, sector, gov, desc in D.PARKS:
            zone = zones[zone_code]
            n = n_b if self.scale >= 1 else max(1, round(n_b * self.scale))
            park = ParkRec(code, name, kind, zone, operators[op], n, profile, sector, gov, desc)
            lng, lat = self.point_in(zone.polygon, inset=0.0012, away_from=placed.setdefault(zone_code, []), gap=0.0025)
            placed[zone_code].append((lng, lat))
            park.lng, park.lat = lng, lat
            street, roads = D.ADDRESSES[zone_code]
            park.address = f"深圳市福田区{street}{rng.choice(roads)}{rng.randint(1, 3000)}号"
            self.parks.append(park)

    def point_in(self, polygon, *, inset: float, near=None, radius=None, away_from=(), gap=0.0):
        """A random point inside ``polygon`` (shrunk by ``inset``), optionally within ``radius`` of ``near``."""
        rng = self.rng
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

    # Buildings, floors and units -------------------------------------------------------------------

    def build_space(self):
        rng = self.rng
        floor_factor = 1.0 if self.scale >= 1 else 0.35
        for park in self.parks:
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
                lng, lat = self.point_in(park.zone.polygon, inset=0.0004, near=(park.lng, park.lat), radius=0.0018)
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
                for number in range(1, floors + 1):
                    n = rng.randint(*overrides.get("units", spec["units"]))
                    n = max(n, math.ceil(plate / 1400))
                    n = min(n, max(1, plate // 100))
                    weights = [rng.uniform(0.6, 1.4) for _ in range(n)]
                    total = sum(weights)
                    use = self.floor_use(park, number)
                    gov = rng.random() < park.gov_share
                    for i, w in enumerate(weights, start=1):
                        area = min(1500.0, max(80.0, plate * w / total))
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
                                cents=round(area * 100),
                                use=unit_use,
                                rent=int(min(hi, max(lo, round(rent)))),
                                gov=gov,
                            )
                        )
                park.buildings.append(b)
        self.fit_figures()

    def floor_use(self, park: ParkRec, number: int) -> str:
        if park.kind == "science":
            return "research"
        if park.kind == "general":
            r = self.rng.random()
            if park.zone.code in ("bagualing", "huaqiang-shangbu") and number <= 4 and r < 0.35:
                return "industrial"
            return "research" if r > 0.75 else "office"
        return "office"

    def fit_figures(self):
        """Scale areas so the letter's figures come out of the records (exactly, at full scale)."""
        s = self.scale
        hetao_research = [
            u for p in self.parks if p.zone.code == "hetao" for b in p.buildings for u in b.units if u.use == "research"
        ]
        scale_to(hetao_research, round(D.HETAO_RESEARCH_AREA * s * 100))
        fashion = [u for p in self.parks if p.code == D.FASHION_CENTRE_PARK for b in p.buildings for u in b.units]
        scale_to(fashion, round(D.FASHION_CENTRE_AREA * s * 100))
        # Gross floor area: leasable area over an efficiency of about 0.8; cultural parks sum to 45万 m².
        cultural_units = [u for p in self.parks if p.kind == "cultural" for b in p.buildings for u in b.units]
        scale_to(cultural_units, round(D.CULTURAL_GFA * s * 100 * 0.81))
        rng = self.rng
        cultural = []
        for park in self.parks:
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

    # Occupancy -------------------------------------------------------------------------------------

    def plan_occupancy(self):
        """Decide, building by building, which units are let, reserved, vacant or unavailable."""
        rng = self.rng
        pins = self.pins_by_building()
        for park in self.parks:
            for b in park.buildings:
                b.vacancy_target = rng.triangular(0.05, 0.30, 0.12)
                for u in b.units:
                    if rng.random() < UNAVAILABLE_SHARE:
                        u.status = "unavailable"
                open_units = [u for u in b.units if u.status != "unavailable"]
                leasable = sum(u.cents for u in open_units)
                floors: dict[int, list] = {}
                for u in open_units:
                    floors.setdefault(u.floor, []).append(u)
                groups = []
                taken = set()
                # Named enterprises take whole floors (up to 4 units) from the top down.
                top_floors = sorted((n for n in floors if n > 1), reverse=True)
                for tenant, count in pins.get(b.code, []):
                    for _ in range(count):
                        free = [n for n in top_floors if n not in taken]
                        if not free:
                            break
                        number = free[0]
                        taken.add(number)
                        g = GroupRec(b, floors[number][:4], "leased", tenant, pinned=True)
                        floors[number] = floors[number][4:]
                        groups.append(g)
                pinned_groups = list(groups)
                rest = []
                for number in sorted(floors):
                    units = floors[number]
                    i = 0
                    while i < len(units):
                        size = min(rng.choices(*GROUP_SIZES)[0], len(units) - i)
                        rest.append(GroupRec(b, units[i : i + size]))
                        i += size
                rng.shuffle(rest)
                occupied = sum(g.cents for g in pinned_groups)
                target = (1 - b.vacancy_target) * leasable
                for g in rest:
                    # Let a group if that brings the let area nearer the target (no systematic overshoot).
                    if occupied + g.cents / 2 <= target:
                        occupied += g.cents
                        r = rng.random()
                        if r < RESERVED_SHARE / 2:
                            g.state = "reserved_lease"
                        elif r < RESERVED_SHARE:
                            g.state = "reserved"
                        else:
                            g.state = "leased"
                    else:
                        g.state = "vacant_prev" if rng.random() < PREVIOUSLY_LEASED_SHARE else "vacant_never"
                groups.extend(rest)
                self.groups.extend(groups)

    def pins_by_building(self):
        """Named enterprises and their floors: building code → [(enterprise, floors)]."""
        self.named = []
        parks = {p.code: p for p in self.parks}
        per_park: dict[str, int] = {}
        pins: dict[str, list] = {}
        for name, industry, year, capital, park_code, n_leases, high_tech, level in D.NAMED_ENTERPRISES:
            park = parks[park_code]
            e = EnterpriseRec(
                name,
                industry,
                park,
                "named",
                capital=float(capital),
                description=D.NAMED_DESCRIPTION,
                high_tech=high_tech,
                specialised=level,
            )
            e.established = datetime.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))
            self.named.append(e)
            index = per_park.get(park_code, 0)
            per_park[park_code] = index + 1
            b = park.buildings[index % len(park.buildings)]
            count = n_leases if self.scale >= 1 else min(n_leases, 2)
            pins.setdefault(b.code, []).append((e, count))
        return pins

    # Enterprises -----------------------------------------------------------------------------------

    def build_enterprises(self):
        rng = self.rng
        self.enterprises.extend(self.named)
        for e in self.named:
            self.used_names.add(e.name)
        # The investment fund park: 51 funds, 5 working there, 46 registered virtually.
        fund_park = next(p for p in self.parks if p.code == D.FUND_PARK)
        funds = []
        for i in range(D.FUNDS_TOTAL):
            industry = pick(rng, D.SECTORS["fund"])
            present = i < D.FUNDS_PRESENT
            e = EnterpriseRec(
                self.new_name(industry, fund=True), industry, fund_park, "fund_present" if present else "fund_virtual"
            )
            if not present:
                e.registered_by = fund_park.operator
                e.description = "福田区投资基金产业园虚拟入驻。"
                e.address = f"{fund_park.address}（福田区投资基金产业园虚拟入驻）"
            else:
                e.description = "福田区投资基金产业园实际办公。"
            funds.append(e)
        self.enterprises.extend(funds)
        present_funds = funds[: D.FUNDS_PRESENT]

        # Slots: let groups without a named tenant, per park.
        slots: dict[str, list] = {p.code: [] for p in self.parks}
        history_slots: dict[str, int] = {p.code: 0 for p in self.parks}
        for g in self.groups:
            code = g.building.park.code
            if g.state in ("leased", "reserved_lease") and not g.pinned:
                slots[code].append(g)
            if g.state == "vacant_prev":
                history_slots[code] += 1
        generated_total = max(50, round(2500 * self.scale) - len(self.named) - D.FUNDS_TOTAL)
        n_departed = round(generated_total * 0.08)
        n_unleased = round(generated_total * 0.02)
        n_tenants = generated_total - n_departed - n_unleased
        tenant_parks = [p for p in self.parks if p.code != D.FUND_PARK]
        tenant_quota = apportion(n_tenants, [len(slots[p.code]) for p in tenant_parks])
        departed_quota = apportion(n_departed, [history_slots[p.code] + 1 for p in tenant_parks])
        science_parks = [p for p in tenant_parks if p.kind == "science"]
        unleased_quota = apportion(n_unleased, [1] * len(science_parks))
        self.pool: dict[str, list] = {}
        self.departed: dict[str, list] = {}
        for park, n_t, n_d in zip(tenant_parks, tenant_quota, departed_quota, strict=True):
            pool, gone = [], []
            for _ in range(n_t):
                industry = pick(rng, D.SECTORS[park.sector])
                pool.append(
                    EnterpriseRec(self.new_name(industry, hetao=park.zone.code == "hetao"), industry, park, "tenant")
                )
            for _ in range(n_d):
                industry = pick(rng, D.SECTORS[park.sector])
                gone.append(EnterpriseRec(self.new_name(industry), industry, park, "departed"))
            self.pool[park.code] = pool
            self.departed[park.code] = gone
            self.enterprises.extend(pool)
            self.enterprises.extend(gone)
        for park, n_u in zip(science_parks, unleased_quota, strict=True):
            for _ in range(n_u):
                industry = pick(rng, D.SECTORS[park.sector])
                e = EnterpriseRec(self.new_name(industry), industry, park, "unleased", registered_by=park.operator)
                e.description = f"{park.name}登记的预孵化企业。"
                self.enterprises.append(e)
        self.pool[D.FUND_PARK] = present_funds
        self.departed[D.FUND_PARK] = []

        # Tenants for the slots: every pool enterprise once, then expansions (same building first).
        for park in self.parks:
            pool = self.pool[park.code]
            park_slots = slots[park.code]
            order = list(range(len(park_slots)))
            rng.shuffle(order)
            in_building: dict[str, list] = {}
            for i, slot_index in enumerate(order):
                g = park_slots[slot_index]
                if i < len(pool):
                    tenant = pool[i]
                else:
                    here = in_building.get(g.building.code, [])
                    tenant = rng.choice(here) if here and rng.random() < 0.6 else rng.choice(pool)
                g.tenant = tenant
                in_building.setdefault(g.building.code, []).append(tenant)

    def new_name(self, industry: str, *, fund=False, hetao=False) -> str:
        rng = self.rng
        words = D.INDUSTRY_WORDS.get(industry) or ["科技"]
        for _ in range(1000):
            a, b = rng.sample(D.TRADE_NAME_CHARS, 2)
            word = a + b
            iw = rng.choice(words)
            r = rng.random()
            if fund and industry in ("6731", "6739") and r < 0.4:
                name = f"深圳{word}{'创业投资' if industry == '6731' else '股权投资'}基金合伙企业（有限合伙）"
            elif hetao and r < 0.15:
                name = f"{word}{iw}（深圳）有限公司"
            elif r < 0.08:
                name = f"深圳市{word}{iw}股份有限公司"
            elif r < 0.25:
                name = f"深圳{word}{iw}有限公司"
            else:
                name = f"深圳市{word}{iw}有限公司"
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("could not find an unused enterprise name")

    def new_credit_code(self, established: datetime.date, division: str | None = None, prefix: str = "91") -> str:
        rng = self.rng
        if division is None:
            r = rng.random()
            division = "440304" if r < 0.70 else "440300" if r < 0.95 else rng.choice(["440303", "440305", "440306"])
        for _ in range(1000):
            if established.year >= 2015:
                body = "MA5" + "".join(rng.choice(USCC_ALPHABET) for _ in range(5))
            else:
                body = str(rng.randint(1, 7)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
            head = prefix + division + body + organisation_code_check_char(body)
            code = head + uscc.calc_check_digit(head)
            if code not in self.used_codes:
                assert check_credit_code(code).ok, code
                self.used_codes.add(code)
                return code
        raise RuntimeError("could not find an unused credit code")

    # Leases ----------------------------------------------------------------------------------------

    def build_leases(self):
        rng = self.rng
        today = self.today
        for g in self.groups:
            if g.state in ("leased", "reserved_lease"):
                if g.state == "reserved_lease":
                    start = today + datetime.timedelta(days=rng.randint(7, 120))
                    years = rng.choices(*LEASE_YEARS)[0]
                    end = add_years(start, years) - DAY
                elif g.pinned:
                    years = rng.choice([3, 5])
                    earliest = max(
                        add_years(today + datetime.timedelta(days=92), -years) + DAY,
                        g.tenant.established + datetime.timedelta(days=60),
                        add_years(today, -4),
                    )
                    latest = today - datetime.timedelta(days=30)
                    start = random_day(rng, min(earliest, latest), latest)
                    end = add_years(start, years) - DAY
                elif rng.random() < EXPIRING_SHARE:
                    years = rng.choices(*LEASE_YEARS)[0]
                    end = today + datetime.timedelta(days=rng.randint(0, 90))
                    start = add_years(end + DAY, -years)
                else:
                    years = rng.choices(*LEASE_YEARS)[0]
                    earliest = max(add_years(today, -5), add_years(today + datetime.timedelta(days=92), -years) + DAY)
                    start = random_day(rng, earliest, today)
                    end = add_years(start, years) - DAY
                lease = self.new_lease(g.tenant, g.units, start, end, "active", rng.uniform(0.85, 1.0))
                if start <= today and not g.pinned and rng.random() < PRIOR_LEASE_SHARE:
                    self.history_lease(
                        g, before=start - datetime.timedelta(days=rng.randint(0, 120)) - DAY, not_tenant=g.tenant
                    )
                self.leases.append(lease)
                for u in g.units:
                    u.status = "leased" if g.state == "leased" else "reserved"
                    u.vacant_since = None
            elif g.state == "reserved":
                for u in g.units:
                    u.status = "reserved"
            elif g.state == "vacant_prev":
                ended = today - datetime.timedelta(days=rng.randint(10, 900))
                last = self.history_lease(g, before=ended)
                if last is not None and rng.random() < 0.2:
                    self.history_lease(g, before=last.start - datetime.timedelta(days=rng.randint(0, 90)) - DAY)
                freed = (last.terminated_on or last.end) + DAY if last else months_ago(today, rng.randint(1, 30))
                for u in g.units:
                    u.vacant_since = freed
            else:  # vacant_never
                since = today - datetime.timedelta(days=rng.randint(30, 912))
                for u in g.units:
                    u.vacant_since = since
        # Leases in the order they were signed (by start date), numbered per park and year.
        order = {id(b): i for i, b in enumerate(b for p in self.parks for b in p.buildings)}
        self.leases.sort(
            key=lambda le: (le.start, order[id(le.units[0].building)], le.units[0].floor, le.units[0].code)
        )
        counters: dict[tuple, int] = {}
        for lease in self.leases:
            key = (lease.units[0].building.park.code, lease.start.year)
            counters[key] = counters.get(key, 0) + 1
            lease.contract_number = f"{key[0].upper()}-{key[1]}-{counters[key]:04d}"
            lease.tenant.leases.append(lease)

    def history_lease(self, g: GroupRec, *, before: datetime.date, not_tenant=None):
        """An expired or terminated lease that ended on ``before``, by a tenant of the same park."""
        rng = self.rng
        park = g.building.park
        candidates = self.departed.get(park.code) or []
        if not candidates or rng.random() < 0.3:
            candidates = [e for e in self.pool.get(park.code, []) if e is not not_tenant] or candidates
        if not candidates:
            return None
        tenant = rng.choice(candidates)
        if rng.random() < TERMINATED_SHARE:
            start = before - datetime.timedelta(days=rng.randint(120, 900))
            lease = self.new_lease(tenant, g.units, start, before, "terminated", rng.uniform(0.8, 0.95))
            lease.terminated_on = before
        else:
            years = rng.choices([1, 2, 3], [30, 40, 30])[0]
            start = add_years(before + DAY, -years)
            lease = self.new_lease(tenant, g.units, start, before, "expired", rng.uniform(0.8, 0.95))
        self.leases.append(lease)
        return lease

    def new_lease(self, tenant, units, start, end, status, factor):
        asking = sum(u.rent for u in units) / len(units)
        return LeaseRec(tenant, list(units), start, end, status, max(1, round(asking * factor)))

    # Enterprise details ----------------------------------------------------------------------------

    def finish_enterprises(self):
        """Dates, capital, codes and addresses, now that each enterprise's leases are known."""
        rng = self.rng
        latest = datetime.date(2024, 12, 31)
        for e in self.enterprises:
            if e.established is None:
                first = min((le.start for le in e.leases), default=None)
                if first is None:
                    e.established = random_day(rng, datetime.date(1995, 1, 1), latest)
                else:
                    early = max(datetime.date(1995, 1, 1), first - datetime.timedelta(days=365 * 15))
                    late = min(latest, first - datetime.timedelta(days=30))
                    e.established = random_day(rng, min(early, late), late)
            if e.capital is None:
                value = math.exp(rng.gauss(6.3, 1.3))
                e.capital = float(f"{min(500_000, max(10, value)):.2g}")
            if e.role == "named":
                e.credit_code = self.new_credit_code(e.established, "440300")
            else:
                e.credit_code = self.new_credit_code(e.established)
            if not e.address:
                active = [le for le in e.leases if le.status == "active"] or e.leases
                if active:
                    unit = active[0].units[0]
                    e.address = f"{unit.building.address}{unit.code}"
                elif e.park is not None:
                    street, roads = D.ADDRESSES[e.park.zone.code]
                    e.address = f"深圳市福田区{street}{rng.choice(roads)}{rng.randint(1, 3000)}号"
        # A few codes as found in a registry that fail the check (officer-confirmed exceptions).
        candidates = [e for e in self.enterprises if e.role in ("tenant", "departed")]
        n_bad = 3 if self.scale >= 1 else 1
        for i, e in enumerate(rng.sample(candidates, n_bad)):
            e.credit_code = self.broken_code(e.credit_code, organisation=i % 3 != 2)
            e.exception = True

    def broken_code(self, code: str, *, organisation: bool) -> str:
        """``code`` with a wrong embedded organisation check (or a wrong final check character)."""
        self.used_codes.discard(code)
        for _ in range(100):
            if organisation:
                wrong = self.rng.choice([c for c in "0123456789X" if c != code[16]])
                head = code[:16] + wrong
                bad = head + uscc.calc_check_digit(head)
            else:
                bad = code[:17] + self.rng.choice([c for c in USCC_ALPHABET if c != code[17]])
            if bad not in self.used_codes and not check_credit_code(bad).ok:
                self.used_codes.add(bad)
                return bad
        raise RuntimeError("could not break a credit code")

    def build_qualifications(self):
        rng = self.rng
        today = self.today
        serials: dict[str, int] = {}

        def serial(key: str) -> int:
            """Certificate serials rise through a year with gaps."""
            serials[key] = serials.get(key, rng.randint(0, 150)) + rng.randint(1, 7)
            return serials[key]

        def issue_day(year: int, months=(10, 11, 12)) -> datetime.date | None:
            day = datetime.date(year, rng.choice(months), rng.randint(1, 28))
            return day if day <= today else None

        last_year = min(2025, today.year)
        for e in self.enterprises:
            if e.role in ("fund_present", "fund_virtual"):
                continue
            tech = e.industry[:2] in D.TECH_SECTOR_CLASSES or e.industry in ("6940", "6930")
            if e.role != "named":
                e.high_tech = rng.random() < (0.36 if tech else 0.06)
                r = rng.random()
                if r < (0.10 if tech else 0.02):
                    e.specialised = rng.choices(["innovative_sme", "provincial", "little_giant"], [50, 35, 15])[0]
            if e.high_tech:
                first_year = max(2019, e.established.year + 1)
                if first_year <= last_year:
                    year = rng.randint(first_year, last_year)
                    issued = issue_day(year) or issue_day(year, (1, 2, 3))
                    while issued is not None:
                        certificate = f"GR{issued.year}4420{serial(f'GR{issued.year}'):04d}"  # e.g. GR202144200123
                        self.qualification(e, "high_tech", "", certificate, issued)
                        # Renewed three years later, where that has happened.
                        renew = add_years(issued, 3)
                        if renew > today or renew.year > 2025 or rng.random() < 0.3:
                            break
                        issued = renew
            if e.specialised:
                first_year = max(2022, e.established.year + 2)
                if first_year <= last_year:
                    year = rng.randint(first_year, last_year)
                    issued = issue_day(year, (6, 7, 8, 9)) or issue_day(year, (1, 2, 3))
                    if issued is not None:
                        prefix = {"innovative_sme": "CXZX", "provincial": "ZJTX", "little_giant": "XJR"}[e.specialised]
                        certificate = f"{prefix}{issued.year}44{serial(prefix + str(issued.year)):05d}"
                        self.qualification(e, "specialised", e.specialised, certificate, issued)

    def qualification(self, e, kind, level, certificate, issued):
        valid_until = add_years(issued, self.validity_years.get(kind) or 3) - DAY
        self.qualifications.append(QualificationRec(e, kind, level, certificate, issued, valid_until))

    def build_contacts(self):
        rng = self.rng
        for e in self.enterprises:
            if e.role == "fund_virtual" or rng.random() >= 0.42:
                continue
            for _ in range(rng.choices([1, 2], [70, 30])[0]):
                name = rng.choice(D.SURNAMES) + "".join(rng.choice(D.GIVEN_CHARS) for _ in range(rng.choice([1, 2, 2])))
                mobile = rng.choice(D.MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
                self.contacts.append(ContactRec(e, name, rng.choice(D.CONTACT_TITLES), mobile))


# Helpers -------------------------------------------------------------------------------------------


def pick(rng: random.Random, weighted: list) -> str:
    return rng.choices([c for c, _ in weighted], [w for _, w in weighted])[0]


def random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def apportion(total: int, weights: list) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders), in whole numbers."""
    if not weights:
        return []
    s = sum(weights) or len(weights)
    weights = weights if sum(weights) else [1] * len(weights)
    exact = [total * w / s for w in weights]
    parts = [int(x) for x in exact]
    rest = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in rest[: total - sum(parts)]:
        parts[i] += 1
    return parts


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
    parts = [g for g in getattr(geometry, "geoms", []) if g.geom_type == "Polygon"]
    return max(parts, key=lambda g: g.area)


def geojson(geometry) -> dict:
    """GeoJSON with plain lists (JSON round-trips equal) and coordinates to 6 decimals."""
    data = mapping(geometry)

    def lists(value):
        if isinstance(value, (list, tuple)):
            return [lists(v) for v in value]
        return round(value, 6) if isinstance(value, float) else value

    return {"type": data["type"], "coordinates": lists(data["coordinates"])}
