"""Policy rules for the screening's tests and benchmark: the five demo policies of DOMAIN.md §3 as the
screening tests read them, and five variants (other rates, thresholds and caps), as plain data a PolicyVersion holds.

Storage units: money in fen (10,000,000 元 = 1_000_000_000), shares in basis points (50% = 5000)."""

import datetime

YUAN = 100
PERCENT = 100


def money(name, label, *values):
    return {name: {"type": "money", "label": label, "values": [list(v) for v in values]}}


def share(name, label, *values):
    return {name: {"type": "share", "label": label, "values": [list(v) for v in values]}}


RENT_PAID = {"fact": "lease.rent_paid"}
BY_AREA = {"mul": [{"mul": [{"param": "cap_per_m2_month", "unit": "元/㎡·月"}, {"fact": "lease.area"}]},
                   {"fact": "lease.months"}], "label": "按面积和月数封顶"}

ATTRACTION = {
    "code": "attraction-rent", "name": "招商引资租金支持", "category": "attraction",
    "conditions": {"all": [
        {"fact": "enterprise.moved_in_on", "op": "ge", "value": {"param": "entered_after"}, "label": "落户本区日期"},
        {"fact": "enterprise.in_district", "op": "eq", "value": True},
        {"fact": "lease.sublet", "op": "eq", "value": False, "label": "无转租"},
        {"fact": "lease.area", "op": "gt", "value": 0},
    ]},
    "amount": {"mul": [RENT_PAID, {"param": "rate"}], "label": "实付租金 × 支持比例"},
    "parameters": {
        **share("rate", "支持比例", ("2020-01-01", 50 * PERCENT)),
        **money("annual_cap", "年度上限", ("2020-01-01", 10_000_000 * YUAN)),
        **money("cumulative_cap", "累计上限", ("2020-01-01", 30_000_000 * YUAN)),
        "entered_after": {"type": "date", "label": "落户日期起点", "values": [["2020-01-01", "2021-01-01"]]},
    },
    "annual_cap": "annual_cap", "cumulative_cap": "cumulative_cap", "max_years": 3,
}

CREDIT = {
    "code": "credit-services-rent", "name": "征信机构租金支持", "category": "rent",
    "conditions": {"all": [
        {"fact": "enterprise.industry", "op": "in", "value": ["7295", "7299", "6739"], "label": "信用服务类企业"},
        {"fact": "enterprise.revenue_prior_year", "op": "ge", "value": {"param": "min_revenue"}},
        {"fact": "enterprise.lease_count", "op": "eq", "value": 1, "label": "仅一处办公用房"},
    ]},
    "amount": {"mul": [RENT_PAID, {"param": "rate"}]},
    "parameters": {
        **share("rate", "支持比例", ("2020-01-01", 50 * PERCENT)),
        **money("min_revenue", "上年营业收入下限", ("2020-01-01", 10_000_000 * YUAN)),
        **money("annual_cap", "年度上限", ("2020-01-01", 3_000_000 * YUAN)),
    },
    "annual_cap": "annual_cap", "cumulative_cap": "", "max_years": 3,
}

NEW_ENERGY = {
    "code": "new-energy-building", "name": "新能源特色楼宇租金支持", "category": "rent",
    "conditions": {"all": [
        {"fact": "building.specialised_programme", "op": "in",
         "value": ["industrial-building", "syn-building"], "label": "入驻新能源特色楼宇"},
        {"fact": "enterprise.industry_division", "op": "in", "value": ["38", "44", "65", "73"]},
    ]},
    "amount": {"min": [{"mul": [{"mul": [{"param": "cap_per_m2_month", "unit": "元/㎡·月"}, {"fact": "lease.area"}]},
                                {"fact": "lease.months"}], "label": "每平方米每月 10 元"}, RENT_PAID]},
    "parameters": {
        **money("cap_per_m2_month", "每平方米每月支持额", ("2020-01-01", 10 * YUAN)),
        **money("annual_cap", "年度上限", ("2020-01-01", 3_000_000 * YUAN)),
    },
    "annual_cap": "annual_cap", "cumulative_cap": "", "max_years": None,
}

GOVERNMENT = {
    "code": "government-space-high-tech", "name": "高新技术企业租用政府产业用房租金优惠", "category": "government_space",
    "conditions": {"all": [
        {"fact": "enterprise.high_tech", "op": "eq", "value": True},
        {"fact": "lease.government_space", "op": "eq", "value": True},
        {"fact": "lease.discount", "op": "lt", "value": {"param": "target_discount"}, "label": "现有租金优惠比例"},
    ]},
    "amount": {"round": {"mul": [RENT_PAID, {"sub": [{"param": "target_discount"}, {"fact": "lease.discount"}]}]},
               "to": 100, "label": "补足至评估租金的 50%"},
    "parameters": {**share("target_discount", "优惠比例目标", ("2020-01-01", 50 * PERCENT))},
    "annual_cap": "", "cumulative_cap": "", "max_years": None,
}

