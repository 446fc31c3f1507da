"""The facts about an enterprise that policies decide by, computed from the records as of a day for a period.

``CATALOGUE`` (declared in ``policies.catalogue``, pure) names them. ``compute(ids, on=, start=, end=,
policy=)`` answers them for many enterprises with a fixed number of queries (eleven at most), whatever their
number; ``compute_loop`` answers them enterprise by enterprise, straight from each one's records: the baseline
the tests hold ``compute`` to.

What counts (docs/decisions/0030-policy-facts-snapshot-and-sample-recheck.md):

- a lease is in force on D by leasing's rule (``leasing.selectors.current_leases``); the principal lease is the
  one in force with the largest leased area (ties: the lowest id); its building is the building holding most of
  its units' area (ties: the lowest id);
- the point-in-time facts are those of D (area, rent, qualifications, certifications, sublets, district);
  the period facts are those of [start, end]: ``lease.rent_paid`` and ``lease.months``. A period split where a
  parameter changes asks each part for its period facts, the day D unchanged;
- ``lease.months``: the calendar months of the period any day of which a lease held its units (in force);
- ``lease.rent_paid``: payments of the enterprise's leases whose period overlaps [start, end]; one straddling a
  boundary counts for its days inside, half-up in fen; missing when a lease was in force in the period and no
  payment overlaps it, 0 when no lease was;
- ``lease.monthly_rent`` is leasing's rent rule (``leasing.rent.rent_on_day``: rent-free months, rent steps)
  in fen per ㎡ per month; ``lease.discount`` is 1 − that rent ÷ the assessed market rent, in basis points,
  half-up (missing without an assessment);
- the principal lease's facts (rent, start, government space, discount, building, park) are missing when no
  lease is in force; ``lease.area`` and ``enterprise.lease_count`` are then 0 and ``lease.sublet`` false;
- ``history.*``: awards of ``policy`` that hold (active or completed): the period's year, all years, the number
  of distinct years; 0 without a policy.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from certification.models import Certification
from core.rules import MISSING, area_from_m2, div_half_up, money_from_yuan
from enterprises.choices import QualificationKind
from enterprises.models import Enterprise, FinancialYear, Qualification
from leasing.choices import HOLDING_STATUSES
from leasing.models import Lease, RentPayment, RentStep, Sublet
from leasing.rent import amount_within, rent_on_day
from leasing.selectors import current_leases

from .catalogue import CATALOGUE, HISTORY
from .choices import AWARD_HOLDING_STATUSES

__all__ = ["CATALOGUE", "HISTORY", "columns", "compute", "compute_loop", "months_covered", "prorated"]

# Up to this many ids, queries filter by them; beyond, they read every row and keep those asked for (a fixed
# number of queries and no statement beyond the database's limit on parameters).
IN_LIMIT = 500


def _ids_filter(ids: list[int] | None, field: str) -> Q:
    if ids is None or len(ids) > IN_LIMIT:
        return Q()
    return Q(**{f"{field}__in": ids})


def month_starts(start: datetime.date, end: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The calendar months meeting [start, end], each as its (first, last) day clipped to the period."""
    months = []
    first = start.replace(day=1)
    while first <= end:
        following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        months.append((max(first, start), min(following - datetime.timedelta(days=1), end)))
        first = following
    return months


def months_covered(spans: Iterable[tuple[datetime.date, datetime.date]], start: datetime.date,
                   end: datetime.date) -> int:
    """How many calendar months of [start, end] have a day inside one of ``spans`` (leases' start and end)."""
    spans = list(spans)
    return sum(1 for first, last in month_starts(start, end)
               if any(lo <= last and hi >= first for lo, hi in spans))


def prorated(amount_fen: int, period_start: datetime.date, period_end: datetime.date, start: datetime.date,
             end: datetime.date) -> int:
    """The part of a payment for [period_start, period_end] that falls in [start, end], by days, half-up: leasing's
    rule (``leasing.rent.amount_within``)."""
    return amount_within(amount_fen, period_start, period_end, start, end)


