"""Certification's part of the demo data (``demo.parts``): the schemes of the issue as published versions, the
certified parks and buildings, incubatees and service records, two applications and last year's round.

Schemes: the national incubator criteria of 国科发区〔2018〕300号, comprehensive and specialised, with the yearly
evaluation's indicators of 国科火字〔2019〕239号; Shenzhen's 深工信规〔2025〕10号; a district science-park scheme
(Futian's own measures were not found: the same shape, thresholds assumed, in two versions); the
cultural-creative parks at district, municipal and provincial level; the five specialised-building programmes
(a building is their subject). Whatever no source gave is marked [assume] in the version's notes or the
criterion's note.

Certified subjects reproduce the letter: the demo district's ten cultural parks, two provincial and five
municipal (three district), whose buildings' floor area spaces' part sizes to 45万㎡; science parks certified
as incubators, with incubatees (entry dates, some graduates with their basis) and service records of the last
twelve months; a few specialised buildings; one draft application and one submitted; last year's round of the
district scheme, open, with the demo expert assigned.

Rows are written directly, as the other parts write theirs; every draw comes from ``plan.stream("certification")``
so that nothing another part draws changes.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from core.attachments.services import document_upload
from core.documents import OfficialDocument, Section, render_pdf
from core.reference.choices import Role
from demo.parts import Part
from demo.plan import DistrictPlan
from demo.values import DAY, add_years, random_day
from enterprises.choices import QualificationKind
from enterprises.models import Qualification
from leasing.models import Lease
from spaces.models import Building, Park

from . import generate, services
from .builder import version_hash
from .choices import (
    ApplicationStatus,
    CertificationStatus,
    ExitReason,
    GraduationBasis,
    RoundStatus,
    ServiceArea,
)
from .models import (
    Application,
    Assessment,
    AssessmentRound,
    Certification,
    ConflictDeclaration,
    ExpertScore,
    Incubatee,
    Scheme,
    SchemeVersion,
    ServiceRecord,
)

part = Part("certification", tables=[
    ("expert_scores", ExpertScore), ("conflict_declarations", ConflictDeclaration), ("assessments", Assessment),
    ("round_experts", AssessmentRound.experts.through), ("assessment_rounds", AssessmentRound),
    ("certifications", Certification), ("certification_applications", Application),
    ("service_records", ServiceRecord), ("incubatees", Incubatee), ("scheme_versions", SchemeVersion),
    ("schemes", Scheme),
])

D = datetime.date
M2 = 100  # hundredths of a m² per m²
PERCENT = 100  # basis points per per cent
YUAN = 100  # fen per yuan


def leaf(fact, op, value=None, label="", note=""):
    node = {"fact": fact, "op": op}
    if value is not None:
        node["value"] = value
    if label:
        node["label"] = label
    if note:
        node["note"] = note
    return node


def either(*nodes):
    return {"any": list(nodes)}


def quantitative(code, label, fact, weight, full_at):
    return {"code": code, "label": label, "kind": "quantitative", "fact": fact, "weight": weight, "full_at": full_at}


def qualitative(code, label, weight):
    return {"code": code, "label": label, "kind": "qualitative", "weight": weight}


GRADE_BANDS = [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60},
               {"grade": "D", "min": 0}]
ASSUMED_BANDS = "等级分数线（优秀 90、良好 75、合格 60）为假设 [assume]：来源文件未给出分数线。"

# ----- national incubators (国科发区〔2018〕300号; yearly evaluation 国科火字〔2019〕239号) ---------------------------
NATIONAL_COMMON = [
    leaf("subject.operating_years", "ge", 3, "运营时间"),
    leaf("subject.area_controlled", "ge", 10_000 * M2, "可自主支配的孵化场地面积"),
    leaf("subject.incubatee_area_share", "ge", 75 * PERCENT, "在孵企业使用场地面积占比"),
    leaf("subject.fund_size", "ge", 5_000_000 * YUAN, "自有种子资金或孵化资金"),
    leaf("subject.invested_incubatee_share", "ge", 10 * PERCENT, "获得投融资的在孵企业占比"),
    leaf("subject.professional_staff_share", "ge", 80 * PERCENT, "专业孵化服务人员占比"),
    leaf("subject.mentors_per_10_incubatees", "ge", 100, "每10家在孵企业创业导师"),
    either(leaf("subject.patent_applicant_share", "ge", 50 * PERCENT, "申请专利的在孵企业占比"),
           leaf("subject.ip_incubatee_share", "ge", 30 * PERCENT, "拥有有效知识产权的在孵企业占比")),
]
NATIONAL_COMPREHENSIVE = {"all": [
    *NATIONAL_COMMON,
    leaf("subject.incubatee_count", "ge", {"param": "min_incubatees"}, "在孵企业数量"),
    leaf("subject.incubatees_per_1000m2", "ge", 300, "每千平方米平均在孵企业"),
    leaf("subject.graduate_count", "ge", 20, "累计毕业企业"),
]}
NATIONAL_SPECIALISED = {"all": [
    *NATIONAL_COMMON,
    leaf("subject.same_industry_share", "ge", 75 * PERCENT, "同一产业领域的在孵企业占比"),
    leaf("subject.incubatee_count", "ge", {"param": "min_incubatees"}, "在孵企业数量"),
    leaf("subject.incubatees_per_1000m2", "ge", 200, "每千平方米平均在孵企业"),
    leaf("subject.graduate_count", "ge", 15, "累计毕业企业"),
]}
NATIONAL_NOTES = (
    "认定条件依据《科技企业孵化器管理办法》（国科发区〔2018〕300号）。“每10家在孵企业至少1名专业孵化服务人员”"
    "一项在指标目录中没有对应数据，未列入条件，由经办人审核申请材料时核对。\n"
    "年度评价分综合孵化器与专业孵化器两套指标（国科火字〔2019〕239号）；各项指标的权重和满分值为假设 [assume]，"
    "文件未公开具体权重。\n" + ASSUMED_BANDS)
NATIONAL_COMPREHENSIVE_INDICATORS = [
    quantitative("Q1", "在孵企业数量", "subject.incubatee_count", 15, 100),
    quantitative("Q2", "每千平方米在孵企业", "subject.incubatees_per_1000m2", 10, 500),
    quantitative("Q3", "累计毕业企业", "subject.graduate_count", 15, 50),
    quantitative("Q4", "获投资在孵企业占比", "subject.invested_incubatee_share", 10, 30 * PERCENT),
    quantitative("Q5", "近12个月每千平方米服务次数", "subject.services_per_1000m2", 10, 2000),
    quantitative("Q6", "国家高新技术企业占比", "subject.high_tech_tenant_share", 10, 30 * PERCENT),
    qualitative("E1", "服务体系与运营团队", 15),
    qualitative("E2", "社会效益与示范带动", 15),
]
NATIONAL_SPECIALISED_INDICATORS = [
    quantitative("Q1", "在孵企业数量", "subject.incubatee_count", 10, 60),
    quantitative("Q2", "主导产业在孵企业占比", "subject.same_industry_share", 20, 90 * PERCENT),
    quantitative("Q3", "累计毕业企业", "subject.graduate_count", 15, 30),
    quantitative("Q4", "拥有有效知识产权的在孵企业占比", "subject.ip_incubatee_share", 15, 60 * PERCENT),
    quantitative("Q5", "近12个月每千平方米服务次数", "subject.services_per_1000m2", 10, 2000),
    qualitative("E1", "专业技术服务平台", 15),
    qualitative("E2", "产业链带动作用", 15),
]

# ----- Shenzhen (深工信规〔2025〕10号) ---------------------------------------------------------------------------------
SHENZHEN = {"all": [
    leaf("subject.operating_years", "ge", 1, "运营时间"),
    leaf("subject.area_controlled", "ge", 3_000 * M2, "孵化场地面积"),
    leaf("subject.team_size", "ge", 5, "运营团队人数"),
    leaf("subject.professional_staff_share", "ge", 80 * PERCENT, "专业人员占比"),
    leaf("subject.mentors_per_10_incubatees", "ge", 100, "每10家在孵企业创业导师"),
    leaf("subject.incubatee_count", "ge", 20, "在孵企业数量"),
    leaf("subject.new_incubatee_share", "ge", 20 * PERCENT, "近一年新注册在孵企业占比"),
    leaf("subject.tech_sme_share", "ge", 20 * PERCENT, "科技型中小企业占比"),
    leaf("subject.growing_incubatee_share", "ge", 20 * PERCENT, "营收或研发投入增长≥20%的在孵企业占比"),
    either(leaf("subject.invested_incubatee_share", "ge", 10 * PERCENT, "获投资在孵企业占比"),
           leaf("subject.financed_incubatee_share", "ge", 20 * PERCENT, "获融资在孵企业占比")),
    leaf("subject.non_rent_income_share", "ge", 20 * PERCENT, "非租金收入占总收入比例"),
]}
SHENZHEN_NOTES = ("认定条件依据深工信规〔2025〕10号。施行日期按 2025年5月1日录入 [assume]，以文件公布为准。"
                  "本办法不设区级年度考核指标。")

# ----- the district's science parks (incubators) [assume] ---------------------------------------------------------
DISTRICT_SCIENCE_V1 = {"all": [
    leaf("subject.operating_years", "ge", 1, "运营时间", "[assume]"),
    leaf("subject.area_controlled", "ge", 5_000 * M2, "园区管理面积", "[assume]"),
    leaf("subject.incubatee_area_share", "ge", 60 * PERCENT, "在孵企业使用面积占比", "[assume]"),
    leaf("subject.incubatee_count", "ge", {"param": "min_incubatees"}, "在孵企业数量", "[assume]"),
    leaf("subject.incubatees_per_1000m2", "ge", 200, "每千平方米在孵企业", "[assume]"),
    leaf("subject.team_size", "ge", 5, "专业运营团队人数", "[assume]"),
    leaf("subject.professional_staff_share", "ge", 50 * PERCENT, "专业人员占比", "[assume]"),
    leaf("subject.service_areas_covered", "ge", 5, "近12个月覆盖的服务领域（共七类）", "[assume]"),
]}
DISTRICT_SCIENCE_V2 = {"all": [
    *DISTRICT_SCIENCE_V1["all"][:6],
    leaf("subject.professional_staff_share", "ge", 60 * PERCENT, "专业人员占比", "[assume]"),
    leaf("subject.service_areas_covered", "ge", 7, "近12个月覆盖的服务领域（共七类）",
         "[assume] 复函要求运营机构提供技术转移、科技金融、创业辅导、管理、商务、市场、国际合作七类服务"),
    leaf("subject.services_per_1000m2", "ge", 500, "近12个月每千平方米服务次数", "[assume]"),
]}
DISTRICT_SCIENCE_PARAMETERS = {"min_incubatees": {"type": "count", "label": "在孵企业数量下限",
                                                  "values": [["2021-01-01", 15], ["2025-01-01", 20]]}}
DISTRICT_SCIENCE_INDICATORS = [
    quantitative("Q1", "在孵企业数量", "subject.incubatee_count", 15, 60),
    quantitative("Q2", "近12个月每千平方米服务次数", "subject.services_per_1000m2", 15, 1000),
    quantitative("Q3", "近12个月覆盖的服务领域", "subject.service_areas_covered", 10, 7),
    quantitative("Q4", "累计毕业企业", "subject.graduate_count", 10, 10),
    quantitative("Q5", "国家高新技术企业占比", "subject.high_tech_tenant_share", 10, 30 * PERCENT),
    quantitative("Q6", "出租率", "subject.occupancy", 10, 90 * PERCENT),
    qualitative("E1", "运营团队与专业服务", 15),
    qualitative("E2", "产业集聚与示范带动", 15),
]
DISTRICT_SCIENCE_NOTES = (
    "福田区科技园区（孵化器）认定暂行办法的原文未找到 [assume]：按国家和深圳市办法的条件结构建模，"
    "各项门槛、指标权重和满分值均为假设，作为数据维护，修改时新建版本即可。\n" + ASSUMED_BANDS)

# ----- cultural and creative parks [assume] -----------------------------------------------------------------------
def cultural(floor_area_m2, share, tenants, years):
    return {"all": [
        leaf("subject.floor_area", "ge", floor_area_m2 * M2, "园区建筑面积", "[assume]"),
        leaf("subject.cultural_tenant_share", "ge", share * PERCENT, "文化创意企业占比", "[assume]"),
        leaf("subject.tenant_count", "ge", tenants, "入驻企业数量", "[assume]"),
        leaf("subject.operating_years", "ge", years, "运营年限", "[assume]"),
    ]}


CULTURAL_NOTES = ("各级文化产业园区的认定门槛未逐条核实 [assume]：建筑面积、文化企业占比、入驻企业数和运营年限"
                  "均为假设值，按数据维护。")
CULTURAL_INDICATORS = [
    quantitative("Q1", "文化创意企业占比", "subject.cultural_tenant_share", 30, 80 * PERCENT),
    quantitative("Q2", "出租率", "subject.occupancy", 20, 90 * PERCENT),
    quantitative("Q3", "入驻企业数量", "subject.tenant_count", 20, 80),
    qualitative("E1", "公共服务平台与品牌活动", 30),
]

# ----- the five specialised-building programmes (a building is the subject) [assume] --------------------------------
BUILDING_NOTES = ("福田区上述楼宇的定义和认定标准未公开（DOMAIN.md §3）[assume]：以楼宇为认定对象，"
                  "门槛均为假设，按数据维护。")


def building_criteria(*extra):
    return {"all": [leaf("subject.floor_area", "ge", 10_000 * M2, "楼宇建筑面积", "[assume]"),
                    leaf("subject.occupancy", "ge", 80 * PERCENT, "出租率", "[assume]"), *extra]}


# code, name, category, subject, level, issuer, description, versions: [(number, status, effective, source,
# source date, validity years, criteria, indicators, bands, parameters, notes)]
SCHEMES = [
    ("national-incubator", "国家级科技企业孵化器（综合孵化器）", "incubator", "park", "national", "科学技术部",
     "综合孵化器：面向多个产业领域孵化科技型创业企业。年度评价与专业孵化器分开进行。",
     [(1, "published", D(2019, 1, 1), "国科发区〔2018〕300号", D(2018, 12, 27), 3, NATIONAL_COMPREHENSIVE,
       NATIONAL_COMPREHENSIVE_INDICATORS, GRADE_BANDS,
       {"min_incubatees": {"type": "count", "label": "在孵企业数量下限", "values": [["2019-01-01", 50]]}},
       NATIONAL_NOTES)]),
    ("national-incubator-specialised", "国家级科技企业孵化器（专业孵化器）", "incubator", "park", "national",
     "科学技术部", "专业孵化器：聚焦一个产业领域，同一领域在孵企业占比不低于75%。",
     [(1, "published", D(2019, 1, 1), "国科发区〔2018〕300号", D(2018, 12, 27), 3, NATIONAL_SPECIALISED,
       NATIONAL_SPECIALISED_INDICATORS, GRADE_BANDS,
       {"min_incubatees": {"type": "count", "label": "在孵企业数量下限", "values": [["2019-01-01", 30]]}},
       NATIONAL_NOTES)]),
    ("shenzhen-incubator", "深圳市科技企业孵化器", "incubator", "park", "municipal", "深圳市工业和信息化局",
     "深圳市级科技企业孵化器认定。",
     [(1, "published", D(2025, 5, 1), "深工信规〔2025〕10号", None, 3, SHENZHEN, [], [], {}, SHENZHEN_NOTES)]),
    ("futian-science-park", "福田区科技园区（孵化器）", "science_park", "park", "district", "福田区科技创新局",
     "福田区认定的科技园区（孵化器），运营机构须配备专业团队，为入驻企业提供七类服务。",
     [(1, "retired", D(2021, 1, 1), "福田区科技园区（孵化器）认定暂行办法 [assume]", None, 3, DISTRICT_SCIENCE_V1,
       DISTRICT_SCIENCE_INDICATORS, GRADE_BANDS, DISTRICT_SCIENCE_PARAMETERS, DISTRICT_SCIENCE_NOTES),
      (2, "published", D(2025, 1, 1), "福田区科技园区（孵化器）认定暂行办法（修订）[assume]", None, 3,
       DISTRICT_SCIENCE_V2, DISTRICT_SCIENCE_INDICATORS, GRADE_BANDS, DISTRICT_SCIENCE_PARAMETERS,
       DISTRICT_SCIENCE_NOTES + "\n第2版：专业人员占比提高到60%，服务领域须覆盖全部七类，新增每千平方米服务次数。")]),
    ("cultural-district", "福田区文化创意园区", "cultural_park", "park", "district", "福田区文化广电旅游体育局",
     "区级文化创意园区认定。",
     [(1, "published", D(2020, 1, 1), "福田区文化创意园区认定办法 [assume]", None, 3,
       cultural(10_000, 50, 20, 1), CULTURAL_INDICATORS, GRADE_BANDS, {}, CULTURAL_NOTES)]),
    ("cultural-municipal", "深圳市文化产业园区", "cultural_park", "park", "municipal", "深圳市委宣传部",
     "市级文化产业园区认定。",
     [(1, "published", D(2019, 1, 1), "深圳市文化产业园区认定管理办法 [assume]", None, 3,
       cultural(20_000, 60, 30, 2), CULTURAL_INDICATORS, GRADE_BANDS, {}, CULTURAL_NOTES)]),
    ("cultural-provincial", "广东省文化产业示范园区", "cultural_park", "park", "provincial", "中共广东省委宣传部",
     "省级文化产业示范园区命名。",
     [(1, "published", D(2018, 1, 1), "广东省文化产业示范园区管理办法 [assume]", None, 3,
       cultural(50_000, 70, 50, 3), CULTURAL_INDICATORS, GRADE_BANDS, {}, CULTURAL_NOTES)]),
    ("tech-building", "科技楼宇", "specialised_building", "building", "district", "福田区科技创新局",
     "以科技型企业为主要租户的专业楼宇。",
     [(1, "published", D(2022, 1, 1), "福田区专业楼宇认定 [assume]", None, 2,
       building_criteria(leaf("subject.high_tech_tenant_share", "ge", 30 * PERCENT, "国家高新技术企业占比",
                              "[assume]")), [], [], {}, BUILDING_NOTES)]),
    ("hq-building", "总部楼宇", "specialised_building", "building", "district", "福田区发展和改革局",
     "总部企业集聚的专业楼宇。",
     [(1, "published", D(2022, 1, 1), "福田区专业楼宇认定 [assume]", None, 2,
       building_criteria(leaf("subject.tenant_count", "ge", 10, "入驻企业数量", "[assume] 总部企业数无数据")),
       [], [], {}, BUILDING_NOTES)]),
    ("premium-services-building", "高端服务业楼宇（园区）", "specialised_building", "building", "district",
     "福田区发展和改革局", "金融、专业服务等高端服务业集聚的楼宇或园区。",
     [(1, "published", D(2022, 1, 1), "福田区专业楼宇认定 [assume]", None, 2,
       building_criteria(leaf("subject.tenant_count", "ge", 20, "入驻企业数量", "[assume]")), [], [], {},
       BUILDING_NOTES)]),
    ("silicon-street", "硅园/硅街", "specialised_building", "building", "district", "福田区科技创新局",
     "以科技企业为主的街区式楼宇群。",
     [(1, "published", D(2022, 1, 1), "福田区专业楼宇认定 [assume]", None, 2,
       {"all": [leaf("subject.area_controlled", "ge", 5_000 * M2, "管理面积", "[assume]"),
                leaf("subject.occupancy", "ge", 75 * PERCENT, "出租率", "[assume]"),
                either(leaf("subject.high_tech_tenant_share", "ge", 20 * PERCENT, "国家高新技术企业占比",
                            "[assume]"),
                       leaf("subject.specialised_tenant_share", "ge", 10 * PERCENT, "专精特新企业占比",
                            "[assume]"))]}, [], [], {}, BUILDING_NOTES)]),
    ("industrial-building", "产业园（专业楼宇）", "specialised_building", "building", "district", "福田区工业和信息化局",
     "聚焦一个产业的专业楼宇。",
     [(1, "published", D(2022, 1, 1), "福田区专业楼宇认定 [assume]", None, 2,
       {"all": [leaf("subject.area_controlled", "ge", 10_000 * M2, "管理面积", "[assume]"),
                leaf("subject.occupancy", "ge", 80 * PERCENT, "出租率", "[assume]"),
                leaf("subject.specialised_tenant_share", "ge", 10 * PERCENT, "专精特新企业占比", "[assume]")]},
       [], [], {}, BUILDING_NOTES)]),
]

# The demo district's certified cultural parks by level (the letter: 10, 2 provincial and 5 municipal).
CULTURAL_LEVELS = {
    "futian-cbd-04": "provincial", "huaqiang-shangbu-03": "provincial",
    "futian-cbd-03": "municipal", "chegongmiao-04": "municipal", "huaqiang-shangbu-04": "municipal",
    "bagualing-01": "municipal", "caitian-north-01": "municipal",
    "central-park-02": "district", "meilin-02": "district", "jinsha-02": "district",
}
# Science parks certified as incubators (park code → scheme code) and the incubatees each keeps.
INCUBATORS = {"central-park-01": ("futian-science-park", 24), "huaqiang-shangbu-01": ("futian-science-park", 18),
              "hetao-03": ("futian-science-park", 20), "meilin-03": ("futian-science-park", 16),
              "hetao-05": ("shenzhen-incubator", 22)}
# Specialised buildings: (park code, the building's position in the park) → scheme code.
BUILDINGS = {("chegongmiao-03", 0): "tech-building", ("xiangmihu-02", 0): "hq-building",
             ("futian-cbd-01", 0): "premium-services-building", ("meilin-01", 0): "silicon-street"}
DRAFT_APPLICATION = ("antuoshan-01", "futian-science-park")  # the demo operator's park
SUBMITTED_APPLICATION = ("chegongmiao-03", "futian-science-park")  # operator2's
ROUND_SCHEME = "futian-science-park"
EXPERT = "expert"
OFFICER = "officer"
SUBMITTING_OPERATOR = "operator2"
# What operator2 states for the facts the records do not hold, each with its letter: (fact, value, title, text).
SUPPLIED_VALUES = (
    ("subject.operating_years", 8, "关于园区运营年限的说明", "本园区自2018年起由本公司运营，至今已满8年。"),
    ("subject.team_size", 12, "关于运营团队人员情况的说明", "本公司园区运营团队共12人，均签订劳动合同并缴纳社会保险。"),
    ("subject.professional_staff_share", 7500, "关于专业服务人员占比的说明",
     "运营团队12人中，具有技术转移、投融资、创业辅导等专业背景的9人，占75%。"),
)


@part.district.writes
def write_certification(plan: DistrictPlan) -> None:
    rng = plan.stream("certification")
    today = plan.today
    schemes = write_schemes()
    parks = {p.code: p for p in Park.objects.filter(code__in=[*CULTURAL_LEVELS, *INCUBATORS,
                                                              *(code for code, _n in BUILDINGS),
                                                              DRAFT_APPLICATION[0], SUBMITTED_APPLICATION[0]])}
    numbers: dict[str, int] = {}

    def certify(scheme, park, building=None, *, level=None):
        """A certification valid today, from a day on which a version of the scheme was in force."""
        first = scheme.versions.order_by("effective_from").values_list("effective_from", flat=True).first()
        valid_from = random_day(rng, max(today - 900 * DAY, first), today - 30 * DAY)
        version = scheme.version_on(valid_from)
        if version is None:
            return None
        numbers[scheme.code] = numbers.get(scheme.code, 0) + 1
        return Certification(
            scheme=scheme, version=version, park=park, building=building, level=level or scheme.level,
            certificate_number=f"{scheme.code.upper()}-{valid_from.year}-{numbers[scheme.code]:03d}",
            valid_from=valid_from, valid_until=add_years(valid_from, version.validity_years) - DAY,
            status=CertificationStatus.VALID)

    levels = {s.level: s for s in schemes.values() if s.category == "cultural_park"}
    certifications = [certify(levels[level], parks[code]) for code, level in CULTURAL_LEVELS.items()
                      if code in parks]
    certifications += [certify(schemes[scheme_code], parks[code]) for code, (scheme_code, _n) in INCUBATORS.items()
                       if code in parks]
    for (code, position), scheme_code in BUILDINGS.items():
        buildings = list(Building.objects.filter(park__code=code).order_by("code"))
        if code in parks and len(buildings) > position:
            certifications.append(certify(schemes[scheme_code], parks[code], buildings[position]))
    Certification.objects.bulk_create([c for c in certifications if c is not None])

    write_incubatees(rng, today, [parks[code] for code in INCUBATORS if code in parks])
    write_service_records(rng, today, [parks[code] for code in (*INCUBATORS, SUBMITTED_APPLICATION[0])
                                       if code in parks])
    write_applications(plan, today, schemes, parks)
    write_round(plan, today, schemes[ROUND_SCHEME])


def write_schemes() -> dict:
    schemes = {}
    for code, name, category, subject, level, issuer, description, versions in SCHEMES:
        scheme = Scheme.objects.create(code=code, name=name, category=category, subject_kind=subject, level=level,
                                       issuer=issuer, description=description)
        schemes[code] = scheme
        for (number, status, effective, source, source_date, years, criteria, indicators, bands, parameters,
             notes) in versions:
            version = SchemeVersion(
                scheme=scheme, number=number, status=status, effective_from=effective, source_document=source,
                source_date=source_date, validity_years=years, criteria=criteria, indicators=indicators,
                grade_bands=bands, parameters=parameters, notes=notes, published_by="admin")
            version.content_hash = version_hash(version)
            version.published_at = datetime.datetime.combine(effective, datetime.time(9), tzinfo=datetime.UTC)
            version.save()
    return schemes


def park_tenants(park) -> list:
    """The enterprises that have held a lease in ``park``, with their first lease's start, in id order."""
    first = {}
    for enterprise_id, start in Lease.objects.filter(park=park).order_by("start_date", "pk").values_list(
            "enterprise_id", "start_date"):
        first.setdefault(enterprise_id, start)
    return sorted(first.items())


