"""Innovation carriers' part of the demo data (``demo.parts``).

The letter (2021年6月21日, on the year 2020) names a batch of national-level research platforms (国际量子研究院,
the two 大湾区 review centres of the national medical products administration, 粤港澳大湾区人工智能研究院), the
provincial 5G mid/high-frequency device innovation centre among "44 major innovation carriers added", the
SenseTime AI research centre, the national fintech evaluation centre, and the 5G public service platform being
built; 凤巢计划 aims at 250 carriers at municipal level or above. The demo holds those by name and fills the rest
with invented ones: 44 approved in 2020, the district's carriers of earlier years (a few revoked, one upgraded
with its history), and those of the years since. Counts do not depend on the demo's scale.

Every draw comes from ``plan.stream("carriers")``, so nothing another part draws changes.
"""

from __future__ import annotations

import datetime

from demo.parts import Part
from demo.plan import DistrictPlan

from .choices import CarrierKind, CarrierLevel, CarrierStatus
from .models import Carrier

part = Part("carriers", tables=[("carriers", Carrier)])

LETTER_YEAR = 2020  # the year the letter reports on: its 44 new carriers were approved then
NEW_IN_LETTER_YEAR = 44
_D = datetime.date

# (code, name, kind, level, zone code, host institution, approved on, status, target level, field)
NAMED = [
    ("ZT-2020-Q01", "深圳国际量子研究院", CarrierKind.RESEARCH_PLATFORM, CarrierLevel.NATIONAL, "hetao",
     "深圳国际量子研究院", _D(2020, 4, 28), CarrierStatus.OPERATING, "", "量子科技"),
    ("ZT-2020-Y01", "国家药品监督管理局药品审评检查大湾区分中心", CarrierKind.RESEARCH_PLATFORM, CarrierLevel.NATIONAL,
     "hetao", "国家药品监督管理局", _D(2020, 12, 9), CarrierStatus.OPERATING, "", "生物医药"),
    ("ZT-2020-Y02", "国家药品监督管理局医疗器械技术审评检查大湾区分中心", CarrierKind.RESEARCH_PLATFORM,
     CarrierLevel.NATIONAL, "hetao", "国家药品监督管理局", _D(2020, 12, 9), CarrierStatus.OPERATING, "", "医疗器械"),
    ("ZT-2020-A01", "粤港澳大湾区人工智能研究院", CarrierKind.RESEARCH_PLATFORM, CarrierLevel.NATIONAL, "futian-cbd",
     "粤港澳大湾区数字经济研究院", _D(2020, 10, 11), CarrierStatus.OPERATING, "", "人工智能"),
    ("ZT-2020-G01", "广东省5G中高频器件创新中心", CarrierKind.MANUFACTURING_CENTRE, CarrierLevel.PROVINCIAL, "hetao",
     "深圳市汇芯通信技术有限公司", _D(2020, 7, 16), CarrierStatus.OPERATING, CarrierLevel.NATIONAL, "5G通信器件"),
    ("ZT-2020-S01", "商汤人工智能研究中心", CarrierKind.NEW_RND, CarrierLevel.MUNICIPAL, "futian-cbd",
     "商汤科技", _D(2020, 9, 1), CarrierStatus.OPERATING, "", "人工智能"),
    ("ZT-2020-F01", "国家金融科技测评中心", CarrierKind.SERVICE_PLATFORM, CarrierLevel.NATIONAL, "xiangmihu",
     "中国人民银行", _D(2020, 11, 20), CarrierStatus.OPERATING, "", "金融科技"),
    ("ZT-2021-P01", "粤港澳5G与新一代无线信息技术公共服务平台", CarrierKind.SERVICE_PLATFORM, CarrierLevel.PROVINCIAL,
     "hetao", "深圳市汇芯通信技术有限公司", _D(2021, 5, 20), CarrierStatus.PREPARING, "", "5G通信"),
]

