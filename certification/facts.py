"""The facts about a certification subject (a park, or one building of it) that the records answer, computed as
of a date, and the records behind each of them.

``CATALOGUE`` declares every fact the criteria and indicators of a scheme may name (core.rules' Catalogue):
those the platform computes from its records, and those an applicant supplies with a document. Values are
integers in core.rules' storage units (area in hundredths of m², shares in basis points, ratios in hundredths,
money in fen); a share or rate over a whole of zero is MISSING, never 0.

What counts on a day D (docs/decisions/0026-facts-computed-set-based-as-of-a-date.md):

- a lease is in force when its status holds its units (leasing.choices.HOLDING_STATUSES) and its start date ≤ D
  ≤ its end date; its area in a subject is that of its units in the subject only (a lease may span buildings);
  a unit held by two leases on one day counts once;
- a tenant is an enterprise with a lease in force on D holding a unit of the subject;
- an incubatee is in the incubator from its entry date (included) to its leaving date (excluded); the
  incubatees of a building subject are the rows that name that building, those of a park all the park's rows;
- a qualification is valid on D when issued on or before D and not expired before D (valid_until empty or ≥ D);
- "the last 12 months" is (D − 1 year, D]; a service record counts in the subject it names (its park, and its
  building for a building subject);
- a cultural and creative enterprise is one whose GB/T 4754-2017 class is in divisions 86–90 (section R) or
  one of ``CULTURAL_CLASSES``.

``compute(subjects, on)`` answers every computed fact for many subjects with a fixed number of grouped queries,
whatever the number of subjects; ``compute_loop`` answers them subject by subject from the same record sets the
evidence pages list (``records``), the baseline of ``bench/certification.py`` and the check, in the tests, that
the grouped queries count exactly the records shown.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.rules import MISSING, Catalogue, Fact, FactType, area_from_m2, per_thousand_m2, share_of
from core.surfaces.display import display
from core.surfaces.selectors import visible_to
from enterprises.choices import QualificationKind
from enterprises.models import Enterprise, Qualification
from leasing.models import Lease
from leasing.selectors import current_leases
from spaces.models import Building, Park, Unit

from .choices import ExitReason, GraduationBasis
from .models import Incubatee, ServiceRecord

AREA, SHARE, COUNT, RATIO, MONEY = FactType.AREA, FactType.SHARE, FactType.COUNT, FactType.RATIO, FactType.MONEY

CATALOGUE = Catalogue([
    # Computed from the records.
    Fact("subject.area_controlled", AREA, "管理面积", "㎡", "主体内全部房源的面积"),
    Fact("subject.leased_area", AREA, "已出租面积", "㎡", "基准日有效租约占用的房源面积"),
    Fact("subject.occupancy", SHARE, "出租率", "", "已出租面积 ÷ 管理面积"),
    Fact("subject.tenant_count", COUNT, "在租企业", "家", "基准日有有效租约的企业"),
    Fact("subject.incubatee_count", COUNT, "在孵企业", "家", "基准日已入孵且尚未离孵的企业"),
    Fact("subject.incubatee_area", AREA, "在孵企业使用面积", "㎡", "基准日在孵企业租用的房源面积"),
    Fact("subject.incubatee_area_share", SHARE, "在孵企业使用面积占比", "", "在孵企业使用面积 ÷ 管理面积"),
    Fact("subject.incubatees_per_1000m2", RATIO, "每千平方米在孵企业", "家/千㎡", "在孵企业 ÷ 管理面积（千㎡）"),
    Fact("subject.same_industry_share", SHARE, "主导产业在孵企业占比", "", "属主导产业的在孵企业 ÷ 在孵企业"),
    Fact("subject.same_industry_area_share", SHARE, "主导产业在孵企业使用面积占比", "",
         "属主导产业的在孵企业租用的房源面积 ÷ 管理面积"),
    Fact("subject.new_incubatee_share", SHARE, "近一年新入孵企业占比", "", "近12个月入孵的在孵企业 ÷ 在孵企业"),
    Fact("subject.graduate_count", COUNT, "累计毕业企业", "家",
         "基准日前已毕业离孵的企业；以高新技术企业认定毕业的，须在离孵日前已取得该资质"),
    Fact("subject.high_tech_tenant_share", SHARE, "国家高新技术企业占比", "",
         "持有有效国家高新技术企业证书的在租企业 ÷ 在租企业"),
    Fact("subject.specialised_tenant_share", SHARE, "专精特新企业占比", "", "持有有效专精特新资质的在租企业 ÷ 在租企业"),
    Fact("subject.services_per_1000m2", RATIO, "近12个月每千平方米服务次数", "项/千㎡",
         "近12个月服务记录条数 ÷ 管理面积（千㎡）"),
    Fact("subject.service_areas_covered", COUNT, "近12个月覆盖的服务领域", "类", "七类服务领域中近12个月有记录的类数"),
    Fact("subject.cultural_tenant_share", SHARE, "文化创意企业占比", "",
         "行业属GB/T 4754-2017第86–90大类或文化创意相关小类的在租企业 ÷ 在租企业"),
    # Supplied by the applicant or the operator, with a document.
    Fact("subject.operating_years", COUNT, "运营年限", "年", source="supplied"),
    Fact("subject.fund_size", MONEY, "孵化基金规模", "元", source="supplied"),
    Fact("subject.invested_incubatee_share", SHARE, "获投资在孵企业占比", "", source="supplied"),
    Fact("subject.financed_incubatee_share", SHARE, "获融资在孵企业占比", "", source="supplied"),
    Fact("subject.team_size", COUNT, "运营团队人数", "人", source="supplied"),
    Fact("subject.professional_staff_share", SHARE, "专业人员占比", "", source="supplied"),
    Fact("subject.mentors_per_10_incubatees", RATIO, "每10家在孵企业创业导师", "名", source="supplied"),
    Fact("subject.ip_incubatee_share", SHARE, "拥有有效知识产权的在孵企业占比", "", source="supplied"),
    Fact("subject.patent_applicant_share", SHARE, "申请专利的在孵企业占比", "", source="supplied"),
    Fact("subject.tech_sme_share", SHARE, "科技型中小企业占比", "", source="supplied"),
    Fact("subject.growing_incubatee_share", SHARE, "营收或研发增长≥20%的在孵企业占比", "", source="supplied"),
    Fact("subject.non_rent_income_share", SHARE, "非租金收入占比", "", source="supplied"),
    # Computed from the buildings' gross floor area when every building of the subject has one, else supplied.
    Fact("subject.floor_area", AREA, "建筑面积", "㎡", "各楼栋建筑面积之和；楼栋未登记建筑面积时由申报单位填报",
         source="supplied"),
])

# The facts ``compute`` answers (floor_area only when the buildings record it: MISSING otherwise).
COMPUTED = tuple(f.name for f in CATALOGUE if f.source == "computed") + ("subject.floor_area",)

# Cultural and creative enterprises: GB/T 4754-2017 divisions 86–90 (news and publishing; radio, film and TV;
# culture and arts; sport; entertainment), and these classes outside them that the cultural-park schemes
# count: animation and games content, industrial and specialised design, advertising.
CULTURAL_DIVISIONS = ("86", "87", "88", "89", "90")
CULTURAL_CLASSES = ("6572", "7491", "7492", "7251", "7259")

Subject = tuple[int, int | None]


def year_before(day: datetime.date) -> datetime.date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def area_units(value) -> int:
    """m² (a Decimal with two places, or None: no units) → hundredths of m² (core.rules)."""
    return 0 if value is None else area_from_m2(value)


def subject_key(park, building=None) -> Subject:
    park_id = park.pk if isinstance(park, Park) else int(park)
    building_id = building.pk if isinstance(building, Building) else (int(building) if building else None)
    return park_id, building_id


def _keys(subjects: Iterable) -> list[Subject]:
    keys = []
    for subject in subjects:
        park, building = subject if isinstance(subject, tuple) else (subject, None)
        keys.append(subject_key(park, building))
    return list(dict.fromkeys(keys))


# The conditions of "in force on D", shared by the grouped queries and the record sets -----------------------


def incubatee_in_force(on: datetime.date) -> Q:
    """Entered on or before D and not left by D (the leaving day no longer counts)."""
    return Q(entered_on__lte=on) & (Q(left_on__isnull=True) | Q(left_on__gt=on))


def qualification_valid(on: datetime.date) -> Q:
    return Q(issued_on__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def holds_qualification(kind: str, on: datetime.date, enterprise_ref: str) -> Exists:
    return Exists(Qualification.objects.filter(qualification_valid(on), kind=kind,
                                               enterprise_id=OuterRef(enterprise_ref)))


def cultural(prefix: str = "") -> Q:
    q = Q(**{f"{prefix}industry_id__in": CULTURAL_CLASSES})
    for division in CULTURAL_DIVISIONS:
        q |= Q(**{f"{prefix}industry__code__startswith": division})
    return q


def graduate_counted(on: datetime.date) -> Q:
    """A graduate by D; one graduated as a high-tech enterprise only if it held the certificate when it left."""
    high_tech_then = Exists(Qualification.objects.filter(kind=QualificationKind.HIGH_TECH,
                                                         enterprise_id=OuterRef("enterprise_id"),
                                                         issued_on__lte=OuterRef("left_on")))
    return (Q(exit_reason=ExitReason.GRADUATED, left_on__lte=on)
            & (~Q(graduation_basis=GraduationBasis.HIGH_TECH) | Q(high_tech_then)))


def _holding_leases(on: datetime.date, unit_ref: str = "pk") -> QuerySet:
    """The leases in force on D holding the unit named by ``unit_ref`` of the outer query."""
    return current_leases(on).filter(units=OuterRef(unit_ref))


def _incubatee_holding(on: datetime.date, *, by_building: bool, matched: bool = False) -> Exists:
    """For an outer Unit row: a lease in force on D holds it, and its tenant is an incubatee on D of the unit's
    park (``by_building`` false) or of the unit's building (true); with ``matched``, one in the incubator's
    target industry."""
    incubating = Incubatee.objects.filter(incubatee_in_force(on), enterprise_id=OuterRef("enterprise_id"))
    if matched:
        incubating = incubating.filter(industry_match=True)
    if by_building:
        incubating = incubating.filter(building_id=OuterRef(OuterRef("building_id")))
    else:
        incubating = incubating.filter(park_id=OuterRef(OuterRef("building__park_id")))
    return Exists(_holding_leases(on).filter(Exists(incubating)))


# The grouped computation ---------------------------------------------------------------------------------


def compute(subjects: Iterable, on: datetime.date) -> dict[Subject, dict]:
    """Every computed fact of each subject as of ``on``: {(park_id, building_id | None): {fact: value}}.
    ``subjects`` are (park, building | None) pairs of objects or ids, or parks. Eight queries at most, grouped by
    park and by building, whatever the number of subjects."""
    keys = _keys(subjects)
    if not keys:
        return {}
    parks = sorted({p for p, _b in keys})
    buildings = sorted({b for _p, b in keys if b is not None})
    since = year_before(on)

    # Areas, building by building (a park's are the sum of its buildings'), and gross floor areas.
    areas = {}
    sums = dict(total=Sum("area"), leased=Sum("area", filter=Q(Exists(_holding_leases(on)))),
                incubating=Sum("area", filter=Q(_incubatee_holding(on, by_building=False))),
                matched=Sum("area", filter=Q(_incubatee_holding(on, by_building=False, matched=True))))
    if buildings:  # a building subject's incubatees are those that name it
        sums["incubating_here"] = Sum("area", filter=Q(building_id__in=buildings)
                                      & Q(_incubatee_holding(on, by_building=True)))
        sums["matched_here"] = Sum("area", filter=Q(building_id__in=buildings)
                                   & Q(_incubatee_holding(on, by_building=True, matched=True)))
    rows = Unit.objects.filter(building__park_id__in=parks).order_by().values("building_id").annotate(**sums)
    for row in rows:
        areas[row["building_id"]] = row
    floor = {}
    park_of = {}
    for building_id, park_id, gfa in (Building.objects.filter(park_id__in=parks)
                                      .values_list("id", "park_id", "gross_floor_area")):
        floor[building_id] = gfa
        park_of[building_id] = park_id

    # Tenants: by park through the lease's park, by building through the units held.
    tenant_counts = dict(
        high_tech=Count("enterprise_id", distinct=True,
                        filter=Q(holds_qualification(QualificationKind.HIGH_TECH, on, "enterprise_id"))),
        specialised=Count("enterprise_id", distinct=True,
                          filter=Q(holds_qualification(QualificationKind.SPECIALISED, on, "enterprise_id"))),
        cultural=Count("enterprise_id", distinct=True, filter=cultural("enterprise__")),
    )
    tenants_by_park = {
        row["park_id"]: row for row in
        current_leases(on).filter(park_id__in=parks).order_by().values("park_id")
        .annotate(tenants=Count("enterprise_id", distinct=True), **tenant_counts)
    }
    tenants_by_building = {}
    if buildings:
        tenants_by_building = {
            row["units__building_id"]: row for row in
            current_leases(on).filter(units__building_id__in=buildings).order_by()
            .values("units__building_id")
            .annotate(tenants=Count("enterprise_id", distinct=True), **tenant_counts)
        }

    # Incubatees and graduates.
    incubatee_counts = dict(
        incubatees=Count("enterprise_id", distinct=True, filter=incubatee_in_force(on)),
        matched=Count("enterprise_id", distinct=True, filter=incubatee_in_force(on) & Q(industry_match=True)),
        new=Count("enterprise_id", distinct=True, filter=incubatee_in_force(on) & Q(entered_on__gt=since)),
        graduates=Count("id", filter=graduate_counted(on)),
    )
    incubatees_by_park = {row["park_id"]: row for row in
                          Incubatee.objects.filter(park_id__in=parks).order_by().values("park_id")
                          .annotate(**incubatee_counts)}
    incubatees_by_building = {}
    if buildings:
        incubatees_by_building = {row["building_id"]: row for row in
                                  Incubatee.objects.filter(building_id__in=buildings).order_by()
                                  .values("building_id").annotate(**incubatee_counts)}

    # Services of the last 12 months.
    served = dict(services=Count("id"), service_areas=Count("area", distinct=True))
    recent = ServiceRecord.objects.filter(served_on__gt=since, served_on__lte=on).order_by()
    services_by_park = {row["park_id"]: row for row in
                        recent.filter(park_id__in=parks).values("park_id").annotate(**served)}
    services_by_building = {}
    if buildings:
        services_by_building = {row["building_id"]: row for row in
                                recent.filter(building_id__in=buildings).values("building_id").annotate(**served)}

    park_buildings = defaultdict(list)
    for building_id, park_id in park_of.items():
        park_buildings[park_id].append(building_id)

    results = {}
    for park_id, building_id in keys:
        if building_id is None:
            members = park_buildings.get(park_id, [])
            tenants = tenants_by_park.get(park_id, {})
            incubatees = incubatees_by_park.get(park_id, {})
            services = services_by_park.get(park_id, {})
            incubating_key, matched_key = "incubating", "matched"
        else:
            members = [building_id] if park_of.get(building_id) == park_id else []
            tenants = tenants_by_building.get(building_id, {})
            incubatees = incubatees_by_building.get(building_id, {})
            services = services_by_building.get(building_id, {})
            incubating_key, matched_key = "incubating_here", "matched_here"
        total = sum(area_units(areas.get(b, {}).get("total")) for b in members)
        leased = sum(area_units(areas.get(b, {}).get("leased")) for b in members)
        incubating = sum(area_units(areas.get(b, {}).get(incubating_key)) for b in members)
        matched_area = sum(area_units(areas.get(b, {}).get(matched_key)) for b in members)
        gfas = [floor[b] for b in members]
        results[(park_id, building_id)] = assemble(
            total=total, leased=leased, incubating=incubating, matched_area=matched_area,
            floor_area=(sum(area_units(g) for g in gfas) if gfas and None not in gfas else MISSING),
            tenants=tenants.get("tenants", 0), high_tech=tenants.get("high_tech", 0),
            specialised=tenants.get("specialised", 0), cultural=tenants.get("cultural", 0),
            incubatees=incubatees.get("incubatees", 0), matched=incubatees.get("matched", 0),
            new=incubatees.get("new", 0), graduates=incubatees.get("graduates", 0),
            services=services.get("services", 0), service_areas=services.get("service_areas", 0),
        )
    return results


def assemble(*, total, leased, incubating, matched_area, floor_area, tenants, high_tech, specialised, cultural, incubatees,
             matched, new, graduates, services, service_areas) -> dict:
    """The facts from the counts: the shares and rates, half-up, MISSING over a zero whole."""
    return {
        "subject.area_controlled": total,
        "subject.leased_area": leased,
        "subject.occupancy": share_of(leased, total),
        "subject.tenant_count": tenants,
        "subject.incubatee_count": incubatees,
        "subject.incubatee_area": incubating,
        "subject.incubatee_area_share": share_of(incubating, total),
        "subject.incubatees_per_1000m2": per_thousand_m2(incubatees, total),
        "subject.same_industry_share": share_of(matched, incubatees),
        "subject.same_industry_area_share": share_of(matched_area, total),
        "subject.new_incubatee_share": share_of(new, incubatees),
        "subject.graduate_count": graduates,
        "subject.high_tech_tenant_share": share_of(high_tech, tenants),
        "subject.specialised_tenant_share": share_of(specialised, tenants),
        "subject.services_per_1000m2": per_thousand_m2(services, total),
        "subject.service_areas_covered": service_areas,
        "subject.cultural_tenant_share": share_of(cultural, tenants),
        "subject.floor_area": floor_area,
    }


def compute_one(park, building, on: datetime.date) -> dict:
    """The computed facts of one subject as of ``on``."""
    return compute([(park, building)], on)[subject_key(park, building)]


# The records behind each fact, one subject at a time -----------------------------------------------------


@dataclass(frozen=True)
class Records:
    """The record sets of one subject on one day: what each fact counts (the evidence pages list them)."""

    park_id: int
    building_id: int | None
    on: datetime.date

    def units(self) -> QuerySet:
        if self.building_id is None:
            return Unit.objects.filter(building__park_id=self.park_id)
        return Unit.objects.filter(building_id=self.building_id, building__park_id=self.park_id)

    def held_units(self) -> QuerySet:
        return self.units().filter(Exists(_holding_leases(self.on)))

    def leases(self) -> QuerySet:
        """The leases in force on D holding a unit of the subject."""
        return current_leases(self.on).filter(pk__in=Lease.units.through.objects.filter(
            unit__in=self.units()).values("lease_id"))

    def tenants(self) -> QuerySet:
        return Enterprise.objects.filter(pk__in=self.leases().values("enterprise_id"))

    def incubatees(self) -> QuerySet:
        """The subject's incubatee rows in force on D."""
        return self._incubatee_rows().filter(incubatee_in_force(self.on))

    def _incubatee_rows(self) -> QuerySet:
        rows = Incubatee.objects.filter(park_id=self.park_id)
        return rows if self.building_id is None else rows.filter(building_id=self.building_id)

    def incubating_units(self) -> QuerySet:
        return self.units().filter(_incubatee_holding(self.on, by_building=self.building_id is not None))

    def matched_incubating_units(self) -> QuerySet:
        return self.units().filter(_incubatee_holding(self.on, by_building=self.building_id is not None,
                                                      matched=True))

    def matched_incubatees(self) -> QuerySet:
        return self.incubatees().filter(industry_match=True)

    def new_incubatees(self) -> QuerySet:
        return self.incubatees().filter(entered_on__gt=year_before(self.on))

    def graduates(self) -> QuerySet:
        return self._incubatee_rows().filter(graduate_counted(self.on))

    def qualified_tenants(self, kind: str) -> QuerySet:
        return self.tenants().filter(holds_qualification(kind, self.on, "pk"))

    def cultural_tenants(self) -> QuerySet:
        return self.tenants().filter(cultural())

    def services(self) -> QuerySet:
        rows = ServiceRecord.objects.filter(park_id=self.park_id, served_on__gt=year_before(self.on),
                                            served_on__lte=self.on)
        return rows if self.building_id is None else rows.filter(building_id=self.building_id)

    def buildings(self) -> QuerySet:
        rows = Building.objects.filter(park_id=self.park_id)
        return rows if self.building_id is None else rows.filter(pk=self.building_id)