TECH_BUILDING = {
    "code": "tech-building-rent", "name": "科技楼宇租金补贴", "category": "rent",
    "conditions": {"all": [
        {"fact": "building.specialised_programme", "op": "in", "value": ["tech-building", "syn-building"]},
        {"any": [{"fact": "enterprise.high_tech", "op": "eq", "value": True},
                 {"fact": "enterprise.specialised", "op": "eq", "value": True}], "label": "高新技术或专精特新企业"},
        {"fact": "lease.area", "op": "le", "value": 100_000, "label": "租赁面积"},
        {"not": {"fact": "lease.sublet", "op": "eq", "value": True}},
    ]},
    "amount": {"round": {"min": [{"mul": [RENT_PAID, {"param": "rate"}]}, BY_AREA]}, "to": 100},
    "parameters": {
        **share("rate", "补贴比例", ("2020-01-01", 50 * PERCENT), ("2024-07-01", 40 * PERCENT)),
        **money("cap_per_m2_month", "每平方米每月补贴上限", ("2020-01-01", 30 * YUAN)),
        **money("annual_cap", "年度上限", ("2020-01-01", 1_000_000 * YUAN)),
        **money("cumulative_cap", "累计上限", ("2020-01-01", 3_000_000 * YUAN)),
    },
    "annual_cap": "annual_cap", "cumulative_cap": "cumulative_cap", "max_years": 3,
    "obligations": [{"kind": "no_sublet", "years": 0, "recover": "all", "label": "补贴期内不得转租"}],
}

DEMO = (ATTRACTION, CREDIT, NEW_ENERGY, GOVERNMENT, TECH_BUILDING)


def _variant(base, code, name, **changes):
    parameters = {**base["parameters"], **changes.pop("parameters", {})}
    return {**base, "code": code, "name": name, "parameters": parameters, **changes}


VARIANTS = (
    _variant(ATTRACTION, "attraction-rent-b", "招商引资租金支持（30%）",
             parameters=share("rate", "支持比例", ("2020-01-01", 30 * PERCENT)), max_years=5),
    _variant(CREDIT, "credit-services-rent-b", "征信机构租金支持（营收 500 万元）",
             parameters=money("min_revenue", "上年营业收入下限", ("2020-01-01", 5_000_000 * YUAN))),
    _variant(NEW_ENERGY, "new-energy-building-b", "特色楼宇租金支持（8 元）",
             parameters=money("cap_per_m2_month", "每平方米每月支持额", ("2020-01-01", 8 * YUAN),
                              ("2024-04-01", 12 * YUAN))),
    _variant(GOVERNMENT, "government-space-b", "政府产业用房租金优惠（60%）",
             parameters=share("target_discount", "优惠比例目标", ("2020-01-01", 60 * PERCENT))),
    _variant(TECH_BUILDING, "tech-building-rent-b", "科技楼宇租金补贴（不限面积）",
             conditions={"all": TECH_BUILDING["conditions"]["all"][:2]}, max_years=None),
)

ALL = DEMO + VARIANTS


class Version:
    """What ``engine.rules_of`` reads of a PolicyVersion, without the database."""

    def __init__(self, definition):
        self.conditions = definition["conditions"]
        self.amount = definition["amount"]
        self.parameters = definition["parameters"]
        self.annual_cap = definition.get("annual_cap", "")
        self.cumulative_cap = definition.get("cumulative_cap", "")
        self.max_years = definition.get("max_years")
        self.obligations = definition.get("obligations", [])


def create(definition, *, valid_from=datetime.date(2020, 1, 1), effective_from=datetime.date(2020, 1, 1),
           budget=None, year=None):
    """A policy with one published version of ``definition`` (and a budget for ``year``), saved as they are."""
    from certification.choices import VersionStatus
    from policies.engine import version_hash
    from policies.models import Budget, Policy, PolicyVersion

    policy = Policy.objects.create(code=definition["code"], name=definition["name"],
                                   category=definition["category"], valid_from=valid_from, proactive=True)
    version = PolicyVersion(policy=policy, number=1, status=VersionStatus.PUBLISHED, effective_from=effective_from,
                            conditions=definition["conditions"], amount=definition["amount"],
                            parameters=definition["parameters"], annual_cap=definition.get("annual_cap", ""),
                            cumulative_cap=definition.get("cumulative_cap", ""),
                            max_years=definition.get("max_years"), obligations=definition.get("obligations", []))
    version.content_hash = version_hash(version)
    version.save()
    if budget is not None:
        Budget.objects.create(policy=policy, year=year, total=budget)
    return version


# ----- the demo policies as policies.demo.POLICIES defines them, and a variant of each ---------------------------


def demo_definitions() -> tuple:
    """The five demo policies of policies.demo, as plain definitions."""
    from policies.demo import POLICIES

    keys = ("conditions", "amount", "parameters", "annual_cap", "cumulative_cap", "max_years", "obligations")
    return tuple({"code": spec["code"], "name": spec["name"], "category": spec["category"],
                  **{key: spec["version"].get(key) for key in keys}} for spec in POLICIES)


def variant_of(definition, *, change_on="2024-07-01") -> dict:
    """The same policy whose money and share parameters change to 80 % of their value from ``change_on``: an
    amount that uses one is split there, a condition reads the new value."""
    parameters = {}
    for name, spec in definition["parameters"].items():
        values = [list(item) for item in spec["values"]]
        if spec["type"] in ("money", "share"):
            values.append([change_on, int(values[-1][1]) * 4 // 5])
            values.sort()
        parameters[name] = {**spec, "values": values}
    return {**definition, "code": definition["code"] + "-b", "name": definition["name"] + "（变体）",
            "parameters": parameters}


def demo_and_variants() -> tuple:
    demo = demo_definitions()
    return demo + tuple(variant_of(definition) for definition in demo)
