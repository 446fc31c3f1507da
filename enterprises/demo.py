"""Enterprises' part of the demo data (``demo.parts``): enterprises, their qualifications and contacts, and the
demo enterprise account's link.

Demo district: the enterprises the letter names; the investment fund park's 51 funds (5 working there, 46
registered virtually); 2,500 enterprises in all at full scale, most of them tenants of the parks, spread
over the parks as the let space calls for (``plan.tenant_demand``, filled by the leasing part), some former
tenants, a few registered by a science park and never leased. Once the leases are planned, each enterprise
gets its founding date (before its first tenancy), capital, credit code (a few fail the check, as found in a
registry) and address (its premises); then qualifications and contacts.

Generator: each enterprise has a home zone, where the space is; its industry is drawn from the GB/T 4754 mix
of the demo parks' sectors in that zone. The ids and founding dates per zone (``plan.zone_firms``) let the
leasing part pick tenants founded before a lease begins. Many enterprises are never tenants.
"""

from __future__ import annotations

import datetime
import math
from array import array
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from demo import district as D
from demo.parts import Part
from demo.plan import DistrictPlan, SyntheticPlan
from demo.values import DAY, add_years, apportion, composed_search_key, money, pick, random_day, searchable

from .models import Contact, Enterprise, FinancialYear, IndustryCategory, Qualification, QualificationRule

part = Part(
    "enterprises",
    tables=[
        ("financial_years", FinancialYear),
        ("contacts", Contact),
        ("qualifications", Qualification),
        ("enterprise_users", Enterprise.users.through),
        ("enterprises", Enterprise),
    ],
)

DEFAULT_VALIDITY_YEARS = 3


# Demo district: records ------------------------------------------------------------------------------


@dataclass(eq=False)
class EnterpriseRec:
    name: str
    industry: str
    park: object  # spaces' ParkRec, or None
    role: str  # named | fund_present | fund_virtual | tenant | departed | unleased
    established: datetime.date | None = None
    capital: float | None = None
    credit_code: str = ""
    exception: bool = False
    registered_by: object = None  # spaces' OperatorRec
    description: str = ""
    address: str = ""
    high_tech: bool = False
    specialised: str = ""
    # Set by the part that lets space (leasing): the day it first moved in, and where it is (or last was).
    first_tenancy: datetime.date | None = None
    premises: str = ""
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


# Demo district: planning -----------------------------------------------------------------------------


@part.district.prepares
def read_validity(plan: DistrictPlan) -> None:
    """Qualification validity from the rules in force today (data, not code); 3 years if none."""
    today = datetime.date.today()
    years = {}
    for kind in ("high_tech", "specialised"):
        rule = QualificationRule.in_force(kind, today)
        years[kind] = rule.validity_years if rule else DEFAULT_VALIDITY_YEARS
    plan.rules["qualification_validity_years"] = years


@part.district.step("named", after=["spaces.places"])
def plan_named(plan: DistrictPlan) -> None:
    """The enterprises the letter names, in their parks."""
    plan.named = []
    plan.enterprise_names = set()
    plan.tenant_demand = {}  # park code → (groups let now, groups let before); the leasing part fills it
    parks = {p.code: p for p in plan.parks}
    for name, industry, year, capital, park_code, _leases, high_tech, level in D.NAMED_ENTERPRISES:
        e = EnterpriseRec(
            name,
            industry,
            parks[park_code],
            "named",
            capital=float(capital),
            description=D.NAMED_DESCRIPTION,
            high_tech=high_tech,
            specialised=level,
        )
        e.established = datetime.date(year, plan.rng.randint(1, 12), plan.rng.randint(1, 28))
        plan.named.append(e)