def _area(units: QuerySet) -> int:
    return area_units(units.aggregate(total=Sum("area"))["total"])


def _distinct_enterprises(rows: QuerySet) -> int:
    return rows.values("enterprise_id").distinct().count()


def compute_loop(subjects: Iterable, on: datetime.date) -> dict[Subject, dict]:
    """The same facts as ``compute``, subject by subject from the record sets (a dozen queries per subject)."""
    results = {}
    for park_id, building_id in _keys(subjects):
        records = Records(park_id, building_id, on)
        gfas = list(records.buildings().values_list("gross_floor_area", flat=True))
        results[(park_id, building_id)] = assemble(
            total=_area(records.units()), leased=_area(records.held_units()),
            incubating=_area(records.incubating_units()), matched_area=_area(records.matched_incubating_units()),
            floor_area=(sum(area_units(g) for g in gfas) if gfas and None not in gfas else MISSING),
            tenants=records.tenants().count(),
            high_tech=records.qualified_tenants(QualificationKind.HIGH_TECH).count(),
            specialised=records.qualified_tenants(QualificationKind.SPECIALISED).count(),
            cultural=records.cultural_tenants().count(),
            incubatees=_distinct_enterprises(records.incubatees()),
            matched=_distinct_enterprises(records.matched_incubatees()),
            new=_distinct_enterprises(records.new_incubatees()),
            graduates=records.graduates().count(),
            services=records.services().count(),
            service_areas=records.services().order_by().values("area").distinct().count(),
        )
    return results


