"""The demo district's policy support: the five policies of DOMAIN.md §3 with budgets, and records that show every step."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from core import audit
from demo.parts import Part

from . import generate
from .models import (
    Allowance,
    Application,
    Award,
    Budget,
    ClawbackCase,
    Decision,
    LedgerEntry,
    Offer,
    Policy,
    PolicyTestCase,
    PolicyVersion,
    ScreeningRun,
    SpaceAllocation,
    Tranche,
)

# ----- policies and their versions -----------------------------------------------------------------------------
# The five policies of DOMAIN.md §3 as published versions, each with its parameters (dated), conditions, amount
# formula, caps, obligations, test cases at and around every threshold, budgets for last year and this year, and
# the evidence publishing needs (the cases run, a dry run of the very content published). Whatever the sources
# did not give is marked [assume] in the version's notes or the condition's note.


# Emptied in this order on --flush: each table before those its rows name.
part = Part("policies", tables=[
    ("space_allocation_units", SpaceAllocation.units.through), ("space_allocations", SpaceAllocation),
    ("policy_ledger", LedgerEntry), ("clawback_cases", ClawbackCase), ("policy_tranches", Tranche),
    ("policy_awards", Award), ("policy_allowances", Allowance), ("policy_applications", Application),
    ("policy_offers", Offer), ("policy_screening_runs", ScreeningRun),
    ("policy_decisions", Decision), ("policy_test_cases", PolicyTestCase), ("policy_budgets", Budget),
    ("policy_versions", PolicyVersion), ("policies", Policy),
])

_D = datetime.date
YUAN, M2, PERCENT = 100, 100, 100  # fen a yuan, hundredths of ㎡ a ㎡, basis points a per cent
EFFECTIVE = _D(2024, 1, 1)
CASE_YEAR = (_D(2025, 1, 1), _D(2025, 12, 31))
TECH_RATE_CHANGE = _D(2025, 7, 1)  # 科技楼宇: the rate falls from 50% to 40% [assume]


def _param(label, kind, *values):
    return {"type": kind, "label": label, "values": [[day.isoformat(), value] for day, value in values]}


def _leaf(fact, op, value=None, label="", note=""):
    node = {"fact": fact, "op": op}
    if value is not None:
        node["value"] = value
    if label:
        node["label"] = label
    if note:
        node["note"] = note
    return node


def _p(name):
    return {"param": name}


def _mul(*factors):
    node = {"fact": factors[0]} if isinstance(factors[0], str) and "." in factors[0] else factors[0]
    for factor in factors[1:]:
        node = {"mul": [node, factor]}
    return node


def _f(name):
    return {"fact": name}


# A case: (name, facts, expected eligible, expected amount in fen or None). Facts in storage units; the period is
# CASE_YEAR. Amounts are worked out in the comments.
NO_HISTORY = {"history.awarded_in_year": 0, "history.awarded_total": 0, "history.years_supported": 0}

ATTRACTION_BASE = {"enterprise.moved_in_on": "2024-03-01", "enterprise.in_district": True, "lease.sublet": False,
                   "lease.rent_paid": 2_400_000 * YUAN, **NO_HISTORY}
CREDIT_BASE = {"enterprise.industry": "7295", "enterprise.revenue_prior_year": 12_000_000 * YUAN,
               "lease.sublet": False, "lease.rent_paid": 800_000 * YUAN, **NO_HISTORY}
ENERGY_BASE = {"building.specialised_programme": "industrial-building", "lease.sublet": False,
               "lease.area": 2_000 * M2, "lease.months": 12, "lease.rent_paid": 3_600_000 * YUAN, **NO_HISTORY}
GOVSPACE_BASE = {"enterprise.high_tech": True, "lease.government_space": True, "lease.discount": 50 * PERCENT,
                 "lease.monthly_rent": 40 * YUAN, "lease.area": 500 * M2, "lease.months": 12, **NO_HISTORY}
TECH_BASE = {"building.specialised_programme": "tech-building", "lease.sublet": False, "lease.area": 800 * M2,
             "lease.months": 12, "lease.rent_paid": 240_000 * YUAN, **NO_HISTORY}


def _with(base, **changes):
    return {**base, **{name.replace("__", "."): value for name, value in changes.items()}}


POLICIES = [
    {
        "code": "attraction-rent", "name": "招商引资企业租金支持", "category": "attraction",
        "document_number": "福府规〔2023〕6号 [assume]", "issuer": "深圳市福田区人民政府",
        "description": "新引进企业租用办公用房的租金支持：最长 3 年，每年不超过 1,000 万元，累计不超过 3,000 万元；"
                       "受支持期间不得转租。",
        "exclusivity_group": "rent",
        "version": {
            "source_document": "福田区支持招商引资若干措施（DOMAIN.md §3）",
            "notes": "支持年限、年度与累计上限、不得转租：来源 DOMAIN.md §3 [src]。\n"
                     "[assume] “新引进企业”按 2023 年 1 月 1 日及以后落户本区计；补贴比例按实付租金的 50% 计"
                     "（来源未给出比例）。",
            "parameters": {
                "new_since": _param("新引进企业落户日期起", "date", (EFFECTIVE, "2023-01-01")),
                "rate": _param("补贴比例", "share", (EFFECTIVE, 50 * PERCENT)),
                "annual_cap": _param("年度上限", "money", (EFFECTIVE, 10_000_000 * YUAN)),
                "total_cap": _param("累计上限", "money", (EFFECTIVE, 30_000_000 * YUAN)),
            },
            "conditions": {"all": [
                _leaf("enterprise.moved_in_on", "ge", _p("new_since"), "落户本区日期", "[assume] 新引进企业"),
                _leaf("enterprise.in_district", "eq", True, "仍在本区"),
                _leaf("lease.sublet", "eq", False, "存在转租"),
            ]},
            "amount": {"mul": [_p("rate"), _f("lease.rent_paid")], "label": "按实付租金比例"},
            "annual_cap": "annual_cap", "cumulative_cap": "total_cap", "max_years": 3,
            "obligations": [{"kind": "no_sublet", "years": 0, "recover": "all", "label": "支持期间不得转租"},
                            {"kind": "stay_in_district", "years": 3, "recover": "pro_rata",
                             "label": "[assume] 支持期满后 3 年内不得迁出本区"}],
            "cases": [
                # 2,400,000 × 50% = 1,200,000 元
                ("新引进、实付租金 240 万元", ATTRACTION_BASE, True, 1_200_000 * YUAN),
                ("落户日期恰为 2023-01-01", _with(ATTRACTION_BASE, enterprise__moved_in_on="2023-01-01"), True,
                 1_200_000 * YUAN),
                ("落户日期为 2022-12-31（早一天）", _with(ATTRACTION_BASE, enterprise__moved_in_on="2022-12-31"),
                 False, None),
                ("存在转租", _with(ATTRACTION_BASE, lease__sublet=True), False, None),
                # 30,000,000 × 50% = 15,000,000 → the annual cap 10,000,000
                ("实付租金 3,000 万元，按年度上限", _with(ATTRACTION_BASE, lease__rent_paid=30_000_000 * YUAN), True,
                 10_000_000 * YUAN),
                # cumulative 30,000,000 − 25,000,000 awarded = 5,000,000 left
                ("累计已获 2,500 万元，按累计上限余额", _with(ATTRACTION_BASE, lease__rent_paid=30_000_000 * YUAN,
                                                history__awarded_total=25_000_000 * YUAN,
                                                history__years_supported=2), True, 5_000_000 * YUAN),
                ("已获支持 3 年", _with(ATTRACTION_BASE, history__years_supported=3), False, None),
                ("已获支持 2 年", _with(ATTRACTION_BASE, history__years_supported=2), True, 1_200_000 * YUAN),
            ],
        },
    },
    {
        "code": "credit-rent", "name": "信用服务机构租金支持", "category": "rent",
        "document_number": "福金规〔2022〕3号 [assume]", "issuer": "深圳市福田区金融工作局",
        "description": "信用服务机构办公用房租金支持：不超过实付租金的 50%，每年不超过 300 万元，最长 3 年；"
                       "上年度营业收入不低于 1,000 万元；租金不含水电费、物业费，限一处办公场所。",
        "exclusivity_group": "rent",
        "version": {
            "source_document": "福田区促进信用服务业发展措施（DOMAIN.md §3）",
            "notes": "比例、年度上限、年限、上年度营收门槛：来源 DOMAIN.md §3 [src]。\n"
                     "信用服务按 GB/T 4754-2017 小类 7295（信用服务）认定。“租金不含水电、物业费”由实付租金的"
                     "记录口径保证；“限一处办公场所”以有效租约数为 1 计 [assume]。",
            "parameters": {
                "min_revenue": _param("上年度营业收入下限", "money", (EFFECTIVE, 10_000_000 * YUAN)),
                "rate": _param("补贴比例上限", "share", (EFFECTIVE, 50 * PERCENT)),
                "annual_cap": _param("年度上限", "money", (EFFECTIVE, 3_000_000 * YUAN)),
            },
            "conditions": {"all": [
                _leaf("enterprise.industry", "in", ["7295"], "所属行业为信用服务（7295）"),
                _leaf("enterprise.revenue_prior_year", "ge", _p("min_revenue"), "上年度营业收入"),
                _leaf("lease.sublet", "eq", False, "存在转租"),
            ]},
            "amount": {"mul": [_p("rate"), _f("lease.rent_paid")], "label": "实付租金的 50%"},
            "annual_cap": "annual_cap", "max_years": 3,
            "obligations": [{"kind": "no_sublet", "years": 0, "recover": "all", "label": "支持期间不得转租"}],
            "cases": [
                # 800,000 × 50% = 400,000 元
                ("信用服务机构，营收 1,200 万元", CREDIT_BASE, True, 400_000 * YUAN),
                ("营收恰为 1,000 万元", _with(CREDIT_BASE, enterprise__revenue_prior_year=10_000_000 * YUAN), True,
                 400_000 * YUAN),
                ("营收 9,999,999.99 元", _with(CREDIT_BASE, enterprise__revenue_prior_year=999_999_999), False, None),
                ("上年度营收缺失", {k: v for k, v in CREDIT_BASE.items() if k != "enterprise.revenue_prior_year"},
                 False, None),
                ("行业为 7294（其他）", _with(CREDIT_BASE, enterprise__industry="7294"), False, None),
                # 8,000,000 × 50% = 4,000,000 → the annual cap 3,000,000
                ("实付租金 800 万元，按年度上限", _with(CREDIT_BASE, lease__rent_paid=8_000_000 * YUAN), True,
                 3_000_000 * YUAN),
                # 6,000,000 × 50% = 3,000,000: exactly the cap
                ("实付租金 600 万元，恰为上限", _with(CREDIT_BASE, lease__rent_paid=6_000_000 * YUAN), True,
                 3_000_000 * YUAN),
            ],
        },
    },
    {
        "code": "new-energy-building", "name": "新能源特色楼宇入驻企业租金支持", "category": "rent",
        "document_number": "福发改规〔2024〕2号 [assume]", "issuer": "深圳市福田区发展和改革局",
        "description": "入驻新能源特色楼宇的企业：每年每平方米不超过 120 元，每年不超过 300 万元。",
        "exclusivity_group": "rent",
        "version": {
            "source_document": "新能源特色楼宇支持措施（DOMAIN.md §3 [2nd]）",
            "notes": "120 元/㎡·年、300 万元/年：来源 DOMAIN.md §3 [2nd]。\n"
                     "[assume] 按月计为 10 元/㎡·月 × 租赁面积 × 租赁月数，且不超过实付租金。"
                     "[assume] 新能源特色楼宇以认定方案“产业园（专业楼宇）”（industrial-building）认定的楼宇计："
                     "认定模块的示范方案中没有单列的新能源楼宇。",
            "parameters": {
                "per_m2_month": _param("每平方米每月补贴上限", "money", (EFFECTIVE, 10 * YUAN)),
                "annual_cap": _param("年度上限", "money", (EFFECTIVE, 3_000_000 * YUAN)),
            },
            "conditions": {"all": [
                _leaf("building.specialised_programme", "eq", "industrial-building", "所在楼宇为新能源特色楼宇",
                      "[assume] 以产业园（专业楼宇）认定计"),
                _leaf("lease.sublet", "eq", False, "存在转租"),
            ]},
            "amount": {"min": [
                {"fact": "lease.rent_paid", "label": "实付租金"},
                {"mul": [{"mul": [_p("per_m2_month"), _f("lease.area")]}, _f("lease.months")],
                 "label": "按面积和月数封顶"},
            ]},
            "annual_cap": "annual_cap",
            "obligations": [{"kind": "lease_kept", "years": 0, "recover": "pro_rata", "label": "支持期间不得提前退租"}],
            "cases": [
                # min(3,600,000; 10 × 2,000 × 12 = 240,000) = 240,000 元
                ("2,000 ㎡ 全年", ENERGY_BASE, True, 240_000 * YUAN),
                # min(100,000; 240,000) = 100,000 元
                ("实付租金少于面积上限", _with(ENERGY_BASE, lease__rent_paid=100_000 * YUAN), True, 100_000 * YUAN),
                # 10 × 30,000 × 12 = 3,600,000 → the annual cap 3,000,000
                ("30,000 ㎡，按年度上限", _with(ENERGY_BASE, lease__area=30_000 * M2), True, 3_000_000 * YUAN),
                # 10 × 25,000 × 12 = 3,000,000: exactly the cap
                ("25,000 ㎡，恰为年度上限", _with(ENERGY_BASE, lease__area=25_000 * M2), True, 3_000_000 * YUAN),
                ("楼宇为科技楼宇", _with(ENERGY_BASE, building__specialised_programme="tech-building"), False, None),
                ("楼宇无特色认定", {k: v for k, v in ENERGY_BASE.items() if k != "building.specialised_programme"},
                 False, None),
                ("实付租金缺失", {k: v for k, v in ENERGY_BASE.items() if k != "lease.rent_paid"}, False, None),
            ],
        },
    },
    {
        "code": "govspace-high-tech", "name": "国家高新技术企业租用政府产业用房租金优惠", "category": "government_space",
        "document_number": "福府办规〔2020〕4号", "issuer": "深圳市福田区人民政府办公室",
        "description": "国家高新技术企业租用政府产业用房，租金可低至评估市场租金的 50%。",
        "proactive": False,
        "version": {
            "source_document": "福田区政府产业用房管理办法（福府办规〔2020〕4号）；2024 年措施 [2nd]",
            "notes": "资格：国家高新技术企业且租用政府产业用房（DOMAIN.md §3）。优惠不超过评估市场租金的 50%。\n"
                     "“金额”定义为期间内租金优惠的价值：月租金单价 × 租赁面积 × 租赁月数 × 优惠比例 [assume]。"
                     "评估租金不在指标目录中，故按实收租金计，是让利价值的保守估计（优惠 50% 时实际让利等于实收"
                     "租金，本式计为其一半）。该政策不直接拨付资金，预算记录的是让利总额。",
            "parameters": {"max_discount": _param("租金优惠比例上限", "share", (EFFECTIVE, 50 * PERCENT))},
            "conditions": {"all": [
                _leaf("enterprise.high_tech", "eq", True, "国家高新技术企业"),
                _leaf("lease.government_space", "eq", True, "租用政府产业用房"),
                _leaf("lease.discount", "le", _p("max_discount"), "租金优惠比例"),
            ]},
            "amount": {"mul": [{"mul": [{"mul": [_f("lease.monthly_rent"), _f("lease.area")]}, _f("lease.months")]},
                               _f("lease.discount")], "label": "租金优惠价值"},
            "obligations": [{"kind": "keep_qualification", "qualification": "high_tech", "years": 0,
                             "recover": "pro_rata", "label": "优惠期间保持国家高新技术企业资格"}],
            "cases": [
                # 50% × (40 × 500 × 12 = 240,000) = 120,000 元
                ("高新技术企业，优惠 50%", GOVSPACE_BASE, True, 120_000 * YUAN),
                ("优惠 50.01%", _with(GOVSPACE_BASE, lease__discount=5001), False, None),
                # 30% × 240,000 = 72,000 元
                ("优惠 30%", _with(GOVSPACE_BASE, lease__discount=30 * PERCENT), True, 72_000 * YUAN),
                ("非高新技术企业", _with(GOVSPACE_BASE, enterprise__high_tech=False), False, None),
                ("非政府产业用房", _with(GOVSPACE_BASE, lease__government_space=False), False, None),
                ("无评估租金", {k: v for k, v in GOVSPACE_BASE.items() if k != "lease.discount"}, False, None),
            ],
        },
    },
    {
        "code": "tech-building-rent", "name": "科技楼宇入驻企业租金补贴", "category": "rent",
        "document_number": "福科规〔2024〕1号 [assume]", "issuer": "深圳市福田区科技创新局",
        "description": "[assume] 入驻科技楼宇、租赁面积不超过 1,000 ㎡ 的企业：补贴 = min(比例 × 实付租金，"
                       "每平方米每月上限 × 面积 × 月数)，年度与累计封顶，最长 3 年；不得转租，3 年内不得迁出。",
        "exclusivity_group": "rent",
        "version": {
            "source_document": "福田区科技楼宇租金补贴办法 [assume]",
            "notes": "[assume] 福田区未公开科技楼宇的补贴标准（DOMAIN.md §3“Not found”）。按 DOMAIN.md 的假设形态："
                     "min(比例 × 实付租金, 每平方米月上限 × 面积 × 月数, 年度上限, 累计上限)，最长 3 年；"
                     "参照龙岗区软件企业规则取 ≤ 1,000 ㎡、≤ 50%、≤ 30 元/㎡·月。\n"
                     "[assume] 2025 年 7 月 1 日起补贴比例调为 40%（演示期间拆分）。",
            "parameters": {
                "rate": _param("补贴比例", "share", (EFFECTIVE, 50 * PERCENT), (TECH_RATE_CHANGE, 40 * PERCENT)),
                "per_m2_month": _param("每平方米每月补贴上限", "money", (EFFECTIVE, 30 * YUAN)),
                "max_area": _param("租赁面积上限", "area", (EFFECTIVE, 1_000 * M2)),
                "annual_cap": _param("年度上限", "money", (EFFECTIVE, 2_000_000 * YUAN)),
                "total_cap": _param("累计上限", "money", (EFFECTIVE, 5_000_000 * YUAN)),
            },
            "conditions": {"all": [
                _leaf("building.specialised_programme", "eq", "tech-building", "所在楼宇为科技楼宇"),
                _leaf("lease.area", "le", _p("max_area"), "租赁面积"),
                _leaf("lease.sublet", "eq", False, "存在转租"),
            ]},
            "amount": {"min": [
                {"mul": [_p("rate"), _f("lease.rent_paid")], "label": "按实付租金比例"},
                {"mul": [{"mul": [_p("per_m2_month"), _f("lease.area")]}, _f("lease.months")],
                 "label": "按面积和月数封顶"},
            ]},
            "annual_cap": "annual_cap", "cumulative_cap": "total_cap", "max_years": 3,
            "obligations": [{"kind": "no_sublet", "years": 0, "recover": "all", "label": "支持期间不得转租"},
                            {"kind": "stay_in_district", "years": 3, "recover": "pro_rata",
                             "label": "支持期满后 3 年内不得迁出本区"},
                            {"kind": "lease_kept", "years": 0, "recover": "pro_rata", "label": "支持期间不得提前退租"}],
            "cases": [
                # 2025 split on 1 July: rent 240,000 shared by days (181 of 365 days: 119,013.70; then 120,986.30);
                # 50% × 119,013.70 = 59,506.85 and 40% × 120,986.30 = 48,394.52 (the caps 30 × 800 × 6 = 144,000
                # each do not bite): 107,901.37 元
                ("800 ㎡，比例年中调整", TECH_BASE, True, 10_790_137),
                # 1,200,000 rent: 50% × 595,068.49 = 297,534.25 → cap 144,000; 40% × 604,931.51 = 241,972.60 →
                # cap 144,000: 288,000 元
                ("租金高，按面积封顶", _with(TECH_BASE, lease__rent_paid=1_200_000 * YUAN), True, 288_000 * YUAN),
                ("面积恰为 1,000 ㎡", _with(TECH_BASE, lease__area=1_000 * M2), True, 10_790_137),
                ("面积 1,000.01 ㎡", _with(TECH_BASE, lease__area=100_001), False, None),
                ("存在转租", _with(TECH_BASE, lease__sublet=True), False, None),
                # the annual cap: 2,000,000 − 1,950,000 awarded this year = 50,000 元
                ("本年已获 195 万元", _with(TECH_BASE, history__awarded_in_year=1_950_000 * YUAN,
                                          history__awarded_total=1_950_000 * YUAN,
                                          history__years_supported=1), True, 50_000 * YUAN),
                ("已获支持 3 年", _with(TECH_BASE, history__years_supported=3), False, None),
            ],
        },
    },
]

BUDGETS = {"attraction-rent": 100_000_000, "credit-rent": 12_000_000, "new-energy-building": 15_000_000,
           "govspace-high-tech": 8_000_000, "tech-building-rent": 20_000_000}  # yuan a year
ADMIN = "admin"


def create_policy(spec, *, user=None, start=None, end=None, publish=True, budgets=()):
    """One policy of ``POLICIES`` with its version, test cases (run) and, when ``publish``, its dry run over
    [start, end] and the version published (through the action, as the administrator would, when ``user`` is
    given)."""
    from . import evaluation, services

    version_spec = spec["version"]
    policy = Policy.objects.create(
        code=spec["code"], name=spec["name"], category=spec["category"], document_number=spec["document_number"],
        issuer=spec["issuer"], description=spec["description"], valid_from=EFFECTIVE,
        exclusivity_group=spec.get("exclusivity_group", ""), proactive=spec.get("proactive", True))
    for year, total in budgets:
        Budget.objects.create(policy=policy, year=year, total=total)
    version = PolicyVersion.objects.create(
        policy=policy, number=1, effective_from=EFFECTIVE, source_document=version_spec["source_document"],
        notes=version_spec["notes"], parameters=version_spec["parameters"], conditions=version_spec["conditions"],
        amount=version_spec["amount"], annual_cap=version_spec.get("annual_cap", ""),
        cumulative_cap=version_spec.get("cumulative_cap", ""), max_years=version_spec.get("max_years"),
        obligations=version_spec.get("obligations", []))
    for name, facts, eligible, amount in version_spec["cases"]:
        PolicyTestCase.objects.create(version=version, name=name, facts=facts, period_start=CASE_YEAR[0],
                                       period_end=CASE_YEAR[1], expected_eligible=eligible, expected_amount=amount)
    for case in version.test_cases.all():
        case.last_result = services.run_case(case, version)
        case.save(update_fields=["last_result"])
    if publish:
        version.dry_run = evaluation.dry_run(version, start, end)
        version.save(update_fields=["dry_run"])
        if user is not None:
            services.policyversion_publish(user=user, instance=version)
        else:
            missing = services.publish_missing(version)
            if missing:
                raise ValueError(f"{spec['code']}: {missing}")
            version.status, version.content_hash = "published", services.engine.version_hash(version)
            version.published_at, version.published_by = datetime.datetime.now(datetime.UTC), "demo"
            version.save()
        version.refresh_from_db()
    return policy, version


@part.district.writes
def write_policies(plan) -> None:
    today = plan.today
    start, end = _D(today.year - 1, 1, 1), _D(today.year - 1, 12, 31)
    admin = plan.accounts.get(ADMIN) if hasattr(plan, "accounts") else None
    if admin is not None and admin.role != "bureau_admin":
        admin = None
    for spec in POLICIES:
        create_policy(spec, user=admin, start=start, end=end,
                      budgets=[(year, BUDGETS[spec["code"]] * YUAN) for year in (today.year - 1, today.year)])


# ----- screening and offers (免申即享) -----------------------------------------------------------------------------
# The facts the policies read, in the synthetic data of ``manage.py generate`` (policies.generate). The part is
# the app's one ``part``: made here unless a section above made it.


generate.register(part)


# ----- applications, awards, budgets and tranches --------------------------------------------------------------
# Applications at every step of 初审 → 复审 → 审批 for last year, and two awards with a tranche paid: the money
# moved by the services themselves (budget reserved, award, tranches, ledger), so the demo's figures are the ones
# the books would hold. The enterprises approved are ones the policies' rules find eligible on the demo records.


# 审批 is by a third person: the demo's officer reviews first, this officer second, the administrator approves.
DEMO_SECOND_REVIEWER = ("officer2", "李复核")
# (status, statement, the comments of each step taken) of the demo's applications besides the two approved.
DEMO_STEPS = [
    ("draft", "申请上年度租金补贴，材料整理中", []),
    ("submitted", "申请上年度租金补贴", [("submit", "")]),
    ("returned", "申请上年度租金补贴", [("submit", ""), ("return", "请补充上年度租金缴纳凭证（银行回单）")]),
    ("first_passed", "申请上年度扶持", [("submit", ""), ("first_review", "租赁合同与缴费凭证齐全")]),
    ("second_passed", "申请上年度扶持", [("submit", ""), ("first_review", "材料齐全"),
                                        ("second_review", "复核一致，建议同意")]),
    ("rejected", "申请上年度扶持", [("submit", ""), ("first_review", "材料齐全"),
                                   ("reject", "上年度已迁出本区，不符合申报条件")]),
    ("withdrawn", "申请上年度扶持", [("submit", ""), ("withdraw", "企业主动撤回")]),
]


def _awards_second_reviewer(plan):
    from core.models import Department

    User = get_user_model()
    username, name = DEMO_SECOND_REVIEWER
    user = User.objects.filter(username=username).first()
    if user is None:
        from demo.district import DEMO_PASSWORD

        user = User(username=username, role="bureau_officer", display_name=name,
                    department=Department.objects.filter(code="kcj").first())
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _awards_eligible(version, enterprises, start, end, *, skip):
    """The first enterprise the version finds eligible for [start, end] (decided, not kept): those its dry run
    found gaining the most first, then ``enterprises``; None when none is."""
    from enterprises.models import Enterprise

    from . import evaluation

    ranked = [row["enterprise"] for row in (version.dry_run or {}).get("top", []) if (row.get("after") or 0) > 0]
    first = list(Enterprise.objects.filter(pk__in=ranked))
    first.sort(key=lambda enterprise: ranked.index(enterprise.pk))
    ordered = [enterprise for enterprise in [*first, *enterprises] if enterprise.pk not in skip]
    # Decided together, as a dry run decides: each fact read once for all of them (set-based).
    results = evaluation.decide_all(version, sorted({e.pk for e in ordered}), start, end, end)
    return next((enterprise for enterprise in ordered if all(results[enterprise.pk])), None)


def _awards_row(policy, enterprise, year, status, statement, steps, users, number):
    from . import evaluation, services

    start, end = services.application_period(year)
    application = Application(number=number, policy=policy, enterprise=enterprise, year=year,
                                     period_start=start, period_end=end, status=status, statement=statement)
    if steps:
        version = policy.version_on(end)
        application.version = version
        application.decision = evaluation.decide(enterprise, version, start, end, end, purpose="application",
                                                 user=users["admin"])
        application.submitted_at = datetime.datetime.combine(end + datetime.timedelta(days=20), datetime.time(10),
                                                        tzinfo=datetime.UTC)
    who = {"submit": users.get("enterprise"), "first_review": users["officer"], "return": users["officer"],
           "second_review": users["second"], "reject": users["officer"], "withdraw": users.get("enterprise")}
    for verb, comment in steps:
        if verb == "first_review":
            application.first_reviewed_by = users["officer"]
        elif verb == "second_review":
            application.second_reviewed_by = users["second"]
        elif verb == "reject":
            application.decided_by = users["officer"]
            application.decided_at = application.submitted_at
        if comment:
            application.review_comment = comment
    application.save()
    for verb, comment in steps:
        audit.record_event(f"policies.application.{verb}", user=who[verb], instance=application,
                                   data={"comment": comment} if comment else {})
    return application


@part.district.writes
def write_awards(plan) -> None:
    """Last year's applications at each step, and two approved, each with its first tranche paid."""
    from enterprises.models import Enterprise

    from . import services
    from .models import Policy

    year = plan.today.year - 1
    start, end = services.application_period(year)
    accounts = getattr(plan, "accounts", {}) or {}
    users = {"admin": accounts.get("admin"), "officer": accounts.get("officer"),
             "enterprise": accounts.get("enterprise")}
    policies = [p for p in Policy.objects.filter(budgets__year=year).order_by("code")
                if p.version_on(end) is not None]
    if not policies or users["admin"] is None or users["officer"] is None:
        plan.say("policies: no published policy with a budget for last year, or no demo officers: no applications")
        return
    users["second"] = _awards_second_reviewer(plan)
    rng = plan.stream("policies.awards")
    own = Enterprise.objects.filter(users=users["enterprise"]).first() if users["enterprise"] else None
    candidates = list(Enterprise.objects.filter(leases__isnull=False).distinct().order_by("pk")[:400])
    rng.shuffle(candidates)
    numbers = iter(range(1, 1000))

    def number():
        return f"ZC-{year}-{next(numbers):04d}"

    # Two awards, of two policies, to enterprises their rules find eligible; the approval is the real one.
    from core.actions import Refused

    approved = []
    for policy in policies:
        if len(approved) == 2:
            break
        enterprise = _awards_eligible(policy.version_on(end), candidates[:60], start, end,
                                      skip={award.enterprise_id for award in approved})
        if enterprise is None:
            continue
        application = _awards_row(policy, enterprise, year, "second_passed", "申请上年度扶持",
                                  [("submit", ""), ("first_review", "材料齐全，数据与台账一致"),
                                   ("second_review", "复核无误")], users, number())
        try:
            services.application_approve(application, user=users["admin"], comment="同意拨付")
        except Refused as refusal:  # the budget or the caps: the application stays where it is
            plan.say(f"policies: approval of {application.number} refused: {refusal}")
            continue
        award = Award.objects.get(application=application)
        first = award.tranches.order_by("number").first()
        services.tranche_pay(first, user=users["officer"], paid_on=min(plan.today, end + datetime.timedelta(days=60)),
                             reference=f"GK-{year}-{len(approved) + 1:04d}")
        approved.append(award)
    # Every other step, the demo enterprise's own first (it sees them in its portal).
    for round_ in range(2):  # two of each, of different policies and enterprises
        for index, (status, statement, steps) in enumerate(DEMO_STEPS):
            policy = policies[(index + round_) % len(policies)]
            mine = own is not None and round_ == 0 and index < 3
            enterprise = own if mine else candidates[(index + 7 * round_) % len(candidates)]
            _awards_row(policy, enterprise, year, status, statement, steps, users, number())
    plan.say(f"policies: {Application.objects.count()} applications, {len(approved)} awards")


