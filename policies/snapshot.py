"""The policy facts of every enterprise as numpy columns (core.rules.vector's format), for evaluator B
(``engine.decide_columns``): the same facts as ``policies.facts.compute``, by the same rules, built set-based
from a dozen queries whose rows stream into arrays (raw cursor, ``fetchmany``), never one Python object per
enterprise per fact.

``build(on=, start=, end=, parts=, policies=)`` reads the records once: the point-in-time facts of day ``on``,
the period facts (``lease.rent_paid``, ``lease.months``) of [start, end] and of each sub-period in ``parts``
(where an amount formula's parameter changes), and the history facts of each policy in ``policies``. A
``Snapshot`` answers ``columns_for_part(part_start, part_end, policy=)`` as ``decide_columns`` asks, and
``facts(row)`` gives one row back as a fact dict (for the sample re-check and the tests).

Values: money in fen, area in hundredths of ㎡, shares in basis points (int64); dates as ``date.toordinal()``
day numbers; codes as fixed-width strings ("" where missing); bools. ``present`` is False where a fact is
missing (tests/test_screening_facts.py holds the columns to ``compute`` row by row).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Q

from certification.models import Certification
from core.rules import MISSING, FactType
from core.rules.amounts import div_half_up_columns
from enterprises.choices import QualificationKind
from enterprises.models import Enterprise, FinancialYear, Qualification
from leasing.models import Lease, RentPayment, RentStep, Sublet
from leasing.selectors import current_leases

from .catalogue import CATALOGUE, HISTORY
from .choices import AWARD_HOLDING_STATUSES
from .facts import _period_leases, _qualification_valid, month_starts

EPOCH = datetime.date(1970, 1, 1).toordinal()  # day number of numpy's datetime64 day 0
CHUNK = 100_000
PERIOD_FACTS = ("lease.rent_paid", "lease.months")


# --- reading rows into arrays ------------------------------------------------------------------------------


def _raw(queryset, kinds: str) -> list[np.ndarray]:
    """The rows of ``queryset`` (a values_list) as one array per column, streamed from the cursor. ``kinds``
    gives each column's kind: i int, n int or null (→ -1), d date (→ day numbers, -1 where null), m decimal yuan or ㎡ (→ hundredths,
    int64, and a null mask in a second array), b bool, s string."""
    sql, params = queryset.query.sql_with_params()
    parts: list[list] = [[] for _ in kinds]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            rows = cursor.fetchmany(CHUNK)
            if not rows:
                break
            for index, column in enumerate(zip(*rows, strict=True)):
                parts[index].append(_convert(column, kinds[index]))
    return [np.concatenate(chunks) if chunks else _empty(kind) for chunks, kind in zip(parts, kinds, strict=True)]


def _empty(kind: str) -> np.ndarray:
    return np.zeros(0, dtype={"i": np.int64, "n": np.int64, "d": np.int64, "m": np.float64, "b": bool, "s": object}[kind])


def _convert(column: tuple, kind: str) -> np.ndarray:
    if kind == "i":
        return np.array(column, dtype=np.int64)
    if kind == "n":
        return np.array([-1 if value is None else value for value in column], dtype=np.int64)
    if kind == "d":
        days = np.array(column, dtype="datetime64[D]")  # ISO strings (SQLite) or dates (PostgreSQL); None → NaT
        out = days.astype(np.int64) + EPOCH
        out[np.isnat(days)] = -1
        return out
    if kind == "m":
        return np.array([np.nan if value is None else float(value) for value in column], dtype=np.float64)
    if kind == "b":
        return np.array(column, dtype=bool)
    return np.array(["" if value is None else value for value in column], dtype=object)


def _hundredths(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Decimals with two places read as floats → exact hundredths (int64), and where they are not null."""
    present = ~np.isnan(values)
    return np.rint(np.where(present, values, 0) * 100).astype(np.int64), present


# --- the snapshot ------------------------------------------------------------------------------------------