# Evidence: the records behind a number, for the user who asks --------------------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable  # row → text
    url: Callable | None = None  # row → address of the record, or None


@dataclass(frozen=True)
class Evidence:
    """The records a fact of a subject counts on a day: their ``kind`` ("unit", "lease", "enterprise",
    "incubatee", "servicerecord", "qualification"), the rows (scoped to the user), and how to show them."""

    kind: str
    fact: Fact
    value: object
    on: datetime.date
    queryset: QuerySet
    columns: tuple[Column, ...]


def _link(row, *names) -> str | None:
    target = row
    for name in names:
        target = getattr(target, name, None)
        if target is None:
            return None
    try:
        return target.get_absolute_url()
    except NoReverseMatch:
        return None


def _units(rows: QuerySet, on: datetime.date) -> QuerySet:
    holder = _holding_leases(on).order_by("start_date", "pk")
    return (rows.select_related("building").order_by("building__code", "code")
            .annotate(lease_id=Subquery(holder.values("pk")[:1]),
                      lease_number=Subquery(holder.values("contract_number")[:1]),
                      tenant_name=Subquery(holder.values("enterprise__name")[:1])))


UNIT_COLUMNS = (
    Column(_("building"), lambda u: u.building.name, lambda u: _link(u, "building")),
    Column(_("unit number"), lambda u: u.code, lambda u: _link(u)),
    Column(_("area (m²)"), lambda u: display(u.area)),
    Column(_("tenant"), lambda u: display(u.tenant_name)),
    Column(_("contract number"), lambda u: display(u.lease_number or (u.lease_id and f"#{u.lease_id}")),
           lambda u: reverse("leasing:lease_detail", args=[u.lease_id]) if u.lease_id else None),
)
ENTERPRISE_COLUMNS = (
    Column(_("name"), lambda e: e.name, lambda e: _link(e)),
    Column(_("unified social credit code"), lambda e: e.credit_code),
    Column(_("industry (GB/T 4754-2017)"), lambda e: display(e.industry and f"{e.industry.code} {e.industry.name}")),
)
INCUBATEE_COLUMNS = (
    Column(_("enterprise"), lambda i: i.enterprise.name, lambda i: _link(i)),
    Column(_("building"), lambda i: display(i.building and i.building.name)),
    Column(_("entered on"), lambda i: display(i.entered_on)),
    Column(_("left on"), lambda i: display(i.left_on)),
    Column(_("reason for leaving"), lambda i: display(i.get_exit_reason_display())),
    Column(_("graduation basis"), lambda i: display(i.get_graduation_basis_display())),
    Column(_("in the incubator's target industry"), lambda i: display(i.industry_match)),
)
SERVICE_COLUMNS = (
    Column(_("date"), lambda s: display(s.served_on), lambda s: _link(s)),
    Column(_("service area"), lambda s: s.get_area_display()),
    Column(_("tenant"), lambda s: s.enterprise.name),
    Column(_("building"), lambda s: display(s.building and s.building.name)),
    Column(_("description"), lambda s: s.description),
)

