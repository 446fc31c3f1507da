"""Leasing's part of the demo data (``demo.parts``): which units are let, to whom, and the leases before.

Both scales: each building draws a vacancy target (5–30 % of its leasable area); its units are let in groups
of adjacent units on a floor; about 1 % of units are unavailable and 2 % reserved (half of those by a signed
lease that has not begun); leases run 1–5 years, some end within 90 days, and earlier leases (expired, some
terminated early) go back before the current one. Leases on one unit never overlap, and each unit's status and
``vacant_since`` follow from its leases as ``leasing.services.units_refresh_status`` would set them.

Demo district: the enterprises the letter names take whole floors at the top of a building in their park;
each park asks the enterprises part for as many tenants as it has let groups (``plan.tenant_demand``); every
tenant of the pool gets a group, then expansions (same building first). Once the leases are known, each
tenant's first tenancy and premises go back to the enterprises part, which dates and addresses it.

Generator: a building's leases are planned as soon as spaces has planned its units
(``spaces.units_planned``) and written with them (``spaces.units_written``); a tenant is an enterprise of
the park's zone founded at least a month before the lease began (``plan.zone_firms``), and some leases are
renewals by the same tenant.

New demo records about leases (renewals, follow-ups) belong here, drawn from ``plan.stream("leasing…")``.

Money (demo district, drawn from ``plan.stream("leasing.money")`` after the leases are written, so nothing
above changes): each lease's deposit (three months' rent), management fee and, for some, rent-free months; an
annual escalation schedule on some long leases; the rent paid month by month from 1 January 2025 up to the demo
day for the leases in force then (the older months confirmed by the operator, the latest ones not yet); one
sublet.
"""

from __future__ import annotations

import bisect
import datetime
from dataclasses import dataclass
from decimal import Decimal

from demo import district as D
from demo.parts import Part
from demo.plan import DistrictPlan, SyntheticPlan
from demo.values import DAY, add_years, area, money, months_ago, random_day

from .models import Lease, RentPayment, RentStep, Sublet
from .rent import months_after, rent_on_day

part = Part("leasing", tables=[("rent_payments", RentPayment), ("rent_steps", RentStep), ("sublets", Sublet),
                               ("lease_units", Lease.units.through), ("leases", Lease)])


# Demo district --------------------------------------------------------------------------------------------

# Lease groups: how many adjacent units one lease takes (most take one).
GROUP_SIZES = ([1, 2, 3, 4], [60, 22, 11, 7])
LEASE_YEARS = ([1, 2, 3, 5], [20, 35, 30, 15])
UNAVAILABLE_SHARE = 0.01
RESERVED_SHARE = 0.02
EXPIRING_SHARE = 0.05  # of active leases: end within 90 days
PREVIOUSLY_LEASED_SHARE = 0.55  # of vacant groups: had a tenant before
PRIOR_LEASE_SHARE = 0.25  # of leased groups: an earlier, expired lease by another tenant
TERMINATED_SHARE = 0.15  # of historical leases: ended early


@dataclass(eq=False)
class GroupRec:
    """Adjacent units on one floor that are let together."""

    building: object  # spaces' BuildingRec
    units: list
    state: str = "vacant"  # leased | reserved_lease | reserved | vacant_prev | vacant_never
    tenant: object = None  # enterprises' EnterpriseRec
    pinned: bool = False

    @property
    def cents(self):
        return sum(u.cents for u in self.units)


@dataclass(eq=False)
class LeaseRec:
    tenant: object  # enterprises' EnterpriseRec
    units: list
    start: datetime.date
    end: datetime.date
    status: str
    rent: int
    terminated_on: datetime.date | None = None
    contract_number: str = ""
    obj: object = None


