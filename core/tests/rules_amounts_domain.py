"""A rent subsidy as an amount formula, for the tests and the benchmark of ``core.rules.amounts``.

The subsidy pays a share of the rent paid (50% until 30 June 2025, 40% from 1 July), capped at 30 元 per ㎡ per
month of the leased area for twelve months: the smaller of the two, rounded to whole yuan. Values are in storage
units: 1,200,000 元 = 120000000 fen, 1,000 ㎡ = 100000, 50% = 5000.
"""

from core.rules import Catalogue, Fact, FactType, ParameterSet

CATALOGUE = Catalogue([
    Fact("lease.rent_paid", FactType.MONEY, "实付租金"),
    Fact("lease.area", FactType.AREA, "租赁面积"),
    Fact("lease.monthly_rent", FactType.MONEY, "月租金", "元/㎡·月"),
    Fact("lease.months", FactType.COUNT, "租赁月数", "个月"),
    Fact("lease.discount", FactType.SHARE, "租金优惠比例"),
    Fact("enterprise.lease_count", FactType.COUNT, "租约数量", "份"),
    Fact("enterprise.staff_per_10", FactType.RATIO, "每 10 人研发人员", "人"),
    Fact("enterprise.revenue_prior_year", FactType.MONEY, "上年营业收入"),
    Fact("enterprise.established_on", FactType.DATE, "成立日期"),
    Fact("enterprise.industry", FactType.CODE, "行业代码"),
    Fact("enterprise.high_tech", FactType.BOOL, "是否高新技术企业"),
])

PARAMETERS = ParameterSet.from_json({
    "rate": {"type": "share", "label": "补贴比例", "values": [["2024-01-01", 5000], ["2025-07-01", 4000]]},
    "cap_per_m2_month": {"type": "money", "label": "每平方米每月补贴上限", "values": [["2024-01-01", 3000]]},
    "annual_cap": {"type": "money", "label": "年度补贴上限", "values": [["2024-01-01", 100_000_000]]},
    "opened_on": {"type": "date", "label": "政策施行日期", "values": [["2024-01-01", "2024-01-01"]]},
})

BY_RENT = {"mul": [{"fact": "lease.rent_paid"}, {"param": "rate"}], "label": "按实付租金的 50%"}
BY_AREA = {"mul": [{"mul": [{"param": "cap_per_m2_month", "unit": "元/㎡·月"}, {"fact": "lease.area"}]},
                   {"const": 12, "type": "count", "unit": "个月"}], "label": "按面积封顶"}
RENT_SUBSIDY = {"min": [BY_RENT, BY_AREA]}
RENT_SUBSIDY_ROUNDED = {"round": RENT_SUBSIDY, "to": 100, "label": "取整到元"}

FACTS = {"lease.rent_paid": 120_000_000, "lease.area": 100_000}