@part.district.step("population")
def plan_population(plan: DistrictPlan) -> None:
    """Every other enterprise: the funds, then each park's tenants and former tenants (as many as its let
    space calls for), then the science parks' pre-incubated enterprises."""
    rng = plan.rng
    plan.enterprises = list(plan.named)
    plan.enterprise_names.update(e.name for e in plan.named)
    # The investment fund park: 51 funds, 5 working there, 46 registered virtually.
    fund_park = next(p for p in plan.parks if p.code == D.FUND_PARK)
    funds = []
    for i in range(D.FUNDS_TOTAL):
        industry = pick(rng, D.SECTORS["fund"])
        present = i < D.FUNDS_PRESENT
        e = EnterpriseRec(
            new_name(plan, industry, fund=True), industry, fund_park, "fund_present" if present else "fund_virtual"
        )
        if not present:
            e.registered_by = fund_park.operator
            e.description = "福田区投资基金产业园虚拟入驻。"
            e.address = f"{fund_park.address}（福田区投资基金产业园虚拟入驻）"
        else:
            e.description = "福田区投资基金产业园实际办公。"
        funds.append(e)
    plan.enterprises.extend(funds)

    generated_total = max(50, round(2500 * plan.scale) - len(plan.named) - D.FUNDS_TOTAL)
    n_departed = round(generated_total * 0.08)
    n_unleased = round(generated_total * 0.02)
    n_tenants = generated_total - n_departed - n_unleased
    tenant_parks = [p for p in plan.parks if p.code != D.FUND_PARK]
    demand = [plan.tenant_demand.get(p.code, (0, 0)) for p in tenant_parks]
    tenant_quota = apportion(n_tenants, [now for now, _before in demand])
    departed_quota = apportion(n_departed, [before + 1 for _now, before in demand])
    science_parks = [p for p in tenant_parks if p.kind == "science"]
    unleased_quota = apportion(n_unleased, [1] * len(science_parks))
    plan.tenants_by_park = {}
    plan.former_tenants_by_park = {}
    for park, n_t, n_d in zip(tenant_parks, tenant_quota, departed_quota, strict=True):
        pool, gone = [], []
        for _ in range(n_t):
            industry = pick(rng, D.SECTORS[park.sector])
            pool.append(
                EnterpriseRec(new_name(plan, industry, hetao=park.zone.code == "hetao"), industry, park, "tenant")
            )
        for _ in range(n_d):
            industry = pick(rng, D.SECTORS[park.sector])
            gone.append(EnterpriseRec(new_name(plan, industry), industry, park, "departed"))
        plan.tenants_by_park[park.code] = pool
        plan.former_tenants_by_park[park.code] = gone
        plan.enterprises.extend(pool)
        plan.enterprises.extend(gone)
    for park, n_u in zip(science_parks, unleased_quota, strict=True):
        for _ in range(n_u):
            industry = pick(rng, D.SECTORS[park.sector])
            e = EnterpriseRec(new_name(plan, industry), industry, park, "unleased", registered_by=park.operator)
            e.description = f"{park.name}登记的预孵化企业。"
            plan.enterprises.append(e)
    plan.tenants_by_park[D.FUND_PARK] = funds[: D.FUNDS_PRESENT]
    plan.former_tenants_by_park[D.FUND_PARK] = []


def new_name(plan: DistrictPlan, industry: str, *, fund=False, hetao=False) -> str:
    rng = plan.rng
    words = D.INDUSTRY_WORDS.get(industry) or ["科技"]
    for _ in range(1000):
        word = plan.trade_names.draw()
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
        if name not in plan.enterprise_names:
            plan.enterprise_names.add(name)
            return name
    raise RuntimeError("could not find an unused enterprise name")