def write_incubatees(rng, today, parks) -> None:
    """Each incubator's incubatees among its tenants: entered after their first lease began, within the last four
    years; about a fifth have left, most of those graduated on a basis the records can bear (a high-tech basis
    only for an enterprise recognised before it left)."""
    # Each enterprise's first high-tech certificate (the dict keeps the last of each key: the earliest here).
    high_tech = dict(Qualification.objects.filter(kind=QualificationKind.HIGH_TECH).order_by("-issued_on")
                     .values_list("enterprise_id", "issued_on"))
    rows = []
    for park in parks:
        wanted = INCUBATORS[park.code][1]
        tenants = park_tenants(park)
        rng.shuffle(tenants)
        for enterprise_id, first_lease in sorted(tenants[:wanted]):
            entered = random_day(rng, max(first_lease, today - 4 * 365 * DAY), today - 30 * DAY)
            row = Incubatee(park=park, enterprise_id=enterprise_id, entered_on=entered,
                            industry_match=rng.random() < 0.8)
            if rng.random() < 0.22 and (today - entered).days > 400:
                row.left_on = random_day(rng, entered + 365 * DAY, today - DAY)
                recognised = high_tech.get(enterprise_id)
                if recognised and recognised <= row.left_on:
                    row.exit_reason, row.graduation_basis = ExitReason.GRADUATED, GraduationBasis.HIGH_TECH
                elif rng.random() < 0.6:
                    row.exit_reason = ExitReason.GRADUATED
                    row.graduation_basis = rng.choice([GraduationBasis.INVESTMENT, GraduationBasis.REVENUE])
                else:
                    row.exit_reason = rng.choice([ExitReason.MOVED_OUT, ExitReason.EXPIRED])
            rows.append(row)
    Incubatee.objects.bulk_create(rows)