@part.district.step("occupancy", after=["enterprises.named"], before=["enterprises.population"])
def plan_occupancy(plan: DistrictPlan) -> None:
    """Decide, building by building, which units are let, reserved, vacant or unavailable; tell the
    enterprises part how many tenants each park's let space calls for."""
    rng = plan.rng
    pins = pins_by_building(plan)
    plan.groups = []
    for park in plan.parks:
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
            plan.groups.extend(groups)
    # Groups waiting for a tenant, and vacant groups that had one, per park.
    plan.slots = {p.code: [] for p in plan.parks}
    history_slots = {p.code: 0 for p in plan.parks}
    for g in plan.groups:
        code = g.building.park.code
        if g.state in ("leased", "reserved_lease") and not g.pinned:
            plan.slots[code].append(g)
        if g.state == "vacant_prev":
            history_slots[code] += 1
    for code, slots in plan.slots.items():
        plan.tenant_demand[code] = (len(slots), history_slots[code])


def pins_by_building(plan: DistrictPlan) -> dict:
    """Named enterprises and their floors: building code → [(enterprise, floors)], the enterprises of a park
    taking its buildings in turn."""
    per_park: dict[str, int] = {}
    pins: dict[str, list] = {}
    for e, named in zip(plan.named, D.NAMED_ENTERPRISES, strict=True):
        n_leases = named[5]
        park = e.park
        index = per_park.get(park.code, 0)
        per_park[park.code] = index + 1
        b = park.buildings[index % len(park.buildings)]
        count = n_leases if plan.scale >= 1 else min(n_leases, 2)
        pins.setdefault(b.code, []).append((e, count))
    return pins


@part.district.step("leases", after=["enterprises.population"], before=["enterprises.details"])
def plan_leases(plan: DistrictPlan) -> None:
    """Tenants for the let groups, their leases and the leases before them; contract numbers per park and
    year in the order the leases were signed."""
    assign_tenants(plan)
    rng = plan.rng
    today = plan.today
    plan.leases = []
    for g in plan.groups:
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
            lease = new_lease(g.tenant, g.units, start, end, "active", rng.uniform(0.85, 1.0))
            if start <= today and not g.pinned and rng.random() < PRIOR_LEASE_SHARE:
                history_lease(plan, g, before=start - datetime.timedelta(days=rng.randint(0, 120)) - DAY,
                              not_tenant=g.tenant)
            plan.leases.append(lease)
            for u in g.units:
                u.status = "leased" if g.state == "leased" else "reserved"
                u.vacant_since = None
        elif g.state == "reserved":
            for u in g.units:
                u.status = "reserved"
        elif g.state == "vacant_prev":
            ended = today - datetime.timedelta(days=rng.randint(10, 900))
            last = history_lease(plan, g, before=ended)
            if last is not None and rng.random() < 0.2:
                history_lease(plan, g, before=last.start - datetime.timedelta(days=rng.randint(0, 90)) - DAY)
            freed = (last.terminated_on or last.end) + DAY if last else months_ago(today, rng.randint(1, 30))
            for u in g.units:
                u.vacant_since = freed
        else:  # vacant_never
            since = today - datetime.timedelta(days=rng.randint(30, 912))
            for u in g.units:
                u.vacant_since = since
    # Leases in the order they were signed (by start date), numbered per park and year.
    order = {id(b): i for i, b in enumerate(b for p in plan.parks for b in p.buildings)}
    plan.leases.sort(key=lambda le: (le.start, order[id(le.units[0].building)], le.units[0].floor, le.units[0].code))
    counters: dict[tuple, int] = {}
    active = set()
    for lease in plan.leases:
        key = (lease.units[0].building.park.code, lease.start.year)
        counters[key] = counters.get(key, 0) + 1
        lease.contract_number = f"{key[0].upper()}-{key[1]}-{counters[key]:04d}"
        # The tenant's first tenancy, and its premises: those of its first active lease, else its first.
        tenant, unit = lease.tenant, lease.units[0]
        premises = f"{unit.building.address}{unit.code}"
        if tenant.first_tenancy is None:
            tenant.first_tenancy = lease.start
            tenant.premises = premises
        if lease.status == "active" and id(tenant) not in active:
            active.add(id(tenant))
            tenant.premises = premises