@part.flushes
def flush_awards(*, everything: bool) -> dict:
    """The demo's second reviewer goes with the demo accounts (kept when the audit names it)."""
    if not everything:
        return {}
    from core.models import DomainEvent, ObjectChange

    removed = 0
    for user in get_user_model().objects.filter(username=DEMO_SECOND_REVIEWER[0]):
        if not (ObjectChange.objects.filter(user=user).exists() or DomainEvent.objects.filter(user=user).exists()):
            user.delete()
            removed += 1
    return {"policy_reviewers": removed}


# ----- obligations and clawback --------------------------------------------------------------------------------
# One obligation found broken and its case raised (a sublet of a supported enterprise's lease), and one waived (an
# enterprise that moved out of the district, the waiver's reason kept). Both are found by the check itself
# (clawback_scan) in the records the demo writes here: awards come from the awards' part, and with none that binds
# an obligation this part writes nothing.


def _clawback_awards(kind: str, exclude=()):
    """Awards holding, something paid, whose obligations include ``kind`` (lowest id first)."""
    from .choices import AWARD_HOLDING_STATUSES

    found = Award.objects.filter(status__in=[str(s) for s in AWARD_HOLDING_STATUSES], paid__gt=0).exclude(
        enterprise_id__in=list(exclude)).select_related("enterprise").order_by("pk")
    return [a for a in found if any(o.get("kind") == kind for o in a.obligations or ())]