@part.district.step("details")
def plan_details(plan: DistrictPlan) -> None:
    """Founding dates, capital, credit codes and addresses, now that each enterprise's tenancy is known; then
    qualifications and contacts."""
    rng = plan.rng
    latest = datetime.date(2024, 12, 31)
    for e in plan.enterprises:
        if e.established is None:
            first = e.first_tenancy
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
            e.credit_code = plan.credit_codes.new(e.established, "440300")
        else:
            e.credit_code = plan.credit_codes.new(e.established)
        if not e.address:
            if e.premises:
                e.address = e.premises
            elif e.park is not None:
                street, roads = D.ADDRESSES[e.park.zone.code]
                e.address = f"深圳市福田区{street}{rng.choice(roads)}{rng.randint(1, 3000)}号"
    # A few codes as found in a registry that fail the check (officer-confirmed exceptions).
    candidates = [e for e in plan.enterprises if e.role in ("tenant", "departed")]
    n_bad = 3 if plan.scale >= 1 else 1
    for i, e in enumerate(rng.sample(candidates, n_bad)):
        e.credit_code = plan.credit_codes.broken(e.credit_code, organisation=i % 3 != 2)
        e.exception = True
    plan.qualifications = plan_qualifications(plan)
    plan.contacts = plan_contacts(plan)


def plan_qualifications(plan: DistrictPlan) -> list[QualificationRec]:
    rng = plan.rng
    today = plan.today
    validity = plan.rules.get("qualification_validity_years", {})
    qualifications = []
    serials: dict[str, int] = {}

    def serial(key: str) -> int:
        """Certificate serials rise through a year with gaps."""
        serials[key] = serials.get(key, rng.randint(0, 150)) + rng.randint(1, 7)
        return serials[key]

    def issue_day(year: int, months=(10, 11, 12)) -> datetime.date | None:
        day = datetime.date(year, rng.choice(months), rng.randint(1, 28))
        return day if day <= today else None

    def add(e, kind, level, certificate, issued):
        valid_until = add_years(issued, validity.get(kind) or DEFAULT_VALIDITY_YEARS) - DAY
        qualifications.append(QualificationRec(e, kind, level, certificate, issued, valid_until))

    last_year = min(2025, today.year)
    for e in plan.enterprises:
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
                    add(e, "high_tech", "", certificate, issued)
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
                    add(e, "specialised", e.specialised, certificate, issued)
    return qualifications