def assign_tenants(plan: DistrictPlan) -> None:
    """Every enterprise of a park's tenant pool gets one let group, then the rest go to expansions (in the
    same building first)."""
    rng = plan.rng
    for park in plan.parks:
        pool = plan.tenants_by_park[park.code]
        park_slots = plan.slots[park.code]
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


def history_lease(plan: DistrictPlan, g: GroupRec, *, before: datetime.date, not_tenant=None):
    """An expired or terminated lease that ended on ``before``, by a tenant of the same park."""
    rng = plan.rng
    park = g.building.park
    candidates = plan.former_tenants_by_park.get(park.code) or []
    if not candidates or rng.random() < 0.3:
        candidates = [e for e in plan.tenants_by_park.get(park.code, []) if e is not not_tenant] or candidates
    if not candidates:
        return None
    tenant = rng.choice(candidates)
    if rng.random() < TERMINATED_SHARE:
        start = before - datetime.timedelta(days=rng.randint(120, 900))
        lease = new_lease(tenant, g.units, start, before, "terminated", rng.uniform(0.8, 0.95))
        lease.terminated_on = before
    else:
        years = rng.choices([1, 2, 3], [30, 40, 30])[0]
        start = add_years(before + DAY, -years)
        lease = new_lease(tenant, g.units, start, before, "expired", rng.uniform(0.8, 0.95))
    plan.leases.append(lease)
    return lease


def new_lease(tenant, units, start, end, status, factor) -> LeaseRec:
    asking = sum(u.rent for u in units) / len(units)
    return LeaseRec(tenant, list(units), start, end, status, max(1, round(asking * factor)))


@part.district.writes
def write_leases(plan: DistrictPlan) -> None:
    rows = []
    for le in plan.leases:
        le.obj = Lease(
            enterprise=le.tenant.obj,
            park=le.units[0].building.park.obj,
            contract_number=le.contract_number,
            start_date=le.start,
            end_date=le.end,
            monthly_rent=money(le.rent),
            status=le.status,
            terminated_on=le.terminated_on,
            leased_area=area(sum(u.cents for u in le.units)),
        )
        rows.append(le.obj)
    Lease.objects.bulk_create(rows, batch_size=1000)
    through = Lease.units.through
    through.objects.bulk_create(
        [through(lease_id=le.obj.pk, unit_id=u.obj.pk) for le in plan.leases for u in le.units], batch_size=2000
    )


# Money terms, rent steps, rent paid and a sublet (demo district) ---------------------------------------------

PAYMENTS_FROM = datetime.date(2025, 1, 1)
RENT_FREE_SHARE = 0.3  # of leases: 1–3 rent-free months from the start
STEP_SHARE = 0.25  # of leases of three years or more: the rent rises every year
CONFIRMED_AFTER = 20  # days after a month ends by which its payment is (mostly) confirmed
UNPAID_SHARE = 0.03  # months whose payment is not recorded (late, or not entered yet)


def _month_periods(start: datetime.date, end: datetime.date):
    """[start, end] cut at calendar months: (first day, last day) of each part."""
    day = start
    while day <= end:
        last = min(end, months_after(day.replace(day=1), 1) - DAY)
        yield day, last
        day = last + DAY