@part.district.writes
def write_clawbacks(plan) -> None:
    import datetime

    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from enterprises.models import Enterprise
    from leasing.choices import HOLDING_STATUSES
    from leasing.models import Lease, Sublet

    from .services import clawback_scan, clawbackcase_waive

    today = plan.today
    officer = get_user_model().objects.filter(username="officer").first()
    used = set()
    # Neither breach falls on the demo enterprise (the account "enterprise"): it would be ineligible everywhere,
    # and the demo shows it the support it may claim.
    with_accounts = set(Enterprise.objects.filter(users__isnull=False).values_list("pk", flat=True))
    for award in _clawback_awards("no_sublet", exclude=with_accounts):
        lease = Lease.objects.filter(enterprise_id=award.enterprise_id, status__in=HOLDING_STATUSES,
                                     start_date__lte=award.period_end, end_date__gte=today).order_by("pk").first()
        if lease is None:
            continue
        starts = max(award.period_start, min(today, award.period_end) - datetime.timedelta(days=45))
        Sublet.objects.create(lease=lease, subtenant_name="深圳市前海启航商贸有限公司", starts_on=starts,
                              found_on=min(today, starts + datetime.timedelta(days=30)),
                              area=min(lease.leased_area, 120) or None, note="园区巡查发现部分面积转租")
        used.add(award.enterprise_id)
        break
    waived_enterprise = None
    for award in _clawback_awards("stay_in_district", exclude=used | with_accounts):
        moved = max(award.period_start, min(today, award.period_end - datetime.timedelta(days=30)))
        if moved > today:
            continue
        Enterprise.objects.filter(Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=moved),
                                  pk=award.enterprise_id).update(moved_out_on=moved)
        waived_enterprise = award.enterprise_id
        break
    if not used and waived_enterprise is None:
        return
    clawback_scan(on=today)
    if waived_enterprise is not None and officer is not None:
        for case in ClawbackCase.objects.filter(enterprise_id=waived_enterprise, obligation="stay_in_district"):
            clawbackcase_waive(user=officer, instance=case,
                               reason="企业因所在片区城市更新整体搬迁，经区工信局局务会研究同意豁免追回")


