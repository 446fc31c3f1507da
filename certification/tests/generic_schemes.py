"""Generic test classes (collected through test_generic.py): schemes and their versions."""

import datetime
import itertools

from certification.choices import VersionStatus
from certification.models import Scheme, SchemeVersion
from yuanqu.generic_tests import ModelTests

_numbers = itertools.count(1)

# A version's content that checks and publishes: two groups of criteria (one an either-or), a parameter, three
# indicators weighing 100 and the four grade bands.
CRITERIA = {"all": [
    {"fact": "subject.incubatee_count", "op": "ge", "value": {"param": "min_incubatees"}, "label": "在孵企业数量"},
    {"any": [{"fact": "subject.incubatee_area_share", "op": "ge", "value": 7500},
             {"fact": "subject.area_controlled", "op": "ge", "value": 1000000}]},
]}
PARAMETERS = {"min_incubatees": {"type": "count", "label": "在孵企业数量下限", "values": [["2018-12-01", 50]]}}
INDICATORS = [
    {"code": "Q1", "label": "在孵企业数量", "kind": "quantitative", "fact": "subject.incubatee_count", "weight": 40,
     "full_at": 50},
    {"code": "Q2", "label": "每千平方米服务次数", "kind": "quantitative", "fact": "subject.services_per_1000m2",
     "weight": 30, "full_at": 500},
    {"code": "E1", "label": "服务体系与团队", "kind": "qualitative", "weight": 30},
]
GRADE_BANDS = [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60},
               {"grade": "D", "min": 0}]


def a_scheme(side: str, **overrides) -> Scheme:
    number = next(_numbers)
    return Scheme.objects.create(**{"code": f"gen-{side}-{number}", "name": f"{side.upper()}{number} 孵化器认定办法",
                                    "category": "incubator", "level": "district", "issuer": "福田区科技创新局",
                                    **overrides})


def a_version(scheme: Scheme | None = None, side: str = "a", **overrides) -> SchemeVersion:
    scheme = scheme or a_scheme(side)
    number = (scheme.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return SchemeVersion.objects.create(**{
        "scheme": scheme, "number": number, "status": VersionStatus.DRAFT,
        "effective_from": datetime.date(2019, 1, 1), "source_document": "国科发区〔2018〕300号",
        "criteria": CRITERIA, "parameters": PARAMETERS, "indicators": INDICATORS, "grade_bands": GRADE_BANDS,
        **overrides})


class TestScheme(ModelTests):
    model = Scheme
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "", "expert": "v"}
    # Operators read every scheme (they apply under them); an expert only the schemes of its rounds.
    scope = {"operator": "ab", "expert": ""}
    update = {"issuer": "深圳市福田区科技创新局"}

    def sample(self, world, side, **overrides):
        return a_scheme(side, **overrides)

    def create_data(self, world, side):
        number = next(_numbers)
        return {"code": f"new-{side}-{number}", "name": f"新认定办法{side}{number}", "category": "cultural_park",
                "subject_kind": "park", "level": "municipal", "issuer": "深圳市文化广电旅游体育局",
                "description": "市级文化产业园区认定"}


class TestSchemeVersion(ModelTests):
    model = SchemeVersion
    expected = {"admin": "vacd", "officer": "vacd", "leader": "v", "operator": "v", "enterprise": "", "expert": "v"}
    scope = {"operator": "ab", "expert": ""}
    update = {"source_document": "深工信规〔2025〕10号"}

    def sample(self, world, side, **overrides):
        """A draft version (the overrides set its state) of a scheme of its own, with content that publishes."""
        return a_version(side=side, **overrides)

    def create_data(self, world, side):
        return {"scheme": a_scheme(side), "effective_from": "2025-07-01", "source_document": "深工信规〔2025〕10号",
                "source_date": "2025-06-10", "validity_years": "3", "notes": "[assume] 权重按区级办法"}