@dataclass
class Snapshot:
    on: datetime.date
    start: datetime.date
    end: datetime.date
    ids: np.ndarray  # enterprise ids, ascending: row i is enterprise ids[i]
    base: dict = field(default_factory=dict)  # name → (values, present): point-in-time facts
    periods: dict = field(default_factory=dict)  # (start, end) → {name: column} of the period facts
    history: dict = field(default_factory=dict)  # policy id → {name: column}
    seconds: dict = field(default_factory=dict)  # how long each step of the build took

    @property
    def rows(self) -> int:
        return len(self.ids)

    def columns_for_part(self, part_start: datetime.date, part_end: datetime.date, *, policy=None) -> dict:
        try:
            period = self.periods[(part_start, part_end)]
        except KeyError:
            raise KeyError(f"the snapshot has no columns for {part_start}–{part_end}: build it with that part") from None
        columns = {**self.base, **period}
        if policy is not None:
            columns.update(self.history[getattr(policy, "pk", policy)])
        else:
            zeros = (np.zeros(self.rows, dtype=np.int64), np.ones(self.rows, dtype=bool))
            columns.update({name: zeros for name in HISTORY})
        return columns

    def facts(self, row: int, part: tuple | None = None, *, policy=None) -> dict:
        """Row ``row``'s facts as a dict (storage units, MISSING), as ``compute`` gives them."""
        columns = self.columns_for_part(*(part or (self.start, self.end)), policy=policy)
        out = {}
        for name, (values, present) in columns.items():
            if not present[row]:
                out[name] = MISSING
                continue
            kind = CATALOGUE[name].type
            value = values[row]
            if kind is FactType.DATE:
                out[name] = datetime.date.fromordinal(int(value))
            elif kind is FactType.BOOL:
                out[name] = bool(value)
            elif kind is FactType.CODE:
                out[name] = str(value)
            else:
                out[name] = int(value)
        return out

    def row_of(self, enterprise_id: int) -> int:
        row = int(np.searchsorted(self.ids, enterprise_id))
        if row >= self.rows or self.ids[row] != enterprise_id:
            raise KeyError(enterprise_id)
        return row