FIELDS = ["新一代信息技术", "集成电路", "人工智能", "生物医药", "新材料", "金融科技", "数字经济", "智能硬件",
          "医疗器械", "低碳环保", "文化科技", "高端装备"]
SUFFIX = {CarrierKind.KEY_LAB: "重点实验室", CarrierKind.ENGINEERING_CENTRE: "工程技术研究中心",
          CarrierKind.MANUFACTURING_CENTRE: "制造业创新中心", CarrierKind.NEW_RND: "研究院",
          CarrierKind.TECH_CENTRE: "企业技术中心", CarrierKind.SERVICE_PLATFORM: "公共技术服务平台",
          CarrierKind.RESEARCH_PLATFORM: "科研平台"}
PREFIX = {CarrierLevel.NATIONAL: "国家", CarrierLevel.PROVINCIAL: "广东省", CarrierLevel.MUNICIPAL: "深圳市",
          CarrierLevel.DISTRICT: "福田区"}
BODY = {CarrierLevel.NATIONAL: "科学技术部", CarrierLevel.PROVINCIAL: "广东省科学技术厅",
        CarrierLevel.MUNICIPAL: "深圳市科技创新局", CarrierLevel.DISTRICT: "福田区科技创新局"}
# How many invented carriers each year approved, by level (national, provincial, municipal, district).
EARLIER = {year: (1, 3, 9, 4) for year in range(2012, LETTER_YEAR)}  # 17 a year before the letter
LATER = (1, 3, 7, 3)  # each year after it
ZONES = ["hetao", "futian-cbd", "xiangmihu", "chegongmiao", "meilin", "huaqiang-shangbu", "bagualing",
         "central-park", "caitian-north", "jinsha", "antuoshan"]