SERVICES = {
    ServiceArea.TECHNOLOGY_TRANSFER: ("对接高校科技成果转化项目", "签订技术许可意向"),
    ServiceArea.FINANCE: ("组织科技金融路演", "两家机构进入尽调"),
    ServiceArea.ENTREPRENEURSHIP: ("创业导师一对一辅导", "完善商业计划书"),
    ServiceArea.MANAGEMENT: ("股权激励与财务管理培训", "建立期权池方案"),
    ServiceArea.BUSINESS: ("代办工商变更与政策申报", "完成高企申报材料"),
    ServiceArea.MARKET: ("对接大企业采购需求", "进入供应商名录"),
    ServiceArea.INTERNATIONAL: ("香港及海外市场拓展交流", "参加深港创新交流会"),
}


def write_service_records(rng, today, parks) -> None:
    """Services in the last twelve months, in most of the seven areas, to the park's tenants."""
    rows = []
    areas = list(SERVICES)
    for park in parks:
        tenants = [enterprise_id for enterprise_id, _start in park_tenants(park)]
        if not tenants:
            continue
        covered = areas if rng.random() < 0.6 else rng.sample(areas, 5)
        for _ in range(rng.randint(25, 45)):
            area = rng.choice(covered)
            description, outcome = SERVICES[area]
            rows.append(ServiceRecord(park=park, enterprise_id=rng.choice(tenants), area=area,
                                      served_on=random_day(rng, today - 360 * DAY, today - DAY),
                                      description=description, outcome=outcome if rng.random() < 0.7 else ""))
    ServiceRecord.objects.bulk_create(rows)