# fact → (kind, the record set of Records that it counts)
EVIDENCE = {
    "subject.area_controlled": ("unit", lambda r: r.units()),
    "subject.leased_area": ("unit", lambda r: r.held_units()),
    "subject.occupancy": ("unit", lambda r: r.held_units()),
    "subject.tenant_count": ("enterprise", lambda r: r.tenants()),
    "subject.incubatee_count": ("incubatee", lambda r: r.incubatees()),
    "subject.incubatee_area": ("unit", lambda r: r.incubating_units()),
    "subject.incubatee_area_share": ("unit", lambda r: r.incubating_units()),
    "subject.incubatees_per_1000m2": ("incubatee", lambda r: r.incubatees()),
    "subject.same_industry_share": ("incubatee", lambda r: r.matched_incubatees()),
    "subject.same_industry_area_share": ("unit", lambda r: r.matched_incubating_units()),
    "subject.new_incubatee_share": ("incubatee", lambda r: r.new_incubatees()),
    "subject.graduate_count": ("incubatee", lambda r: r.graduates()),
    "subject.high_tech_tenant_share": ("enterprise", lambda r: r.qualified_tenants(QualificationKind.HIGH_TECH)),
    "subject.specialised_tenant_share": ("enterprise",
                                         lambda r: r.qualified_tenants(QualificationKind.SPECIALISED)),
    "subject.services_per_1000m2": ("servicerecord", lambda r: r.services()),
    "subject.service_areas_covered": ("servicerecord", lambda r: r.services()),
    "subject.cultural_tenant_share": ("enterprise", lambda r: r.cultural_tenants()),
}


