"""The certification thresholds of DOMAIN.md §2 as condition trees over a catalogue of test facts.

National incubators: 国科发区〔2018〕300号 (comprehensive and specialised); Shenzhen municipal incubators:
深工信规〔2025〕10号. Thresholds are in storage units: 10,000 ㎡ = 1000000, 75% = 7500, 5,000,000 元 = 500000000
fen, 3 per 1,000 ㎡ = 300. ``BOUNDS`` lists every bound with the facts that meet the whole tree, so a test can
move one fact across its bound and watch the decision change.
"""

from core.rules import Catalogue, Fact, FactType

A, S, C, R, M, B = FactType.AREA, FactType.SHARE, FactType.COUNT, FactType.RATIO, FactType.MONEY, FactType.BOOL

CATALOGUE = Catalogue([
    Fact("subject.operating_years", C, "运营年限", "年"),
    Fact("subject.incubation_area", A, "孵化场地面积"),
    Fact("subject.incubatee_area_share", S, "在孵企业占用面积比例"),
    Fact("subject.fund_size", M, "孵化资金", source="supplied"),
    Fact("subject.invested_incubatee_share", S, "获投资在孵企业比例"),
    Fact("subject.financed_incubatee_share", S, "获融资在孵企业比例"),
    Fact("subject.professional_staff_share", S, "专业人员比例"),
    Fact("subject.staff_per_10_incubatees", R, "每 10 家在孵企业的专业人员", "人"),
    Fact("subject.mentors_per_10_incubatees", R, "每 10 家在孵企业的创业导师", "人"),
    Fact("subject.patent_application_share", S, "申请专利的在孵企业比例"),
    Fact("subject.valid_ip_share", S, "拥有有效知识产权的在孵企业比例"),
    Fact("subject.incubatee_count", C, "在孵企业", "家"),
    Fact("subject.incubatees_per_1000m2", R, "每千平方米在孵企业", "家"),
    Fact("subject.graduate_count", C, "累计毕业企业", "家"),
    Fact("subject.same_industry_share", S, "同一产业领域在孵企业比例"),
    Fact("subject.team_size", C, "运营团队", "人"),
    Fact("subject.new_incubatee_share", S, "近一年新注册在孵企业比例"),
    Fact("subject.tech_sme_share", S, "科技型中小企业比例"),
    Fact("subject.growing_incubatee_share", S, "营收或研发投入增长 20% 以上的在孵企业比例"),
    Fact("subject.non_rent_income_share", S, "非租金收入比例"),
    Fact("enterprise.high_tech", B, "是否国家高新技术企业"),
    Fact("enterprise.cumulative_investment", M, "累计获得天使或风险投资"),
    Fact("enterprise.two_year_revenue", M, "连续两年营业收入合计"),
    Fact("enterprise.acquired_or_listed", B, "是否被兼并收购或上市"),
    Fact("enterprise.months_founded_at_entry", C, "入孵时成立月数", "个月"),
    Fact("enterprise.months_incubated", C, "在孵月数", "个月"),
])


def ge(fact, value, label=""):
    leaf = {"fact": fact, "op": "ge", "value": value}
    return {**leaf, "label": label} if label else leaf


NATIONAL_COMMON = [
    ge("subject.operating_years", 3),
    ge("subject.incubation_area", 1_000_000),
    ge("subject.incubatee_area_share", 7500),
    ge("subject.fund_size", 500_000_000),
    ge("subject.invested_incubatee_share", 1000),
    ge("subject.professional_staff_share", 8000),
    ge("subject.staff_per_10_incubatees", 100),
    ge("subject.mentors_per_10_incubatees", 100),
    {"any": [ge("subject.patent_application_share", 5000), ge("subject.valid_ip_share", 3000)],
     "label": "知识产权"},
]

NATIONAL_COMPREHENSIVE = {"all": [
    *NATIONAL_COMMON,
    ge("subject.incubatee_count", 50),
    ge("subject.incubatees_per_1000m2", 300),
    ge("subject.graduate_count", 20),
]}

NATIONAL_SPECIALISED = {"all": [
    *NATIONAL_COMMON,
    ge("subject.same_industry_share", 7500),
    ge("subject.incubatee_count", 30),
    ge("subject.incubatees_per_1000m2", 200),
    ge("subject.graduate_count", 15),
]}

SHENZHEN = {"all": [
    ge("subject.operating_years", 1),
    ge("subject.incubation_area", 300_000),
    ge("subject.team_size", 5),
    ge("subject.professional_staff_share", 8000),
    ge("subject.mentors_per_10_incubatees", 100),
    ge("subject.incubatee_count", 20),
    ge("subject.new_incubatee_share", 2000),
    ge("subject.tech_sme_share", 2000),
    ge("subject.growing_incubatee_share", 2000),
    {"any": [ge("subject.invested_incubatee_share", 1000), ge("subject.financed_incubatee_share", 2000)]},
    ge("subject.non_rent_income_share", 2000),
]}

# A graduate of a national incubator meets one of four conditions.
GRADUATE = {"any": [
    {"fact": "enterprise.high_tech", "op": "eq", "value": True},
    {"fact": "enterprise.cumulative_investment", "op": "gt", "value": 500_000_000},
    {"fact": "enterprise.two_year_revenue", "op": "gt", "value": 1_000_000_000},
    {"fact": "enterprise.acquired_or_listed", "op": "eq", "value": True},
]}

