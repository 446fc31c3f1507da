"""The fact catalogue the tests of schemes use while ``certification.facts`` is not there: the facts of the
shared plan, by name, type, label and unit. ``ensure_catalogue()`` puts it in place of the module only when the
module cannot be imported; with the real catalogue present it does nothing."""

import importlib
import sys
import types

from core.rules import Catalogue, Fact, FactType

A, S, C, R, M = FactType.AREA, FactType.SHARE, FactType.COUNT, FactType.RATIO, FactType.MONEY

FACTS = [
    ("subject.area_controlled", A, "管理面积", "", "computed"),
    ("subject.leased_area", A, "已出租面积", "", "computed"),
    ("subject.occupancy", S, "出租率", "", "computed"),
    ("subject.tenant_count", C, "在租企业", "家", "computed"),
    ("subject.incubatee_count", C, "在孵企业", "家", "computed"),
    ("subject.incubatee_area", A, "在孵企业使用面积", "", "computed"),
    ("subject.incubatee_area_share", S, "在孵企业使用面积占比", "", "computed"),
    ("subject.incubatees_per_1000m2", R, "每千平方米在孵企业", "家/千㎡", "computed"),
    ("subject.same_industry_share", S, "主导产业在孵企业占比", "", "computed"),
    ("subject.new_incubatee_share", S, "近一年新入孵企业占比", "", "computed"),
    ("subject.graduate_count", C, "累计毕业企业", "家", "computed"),
    ("subject.high_tech_tenant_share", S, "国家高新技术企业占比", "", "computed"),
    ("subject.specialised_tenant_share", S, "专精特新企业占比", "", "computed"),
    ("subject.services_per_1000m2", R, "近12个月每千平方米服务次数", "项/千㎡", "computed"),
    ("subject.service_areas_covered", C, "近12个月覆盖的服务领域", "类", "computed"),
    ("subject.operating_years", C, "运营年限", "年", "supplied"),
    ("subject.fund_size", M, "孵化基金规模", "", "supplied"),
    ("subject.invested_incubatee_share", S, "获投资在孵企业占比", "", "supplied"),
    ("subject.financed_incubatee_share", S, "获融资在孵企业占比", "", "supplied"),
    ("subject.team_size", C, "运营团队人数", "人", "supplied"),
    ("subject.professional_staff_share", S, "专业人员占比", "", "supplied"),
    ("subject.mentors_per_10_incubatees", R, "每10家在孵企业创业导师", "名", "supplied"),
    ("subject.ip_incubatee_share", S, "拥有有效知识产权的在孵企业占比", "", "supplied"),
    ("subject.patent_applicant_share", S, "申请专利的在孵企业占比", "", "supplied"),
    ("subject.tech_sme_share", S, "科技型中小企业占比", "", "supplied"),
    ("subject.growing_incubatee_share", S, "营收或研发增长≥20%的在孵企业占比", "", "supplied"),
    ("subject.non_rent_income_share", S, "非租金收入占比", "", "supplied"),
    ("subject.floor_area", A, "建筑面积", "", "supplied"),
    ("subject.cultural_tenant_share", S, "文化创意企业占比", "", "computed"),
]


def fallback_catalogue() -> Catalogue:
    return Catalogue(Fact(name=n, type=t, label=label, unit=unit, source=source) for n, t, label, unit, source in FACTS)


def ensure_catalogue() -> None:
    try:
        importlib.import_module("certification.facts")
    except ModuleNotFoundError as error:
        if error.name != "certification.facts":
            raise
        module = types.ModuleType("certification.facts")
        module.CATALOGUE = fallback_catalogue()
        sys.modules["certification.facts"] = module