@part.district.writes
def write_carriers(plan: DistrictPlan) -> None:
    from enterprises.models import Enterprise
    from spaces.models import Building, Zone

    rng = plan.stream("carriers")
    zones = {zone.code: zone for zone in Zone.objects.filter(code__in=ZONES)}
    buildings = {code: list(Building.objects.filter(park__zone=zone).order_by("pk")) for code, zone in zones.items()}
    hosts = list(Enterprise.objects.filter(leases__isnull=False).distinct().order_by("pk")[:600])
    own = (Enterprise.objects.filter(users=plan.accounts["enterprise"]).first()
           if getattr(plan, "accounts", None) and plan.accounts.get("enterprise") else None)
    operator = getattr(plan, "accounts", {}).get("operator") if getattr(plan, "accounts", None) else None
    operated = list(Building.objects.filter(park__operator__users=operator).order_by("pk")) if operator else []
    if not zones or not hosts:
        plan.say("carriers: no zones or enterprises: no carriers")
        return
    carriers: list[Carrier] = []
    codes = iter(range(1, 10_000))

    def building_in(zone_code):
        return rng.choice(buildings[zone_code]) if buildings.get(zone_code) else None

    for code, name, kind, level, zone_code, host, approved, status, target, field in NAMED:
        carriers.append(Carrier(code=code, name=name, kind=kind, level=level, status=status, approved_on=approved,
                                approving_body=BODY[level], approval_document="", host_institution=host,
                                zone=zones[zone_code], building=building_in(zone_code), target_level=target,
                                field=field))

    def invented(year: int, level: str, status=CarrierStatus.OPERATING) -> Carrier:
        kind = rng.choice([k for k in SUFFIX if not (k == CarrierKind.MANUFACTURING_CENTRE and level == "district")])
        field = rng.choice(FIELDS)
        zone_code = rng.choice(ZONES)
        host = rng.choice(hosts)
        number = next(codes)
        approved = _D(year, rng.randint(1, 12), rng.randint(1, 28))
        return Carrier(code=f"ZT-{year}-{number:04d}", name=f"{PREFIX[level]}{field}{SUFFIX[kind]}（{host.name[:12]}）",
                       kind=kind, level=level, status=status, approved_on=approved, approving_body=BODY[level],
                       approval_document=f"{BODY[level][:2]}〔{year}〕{rng.randint(10, 300)}号",
                       host_enterprise=host, zone=zones[zone_code], building=building_in(zone_code), field=field)

    levels = [CarrierLevel.NATIONAL, CarrierLevel.PROVINCIAL, CarrierLevel.MUNICIPAL, CarrierLevel.DISTRICT]
    for year, counts in EARLIER.items():
        for level, n in zip(levels, counts, strict=True):
            n += rng.randint(-2, 3) if level == CarrierLevel.MUNICIPAL else 0  # years differ
            carriers.extend(invented(year, level) for _ in range(n))
    named_in_letter_year = sum(1 for c in carriers if c.approved_on.year == LETTER_YEAR)
    spread = [CarrierLevel.NATIONAL] * 3 + [CarrierLevel.PROVINCIAL] * 9 + [CarrierLevel.MUNICIPAL] * 16
    spread += [CarrierLevel.DISTRICT] * (NEW_IN_LETTER_YEAR - named_in_letter_year - len(spread))
    carriers.extend(invented(LETTER_YEAR, level) for level in spread)
    for year in range(LETTER_YEAR + 1, plan.today.year):
        for level, n in zip(levels, LATER, strict=True):
            n += rng.randint(-1, 3) if level in (CarrierLevel.MUNICIPAL, CarrierLevel.DISTRICT) else 0
            carriers.extend(invented(year, level) for _ in range(n))
    # The demo accounts see some: carriers in the demo operator's buildings, one hosted by the demo enterprise.
    invented_ones = [c for c in carriers if c.host_enterprise_id]
    for carrier in invented_ones[:6]:
        if operated:
            carrier.building = rng.choice(operated)
            carrier.zone_id = carrier.building.park.zone_id
    if own is not None:
        invented_ones[6].host_enterprise = own
    # A few of earlier years were revoked after an assessment.
    for carrier in rng.sample([c for c in invented_ones if c.approved_on.year < 2017], 5):
        carrier.status = CarrierStatus.REVOKED
        carrier.ended_on = _D(carrier.approved_on.year + 3, 12, 31)
        carrier.end_reason = "评估不合格，撤销认定"
    Carrier.objects.bulk_create(carriers, batch_size=1000)
    _write_upgrade(plan, rng, [c for c in invented_ones if c.level == CarrierLevel.MUNICIPAL
                               and c.status == CarrierStatus.OPERATING and c.approved_on.year < 2018])
    for carrier in Carrier.objects.all():
        carrier.refresh_search_text()
    Carrier.objects.bulk_update(list(Carrier.objects.all()), ["search_text"], batch_size=1000)
    plan.say(f"carriers: {Carrier.objects.count()}, {NEW_IN_LETTER_YEAR} approved in {LETTER_YEAR}")


def _write_upgrade(plan: DistrictPlan, rng, candidates: list[Carrier]) -> None:
    """A municipal key laboratory of 2016 raised to provincial level in 2022: two records, one history."""
    if not candidates or plan.today.year <= 2022:
        return
    earlier = Carrier.objects.get(code=rng.choice(candidates).code)
    successor = Carrier.objects.create(
        code=f"{earlier.code}-S", name=earlier.name.replace(PREFIX[CarrierLevel.MUNICIPAL], PREFIX[CarrierLevel.PROVINCIAL], 1),
        kind=earlier.kind, level=CarrierLevel.PROVINCIAL, status=CarrierStatus.OPERATING,
        approved_on=_D(2022, 11, 18), approving_body=BODY[CarrierLevel.PROVINCIAL],
        approval_document="粤科函〔2022〕1186号", host_enterprise=earlier.host_enterprise, zone=earlier.zone,
        building=earlier.building, field=earlier.field, upgraded_from=earlier)
    earlier.status, earlier.ended_on, earlier.end_reason = CarrierStatus.UPGRADED, successor.approved_on, "升级为省级"
    earlier.save()