# ----- government-owned space and the funds report -------------------------------------------------------------
# Government-owned space (政府产业用房, 福府办规〔2020〕4号): the allocation policy whose admission standard and rent
# share an allocation reads, and two allocations by the demo officer through the services — one leased at half
# the assessed market rent, one proposed and awaiting approval.


@part.flushes
def flush_govspace_decisions(everything: bool) -> dict:
    """The admission checks the allocations made name enterprises, which the enterprises' part deletes next:
    they go (a decision another record still names stays, for its own part to flush)."""
    from .models import Application, Decision, Offer

    named = {*Application.objects.values_list("decision", flat=True),
             *Application.objects.values_list("approved_decision", flat=True),
             *Offer.objects.values_list("decision", flat=True)}
    deleted, _counts = Decision.objects.exclude(pk__in=[pk for pk in named if pk]).delete()
    return {"policy_decisions": deleted}

GOVSPACE_ALLOCATION_POLICY = {
    "code": "govspace-allocation", "name": "政府产业用房配置（国家高新技术企业）",
    "document_number": "福府办规〔2020〕4号", "issuer": "深圳市福田区人民政府办公室",
    "description": "区政府产业用房原则上只租不售，由产业用房领导小组确定准入标准、租金和优惠；国家高新技术企业"
                   "可按评估市场租金的 50% 承租。",
    "source_document": "福田区政府产业用房管理办法（福府办规〔2020〕4号）；2024 年措施 [2nd]",
    "conditions": {"all": [
        {"fact": "enterprise.high_tech", "op": "eq", "value": True, "label": "国家高新技术企业"},
        {"fact": "enterprise.in_district", "op": "eq", "value": True, "label": "注册在本区"},
    ]},
    "parameters": {"rent_share": {"type": "share", "label": "租金占评估市场租金比例",
                                  "values": [["2020-01-01", 5000]]}},
}


