"""Certification's part of the synthetic data (``manage.py generate``, ``demo.parts``): schemes with a published
version, about 1,000 certified subjects at city scale (one per 12 buildings, at least four), the incubatees of
the certified incubators, qualifications of their tenants, and the service records of the last 15 months.

After spaces has written the units and leasing the leases (step ``certification.records`` after
``spaces.units``), it reads back what it builds on with a few grouped queries: the parks and buildings, and each
certified park's tenancies (its tenants with their first lease start and last lease end). Everything is drawn
from ``plan.stream("certification")`` in the order of those rows (parks and buildings by code, tenancies by
park and enterprise id, which follow the order the generator wrote them), so the same seed, scale and day give
the same records, and nothing the other parts draw changes.

- Certified subjects: four parks in five, under the incubator, science park or cultural park scheme by the
  park's kind; one in five a building under the specialised building scheme.
- Incubatees: in the parks certified as incubators or science parks, about 35 % of the tenants whose first
  lease began in the last eight years, entering when it began (or up to two months later); a tenant whose
  last lease has ended left on its end date: graduated (35 %, on one of the four bases), moved out, closed
  or at the end of its incubation; 60 % in the park's target industry.
- Qualifications of the certified subjects' parks' tenants: 12 % a national high-tech certificate, 6 % a 专精特新
  one, issued in the last five years, high-tech ones valid three years; nine graduates in ten on the
  high-tech basis hold a certificate issued before they left.
- Service records: 30–300 a subject over the last 15 months, to the park's tenants, in the seven areas.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max, Min

from demo.values import DAY, add_years, random_day
from enterprises.models import Qualification
from leasing.models import Lease
from spaces.models import Building, Park

from .builder import version_hash
from .choices import ExitReason, GraduationBasis, ServiceArea, VersionStatus
from .models import Certification, Incubatee, Scheme, SchemeVersion, ServiceRecord

SUBJECTS_PER_BUILDING = 1_000 / 12_000  # about 1,000 certified subjects at city scale
MIN_SUBJECTS = 4
BUILDING_SUBJECT_SHARE = 0.2
INCUBATEE_SHARE = 0.35
INCUBATION_YEARS = 8
HIGH_TECH_SHARE = 0.12
SPECIALISED_SHARE = 0.06
SERVICES = (30, 300)
SERVICE_DAYS = 450

# code, name, category, subject, level
SCHEMES = (
    ("syn-incubator", "（合成）市级科技企业孵化器", "incubator", "park", "municipal"),
    ("syn-science-park", "（合成）区级科技园区", "science_park", "park", "district"),
    ("syn-cultural-park", "（合成）区级文化创意产业园区", "cultural_park", "park", "district"),
    ("syn-building", "（合成）区级专业楼宇", "specialised_building", "building", "district"),
)
CRITERIA = {
    "incubator": {"all": [
        {"fact": "subject.area_controlled", "op": "ge", "value": 300_000},
        {"fact": "subject.incubatee_count", "op": "ge", "value": {"param": "min_incubatees"}},
        {"fact": "subject.incubatee_area_share", "op": "ge", "value": 7500},
        {"fact": "subject.operating_years", "op": "ge", "value": 2},
    ]},
    "science_park": {"all": [
        {"fact": "subject.area_controlled", "op": "ge", "value": 1_000_000},
        {"fact": "subject.occupancy", "op": "ge", "value": 7000},
        {"fact": "subject.high_tech_tenant_share", "op": "ge", "value": 1000},
    ]},
    "cultural_park": {"all": [
        {"fact": "subject.area_controlled", "op": "ge", "value": 500_000},
        {"fact": "subject.cultural_tenant_share", "op": "ge", "value": 5000},
    ]},
    "specialised_building": {"all": [
        {"fact": "subject.area_controlled", "op": "ge", "value": 500_000},
        {"fact": "subject.occupancy", "op": "ge", "value": 8000},
        {"fact": "subject.tenant_count", "op": "ge", "value": 10},
    ]},
}
INDICATORS = [
    {"code": "Q1", "label": "在孵企业", "kind": "quantitative", "fact": "subject.incubatee_count", "weight": 20,
     "full_at": 50},
    {"code": "Q2", "label": "出租率", "kind": "quantitative", "fact": "subject.occupancy", "weight": 20,
     "full_at": 9000},
    {"code": "Q3", "label": "国家高新技术企业占比", "kind": "quantitative", "fact": "subject.high_tech_tenant_share",
     "weight": 15, "full_at": 3000},
    {"code": "Q4", "label": "每千平方米服务次数", "kind": "quantitative", "fact": "subject.services_per_1000m2",
     "weight": 15, "full_at": 500},
    {"code": "Q5", "label": "覆盖的服务领域", "kind": "quantitative", "fact": "subject.service_areas_covered",
     "weight": 10, "full_at": 7},
    {"code": "E1", "label": "服务体系与团队", "kind": "qualitative", "weight": 20},
]
GRADE_BANDS = [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60},
               {"grade": "D", "min": 0}]
PARAMETERS = {"min_incubatees": {"type": "count", "label": "在孵企业数量下限", "values": [["2018-12-01", 50]]}}

EXITS = ([ExitReason.GRADUATED, ExitReason.MOVED_OUT, ExitReason.CLOSED, ExitReason.EXPIRED], [35, 35, 10, 20])
BASES = ([GraduationBasis.HIGH_TECH, GraduationBasis.INVESTMENT, GraduationBasis.REVENUE,
          GraduationBasis.ACQUIRED_OR_LISTED], [45, 25, 25, 5])
SERVICE_AREAS = ([a.value for a in ServiceArea], [18, 16, 20, 14, 16, 12, 4])
SERVICE_TEXT = {
    "tech_transfer": "技术成果对接", "finance": "投融资对接会", "entrepreneurship": "创业辅导",
    "management": "企业管理培训", "business": "工商财税代办", "market": "市场推广活动", "international": "国际合作交流",
}


def register(part) -> None:
    """Add the certification records to ``part``'s synthetic steps."""
    part.synthetic.step("records", after=["spaces.units"])(generate_records)