def plan_contacts(plan: DistrictPlan) -> list[ContactRec]:
    rng = plan.rng
    contacts = []
    for e in plan.enterprises:
        if e.role == "fund_virtual" or rng.random() >= 0.42:
            continue
        for _ in range(rng.choices([1, 2], [70, 30])[0]):
            name = rng.choice(D.SURNAMES) + "".join(rng.choice(D.GIVEN_CHARS) for _ in range(rng.choice([1, 2, 2])))
            mobile = rng.choice(D.MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
            contacts.append(ContactRec(e, name, rng.choice(D.CONTACT_TITLES), mobile))
    return contacts


# Demo district: writing ------------------------------------------------------------------------------


@part.district.writes
def write_enterprises(plan: DistrictPlan) -> None:
    known = set(IndustryCategory.objects.filter(level="class").values_list("code", flat=True))
    rows = []
    for e in plan.enterprises:
        if e.industry not in known:
            raise LookupError(f"GB/T 4754 class {e.industry} is missing: run `manage.py migrate` first.")
        e.obj = Enterprise(
            name=e.name,
            credit_code=e.credit_code,
            credit_code_exception=e.exception,
            industry_id=e.industry,
            established_on=e.established,
            registered_capital=money(e.capital),
            address=e.address[:200],
            description=e.description,
            registered_by=e.registered_by.obj if e.registered_by else None,
        )
        rows.append(searchable(e.obj))
    Enterprise.objects.bulk_create(rows, batch_size=1000)
    Qualification.objects.bulk_create(
        [
            Qualification(
                enterprise=q.enterprise.obj,
                kind=q.kind,
                level=q.level,
                certificate_number=q.certificate_number,
                issued_on=q.issued_on,
                valid_until=q.valid_until,
            )
            for q in plan.qualifications
        ],
        batch_size=1000,
    )
    Contact.objects.bulk_create(
        [Contact(enterprise=c.enterprise.obj, name=c.name, title=c.title, mobile=c.mobile) for c in plan.contacts],
        batch_size=1000,
    )
    # The demo enterprise account (core's part made it) is 荣耀's.
    honor = next(e.obj for e in plan.enterprises if e.name == D.HONOR)
    honor.users.add(plan.accounts["enterprise"])


# District dates and financial years (demo district) ------------------------------------------------------------

FINANCIAL_YEARS = (2024, 2025)
REPORTED_SHARE = 0.85  # of tenants: figures on record for a year


@part.district.writes
def write_money(plan: DistrictPlan) -> None:
    """The day each enterprise registered in the district (its first tenancy here, when it was founded elsewhere
    more than a year before) and, drawn from ``plan.stream("enterprises.money")`` so that nothing else changes,
    the revenue, R&D spending and tax of the named enterprises and most tenants for 2024 and 2025 (the years that
    have ended by the demo day)."""
    rng = plan.stream("enterprises.money")
    moved_in = []
    for e in plan.enterprises:
        if e.first_tenancy and e.established and (e.first_tenancy - e.established).days > 365:
            e.obj.moved_in_on = e.first_tenancy
            moved_in.append(e.obj)
    Enterprise.objects.bulk_update(moved_in, ["moved_in_on"], batch_size=1000)
    years = [year for year in FINANCIAL_YEARS if year < plan.today.year]
    rows = []
    for e in plan.enterprises:
        if e.role not in ("named", "tenant") or e.established is None:
            continue
        # Revenue grows with the registered capital (万元), by a wide spread; R&D and tax are shares of it.
        base = (e.capital or 100) * 10_000 * math.exp(rng.gauss(0.2, 0.9))
        for year in years:
            if e.established.year > year or (e.role != "named" and rng.random() > REPORTED_SHARE):
                continue
            revenue = base * math.exp(rng.gauss(0.08 * (year - years[0]), 0.15))
            rows.append(FinancialYear(
                enterprise=e.obj, year=year, revenue=money(round(revenue, -3)),
                rd_expense=money(round(revenue * rng.uniform(0.02, 0.15), -2)),
                tax_paid=money(round(revenue * rng.uniform(0.02, 0.08), -2)),
                source=rng.choice(["年度审计报告", "企业所得税年度纳税申报表", "统计年报"])))
    FinancialYear.objects.bulk_create(rows, batch_size=2000)


# Generator ----------------------------------------------------------------------------------------------

# Name forms: prefix, suffix, weight (the industry word goes between trade name and suffix).
NAME_FORMS = [("深圳市", "有限公司", 72), ("深圳", "有限公司", 17), ("深圳市", "股份有限公司", 7), ("", "（深圳）有限公司", 4)]
FUND_WORDS = {"6731": "创业投资基金合伙企业", "6739": "股权投资基金合伙企业"}
DIVISIONS = ([
    "440304", "440300", "440303", "440305", "440306", "440307", "440309", "440311",
], [40, 30, 6, 10, 5, 4, 3, 2])
FIRST_DAY = datetime.date(1992, 1, 1)


@dataclass(eq=False, slots=True)
class ZoneFirms:
    """The enterprises whose home is one zone: the industry mix they are drawn from, and their ids and founding
    dates (date ordinals) in founding order, for the parts that pick tenants."""

    mix: tuple  # (codes, cumulative weights)
    ids: array = field(default_factory=lambda: array("q"))
    established: array = field(default_factory=lambda: array("l"))


def sector_mix(sectors: list[str]) -> dict[str, float]:
    """GB/T 4754 class → weight, each sector's mix counting once."""
    mix: dict[str, float] = {}
    for sector in sectors:
        weighted = D.SECTORS[sector]
        total = sum(w for _, w in weighted)
        for industry, w in weighted:
            mix[industry] = mix.get(industry, 0) + w / total
    return mix


@part.synthetic.prepares
def read_codes_and_classes(plan: SyntheticPlan) -> None:
    """Credit codes in use (new ones must differ), and the GB/T 4754 classes the mixes draw from."""
    plan.codes_taken.update(Enterprise.objects.values_list("credit_code", flat=True))
    known = set(IndustryCategory.objects.filter(level="class").values_list("code", flat=True))
    sectors = {park[7] for park in D.PARKS} | {"general"}
    missing = sorted(set(sector_mix(sorted(sectors))) - known)
    if missing:
        raise LookupError(f"GB/T 4754 classes {', '.join(missing)} are missing: run `manage.py migrate` first.")


@part.synthetic.step("people", after=["spaces.places"], before=["spaces.units"])
def generate_enterprises(plan: SyntheticPlan) -> None:
    """The enterprises, zone by zone, written in batches; before the units, so that tenants exist when the
    leases on them are planned."""
    rng = plan.rng
    sectors: dict[str, list] = {}
    for park in D.PARKS:
        sectors.setdefault(park[3], []).append(park[7])
    plan.zone_firms = {}
    for zone in plan.zones:
        mix = sector_mix(sectors.get(zone.obj.code, ["general"]))
        codes = list(mix)
        cumulative, running = [], 0.0
        for industry in codes:
            running += mix[industry]
            cumulative.append(running)
        plan.zone_firms[zone] = ZoneFirms(mix=(codes, cumulative))
    total = plan.scale.enterprises
    plan.counts["enterprises"] = 0
    # Enterprises by home zone: mostly where the space is, some everywhere.
    quotas = apportion(total, [z.units + 0.05 * sum(x.units for x in plan.zones) / len(plan.zones) + 1
                               for z in plan.zones])
    first = FIRST_DAY.toordinal()
    last = (plan.today - datetime.timedelta(days=30)).toordinal()
    span = last - first
    forms = [f[:2] for f in NAME_FORMS]
    form_weights = [f[2] for f in NAME_FORMS]
    divisions, division_weights = DIVISIONS
    names, credit_codes = plan.trade_names, plan.credit_codes
    batch = []
    for zone, n in zip(plan.zones, quotas, strict=True):
        firms = plan.zone_firms[zone]
        # Later years register more firms: skew towards the recent end.
        established = sorted(first + int(span * rng.random() ** 0.75) for _ in range(n))
        codes, cumulative = firms.mix
        industries = rng.choices(codes, cum_weights=cumulative, k=n)
        for ordinal, industry in zip(established, industries, strict=True):
            day = datetime.date.fromordinal(ordinal)
            if industry in FUND_WORDS and rng.random() < 0.4:
                prefix, word, suffix = "深圳", FUND_WORDS[industry], "（有限合伙）"
            else:
                prefix, suffix = rng.choices(forms, form_weights)[0]
                word = rng.choice(D.INDUSTRY_WORDS.get(industry) or ["科技"])
            trade = names.next((prefix, word, suffix))
            code = credit_codes.next(day.year, rng.choices(divisions, division_weights)[0])
            capital = min(500_000.0, max(10.0, math.exp(rng.gauss(6.3, 1.3))))
            name = prefix + trade + word + suffix
            e = Enterprise(
                name=name, credit_code=code, industry_id=industry, established_on=day,
                registered_capital=Decimal(f"{float(f'{capital:.2g}'):.2f}"),
                address=f"深圳市福田区{zone.street}{rng.choice(zone.roads)}{rng.randint(1, 3000)}号",
            )
            e.search_text = composed_search_key(prefix, trade, word, suffix, code)
            batch.append((e, firms, ordinal))
            if len(batch) >= plan.batch_size:
                write_batch(plan, batch)
                batch = []
    if batch:
        write_batch(plan, batch)
    plan.say(f"{plan.counts['enterprises']} enterprises")


def write_batch(plan: SyntheticPlan, batch: list) -> None:
    with transaction.atomic():
        Enterprise.objects.bulk_create([e for e, _f, _o in batch], batch_size=plan.batch_size)
    for e, firms, ordinal in batch:
        firms.ids.append(e.pk)
        firms.established.append(ordinal)
    plan.count("enterprises", len(batch))
    step = max(plan.batch_size, plan.scale.enterprises // 10)
    if plan.counts["enterprises"] % step < len(batch):
        plan.say(f"{plan.counts['enterprises']}/{plan.scale.enterprises} enterprises")
