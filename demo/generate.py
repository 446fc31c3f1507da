"""Synthetic data at district and city scale, for benchmarks: ``manage.py generate``.

Unlike the demo district (``demo.builder``, a few thousand hand-shaped records), this writes up to
millions of rows, so it never holds them all in memory. It plans the buildings first (a few numbers
each), writes the enterprises in batches, then writes floors, units, leases and lease–unit rows
building by building, in batches, each batch in its own transaction.

Determinism: one ``random.Random(seed)`` is drawn from in a fixed order, and nothing drawn depends on
database ids, so the same seed, scale and day give the same names, codes, areas and dates. Names and
credit codes are unique by construction (a per-kind counter mapped through a permutation of the space
of possible values), so no set of millions of used values is kept.

What the data looks like:

- Parks spread over the leaf zones of the spatial plan (the demo's zones; created as the demo does if
  there are none), in proportion to the demo's buildings per zone; each park copies the kind, building
  profile, tenant sector and government share of a demo park in its zone. About one operator per ten
  parks, a few large ones running many parks.
- Buildings: 5–60 floors above ground by profile (towers 20–60), 1–15 units a floor, unit areas
  log-normal around the floor plate's share (60–3,000 m², 2 decimals), asking rents in the zone's range
  (``demo.district.RENT_RANGES``), higher on upper floors and for ground-floor shops.
- Vacancy: each building draws a target between 5 % and 30 % of its leasable area; units are let in
  groups of 1–4 adjacent units on a floor. About 1 % of units are unavailable and 2 % reserved (half of
  those by a signed lease that has not begun).
- Leases: 1–5 years; each group of units has a chain of earlier leases going back up to
  ``HISTORY_YEARS`` (never before the building was completed), some renewed by the same tenant, some
  terminated early. Leases on one unit never overlap, so a unit's status follows from its leases as
  ``leasing.services.units_refresh_status`` would set it.
- Enterprises: each has a home zone; its industry is drawn from the GB/T 4754 mix of the demo parks'
  sectors in that zone; a lease's tenant is drawn from its zone's enterprises that were established
  before the lease began. Many enterprises are never tenants.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import math
import random
import time
from array import array
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext_lazy
from pypinyin import Style, lazy_pinyin
from shapely.geometry import Point, shape
from shapely.prepared import prep
from stdnum.cn import uscc

from core import audit
from core.search import search_key
from core.validators import organisation_code_check_char
from enterprises.models import Enterprise, IndustryCategory
from leasing.models import Lease
from spaces.models import Building, Floor, Operator, Park, Unit, Zone

from . import district as D
from .builder import USCC_ALPHABET, DistrictBuilder, apportion
from .loader import area, coordinate, delete_district, table_counts

GENERATE = audit.register_event("demo.generate", gettext_lazy("Synthetic data generated"))
FLUSH = audit.register_event("demo.generate.flush", gettext_lazy("Synthetic data cleared"))

DAY = datetime.timedelta(days=1)
BATCH_SIZE = 5000
ZONE_SEED = 2021  # the demo's default seed: generated zones have the demo's shapes


@dataclass(frozen=True)
class Scale:
    buildings: int
    enterprises: int
    units_factor: float = 1.0  # scales units per floor
    parks_per_operator: int = 10


# Units and leases follow from the buildings (≈ 100 units a building, ≈ 3.3 leases a unit).
SCALES = {
    "small": Scale(buildings=20, enterprises=5_000),
    "district": Scale(buildings=600, enterprises=150_000),
    "city": Scale(buildings=12_000, enterprises=2_500_000, units_factor=0.85),
}

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
GROUP_SIZES = ([1, 2, 3, 4], [72, 17, 7, 4])
LEASE_YEARS = ([1, 2, 3, 4, 5], [22, 33, 27, 6, 12])
HISTORY_YEARS = 16
UNAVAILABLE_SHARE = 0.01
RESERVED_SHARE = 0.02
EXPIRING_SHARE = 0.05
RENEWAL_SHARE = 0.3  # an earlier lease of the same units by the same tenant, ending the day before
TERMINATED_SHARE = 0.12
PREVIOUSLY_LEASED_SHARE = 0.6  # of vacant groups in buildings old enough
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
# Enterprise name forms: prefix, suffix, weight (the industry word goes between trade name and suffix).
NAME_FORMS = [("深圳市", "有限公司", 72), ("深圳", "有限公司", 17), ("深圳市", "股份有限公司", 7), ("", "（深圳）有限公司", 4)]
FUND_WORDS = {"6731": "创业投资基金合伙企业", "6739": "股权投资基金合伙企业"}
DIVISIONS = ([
    "440304", "440300", "440303", "440305", "440306", "440307", "440309", "440311",
], [40, 30, 6, 10, 5, 4, 3, 2])
DEFAULT_RENT = (80, 160)
DEFAULT_TEMPLATE = ("general", "midrise", "general", 0.0)


# Unique values by construction ----------------------------------------------------------------------


class Permutation:
    """A bijection of range(n) that looks random: i → (a·i + b) mod n, a coprime with n."""

    def __init__(self, n: int, rng: random.Random):
        self.n = n
        a = int(n * rng.uniform(0.55, 0.65)) | 1
        while math.gcd(a, n) != 1:
            a += 2
        self.a, self.b = a, rng.randrange(n)

    def __call__(self, i: int) -> int:
        if i >= self.n:
            raise OverflowError("permutation exhausted")
        return (self.a * i + self.b) % self.n


class TradeNames:
    """Trade names (字号) of two characters, then of three, each used once per key."""

    def __init__(self, rng: random.Random, chars: str = D.TRADE_NAME_CHARS):
        self.rng = rng
        self.chars = chars
        self.k = len(chars)
        self.n2 = self.k * (self.k - 1)
        self.n3 = self.n2 * (self.k - 2)
        self.counters: dict = {}
        self.perms: dict = {}

    def next(self, key) -> str:
        i = self.counters.get(key, 0)
        self.counters[key] = i + 1
        perms = self.perms.get(key)
        if perms is None:
            perms = self.perms[key] = (Permutation(self.n2, self.rng), Permutation(self.n3, self.rng))
        if i < self.n2:
            p = perms[0](i)
            a, b = divmod(p, self.k - 1)
            return self.chars[a] + self.chars[b + (b >= a)]
        p = perms[1](i - self.n2)
        a, rest = divmod(p, (self.k - 1) * (self.k - 2))
        b, c = divmod(rest, self.k - 2)
        b += b >= a
        lo, hi = min(a, b), max(a, b)
        c += c >= lo
        c += c >= hi
        return self.chars[a] + self.chars[b] + self.chars[c]


class CreditCodes:
    """Valid unified social credit codes, unique by construction (and unlike any in ``taken``).

    Bodies (characters 9–16) are ``MA5`` and five characters for enterprises registered since 2015, as
    Shenzhen's are, and eight digits (an old organisation code) before; each kind of body is drawn
    from a permutation of all its values, so no body repeats whatever the division or prefix.
    """

    MA_SPACE = len(USCC_ALPHABET) ** 5
    OLD_SPACE = 7 * 10**7

    def __init__(self, rng: random.Random, taken=frozenset()):
        self.rng = rng
        self.taken = taken
        self.ma = Permutation(self.MA_SPACE, rng)
        self.old = Permutation(self.OLD_SPACE, rng)
        self.i_ma = self.i_old = 0

    def next(self, year: int, division: str, prefix: str = "91") -> str:
        while True:
            if year >= 2015:
                p = self.ma(self.i_ma)
                self.i_ma += 1
                chars = []
                for _ in range(5):
                    p, r = divmod(p, len(USCC_ALPHABET))
                    chars.append(USCC_ALPHABET[r])
                body = "MA5" + "".join(chars)
            else:
                p = self.old(self.i_old)
                self.i_old += 1
                body = f"{p // 10**7 + 1}{p % 10**7:07d}"
            head = prefix + division + body + organisation_code_check_char(body)
            code = head + uscc.calc_check_digit(head)
            if code not in self.taken:
                return code


# Search keys ----------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _pinyin(text: str) -> tuple[str, str]:
    full = "".join(lazy_pinyin(text, errors="default")).lower().replace(" ", "")
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower().replace(" ", "")
    return full, initials


@functools.lru_cache(maxsize=4096)
def cached_search_key(text: str) -> str:
    return search_key(text)


def composed_search_key(prefix: str, trade: str, word: str, suffix: str, code: str) -> str:
    """``core.search.search_key(name, code)`` for the name ``prefix + trade + word + suffix``, from cached
    pieces (pypinyin would take most of the run at city scale).

    The trade name is read character by character and each other part as a whole, so where a phrase
    spans two parts the reading can differ from pypinyin's reading of the whole name (about one name in
    ten thousand); the name itself is always there as written.
    """
    full, initials = [], []
    for part in (prefix, *trade, word, suffix):
        f, i = _pinyin(part)
        full.append(f)
        initials.append(i)
    lower = code.lower()
    name = prefix + trade + word + suffix
    return f"{name.lower()} {''.join(full)} {''.join(initials)} {lower} {lower} {lower}"


# Plans ----------------------------------------------------------------------------------------------


@dataclass(eq=False, slots=True)
class ZonePlan:
    obj: Zone
    weight: float
    templates: list
    rent: tuple
    mix: tuple  # (codes, cumulative weights)
    street: str
    roads: list
    polygon: object = None
    units: int = 0
    ids: array = field(default_factory=lambda: array("q"))
    established: array = field(default_factory=lambda: array("l"))


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


# Generator ------------------------------------------------------------------------------------------


class Generator:
    def __init__(self, *, seed: int = 1, scale: str = "district", today: datetime.date | None = None,
                 batch_size: int = BATCH_SIZE, log=None):
        self.seed = seed
        self.scale_name = scale
        self.scale = SCALES[scale]
        self.today = today or datetime.date.today()
        self.batch_size = batch_size
        self.rng = random.Random(seed)
        self.log = log or (lambda message: None)
        self.started = time.monotonic()
        self.counts = {"zones": 0, "operators": 0, "parks": 0, "buildings": 0, "floors": 0, "units": 0,
                       "enterprises": 0, "leases": 0, "lease_units": 0}
        self.contract_counters: dict = {}

    def say(self, message: str) -> None:
        self.log(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    def run(self) -> dict:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")  # 256 MB of page cache for index inserts
        with transaction.atomic():
            self.plan_zones()
            self.write_operators_and_parks()
            self.write_buildings()
        self.say(f"{self.counts['parks']} parks, {self.counts['buildings']} buildings planned")
        self.write_enterprises()
        self.write_space_and_leases()
        # Planner statistics for what was just written: without them PostgreSQL plans the first queries over
        # the new rows (a unit's leases, overlap checks) as nested loops over every pair, minutes instead of ms.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.say("statistics gathered (ANALYZE)")
        audit.record_event(GENERATE, user=None, data={
            "seed": self.seed, "scale": self.scale_name, "today": self.today, **self.counts,
            "seconds": round(time.monotonic() - self.started, 1),
        })
        return self.counts

    # Zones ---------------------------------------------------------------------------------------

    def plan_zones(self):
        if not Zone.objects.exists():
            write_demo_zones()
            self.counts["zones"] = Zone.objects.count()
        zones = list(Zone.objects.order_by("sort_order", "code"))
        with_children = {z.parent_id for z in zones if z.parent_id}
        leaves = [z for z in zones if z.pk not in with_children]
        demo_buildings: dict[str, int] = {}
        templates: dict[str, list] = {}
        sector_parks: dict[str, list] = {}
        for _code, _name, kind, zone, _op, n_b, profile, sector, gov, _desc in D.PARKS:
            demo_buildings[zone] = demo_buildings.get(zone, 0) + n_b
            templates.setdefault(zone, []).append((kind, profile, sector, gov))
            sector_parks.setdefault(zone, []).append(sector)
        mean = sum(demo_buildings.values()) / len(demo_buildings)
        known = set(IndustryCategory.objects.filter(level="class").values_list("code", flat=True))
        self.zones = []
        for z in leaves:
            mix: dict[str, float] = {}
            for sector in sector_parks.get(z.code, ["general"]):
                weighted = D.SECTORS[sector]
                total = sum(w for _, w in weighted)
                for industry, w in weighted:
                    mix[industry] = mix.get(industry, 0) + w / total
            missing = sorted(set(mix) - known)
            if missing:
                raise LookupError(f"GB/T 4754 classes {', '.join(missing)} are missing: run `manage.py migrate` first.")
            codes = list(mix)
            cumulative, running = [], 0.0
            for industry in codes:
                running += mix[industry]
                cumulative.append(running)
            street, roads = D.ADDRESSES.get(z.code, ("福田街道", ["深南大道", "福华路", "红荔路"]))
            polygon = None
            if z.geometry:
                shp = shape(z.geometry)
                polygon = (shp, prep(shp))
            self.zones.append(ZonePlan(
                obj=z, weight=demo_buildings.get(z.code, mean), templates=templates.get(z.code, [DEFAULT_TEMPLATE]),
                rent=D.RENT_RANGES.get(z.code, DEFAULT_RENT), mix=(codes, cumulative), street=street, roads=roads,
                polygon=polygon,
            ))
        if not self.zones:
            raise LookupError("No zones to put parks in.")

    def point_in(self, zone: ZonePlan, near=None, radius=0.002) -> tuple[float, float]:
        rng = self.rng
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

    # Operators, parks and buildings --------------------------------------------------------------------

    def write_operators_and_parks(self):
        rng = self.rng
        n_buildings = self.scale.buildings
        sizes, placed = [], 0
        while placed < n_buildings:
            size = min(max(1, round(rng.triangular(*BUILDINGS_PER_PARK))), n_buildings - placed)
            sizes.append(size)
            placed += size
        self.park_sizes = sizes
        n_parks = len(sizes)
        n_operators = max(1, round(n_parks / self.scale.parks_per_operator))
        self.names = TradeNames(rng)
        taken_codes = set(Operator.objects.exclude(credit_code="").values_list("credit_code", flat=True))
        taken_codes |= set(Enterprise.objects.values_list("credit_code", flat=True))
        self.codes = CreditCodes(rng, frozenset(taken_codes))
        taken_names = set(Operator.objects.values_list("name", flat=True))
        operators = []
        for _ in range(n_operators):
            while True:
                prefix, word, suffix = rng.choice(OPERATOR_FORMS)
                name = prefix + self.names.next(("operator", word, suffix)) + word + suffix
                if name not in taken_names:
                    break
            year = rng.randint(1990, 2018)
            phone = f"0755-{rng.randint(2, 8)}{rng.randint(0, 9_999_999):07d}"
            operator = Operator(name=name, credit_code=self.codes.next(year, "440300"), contact_phone=phone)
            operator.search_text = cached_search_key(name)
            operators.append(operator)
        Operator.objects.bulk_create(operators, batch_size=self.batch_size)
        # A few large operators run many parks.
        operator_weights = [1 / (k + 1) ** 0.8 for k in range(n_operators)]
        zone_weights = [z.weight for z in self.zones]
        parks = []
        self.parks = []
        for index in range(n_parks):
            zone = rng.choices(self.zones, zone_weights)[0]
            kind, profile, _sector, gov = rng.choice(zone.templates)
            suffix = rng.choice(PARK_SUFFIXES.get(kind, PARK_SUFFIXES["general"]))
            name = self.names.next(("park", suffix)) + suffix
            lng, lat = self.point_in(zone)
            address = f"深圳市福田区{zone.street}{rng.choice(zone.roads)}{rng.randint(1, 3000)}号"
            park = Park(code=f"gen-{index + 1:05d}", name=name, kind=kind, zone=zone.obj,
                        operator=rng.choices(operators, operator_weights)[0], address=address,
                        latitude=coordinate(lat), longitude=coordinate(lng))
            park.search_text = search_key(name)
            parks.append(park)
            self.parks.append(ParkPlan(index, zone, kind, profile, gov, park))
        Park.objects.bulk_create(parks, batch_size=self.batch_size)
        self.counts["operators"] = len(operators)
        self.counts["parks"] = len(parks)

    def write_buildings(self):
        rng = self.rng
        factor = self.scale.units_factor
        self.buildings = []
        rows = []
        for park, size in zip(self.parks, self.park_sizes, strict=True):
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
                completed_year = min(rng.randint(*spec["years"]), self.today.year - 1)
                completed = datetime.date(completed_year, rng.randint(1, 12), rng.randint(1, 28)).toordinal()
                if spec["label"] == "座":
                    label = f"{chr(ord('A') + j)}座" if j < 26 else f"{j + 1}栋"
                else:
                    label = f"{j + 1}{spec['label']}"
                lng, lat = self.point_in(park.zone, near=(lng0, lat0), radius=0.0015)
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
                plan = BuildingPlan(park, building, completed, plate, base_rent * rng.uniform(0.9, 1.1), upf)
                park.zone.units += sum(upf)
                self.buildings.append(plan)
        Building.objects.bulk_create(rows, batch_size=self.batch_size)
        self.counts["buildings"] = len(rows)

    # Enterprises ---------------------------------------------------------------------------------------

    def write_enterprises(self):
        rng = self.rng
        total = self.scale.enterprises
        # Enterprises by home zone: mostly where the space is, some everywhere.
        quotas = apportion(total, [z.units + 0.05 * sum(x.units for x in self.zones) / len(self.zones) + 1
                                   for z in self.zones])
        first = datetime.date(1992, 1, 1).toordinal()
        last = (self.today - datetime.timedelta(days=30)).toordinal()
        span = last - first
        forms = [f[:2] for f in NAME_FORMS]
        form_weights = [f[2] for f in NAME_FORMS]
        divisions, division_weights = DIVISIONS
        batch = []
        for zone, n in zip(self.zones, quotas, strict=True):
            # Later years register more firms: skew towards the recent end.
            established = sorted(first + int(span * rng.random() ** 0.75) for _ in range(n))
            codes, cumulative = zone.mix
            industries = rng.choices(codes, cum_weights=cumulative, k=n)
            for ordinal, industry in zip(established, industries, strict=True):
                day = datetime.date.fromordinal(ordinal)
                if industry in FUND_WORDS and rng.random() < 0.4:
                    prefix, word, suffix = "深圳", FUND_WORDS[industry], "（有限合伙）"
                else:
                    prefix, suffix = rng.choices(forms, form_weights)[0]
                    word = rng.choice(D.INDUSTRY_WORDS.get(industry) or ["科技"])
                trade = self.names.next((prefix, word, suffix))
                code = self.codes.next(day.year, rng.choices(divisions, division_weights)[0])
                capital = min(500_000.0, max(10.0, math.exp(rng.gauss(6.3, 1.3))))
                name = prefix + trade + word + suffix
                e = Enterprise(
                    name=name, credit_code=code, industry_id=industry, established_on=day,
                    registered_capital=Decimal(f"{float(f'{capital:.2g}'):.2f}"),
                    address=f"深圳市福田区{zone.street}{rng.choice(zone.roads)}{rng.randint(1, 3000)}号",
                )
                e.search_text = composed_search_key(prefix, trade, word, suffix, code)
                batch.append((e, zone, ordinal))
                if len(batch) >= self.batch_size:
                    self.flush_enterprises(batch)
                    batch = []
        if batch:
            self.flush_enterprises(batch)
        self.say(f"{self.counts['enterprises']} enterprises")

    def flush_enterprises(self, batch):
        with transaction.atomic():
            Enterprise.objects.bulk_create([e for e, _z, _o in batch], batch_size=self.batch_size)
        for e, zone, ordinal in batch:
            zone.ids.append(e.pk)
            zone.established.append(ordinal)
        self.counts["enterprises"] += len(batch)
        step = max(self.batch_size, self.scale.enterprises // 10)
        if self.counts["enterprises"] % step < len(batch):
            self.say(f"{self.counts['enterprises']}/{self.scale.enterprises} enterprises")

    def tenant(self, zone: ZonePlan, start: datetime.date) -> tuple[int, int]:
        """(id, date established as an ordinal) of an enterprise of the zone established at least a month
        before ``start`` (the zone's oldest if none was)."""
        if not zone.ids:
            zone = max(self.zones, key=lambda z: len(z.ids))
        k = bisect.bisect_right(zone.established, start.toordinal() - 30)
        i = int(self.rng.random() * max(k, 1))
        return zone.ids[i], zone.established[i]

    # Floors, units and leases --------------------------------------------------------------------------

    def write_space_and_leases(self):
        batch: list[BuildingPlan] = []
        units_in_batch = 0
        for plan in self.buildings:
            batch.append(plan)
            units_in_batch += sum(plan.upf)
            if units_in_batch >= self.batch_size:
                self.write_batch(batch)
                batch, units_in_batch = [], 0
        if batch:
            self.write_batch(batch)
        self.say(f"{self.counts['units']} units, {self.counts['leases']} leases")

    def write_batch(self, plans: list[BuildingPlan]):
        with transaction.atomic():
            floors = []
            for plan in plans:
                b = plan.obj
                for number in [*range(-b.floors_below, 0), *range(1, b.floors_above + 1)]:
                    label = f"B{-number}" if number < 0 else f"{number}F"
                    floor = Floor(building=b, number=number, name=label, search_text=cached_search_key(label))
                    floors.append(floor)
            Floor.objects.bulk_create(floors, batch_size=self.batch_size)
            floor_of = {(f.building_id, f.number): f for f in floors}
            units, groups_by_plan = [], []
            for plan in plans:
                rows, groups = self.plan_units(plan, floor_of)
                units.extend(r.obj for r in rows)
                groups_by_plan.append(groups)
            Unit.objects.bulk_create(units, batch_size=self.batch_size)
            leases, links = [], []
            for groups in groups_by_plan:
                for group, chain in groups:
                    for lease in chain:
                        leases.append(lease)
                        links.append(group)
            Lease.objects.bulk_create(leases, batch_size=self.batch_size)
            through = Lease.units.through
            rows = [through(lease_id=lease.pk, unit_id=u.obj.pk) for lease, group in zip(leases, links, strict=True)
                    for u in group]
            through.objects.bulk_create(rows, batch_size=self.batch_size)
        self.counts["floors"] += len(floors)
        self.counts["units"] += len(units)
        self.counts["leases"] += len(leases)
        self.counts["lease_units"] += len(rows)
        done = self.counts["buildings_written"] = self.counts.get("buildings_written", 0) + len(plans)
        if done % max(1, len(self.buildings) // 10) < len(plans):
            self.say(f"{done}/{len(self.buildings)} buildings: {self.counts['units']} units, "
                     f"{self.counts['leases']} leases")

    def plan_units(self, plan: BuildingPlan, floor_of: dict):
        """Units of one building, let in groups with their chains of leases (newest first)."""
        rng = self.rng
        b = plan.obj
        park = plan.park
        lo, hi = park.zone.rent
        rows: list[UnitRow] = []
        by_floor: dict[int, list[UnitRow]] = {}
        for number, n in enumerate(plan.upf, start=1):
            weights = [math.exp(rng.gauss(0, 0.45)) for _ in range(n)]
            total = sum(weights)
            gov = rng.random() < park.gov
            use = floor_use(rng, park, number)
            floor = floor_of[(b.pk, number)]
            for i, w in enumerate(weights, start=1):
                cents = min(MAX_AREA, max(MIN_AREA, round(plan.plate * 100 * w / total * rng.uniform(0.85, 1.0))))
                unit_use = "commercial" if number == 1 and (park.kind != "science" or i == 1) else use
                rent = plan.base_rent * (1 + 0.004 * number) * rng.uniform(0.95, 1.05)
                if unit_use == "commercial":
                    rent *= 1.15
                rent = min(hi * 1.15, max(lo, rent))
                code = f"{number}{i:02d}"
                unit = Unit(building=b, floor=floor, code=code, area=area(cents), use=unit_use,
                            asking_rent=Decimal(round(rent * 2) / 2).quantize(Decimal("0.01")),
                            government_owned=gov, search_text=cached_search_key(code))
                row = UnitRow(unit, number, cents, rent)
                rows.append(row)
                by_floor.setdefault(number, []).append(row)
        # Occupancy: which groups are let, reserved or vacant.
        vacancy = rng.triangular(0.05, 0.30, 0.12)
        open_rows = []
        for row in rows:
            if rng.random() < UNAVAILABLE_SHARE:
                row.obj.status = "unavailable"
            else:
                open_rows.append(row)
        groups = []
        for number in sorted(by_floor):
            free = [r for r in by_floor[number] if r.obj.status != "unavailable"]
            i = 0
            while i < len(free):
                size = min(rng.choices(*GROUP_SIZES)[0], len(free) - i)
                groups.append(free[i : i + size])
                i += size
        rng.shuffle(groups)
        target = (1 - vacancy) * sum(r.cents for r in open_rows)
        occupied = 0
        result = []
        today = self.today
        horizon = max(plan.completed + 60, (today - datetime.timedelta(days=365 * HISTORY_YEARS)).toordinal())
        horizon = datetime.date.fromordinal(min(horizon, today.toordinal()))
        for group in groups:
            cents = sum(r.cents for r in group)
            chain = []
            if occupied + cents / 2 <= target:
                occupied += cents
                r = rng.random()
                if r < RESERVED_SHARE / 2:
                    start = today + datetime.timedelta(days=rng.randint(7, 120))
                    years = rng.choices(*LEASE_YEARS)[0]
                    tenant = self.tenant(park.zone, start)
                    chain.append(self.lease(plan, group, tenant, start, add_years(start, years) - DAY, "active"))
                    status = "reserved"
                    last_end = today - datetime.timedelta(days=rng.randint(1, 300))
                elif r < RESERVED_SHARE:
                    status = "reserved"
                    last_end = today - datetime.timedelta(days=rng.randint(1, 600))
                else:
                    status = "leased"
                    years = rng.choices(*LEASE_YEARS)[0]
                    if rng.random() < EXPIRING_SHARE:
                        end = today + datetime.timedelta(days=rng.randint(0, 90))
                        start = add_years(end + DAY, -years)
                    else:
                        earliest = add_years(today + datetime.timedelta(days=91), -years) + DAY
                        start = random_day(rng, earliest, today)
                        end = add_years(start, years) - DAY
                    start = max(start, min(horizon, today))
                    tenant = self.tenant(park.zone, start)
                    chain.append(self.lease(plan, group, tenant, start, end, "active"))
                    last_end = None
                for row in group:
                    row.obj.status = status
                self.history(plan, group, chain, horizon, last_end)
            else:
                for row in group:
                    row.obj.status = "vacant"
                if rng.random() < PREVIOUSLY_LEASED_SHARE:
                    last_end = today - datetime.timedelta(days=rng.randint(1, 900))
                    self.history(plan, group, chain, horizon, last_end)
                if chain:
                    since = chain[0].end_date + DAY
                else:
                    since = random_day(rng, max(horizon, today - datetime.timedelta(days=900)), today)
                for row in group:
                    row.obj.vacant_since = since
            if chain:
                result.append((group, chain))
        return rows, result

    def history(self, plan, group, chain, horizon, last_end):
        """Earlier leases of ``group``, newest first, each ending before the next one (or ``last_end``)."""
        rng = self.rng
        zone = plan.park.zone
        tenant = None
        if last_end is None:
            current = chain[-1]
            if rng.random() < RENEWAL_SHARE:
                end = current.start_date - DAY
                tenant = current.tenant
            else:
                end = current.start_date - datetime.timedelta(days=rng.randint(15, 270))
        else:
            end = last_end
        while True:
            years = rng.choices(*LEASE_YEARS)[0]
            start = add_years(end + DAY, -years)
            terminated = rng.random() < TERMINATED_SHARE
            if terminated:
                start = end - datetime.timedelta(days=rng.randint(120, max(121, years * 365 - 30)))
            if start < horizon:
                return
            if tenant is None or tenant[1] > start.toordinal() - 30:
                tenant = self.tenant(zone, start)
            lease = self.lease(plan, group, tenant, start, end, "terminated" if terminated else "expired")
            chain.append(lease)
            if rng.random() < RENEWAL_SHARE and not terminated:
                end = start - DAY
            else:
                end = start - datetime.timedelta(days=rng.randint(15, 270))
                tenant = None

    def lease(self, plan, group, tenant, start, end, status) -> Lease:
        rng = self.rng
        asking = sum(r.rent for r in group) / len(group)
        years_ago = max(0.0, (self.today - start).days / 365.25)
        rent = asking * rng.uniform(0.85, 1.0) * max(0.55, 1 - 0.03 * years_ago)
        key = (plan.park.index, start.year)
        n = self.contract_counters[key] = self.contract_counters.get(key, 0) + 1
        lease = Lease(
            enterprise_id=tenant[0], park_id=plan.park.obj.pk,
            contract_number=f"{plan.park.obj.code.upper()}-{start.year}-{n:04d}",
            start_date=start, end_date=end, status=status,
            terminated_on=end if status == "terminated" else None,
            monthly_rent=Decimal(round(rent, 2)).quantize(Decimal("0.01")),
            leased_area=area(sum(r.cents for r in group)),
        )
        lease.tenant = tenant  # (id, established), for a renewal by the same tenant
        return lease


# Helpers ---------------------------------------------------------------------------------------------


def floor_use(rng: random.Random, park: ParkPlan, number: int) -> str:
    if park.kind == "science":
        return "research"
    if park.kind == "general":
        r = rng.random()
        if number <= 4 and r < 0.3:
            return "industrial"
        return "research" if r > 0.75 else "office"
    return "office"


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def write_demo_zones():
    """The demo district's zones (names, nesting and shapes), as ``manage.py load_demo`` writes them."""
    builder = DistrictBuilder(seed=ZONE_SEED, scale="small")
    builder.build_zones()
    for z in builder.zones:
        z.obj = Zone(code=z.code, name=z.name, kind=z.kind, parent=z.parent.obj if z.parent else None,
                     sort_order=z.sort_order, geometry=z.geometry, description=z.description)
        z.obj.full_clean()
        z.obj.save()


# Flush and counts --------------------------------------------------------------------------------------


def units_exist() -> bool:
    return Unit.objects.exists()


def flush() -> dict:
    """Delete all spaces (but zones), enterprises and leasing rows; zones are the district's plan and
    are reused by the next run. One domain event records the flush."""
    with transaction.atomic():
        counts = delete_district(zones=False)
        audit.record_event(FLUSH, user=None, data=counts)
    return counts


def summary(today: datetime.date | None = None) -> dict:
    return {
        **table_counts(),
        "tenants": Lease.objects.order_by().values("enterprise_id").distinct().count(),
    }