# An incubatee enters no later than 24 months after it was founded and stays no longer than 48 months.
INCUBATEE = {"all": [
    {"fact": "enterprise.months_founded_at_entry", "op": "le", "value": 24},
    {"fact": "enterprise.months_incubated", "op": "le", "value": 48},
]}

TREES = {
    "national_comprehensive": NATIONAL_COMPREHENSIVE,
    "national_specialised": NATIONAL_SPECIALISED,
    "shenzhen": SHENZHEN,
    "graduate": GRADUATE,
    "incubatee": INCUBATEE,
}


# Facts that meet each tree with little to spare.
PASSING = {
    "national_comprehensive": {
        "subject.operating_years": 5, "subject.incubation_area": 1_250_000, "subject.incubatee_area_share": 8000,
        "subject.fund_size": 600_000_000, "subject.invested_incubatee_share": 1500,
        "subject.professional_staff_share": 8500, "subject.staff_per_10_incubatees": 120,
        "subject.mentors_per_10_incubatees": 150, "subject.patent_application_share": 5500,
        "subject.valid_ip_share": 3500, "subject.incubatee_count": 60, "subject.incubatees_per_1000m2": 480,
        "subject.graduate_count": 25,
    },
    "shenzhen": {
        "subject.operating_years": 2, "subject.incubation_area": 350_000, "subject.team_size": 6,
        "subject.professional_staff_share": 8200, "subject.mentors_per_10_incubatees": 110,
        "subject.incubatee_count": 24, "subject.new_incubatee_share": 2500, "subject.tech_sme_share": 2500,
        "subject.growing_incubatee_share": 2100, "subject.invested_incubatee_share": 1200,
        "subject.financed_incubatee_share": 2200, "subject.non_rent_income_share": 2600,
    },
    "graduate": {"enterprise.high_tech": False, "enterprise.cumulative_investment": 0,
                 "enterprise.two_year_revenue": 0, "enterprise.acquired_or_listed": False},
    "incubatee": {"enterprise.months_founded_at_entry": 12, "enterprise.months_incubated": 30},
}
PASSING["national_specialised"] = {**PASSING["national_comprehensive"], "subject.same_industry_share": 8000,
                                   "subject.incubatee_count": 35, "subject.graduate_count": 16,
                                   "subject.incubatees_per_1000m2": 280}
# The graduate's baseline meets no alternative: each row below gives the one it moves.

# (tree, fact, op, bound, facts changed from PASSING so that this bound alone decides)
BOUNDS = [
    ("national_comprehensive", "subject.operating_years", "ge", 3, {}),
    ("national_comprehensive", "subject.incubation_area", "ge", 1_000_000, {}),
    ("national_comprehensive", "subject.incubatee_area_share", "ge", 7500, {}),
    ("national_comprehensive", "subject.fund_size", "ge", 500_000_000, {}),
    ("national_comprehensive", "subject.invested_incubatee_share", "ge", 1000, {}),
    ("national_comprehensive", "subject.professional_staff_share", "ge", 8000, {}),
    ("national_comprehensive", "subject.staff_per_10_incubatees", "ge", 100, {}),
    ("national_comprehensive", "subject.mentors_per_10_incubatees", "ge", 100, {}),
    ("national_comprehensive", "subject.patent_application_share", "ge", 5000, {"subject.valid_ip_share": 2999}),
    ("national_comprehensive", "subject.valid_ip_share", "ge", 3000, {"subject.patent_application_share": 4999}),
    ("national_comprehensive", "subject.incubatee_count", "ge", 50, {}),
    ("national_comprehensive", "subject.incubatees_per_1000m2", "ge", 300, {}),
    ("national_comprehensive", "subject.graduate_count", "ge", 20, {}),
    ("national_specialised", "subject.same_industry_share", "ge", 7500, {}),
    ("national_specialised", "subject.incubatee_count", "ge", 30, {}),
    ("national_specialised", "subject.incubatees_per_1000m2", "ge", 200, {}),
    ("national_specialised", "subject.graduate_count", "ge", 15, {}),
    ("national_specialised", "subject.incubation_area", "ge", 1_000_000, {}),
    ("shenzhen", "subject.operating_years", "ge", 1, {}),
    ("shenzhen", "subject.incubation_area", "ge", 300_000, {}),
    ("shenzhen", "subject.team_size", "ge", 5, {}),
    ("shenzhen", "subject.professional_staff_share", "ge", 8000, {}),
    ("shenzhen", "subject.mentors_per_10_incubatees", "ge", 100, {}),
    ("shenzhen", "subject.incubatee_count", "ge", 20, {}),
    ("shenzhen", "subject.new_incubatee_share", "ge", 2000, {}),
    ("shenzhen", "subject.tech_sme_share", "ge", 2000, {}),
    ("shenzhen", "subject.growing_incubatee_share", "ge", 2000, {}),
    ("shenzhen", "subject.invested_incubatee_share", "ge", 1000, {"subject.financed_incubatee_share": 1999}),
    ("shenzhen", "subject.financed_incubatee_share", "ge", 2000, {"subject.invested_incubatee_share": 999}),
    ("shenzhen", "subject.non_rent_income_share", "ge", 2000, {}),
    ("graduate", "enterprise.cumulative_investment", "gt", 500_000_000, {}),
    ("graduate", "enterprise.two_year_revenue", "gt", 1_000_000_000, {}),
    ("incubatee", "enterprise.months_founded_at_entry", "le", 24, {}),
    ("incubatee", "enterprise.months_incubated", "le", 48, {}),
]