def _govspace_policy():
    """The allocation policy and its published version (in force since 2020)."""
    from certification.choices import VersionStatus

    from . import engine
    from .choices import PolicyCategory
    from .models import Policy, PolicyVersion

    spec = GOVSPACE_ALLOCATION_POLICY
    existing = Policy.objects.filter(code=spec["code"]).first()
    if existing is not None:  # kept by a flush that leaves the policies
        return existing
    policy = Policy.objects.create(
        code=spec["code"], name=spec["name"], category=PolicyCategory.GOVERNMENT_SPACE, proactive=False,
        document_number=spec["document_number"], issuer=spec["issuer"], description=spec["description"],
        valid_from=datetime.date(2020, 1, 1))
    version = PolicyVersion(
        policy=policy, number=1, status=VersionStatus.PUBLISHED, effective_from=datetime.date(2020, 1, 1),
        source_document=spec["source_document"], conditions=spec["conditions"], parameters=spec["parameters"],
        notes="准入：国家高新技术企业且注册在本区；租金为评估市场租金的 50%。", published_by="admin",
        published_at=datetime.datetime(2020, 1, 1, 9, tzinfo=datetime.UTC))
    version.content_hash = engine.version_hash(version)
    version.save()
    return policy


def _govspace_candidates(today):
    """High-tech enterprises still in the district, and free government-owned units: each allocation takes a
    building's vacant government-owned units with no lease from ``today`` on."""
    from enterprises.choices import QualificationKind
    from enterprises.models import Enterprise
    from leasing.choices import HOLDING_STATUSES
    from spaces.choices import UnitStatus
    from spaces.models import Unit

    enterprises = list(Enterprise.objects.filter(
        moved_out_on__isnull=True, qualifications__kind=QualificationKind.HIGH_TECH,
        qualifications__issued_on__lte=today, qualifications__valid_until__gte=today).distinct().order_by("pk")[:2])
    units = (Unit.objects.filter(government_owned=True, status=UnitStatus.VACANT)
             .exclude(leases__status__in=HOLDING_STATUSES, leases__end_date__gte=today)
             .select_related("building").order_by("building_id", "pk"))
    by_building: dict = {}
    for unit in units:
        by_building.setdefault(unit.building_id, []).append(unit)
    return enterprises, [found[:2] for found in by_building.values()][:2]


