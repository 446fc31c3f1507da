"""Generic test classes (collected through test_generic.py): assessment rounds and assessments. An expert sees
the rounds it is assigned to (side "a": the world's expert is assigned, side "b": not) and their assessments; an
operator the rounds and assessments of its parks."""

import datetime
import itertools

from certification.choices import RoundStatus, SchemeCategory, SchemeLevel, VersionStatus
from certification.models import Assessment, AssessmentRound, Certification, Scheme, SchemeVersion
from yuanqu.generic_tests import ModelTests

NUMBERS = itertools.count(1)
REFERENCE_DATE = datetime.date(2025, 12, 31)
INDICATORS = [
    {"code": "Q1", "label": "在孵企业数量", "kind": "quantitative", "fact": "subject.incubatee_count", "weight": 40,
     "full_at": 50},
    {"code": "Q2", "label": "出租率", "kind": "quantitative", "fact": "subject.occupancy", "weight": 30,
     "full_at": 9000},
    {"code": "E1", "label": "服务体系与团队", "kind": "qualitative", "weight": 30},
]
BANDS = [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60}, {"grade": "D", "min": 0}]


def scheme_with_version(name="科技园区认定办法", **version):
    n = next(NUMBERS)
    scheme = Scheme.objects.create(code=f"round-scheme-{n}", name=name, category=SchemeCategory.SCIENCE_PARK,
                                   level=SchemeLevel.DISTRICT, issuer="深圳市福田区科技创新局")
    values = {"number": 1, "status": VersionStatus.PUBLISHED, "effective_from": datetime.date(2020, 1, 1),
              "source_document": "福科创规〔2020〕1号", "indicators": INDICATORS, "grade_bands": BANDS,
              **version}
    return scheme, SchemeVersion.objects.create(scheme=scheme, **values)


def certification_of(world, side, scheme, version, *, building=None, **overrides):
    park = world.on(side).park
    values = {"level": SchemeLevel.DISTRICT, "certificate_number": f"FT-KJ-{next(NUMBERS):05d}",
              "valid_from": datetime.date(2024, 1, 1), "valid_until": datetime.date(2030, 12, 31), **overrides}
    return Certification.objects.create(scheme=scheme, version=version, park=park, building=building, **values)


def round_of(world, side, scheme, version, **overrides):
    values = {"year": 2025, "reference_date": REFERENCE_DATE, "title": f"{side}轮次考核-{next(NUMBERS)}",
              **overrides}
    round_ = AssessmentRound.objects.create(scheme=scheme, version=version, **values)
    if side == "a":
        round_.experts.add(world.users["expert"])
    return round_


def assessment_of(round_, certification, **overrides):
    return Assessment.objects.create(round=round_, certification=certification, park_id=certification.park_id,
                                     **overrides)


class TestAssessmentRound(ModelTests):
    model = AssessmentRound
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "", "expert": "v"}
    update = {"title": "2025年度科技园区考核（修订）"}

    def sample(self, world, side, **overrides):
        scheme, version = scheme_with_version()
        round_ = round_of(world, side, scheme, version, **overrides)
        assessment_of(round_, certification_of(world, side, scheme, version))
        return round_

    def create_data(self, world, side):
        scheme, _version = scheme_with_version()
        return {"scheme": scheme, "year": 2026, "reference_date": "2026-06-30", "title": f"新开考核{side}",
                "experts": [world.users["expert"]]}


class TestAssessment(ModelTests):
    model = Assessment
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "", "expert": "v"}
    update = {"opinion": "园区服务体系完善，建议保持。"}

    def sample(self, world, side, **overrides):
        scheme, version = scheme_with_version()
        round_ = round_of(world, side, scheme, version, status=RoundStatus.OPEN)
        return assessment_of(round_, certification_of(world, side, scheme, version), **overrides)

    def create_data(self, world, side):
        scheme, version = scheme_with_version()
        round_ = round_of(world, side, scheme, version)
        return {"round": round_, "certification": certification_of(world, side, scheme, version), "opinion": ""}