def _positions(ids: np.ndarray, of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of ``of`` (enterprise ids) in ``ids``, and which of them are there at all."""
    if not len(ids):
        return np.zeros(len(of), dtype=np.int64), np.zeros(len(of), dtype=bool)
    rows = np.minimum(np.searchsorted(ids, of), len(ids) - 1)
    return rows, ids[rows] == of


def _flag(n: int, rows: np.ndarray) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    out[rows] = True
    return out


def _first_per_group(keys: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Indices (into the unsorted arrays) of the first row of each key, given ``order`` sorting by key first."""
    sorted_keys = keys[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return order[first]


def _rent_due_from(start: np.ndarray, free_months: np.ndarray) -> np.ndarray:
    """leasing.rent.rent_due_from on day numbers: the same day ``free_months`` calendar months later, the month's
    last day when it is shorter."""
    days = (start - EPOCH).astype("datetime64[D]")
    month = days.astype("datetime64[M]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    due_month = month + free_months.astype("timedelta64[M]")
    length = ((due_month + 1).astype("datetime64[D]") - due_month.astype("datetime64[D]")).astype(np.int64)
    due = due_month.astype("datetime64[D]") + np.minimum(day_of_month, length - 1).astype("timedelta64[D]")
    return due.astype(np.int64) + EPOCH


def build(*, on: datetime.date, start: datetime.date, end: datetime.date, parts=(), policies=(),
          enterprise_ids=None) -> Snapshot:
    """Every enterprise's facts (or those of ``enterprise_ids``) as columns. ``parts``: the sub-periods of
    [start, end] an amount is split into (the whole period is always built); ``policies``: those whose history
    facts are wanted (ids or objects)."""
    import time

    clock = time.perf_counter()
    seconds = {}

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 3)
        clock = now

    day = on.toordinal()
    enterprises = Enterprise.objects.order_by("id")
    if enterprise_ids is not None:
        enterprises = enterprises.filter(id__in=list(enterprise_ids))
    ids, industry, established, moved_in, moved_out = _raw(
        enterprises.values_list("id", "industry_id", "established_on", "moved_in_on", "moved_out_on"), "isddd")
    n = len(ids)
    lap("enterprises")
    base = {}
    has_industry = industry != ""
    base["enterprise.industry"] = (industry.astype("<U4"), has_industry)
    base["enterprise.industry_division"] = (industry.astype("<U2"), has_industry)
    base["enterprise.established_on"] = (established, established >= 0)
    moved = np.where(moved_in >= 0, moved_in, established)
    base["enterprise.moved_in_on"] = (moved, moved >= 0)
    base["enterprise.in_district"] = ((moved_out < 0) | (moved_out > day), np.ones(n, dtype=bool))

    # Qualifications valid on the day.
    owner, kind = _raw(Qualification.objects.filter(_qualification_valid(on)).values_list("enterprise_id", "kind"),
                       "is")
    rows, found = _positions(ids, owner)
    for name, wanted in (("enterprise.high_tech", QualificationKind.HIGH_TECH),
                         ("enterprise.specialised", QualificationKind.SPECIALISED)):
        base[name] = (_flag(n, rows[found & (kind == str(wanted))]), np.ones(n, dtype=bool))
    owner, revenue = _raw(FinancialYear.objects.filter(year=on.year - 1).values_list("enterprise_id", "revenue"),
                          "im")
    rows, found = _positions(ids, owner)
    fen, _ = _hundredths(revenue)
    values = np.zeros(n, dtype=np.int64)
    values[rows[found]] = fen[found]
    base["enterprise.revenue_prior_year"] = (values, _flag(n, rows[found]))
    lap("qualifications, revenue")

    # Leases in force on the day; the principal one of each enterprise.
    lease, owner, area, lease_start, rent, free, assessed, park = _raw(current_leases(on).order_by().values_list(
        "id", "enterprise_id", "leased_area", "start_date", "monthly_rent", "rent_free_months",
        "assessed_monthly_rent", "park_id"), "iimdmimi")
    rows, found = _positions(ids, owner)
    lease, rows, area, lease_start, rent, free, assessed, park = (
        a[found] for a in (lease, rows, area, lease_start, rent, free, assessed, park))
    area, _ = _hundredths(area)
    rent, _ = _hundredths(rent)
    assessed, assessed_present = _hundredths(assessed)
    count = np.bincount(rows, minlength=n).astype(np.int64)
    total_area = np.zeros(n, dtype=np.int64)
    np.add.at(total_area, rows, area)
    always = np.ones(n, dtype=bool)
    base["enterprise.lease_count"] = (count, always)
    base["lease.area"] = (total_area, always)
    has_lease = count > 0
    earliest = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(earliest, rows, lease_start)
    base["lease.started_on"] = (np.where(has_lease, earliest, 0), has_lease)
    principal = _first_per_group(rows, np.lexsort((lease, -area, rows)))  # by enterprise, largest area, lowest id
    p_rows, p_lease = rows[principal], lease[principal]

    # Its rent on the day: rent-free months, then the latest rent step on or before it, else the lease's rent.
    p_rent = rent[principal].copy()
    step_lease, step_start, step_rent = _raw(RentStep.objects.filter(lease__in=current_leases(on), starts_on__lte=on)
                                             .order_by().values_list("lease_id", "starts_on", "monthly_rent"), "idm")
    if len(step_lease):
        step_rent, _ = _hundredths(step_rent)
        latest = _first_per_group(step_lease, np.lexsort((-step_start, step_lease)))
        order = np.argsort(p_lease)
        where = np.searchsorted(p_lease[order], step_lease[latest])
        where = np.minimum(where, max(len(order) - 1, 0))
        hit = p_lease[order][where] == step_lease[latest] if len(order) else np.zeros(len(latest), dtype=bool)
        p_rent[order[where[hit]]] = step_rent[latest][hit]
    p_start = lease_start[principal]
    free_now = (p_start <= day) & (day < _rent_due_from(p_start, free[principal]))
    p_rent = np.where(free_now, 0, p_rent)
    monthly = np.zeros(n, dtype=np.int64)
    monthly[p_rows] = p_rent
    base["lease.monthly_rent"] = (monthly, has_lease)
    p_assessed, p_assessed_present = assessed[principal], assessed_present[principal] & (assessed[principal] > 0)
    discount = np.zeros(n, dtype=np.int64)
    discount_present = np.zeros(n, dtype=bool)
    safe = np.where(p_assessed_present, p_assessed, 1)
    discount[p_rows] = np.where(p_assessed_present, div_half_up_columns((safe - p_rent) * 10_000, safe), 0)
    discount_present[p_rows] = p_assessed_present
    base["lease.discount"] = (discount, discount_present)
    lap("leases")

    # The principal lease's units: government-owned, and its building (most area, lowest id).
    unit_lease, building, unit_area, government = _raw(
        Lease.units.through.objects.filter(lease__in=current_leases(on)).order_by().values_list(
            "lease_id", "unit__building_id", "unit__area", "unit__government_owned"), "iimb")
    order = np.argsort(p_lease)
    sorted_leases = p_lease[order]
    where = np.minimum(np.searchsorted(sorted_leases, unit_lease), max(len(order) - 1, 0))
    mine = (sorted_leases[where] == unit_lease) if len(order) else np.zeros(len(unit_lease), dtype=bool)
    unit_row = p_rows[order[where[mine]]]  # the enterprise row of each unit of a principal lease
    building, unit_area, government = building[mine], _hundredths(unit_area[mine])[0], government[mine]
    gov = np.zeros(n, dtype=bool)
    gov[unit_row[government]] = True
    base["lease.government_space"] = (gov, has_lease)
    # area by (enterprise, building), then the building with the most of it
    key_order = np.lexsort((building, unit_row))
    u_row, u_building, u_area = unit_row[key_order], building[key_order], unit_area[key_order]
    boundary = np.ones(len(u_row), dtype=bool)
    boundary[1:] = (u_row[1:] != u_row[:-1]) | (u_building[1:] != u_building[:-1])
    starts = np.flatnonzero(boundary)
    group_row, group_building = u_row[starts], u_building[starts]
    group_area = np.add.reduceat(u_area, starts) if len(starts) else np.zeros(0, dtype=np.int64)
    best = _first_per_group(group_row, np.lexsort((group_building, -group_area, group_row)))
    main_building = np.full(n, -1, dtype=np.int64)
    main_building[group_row[best]] = group_building[best]

    # Certifications in force on the day: of the main building, and of the principal lease's park.
    cert_building, cert_park, code, category = _raw(Certification.objects.in_force_on(on).order_by().values_list(
        "building_id", "park_id", "scheme__code", "scheme__category"), "niss")  # a park's has no building
    certified_buildings = np.unique(cert_building[cert_building >= 0])
    base["building.certified"] = (np.isin(main_building, certified_buildings) & (main_building >= 0), has_lease)
    specialised = (cert_building >= 0) & (category == "specialised_building")
    programme = np.full(n, "", dtype="<U40")
    programme_present = np.zeros(n, dtype=bool)
    if specialised.any():
        s_building, s_code = cert_building[specialised], code[specialised].astype("<U40")
        first = _first_per_group(s_building, np.lexsort((s_code, s_building)))  # lowest code of a building
        table_building, table_code = s_building[first], s_code[first]
        where = np.minimum(np.searchsorted(table_building, main_building), len(table_building) - 1)
        hit = (table_building[where] == main_building) & (main_building >= 0)
        programme[hit] = table_code[where[hit]]
        programme_present = hit
    width = int(np.char.str_len(programme).max()) if n else 1
    base["building.specialised_programme"] = (programme.astype(f"<U{max(width, 1)}"), programme_present)
    park_of = np.full(n, -1, dtype=np.int64)
    park_of[p_rows] = park[principal]
    certified_parks = np.unique(cert_park[cert_building < 0])
    base["park.certified"] = (np.isin(park_of, certified_parks) & has_lease, has_lease)

    # Sublets active on the day of leases in force.
    (sublet_owner,) = _raw(Sublet.objects.filter(lease__in=current_leases(on), starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)).order_by().values_list("lease__enterprise_id"), "i")
    rows, found = _positions(ids, sublet_owner)
    base["lease.sublet"] = (_flag(n, rows[found]), always)
    lap("units, certifications, sublets")

    # Period facts: leases in force in the period, payments overlapping it.
    owner, p_lo, p_hi = _raw(_period_leases(start, end).order_by().values_list(
        "enterprise_id", "start_date", "end_date"), "idd")
    l_rows, found = _positions(ids, owner)
    l_rows, p_lo, p_hi = l_rows[found], p_lo[found], p_hi[found]
    owner, pay_lo, pay_hi, amount = _raw(RentPayment.objects.filter(period_start__lte=end, period_end__gte=start,
                                                                    confirmed_at__isnull=False)
                                         .order_by().values_list("lease__enterprise_id", "period_start",
                                                                 "period_end", "amount"), "iddm")
    pay_rows, found = _positions(ids, owner)
    pay_rows, pay_lo, pay_hi = pay_rows[found], pay_lo[found], pay_hi[found]
    amount = _hundredths(amount[found])[0]
    periods = {}
    for part_start, part_end in {(start, end), *[tuple(p) for p in parts]}:
        lo, hi = part_start.toordinal(), part_end.toordinal()
        months = np.zeros(n, dtype=np.int64)
        for first, last in month_starts(part_start, part_end):
            meets = (p_lo <= last.toordinal()) & (p_hi >= first.toordinal())
            months += _flag(n, l_rows[meets])
        leased = _flag(n, l_rows[(p_lo <= hi) & (p_hi >= lo)])
        meets = (pay_lo <= hi) & (pay_hi >= lo)
        inside = np.minimum(pay_hi, hi) - np.maximum(pay_lo, lo) + 1
        length = pay_hi - pay_lo + 1
        share = np.where(inside == length, amount, div_half_up_columns(amount * np.maximum(inside, 0), length))
        paid = np.zeros(n, dtype=np.int64)
        np.add.at(paid, pay_rows[meets], share[meets])
        has_payment = _flag(n, pay_rows[meets])
        periods[(part_start, part_end)] = {
            "lease.months": (months, always),
            "lease.rent_paid": (paid, has_payment | ~leased),
        }
    lap("period facts")

    history = {}
    wanted = sorted({getattr(p, "pk", p) for p in policies})
    if wanted:
        from .models import Award

        policy, owner, year, awarded = _raw(Award.objects.filter(
            policy_id__in=wanted, status__in=[str(s) for s in AWARD_HOLDING_STATUSES]).order_by().values_list(
            "policy_id", "enterprise_id", "year", "amount"), "iiii")
        rows, found = _positions(ids, owner)
        for policy_id in wanted:
            mine = found & (policy == policy_id)
            r, y, a = rows[mine], year[mine], awarded[mine]
            in_year = np.zeros(n, dtype=np.int64)
            np.add.at(in_year, r[y == start.year], a[y == start.year])
            total = np.zeros(n, dtype=np.int64)
            np.add.at(total, r, a)
            pairs = np.unique(np.stack([r, y]), axis=1) if len(r) else np.zeros((2, 0), dtype=np.int64)
            years = np.bincount(pairs[0], minlength=n).astype(np.int64)
            history[policy_id] = {"history.awarded_in_year": (in_year, always),
                                  "history.awarded_total": (total, always),
                                  "history.years_supported": (years, always)}
        lap("history")
    return Snapshot(on=on, start=start, end=end, ids=ids, base=base, periods=periods, history=history,
                    seconds=seconds)
