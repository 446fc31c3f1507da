"""The facts a policy's conditions and amount formula may name (core.rules' Catalogue), pure: the engine reads
it without the ORM. ``policies.facts`` computes them from the records and re-exports ``CATALOGUE``.

The subject is an enterprise, on a day D, for a period [start, end] (normally a calendar year). Values are in
core.rules' storage units: money in fen, areas in hundredths of ㎡, shares in basis points. What each fact counts
is said in its description and in docs/decisions/0030-policy-facts-snapshot-and-sample-recheck.md.
"""

from core.rules import Catalogue, Fact, FactType

AREA, SHARE, COUNT, MONEY = FactType.AREA, FactType.SHARE, FactType.COUNT, FactType.MONEY
DATE, CODE, BOOL = FactType.DATE, FactType.CODE, FactType.BOOL

CATALOGUE = Catalogue([
    Fact("enterprise.industry", CODE, "所属行业小类", "", "GB/T 4754-2017 四位行业小类代码"),
    Fact("enterprise.industry_division", CODE, "所属行业大类", "", "GB/T 4754-2017 两位行业大类代码"),
    Fact("enterprise.established_on", DATE, "成立日期"),
    Fact("enterprise.moved_in_on", DATE, "落户本区日期", "", "未登记落户日期的，以成立日期计"),
    Fact("enterprise.in_district", BOOL, "仍在本区", "", "基准日前（含当日）未迁出本区"),
    Fact("enterprise.high_tech", BOOL, "国家高新技术企业", "", "基准日持有有效的国家高新技术企业证书"),
    Fact("enterprise.specialised", BOOL, "专精特新企业", "", "基准日持有有效的专精特新资质"),
    Fact("enterprise.revenue_prior_year", MONEY, "上年度营业收入", "", "基准日上一年度的年度财务数据；无数据为缺失"),
    Fact("enterprise.lease_count", COUNT, "有效租约数", "份", "基准日有效的租约"),
    Fact("lease.area", AREA, "租赁面积", "㎡", "基准日有效租约的租赁面积之和"),
    Fact("lease.monthly_rent", MONEY, "月租金单价", "元/㎡·月", "主租约（面积最大）基准日的租金单价，含递增"),
    Fact("lease.rent_paid", MONEY, "实付租金", "",
         "期间内企业各租约经运营机构确认的实付租金；跨期间的付款按天数折算；有租约而无已确认的付款记录为缺失"),
    Fact("lease.months", COUNT, "租赁月数", "个月", "期间内有任一天在租的自然月数"),
    Fact("lease.started_on", DATE, "租约起始日期", "", "基准日有效租约中最早的起始日期"),
    Fact("lease.government_space", BOOL, "租用政府产业用房", "", "主租约的房源含政府产业用房"),
    Fact("lease.discount", SHARE, "租金优惠比例", "", "1 − 主租约租金单价 ÷ 评估市场租金单价；无评估为缺失"),
    Fact("lease.sublet", BOOL, "存在转租", "", "基准日有效租约存在生效的转租"),
    Fact("building.specialised_programme", CODE, "所在楼宇特色楼宇类别", "",
         "主租约所在楼宇基准日有效的特色楼宇认定的方案代码；无认定为缺失"),
    Fact("building.certified", BOOL, "所在楼宇已获认定", "", "主租约所在楼宇基准日有有效的认定"),
    Fact("park.certified", BOOL, "所在园区已获认定", "", "主租约所在园区基准日有有效的认定"),
    Fact("history.awarded_in_year", MONEY, "本年度已获本政策支持", "", "本政策同一年度有效或已兑付完毕的支持金额"),
    Fact("history.awarded_total", MONEY, "累计已获本政策支持", "", "本政策历年有效或已兑付完毕的支持金额"),
    Fact("history.years_supported", COUNT, "已获本政策支持年数", "年", "本政策有效或已兑付完毕的支持涉及的年度数"),
])

# The facts that depend on the policy (compute(policy=...)): without a policy they are 0.
HISTORY = ("history.awarded_in_year", "history.awarded_total", "history.years_supported")