def evidence(*, user, park, building, fact: str, on: datetime.date) -> Evidence | None:
    """The records behind ``fact`` of the subject on ``on``, as ``user`` may see them; None when the park (or
    the building) is outside the user's scope, the building is not the park's, or the fact has no records."""
    if fact not in EVIDENCE:
        return None
    park_id, building_id = subject_key(park, building)
    if not visible_to(user, Park).filter(pk=park_id).exists():
        return None
    if building_id is not None and not Building.objects.filter(pk=building_id, park_id=park_id).exists():
        return None
    kind, records_of = EVIDENCE[fact]
    records = Records(park_id, building_id, on)
    rows = records_of(records)
    model = rows.model
    rows = rows.filter(pk__in=visible_to(user, model).values("pk"))
    if kind == "unit":
        rows, columns = _units(rows, on), UNIT_COLUMNS
    elif kind == "enterprise":
        rows, columns = rows.select_related("industry").order_by("name", "pk"), ENTERPRISE_COLUMNS
    elif kind == "incubatee":
        rows, columns = (rows.select_related("enterprise", "building").order_by("-entered_on", "pk"),
                         INCUBATEE_COLUMNS)
    else:
        rows, columns = (rows.select_related("enterprise", "building").order_by("-served_on", "-pk"),
                         SERVICE_COLUMNS)
    value = compute([(park_id, building_id)], on)[(park_id, building_id)][fact]
    return Evidence(kind=kind, fact=CATALOGUE[fact], value=value, on=on, queryset=rows, columns=columns)