def _principal(leases: list[tuple]) -> tuple | None:
    """The lease with the largest area, ties the lowest id: rows (id, area, …)."""
    return min(leases, key=lambda row: (-row[1], row[0])) if leases else None


def _main_building(units: list[tuple[int, int, bool]]) -> int | None:
    """The building holding most of the area of ``units`` ((building, area, government-owned)), ties lowest id."""
    areas: dict[int, int] = defaultdict(int)
    for building, area, _government in units:
        areas[building] += area
    return min(areas, key=lambda building: (-areas[building], building)) if areas else None


def _discount(rent: int, assessed: int | None):
    if assessed is None or assessed <= 0:
        return MISSING
    return div_half_up((assessed - rent) * 10_000, assessed)


def _facts(enterprise: tuple, *, on, qualifications: set, revenue, leases: list, steps: dict, units: dict,
           period_leases: list, payments: list | None, sublet: bool, building_certs: dict, park_certs: set,
           awards: list, year: int, start, end) -> dict:
    """One enterprise's facts from its rows (the same for ``compute`` and ``compute_loop``)."""
    _id, industry, established_on, moved_in_on, moved_out_on = enterprise
    facts = {
        "enterprise.industry": industry or MISSING,
        "enterprise.industry_division": industry[:2] if industry else MISSING,
        "enterprise.established_on": established_on or MISSING,
        "enterprise.moved_in_on": moved_in_on or established_on or MISSING,
        "enterprise.in_district": moved_out_on is None or moved_out_on > on,
        "enterprise.high_tech": QualificationKind.HIGH_TECH in qualifications,
        "enterprise.specialised": QualificationKind.SPECIALISED in qualifications,
        "enterprise.revenue_prior_year": MISSING if revenue is None else money_from_yuan(revenue),
        "enterprise.lease_count": len(leases),
        "lease.area": sum(area for _lid, area, *_rest in leases),
        "lease.sublet": sublet,
    }
    principal = _principal(leases)
    for name in ("lease.monthly_rent", "lease.started_on", "lease.government_space", "lease.discount",
                 "building.specialised_programme", "building.certified", "park.certified"):
        facts[name] = MISSING
    if principal is not None:
        lease_id, _area, lease_start, rent, free_months, assessed, park_id = principal
        rent_fen = rent_on_day(day=on, start=lease_start, monthly_rent=money_from_yuan(rent),
                               rent_free_months=free_months, steps=steps.get(lease_id, ()))
        held = units.get(lease_id, [])
        building = _main_building(held)
        programmes = building_certs.get(building, [])
        facts.update({
            "lease.monthly_rent": rent_fen,
            "lease.started_on": min(row[2] for row in leases),
            "lease.government_space": any(government for _b, _a, government in held),
            "lease.discount": _discount(rent_fen, None if assessed is None else money_from_yuan(assessed)),
            "building.certified": bool(programmes),
            "park.certified": park_id in park_certs,
        })
        specialised = sorted(code for code, category in programmes if category == "specialised_building")
        if specialised:
            facts["building.specialised_programme"] = specialised[0]
    facts["lease.months"] = months_covered(period_leases, start, end)
    if payments:
        facts["lease.rent_paid"] = sum(prorated(amount, p_start, p_end, start, end)
                                       for p_start, p_end, amount in payments)
    else:
        facts["lease.rent_paid"] = MISSING if period_leases else 0
    facts["history.awarded_in_year"] = sum(amount for award_year, amount in awards if award_year == year)
    facts["history.awarded_total"] = sum(amount for _year, amount in awards)
    facts["history.years_supported"] = len({award_year for award_year, _amount in awards})
    return facts