def write_applications(plan, today, schemes, parks) -> None:
    """The demo operator's draft, and operator2's application submitted last week: its stated values each with
    the document behind it (a letter of the operator, typeset as the PDF an office would upload), and the
    evaluation kept as 提交 keeps it."""
    park_code, scheme_code = DRAFT_APPLICATION
    if park_code in parks:
        Application.objects.create(number=f"SQ-{today.year}-0001", scheme=schemes[scheme_code], park=parks[park_code],
                                   reference_date=today, status=ApplicationStatus.DRAFT)
    park_code, scheme_code = SUBMITTED_APPLICATION
    operator = plan.accounts.get(SUBMITTING_OPERATOR)
    if park_code not in parks or operator is None:
        return
    park, reference = parks[park_code], today - 7 * DAY
    application = Application.objects.create(number=f"SQ-{today.year}-0002", scheme=schemes[scheme_code], park=park,
                                             reference_date=reference, status=ApplicationStatus.DRAFT)
    supplied = {}
    for number, (fact, value, title, text) in enumerate(SUPPLIED_VALUES, start=1):
        issuer = park.operator.name if park.operator else park.name
        letter = render_pdf(OfficialDocument(
            issuer=issuer, mark=issuer,
            number=f"{park.name}〔{reference.year}〕{number}号", title=title, date=reference,
            sections=[Section("情况说明", [text])]))
        attached = document_upload(user=operator, record=application, kind="certification_evidence",
                                   upload=SimpleUploadedFile(f"{title}.pdf", letter, "application/pdf"))
        supplied[fact] = {"value": value, "document": attached.document_id}
    application.supplied = supplied
    application.save(update_fields=["supplied"])
    # 提交, taken by operator2 as on the page: the version in force fixed, the evaluation kept, the event recorded.
    services.application_submit(user=operator, instance=application)


def write_round(plan, today, scheme) -> None:
    """Last year's round of the district scheme, open for operators, the demo expert assigned; an assessment for
    each subject certified on its reference date, its quantitative indicators computed."""
    year = today.year - 1
    reference = D(year, 12, 31)
    round_ = AssessmentRound.objects.create(scheme=scheme, version=scheme.version_on(reference), year=year,
                                            reference_date=reference, title=f"{year}年度{scheme.name}考核",
                                            status=RoundStatus.OPEN)
    expert = plan.accounts.get(EXPERT)
    if expert is not None and expert.role == Role.EXPERT:
        round_.experts.add(expert)
    # 开始考核, taken by the demo officer as on the page: an assessment per certified subject, its quantitative
    # indicators computed from the records as of the reference date.
    officer = plan.accounts.get(OFFICER)
    if officer is not None:
        services.round_compute(user=officer, instance=round_)


# The synthetic records of ``manage.py generate`` (certification.generate).
generate.register(part)