def generate_records(plan) -> None:
    rng = plan.stream("certification")
    today = plan.today
    with transaction.atomic():
        versions = write_schemes(today)
        subjects = write_certifications(plan, rng, versions)
    tenancies = park_tenancies(sorted({park_id for park_id, _b, _c in subjects}))
    incubating = {park_id for park_id, _b, category in subjects if category in ("incubator", "science_park")}
    graduates = write_incubatees(plan, rng, tenancies, incubating)
    write_qualifications(plan, rng, tenancies, graduates)
    write_services(plan, rng, subjects, tenancies)
    plan.say(f"{plan.counts['certifications']} certified subjects, {plan.counts['incubatees']} incubatees, "
             f"{plan.counts['qualifications']} qualifications, {plan.counts['service_records']} service records")


def write_schemes(today: datetime.date) -> dict:
    """One published version of each scheme, in force from five years before ``today``."""
    versions = {}
    for code, name, category, subject_kind, level in SCHEMES:
        scheme, _created = Scheme.objects.get_or_create(code=code, defaults={
            "name": name, "category": category, "subject_kind": subject_kind, "level": level,
            "issuer": "（合成数据）"})
        version = scheme.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
        if version is None:
            version = SchemeVersion(
                scheme=scheme, number=1, status=VersionStatus.PUBLISHED, effective_from=add_years(today, -5),
                criteria=CRITERIA[category], indicators=INDICATORS, grade_bands=GRADE_BANDS,
                parameters=PARAMETERS if category == "incubator" else {}, validity_years=3,
                source_document="（合成数据）", published_by="generate")
            version.content_hash = version_hash(version)  # as publishing fixes it
            version.save()
        versions[category] = version
    return versions


def write_certifications(plan, rng, versions: dict) -> list[tuple[int, int | None, str]]:
    """The certified subjects: (park id, building id or None, scheme category)."""
    parks = list(Park.objects.order_by("code").values_list("id", "kind"))
    buildings = list(Building.objects.order_by("code").values_list("id", "park_id"))
    wanted = max(MIN_SUBJECTS, round(len(buildings) * SUBJECTS_PER_BUILDING))
    n_buildings = min(len(buildings), round(wanted * BUILDING_SUBJECT_SHARE))
    n_parks = min(len(parks), wanted - n_buildings)
    subjects = []
    for park_id, kind in sorted(rng.sample(parks, n_parks)):
        if kind == "cultural":
            category = "cultural_park"
        elif kind == "science":
            category = rng.choice(["incubator", "science_park"])
        else:
            category = rng.choices(["incubator", "science_park"], [70, 30])[0]
        subjects.append((park_id, None, category))
    for building_id, park_id in sorted(rng.sample(buildings, n_buildings)):
        subjects.append((park_id, building_id, "specialised_building"))
    numbers = {}
    rows = []
    for park_id, building_id, category in subjects:
        version = versions[category]
        numbers[category] = numbers.get(category, 0) + 1
        valid_from = random_day(rng, add_years(plan.today, -3) + DAY, plan.today)
        rows.append(Certification(
            scheme_id=version.scheme_id, version=version, park_id=park_id, building_id=building_id,
            level=version.scheme.level, valid_from=valid_from, valid_until=add_years(valid_from, 3) - DAY,
            certificate_number=f"SYN-{version.scheme.code[4:].upper()}-{plan.seed}-{numbers[category]:05d}"))
    Certification.objects.bulk_create(rows, batch_size=plan.batch_size)
    plan.count("certifications", len(rows))
    return subjects