def _qualification_valid(on: datetime.date) -> Q:
    return Q(issued_on__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def _period_leases(start: datetime.date, end: datetime.date):
    """Leases in force on some day of [start, end]."""
    return Lease.objects.filter(status__in=HOLDING_STATUSES, start_date__lte=end, end_date__gte=start)


def compute(enterprise_ids: Iterable[int] | None, *, on: datetime.date, start: datetime.date, end: datetime.date,
            policy=None) -> dict[int, dict]:
    """Every fact of each enterprise (all of them when ``enterprise_ids`` is None): {id: {name: value}}, values
    in storage units or MISSING. Eleven queries at most, whatever the number of enterprises."""
    ids = None if enterprise_ids is None else sorted({int(getattr(e, "pk", e)) for e in enterprise_ids})
    if ids == []:
        return {}
    wanted = None if ids is None else set(ids)

    def keep(rows, at=0):
        return rows if wanted is None or len(wanted) <= IN_LIMIT else (r for r in rows if r[at] in wanted)

    enterprises = list(keep(Enterprise.objects.filter(_ids_filter(ids, "id")).order_by("id").values_list(
        "id", "industry_id", "established_on", "moved_in_on", "moved_out_on")))
    qualifications = defaultdict(set)
    for enterprise_id, kind in keep(Qualification.objects.filter(_ids_filter(ids, "enterprise_id"),
                                                                  _qualification_valid(on))
                                    .values_list("enterprise_id", "kind")):
        qualifications[enterprise_id].add(kind)
    revenue = dict(keep(FinancialYear.objects.filter(_ids_filter(ids, "enterprise_id"), year=on.year - 1)
                        .values_list("enterprise_id", "revenue")))
    leases = defaultdict(list)
    lease_ids = set()
    for lease_id, enterprise_id, area, lease_start, rent, free, assessed, park_id in keep(
            current_leases(on).filter(_ids_filter(ids, "enterprise_id")).values_list(
                "id", "enterprise_id", "leased_area", "start_date", "monthly_rent", "rent_free_months",
                "assessed_monthly_rent", "park_id"), at=1):
        leases[enterprise_id].append((lease_id, area_from_m2(area), lease_start, rent, free, assessed, park_id))
        lease_ids.add(lease_id)
    lease_filter = _ids_filter(ids, "lease__enterprise_id")
    steps = defaultdict(list)
    for lease_id, starts_on, rent in RentStep.objects.filter(
            lease_filter, lease__in=current_leases(on)).values_list("lease_id", "starts_on", "monthly_rent"):
        steps[lease_id].append((starts_on, money_from_yuan(rent)))
    units = defaultdict(list)
    for lease_id, building_id, area, government in Lease.units.through.objects.filter(
            _ids_filter(ids, "lease__enterprise_id"), lease__in=current_leases(on)).values_list(
            "lease_id", "unit__building_id", "unit__area", "unit__government_owned"):
        if lease_id in lease_ids:
            units[lease_id].append((building_id, area_from_m2(area), government))
    period_leases = defaultdict(list)
    for enterprise_id, lease_start, lease_end in keep(_period_leases(start, end).filter(
            _ids_filter(ids, "enterprise_id")).values_list("enterprise_id", "start_date", "end_date")):
        period_leases[enterprise_id].append((lease_start, lease_end))
    payments = defaultdict(list)
    for enterprise_id, p_start, p_end, amount in keep(RentPayment.objects.filter(
            lease_filter, period_start__lte=end, period_end__gte=start, confirmed_at__isnull=False).values_list(
            "lease__enterprise_id", "period_start", "period_end", "amount")):
        payments[enterprise_id].append((p_start, p_end, money_from_yuan(amount)))
    sublet_rows = Sublet.objects.filter(lease_filter, lease__in=current_leases(on), starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)).values_list("lease__enterprise_id", flat=True).distinct()
    sublets = {enterprise_id for enterprise_id in sublet_rows if wanted is None or enterprise_id in wanted}
    building_certs = defaultdict(list)
    park_certs = set()
    for building_id, park_id, code, category in Certification.objects.in_force_on(on).values_list(
            "building_id", "park_id", "scheme__code", "scheme__category"):
        if building_id is None:
            park_certs.add(park_id)
        else:
            building_certs[building_id].append((code, category))
    awards = defaultdict(list)
    if policy is not None:
        from .models import Award

        for enterprise_id, year, amount in keep(Award.objects.filter(
                _ids_filter(ids, "enterprise_id"), policy=policy,
                status__in=[str(s) for s in AWARD_HOLDING_STATUSES]).values_list("enterprise_id", "year", "amount")):
            awards[enterprise_id].append((year, amount))

    return {
        row[0]: _facts(row, on=on, qualifications=qualifications[row[0]], revenue=revenue.get(row[0]),
                       leases=leases[row[0]], steps=steps, units=units, period_leases=period_leases[row[0]],
                       payments=payments[row[0]], sublet=row[0] in sublets, building_certs=building_certs,
                       park_certs=park_certs, awards=awards[row[0]], year=start.year, start=start, end=end)
        for row in enterprises
    }