@part.district.writes
def write_money(plan: DistrictPlan) -> None:
    """Money terms on every lease, rent steps on some, monthly rent paid since 2025, one sublet."""
    from django.utils import timezone

    rng = plan.stream("leasing.money")
    today = plan.today
    leases, steps, payments = [], [], []
    operator_of = {}
    for le in plan.leases:
        lease = le.obj
        rent = Decimal(le.rent)
        lease.rent_free_months = rng.choice([1, 2, 3]) if rng.random() < RENT_FREE_SHARE else 0
        lease.deposit = money(rent * lease.leased_area * 3)
        lease.management_fee = money(rng.choice([12, 15, 18, 20, 22, 25]))
        leases.append(lease)
        lease_steps = []
        if (le.end - le.start).days >= 3 * 365 - 2 and rng.random() < STEP_SHARE:
            raise_by = Decimal(rng.choice([3, 4, 5])) / 100
            step_rent = rent
            for year in range(1, (le.end - le.start).days // 365 + 1):
                starts_on = add_years(le.start, year)
                if starts_on > le.end:
                    break
                step_rent = money(step_rent * (1 + raise_by))
                lease_steps.append((starts_on, step_rent))
                steps.append(RentStep(lease=lease, starts_on=starts_on, monthly_rent=step_rent))
        if le.status == "expired" and le.end < PAYMENTS_FROM:
            continue
        last_day = min(le.terminated_on or le.end, le.end, today)
        for first, last in _month_periods(max(le.start, PAYMENTS_FROM), last_day):
            month_rent = rent_on_day(day=first, start=le.start, monthly_rent=rent,
                                     rent_free_months=lease.rent_free_months, steps=lease_steps)
            if month_rent == 0 or (last == last_day and last_day == today and last.day != 1 and rng.random() < 0.5):
                continue  # rent-free, or the current month not yet paid
            if rng.random() < UNPAID_SHARE:
                continue
            days_in_month = (months_after(first.replace(day=1), 1) - first.replace(day=1)).days
            amount = money(month_rent * lease.leased_area * ((last - first).days + 1) / days_in_month)
            paid_on = min(today, first + datetime.timedelta(days=rng.randint(0, 12)))
            confirmed = (today - last).days > CONFIRMED_AFTER and rng.random() < 0.97
            payments.append(RentPayment(
                lease=lease, period_start=first, period_end=last, amount=amount, paid_on=paid_on,
                reference=f"SJ{first:%Y%m}{lease.pk:06d}",
                confirmed_at=timezone.make_aware(datetime.datetime.combine(
                    min(today, last + datetime.timedelta(days=rng.randint(3, CONFIRMED_AFTER))), datetime.time(10)))
                if confirmed else None))
            operator_of[len(payments) - 1] = le.units[0].building.park
    Lease.objects.bulk_update(leases, ["rent_free_months", "deposit", "management_fee"], batch_size=1000)
    RentStep.objects.bulk_create(steps, batch_size=2000)
    operators = {}
    for index, park in operator_of.items():
        payment = payments[index]
        if payment.confirmed_at is not None:
            if id(park) not in operators:  # asked once a park, including when the answer is none
                operators[id(park)] = _operator_account(plan, park)
            payment.confirmed_by = operators[id(park)]
    RentPayment.objects.bulk_create(payments, batch_size=2000)
    _write_sublet(plan, rng)


def _operator_account(plan: DistrictPlan, park):
    """The demo operator account when it works for the park's operator (core's part made it); else none."""
    account = plan.accounts.get("operator") if hasattr(plan, "accounts") else None
    if account is None or park.obj.operator_id is None:
        return None
    return account if account.operators.filter(pk=park.obj.operator_id).exists() else None


def _write_sublet(plan: DistrictPlan, rng) -> None:
    """One sublet, found by the park's operator: part of an active lease's space let on to a small firm."""
    candidates = [le for le in plan.leases if le.status == "active" and le.start < plan.today - 90 * DAY
                  and le.obj.leased_area >= 200]
    if not candidates:
        return
    le = rng.choice(candidates)
    starts_on = random_day(rng, le.start + 60 * DAY, plan.today - 30 * DAY)
    Sublet.objects.create(
        lease=le.obj, subtenant_name="深圳市云启咨询服务有限公司", area=money(le.obj.leased_area / 4),
        starts_on=starts_on, found_on=min(plan.today, starts_on + datetime.timedelta(days=rng.randint(20, 60))),
        note="园区巡查发现该企业将部分办公区域转租给其他企业使用")


# Generator ----------------------------------------------------------------------------------------------

SYNTHETIC_GROUP_SIZES = ([1, 2, 3, 4], [72, 17, 7, 4])
SYNTHETIC_LEASE_YEARS = ([1, 2, 3, 4, 5], [22, 33, 27, 6, 12])
HISTORY_YEARS = 16
SYNTHETIC_UNAVAILABLE_SHARE = 0.01
SYNTHETIC_RESERVED_SHARE = 0.02
SYNTHETIC_EXPIRING_SHARE = 0.05
RENEWAL_SHARE = 0.3  # an earlier lease of the same units by the same tenant, ending the day before
SYNTHETIC_TERMINATED_SHARE = 0.12
SYNTHETIC_PREVIOUSLY_LEASED_SHARE = 0.6  # of vacant groups in buildings old enough


@part.synthetic.prepares
def start_leasing(plan: SyntheticPlan) -> None:
    plan.lease_queue = []  # (group of unit rows, its leases) planned in the batch being written
    plan.contract_counters = {}  # (park index, year) → contracts numbered so far


@part.synthetic.on("spaces.units_planned")
def plan_building_leases(plan: SyntheticPlan, *, building, units) -> None:
    """Let one building's units in groups, with the chain of leases of each group (newest first), going back
    up to ``HISTORY_YEARS`` but never before the building was completed."""
    rng = plan.rng
    park = building.park
    queue = plan.lease_queue
    # Occupancy: which groups are let, reserved or vacant.
    vacancy = rng.triangular(0.05, 0.30, 0.12)
    open_rows = []
    by_floor: dict[int, list] = {}
    for row in units:
        if rng.random() < SYNTHETIC_UNAVAILABLE_SHARE:
            row.obj.status = "unavailable"
        else:
            open_rows.append(row)
            by_floor.setdefault(row.floor, []).append(row)
    groups = []
    for number in sorted(by_floor):
        free = by_floor[number]
        i = 0
        while i < len(free):
            size = min(rng.choices(*SYNTHETIC_GROUP_SIZES)[0], len(free) - i)
            groups.append(free[i : i + size])
            i += size
    rng.shuffle(groups)
    target = (1 - vacancy) * sum(r.cents for r in open_rows)
    occupied = 0
    today = plan.today
    horizon = max(building.completed + 60, (today - datetime.timedelta(days=365 * HISTORY_YEARS)).toordinal())
    horizon = datetime.date.fromordinal(min(horizon, today.toordinal()))
    for group in groups:
        cents = sum(r.cents for r in group)
        chain = []
        if occupied + cents / 2 <= target:
            occupied += cents
            r = rng.random()
            if r < SYNTHETIC_RESERVED_SHARE / 2:
                start = today + datetime.timedelta(days=rng.randint(7, 120))
                years = rng.choices(*SYNTHETIC_LEASE_YEARS)[0]
                tenant = pick_tenant(plan, park.zone, start)
                chain.append(synthetic_lease(plan, building, group, tenant, start, add_years(start, years) - DAY, "active"))
                status = "reserved"
                last_end = today - datetime.timedelta(days=rng.randint(1, 300))
            elif r < SYNTHETIC_RESERVED_SHARE:
                status = "reserved"
                last_end = today - datetime.timedelta(days=rng.randint(1, 600))
            else:
                status = "leased"
                years = rng.choices(*SYNTHETIC_LEASE_YEARS)[0]
                if rng.random() < SYNTHETIC_EXPIRING_SHARE:
                    end = today + datetime.timedelta(days=rng.randint(0, 90))
                    start = add_years(end + DAY, -years)
                else:
                    earliest = add_years(today + datetime.timedelta(days=91), -years) + DAY
                    start = random_day(rng, earliest, today)
                    end = add_years(start, years) - DAY
                start = max(start, min(horizon, today))
                tenant = pick_tenant(plan, park.zone, start)
                chain.append(synthetic_lease(plan, building, group, tenant, start, end, "active"))
                last_end = None
            for row in group:
                row.obj.status = status
            synthetic_history(plan, building, group, chain, horizon, last_end)
        else:
            for row in group:
                row.obj.status = "vacant"
            if rng.random() < SYNTHETIC_PREVIOUSLY_LEASED_SHARE:
                last_end = today - datetime.timedelta(days=rng.randint(1, 900))
                synthetic_history(plan, building, group, chain, horizon, last_end)
            if chain:
                since = chain[0].end_date + DAY
            else:
                since = random_day(rng, max(horizon, today - datetime.timedelta(days=900)), today)
            for row in group:
                row.obj.vacant_since = since
        if chain:
            queue.append((group, chain))


@part.synthetic.on("spaces.units_written")
def write_building_leases(plan: SyntheticPlan, *, buildings) -> None:
    """The leases planned on the batch's units, and their links to the units, in the batch's transaction."""
    leases, links = [], []
    for group, chain in plan.lease_queue:
        for lease in chain:
            leases.append(lease)
            links.append(group)
    Lease.objects.bulk_create(leases, batch_size=plan.batch_size)
    through = Lease.units.through
    rows = [through(lease_id=lease.pk, unit_id=u.obj.pk) for lease, group in zip(leases, links, strict=True)
            for u in group]
    through.objects.bulk_create(rows, batch_size=plan.batch_size)
    plan.lease_queue = []
    plan.count("leases", len(leases))
    plan.count("lease_units", len(rows))


def pick_tenant(plan: SyntheticPlan, zone, start: datetime.date) -> tuple[int, int]:
    """(id, date established as an ordinal) of an enterprise of the zone established at least a month before
    ``start`` (the zone's oldest if none was; the largest zone's if the zone has none)."""
    firms = plan.zone_firms[zone]
    if not firms.ids:
        firms = max(plan.zone_firms.values(), key=lambda f: len(f.ids))
    k = bisect.bisect_right(firms.established, start.toordinal() - 30)
    i = int(plan.rng.random() * max(k, 1))
    return firms.ids[i], firms.established[i]


def synthetic_history(plan: SyntheticPlan, building, group, chain, horizon, last_end) -> None:
    """Earlier leases of ``group``, newest first, each ending before the next one (or ``last_end``)."""
    rng = plan.rng
    zone = building.park.zone
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
        years = rng.choices(*SYNTHETIC_LEASE_YEARS)[0]
        start = add_years(end + DAY, -years)
        terminated = rng.random() < SYNTHETIC_TERMINATED_SHARE
        if terminated:
            start = end - datetime.timedelta(days=rng.randint(120, max(121, years * 365 - 30)))
        if start < horizon:
            return
        if tenant is None or tenant[1] > start.toordinal() - 30:
            tenant = pick_tenant(plan, zone, start)
        lease = synthetic_lease(plan, building, group, tenant, start, end, "terminated" if terminated else "expired")
        chain.append(lease)
        if rng.random() < RENEWAL_SHARE and not terminated:
            end = start - DAY
        else:
            end = start - datetime.timedelta(days=rng.randint(15, 270))
            tenant = None


def synthetic_lease(plan: SyntheticPlan, building, group, tenant, start, end, status) -> Lease:
    rng = plan.rng
    asking = sum(r.rent for r in group) / len(group)
    years_ago = max(0.0, (plan.today - start).days / 365.25)
    rent = asking * rng.uniform(0.85, 1.0) * max(0.55, 1 - 0.03 * years_ago)
    counters = plan.contract_counters
    key = (building.park.index, start.year)
    n = counters[key] = counters.get(key, 0) + 1
    lease = Lease(
        enterprise_id=tenant[0], park_id=building.park.obj.pk,
        contract_number=f"{building.park.obj.code.upper()}-{start.year}-{n:04d}",
        start_date=start, end_date=end, status=status,
        terminated_on=end if status == "terminated" else None,
        monthly_rent=Decimal(round(rent, 2)).quantize(Decimal("0.01")),
        leased_area=area(sum(r.cents for r in group)),
    )
    lease.tenant = tenant  # (id, established), for a renewal by the same tenant
    return lease