def park_tenancies(park_ids: list[int]) -> dict[int, list[tuple[int, datetime.date, datetime.date]]]:
    """Each park's tenants with the start of their first lease there and the end of their last (one query)."""
    tenancies: dict[int, list] = {park_id: [] for park_id in park_ids}
    rows = (Lease.objects.filter(park_id__in=park_ids).order_by("park_id", "enterprise_id")
            .values_list("park_id", "enterprise_id").annotate(first=Min("start_date"), last=Max("end_date")))
    for park_id, enterprise_id, first, last in rows:
        tenancies[park_id].append((enterprise_id, first, last))
    return tenancies


def _batched(plan, model, rows, key: str) -> None:
    plan.counts.setdefault(key, 0)
    for start in range(0, len(rows), plan.batch_size):
        with transaction.atomic():
            model.objects.bulk_create(rows[start:start + plan.batch_size])
        plan.count(key, len(rows[start:start + plan.batch_size]))


def write_incubatees(plan, rng, tenancies: dict, incubating: set) -> list[tuple[int, datetime.date]]:
    """The incubatees of the certified incubators and science parks; returns the high-tech graduates
    (enterprise id, leaving day)."""
    today = plan.today
    since = add_years(today, -INCUBATION_YEARS)
    rows, high_tech = [], []
    for park_id in sorted(incubating):
        for enterprise_id, first, last in tenancies.get(park_id, ()):
            if first < since or first > today or rng.random() >= INCUBATEE_SHARE:
                continue
            entered = min(first + datetime.timedelta(days=rng.randint(0, 60)), last, today)
            left, reason, basis = None, "", ""
            if last < today:
                left = last
                reason = rng.choices(*EXITS)[0]
                if reason == ExitReason.GRADUATED:
                    basis = rng.choices(*BASES)[0]
                    if basis == GraduationBasis.HIGH_TECH:
                        high_tech.append((enterprise_id, left))
            rows.append(Incubatee(park_id=park_id, enterprise_id=enterprise_id, entered_on=entered, left_on=left,
                                  exit_reason=reason, graduation_basis=basis,
                                  industry_match=rng.random() < 0.6))
    _batched(plan, Incubatee, rows, "incubatees")
    return high_tech


def write_qualifications(plan, rng, tenancies: dict, graduates: list) -> None:
    today = plan.today
    first_issue = add_years(today, -5)
    rows = []
    for enterprise_id, left in graduates:
        if rng.random() < 0.9:
            issued = random_day(rng, add_years(left, -3), left)
            rows.append(Qualification(enterprise_id=enterprise_id, kind="high_tech", issued_on=issued,
                                      valid_until=add_years(issued, 3) - DAY,
                                      certificate_number=f"GR{issued:%Y}{44_000_000 + len(rows):08d}"))
    tenants = sorted({enterprise_id for rows_of_park in tenancies.values() for enterprise_id, _f, _l in rows_of_park})
    for enterprise_id in tenants:
        draw = rng.random()
        if draw < HIGH_TECH_SHARE:
            issued = random_day(rng, first_issue, today)
            rows.append(Qualification(enterprise_id=enterprise_id, kind="high_tech", issued_on=issued,
                                      valid_until=add_years(issued, 3) - DAY,
                                      certificate_number=f"GR{issued:%Y}{44_000_000 + len(rows):08d}"))
        elif draw < HIGH_TECH_SHARE + SPECIALISED_SHARE:
            issued = random_day(rng, first_issue, today)
            level = rng.choices(["innovative_sme", "provincial", "little_giant"], [60, 32, 8])[0]
            rows.append(Qualification(enterprise_id=enterprise_id, kind="specialised", level=level,
                                      issued_on=issued, valid_until=add_years(issued, 3) - DAY))
    _batched(plan, Qualification, rows, "qualifications")


def write_services(plan, rng, subjects: list, tenancies: dict) -> None:
    today = plan.today
    first = today - datetime.timedelta(days=SERVICE_DAYS)
    rows = []
    for park_id, building_id, _category in subjects:
        tenants = [enterprise_id for enterprise_id, _f, last in tenancies.get(park_id) or () if last >= first]
        if not tenants:
            continue
        for _ in range(rng.randint(*SERVICES)):
            area = rng.choices(*SERVICE_AREAS)[0]
            rows.append(ServiceRecord(park_id=park_id, building_id=building_id, enterprise_id=rng.choice(tenants),
                                      area=area, served_on=random_day(rng, first, today),
                                      description=SERVICE_TEXT[area]))
    _batched(plan, ServiceRecord, rows, "service_records")