def compute_loop(enterprise_ids: Iterable[int], *, on: datetime.date, start: datetime.date, end: datetime.date,
                 policy=None) -> dict[int, dict]:
    """The same facts as ``compute``, enterprise by enterprise through each one's related records (several
    queries each): the baseline the tests hold the set-based ``compute`` to."""
    result = {}
    for enterprise in Enterprise.objects.filter(pk__in=list(enterprise_ids)).order_by("id"):
        row = (enterprise.id, enterprise.industry_id, enterprise.established_on, enterprise.moved_in_on,
               enterprise.moved_out_on)
        kinds = {q.kind for q in enterprise.qualifications.all()
                 if q.issued_on <= on and (q.valid_until is None or q.valid_until >= on)}
        financial = enterprise.financial_years.filter(year=on.year - 1).first()
        in_force = [lease for lease in enterprise.leases.all()
                    if lease.status in HOLDING_STATUSES and lease.start_date <= on <= lease.end_date]
        leases, steps, units = [], {}, {}
        for lease in in_force:
            leases.append((lease.id, area_from_m2(lease.leased_area), lease.start_date, lease.monthly_rent,
                           lease.rent_free_months, lease.assessed_monthly_rent, lease.park_id))
            steps[lease.id] = [(step.starts_on, money_from_yuan(step.monthly_rent)) for step in lease.rent_steps.all()]
            units[lease.id] = [(unit.building_id, area_from_m2(unit.area), unit.government_owned)
                               for unit in lease.units.all()]
        period = [(lease.start_date, lease.end_date) for lease in enterprise.leases.all()
                  if lease.status in HOLDING_STATUSES and lease.start_date <= end and lease.end_date >= start]
        payments = [(p.period_start, p.period_end, money_from_yuan(p.amount))
                    for lease in enterprise.leases.all() for p in lease.rent_payments.all()
                    if p.period_start <= end and p.period_end >= start and p.confirmed_at is not None]
        sublet = any(s.starts_on <= on and (s.ends_on is None or s.ends_on >= on)
                     for lease in in_force for s in lease.sublets.all())
        building_certs, park_certs = defaultdict(list), set()
        parks = {lease.park_id for lease in in_force}
        buildings = {b for held in units.values() for b, _a, _g in held}
        for cert in Certification.objects.in_force_on(on).filter(Q(park_id__in=parks) | Q(building_id__in=buildings)
                                                                 ).select_related("scheme"):
            if cert.building_id is None:
                park_certs.add(cert.park_id)
            else:
                building_certs[cert.building_id].append((cert.scheme.code, cert.scheme.category))
        awards = []
        if policy is not None:
            awards = [(award.year, award.amount) for award in enterprise.policy_awards.filter(policy=policy)
                      if award.status in AWARD_HOLDING_STATUSES]
        result[enterprise.id] = _facts(
            row, on=on, qualifications=kinds, revenue=financial.revenue if financial else None, leases=leases,
            steps=steps, units=units, period_leases=period, payments=payments, sublet=sublet,
            building_certs=building_certs, park_certs=park_certs, awards=awards, year=start.year, start=start,
            end=end)
    return result


def columns(enterprise_ids=None, *, on: datetime.date, start: datetime.date, end: datetime.date, policy=None):
    """The same facts as numpy columns for evaluator B: (enterprise ids ascending, {name: (values, present)}) of
    the whole period (``policies.snapshot.build``; all enterprises when ``enterprise_ids`` is None)."""
    from .snapshot import build

    snap = build(on=on, start=start, end=end, policies=[policy] if policy is not None else (),
                 enterprise_ids=enterprise_ids)
    return snap.ids, snap.columns_for_part(start, end, policy=policy)