@part.district.writes
def write_govspace(plan) -> None:
    from django.core.exceptions import ValidationError

    from . import services

    officer = plan.accounts.get("officer")
    policy = _govspace_policy()
    # The services decide as of the real day, whatever day the plan is drawn for.
    enterprises, unit_sets = _govspace_candidates(datetime.date.today())
    if officer is None or len(enterprises) < 2 or len(unit_sets) < 2:
        plan.notes.append("政府产业用房配置：演示数据中缺少高新技术企业或空置的政府产业用房，未生成配置记录")
        return
    start = plan.today.replace(day=1)
    end = start.replace(year=start.year + 3) - datetime.timedelta(days=1)
    leased = services.spaceallocation_create(user=officer, data={
        "policy": policy, "enterprise": enterprises[0], "units": unit_sets[0], "start_date": start, "end_date": end,
        "assessed_rent": Decimal("118.00"), "note": "经区产业用房领导小组会议研究，同意按评估市场租金的 50% 配置。"})
    try:
        services.spaceallocation_approve(user=officer, instance=leased)
        services.spaceallocation_lease(user=officer, instance=leased, contract_number=f"ZFYF-{start.year}-001")
    except ValidationError as refused:
        plan.notes.append(f"政府产业用房配置：{leased} 未能批准签约（{'；'.join(refused.messages)}）")
    next_quarter = (start + datetime.timedelta(days=95)).replace(day=1)
    services.spaceallocation_create(user=officer, data={
        "policy": policy, "enterprise": enterprises[1], "units": unit_sets[1], "start_date": next_quarter,
        "end_date": next_quarter.replace(year=next_quarter.year + 3) - datetime.timedelta(days=1),
        "assessed_rent": Decimal("96.50"), "note": "企业申请扩大研发场地，待领导小组审议。"})


# ----- the screening that ends the demo ------------------------------------------------------------------------
@part.district.writes
def write_screening(plan) -> None:
    """The officer screens every enterprise for this calendar year as of the demo day (免申即享), after the
    applications, awards and clawbacks above: the offers go to those that have not applied."""
    import datetime

    from django.contrib.auth import get_user_model

    from .services import screening_run

    officer = get_user_model().objects.filter(username="officer").first()
    if officer is None:
        return
    year = plan.today.year
    screening_run(on=plan.today, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31), user=officer,
                  seed=plan.seed)
