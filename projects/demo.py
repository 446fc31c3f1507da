"""Projects' part of the demo data (``demo.parts``): the renewal, land-preparation, demolition, research-space,
infrastructure and transport projects the letter (2021年6月21日) names, with figures that reproduce it when counted
(华富北 at 96% relocation; at 香蜜湖 about 50万㎡ of illegal buildings removed and 135万㎡ of land cleared; the 37万㎡
of Hetao research space delivered; 15万㎡ more to renovate, offered as future supply). Milestones and the space still
to come are dated from the demo's day, so some milestones are late and raise reminders to their department.
Project sizes other than the letter's figures are invented. Draws come from ``plan.stream("projects")``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from demo.parts import Part
from demo.plan import DistrictPlan

from .choices import DeliveryStatus, PppStage, ProjectKind, ProjectStatus
from .models import FiscalYear, Milestone, PppPayment, PppProject, Project, SpaceDelivery

part = Part("projects", tables=[("space_deliveries", SpaceDelivery), ("milestones", Milestone),
                                ("projects", Project), ("ppp_payments", PppPayment), ("ppp_projects", PppProject),
                                ("fiscal_years", FiscalYear)])

_D = datetime.date
K = ProjectKind
S = ProjectStatus

# (code, name, kind, zone, park code or "", department, status, started, to clear, cleared, to demolish,
#  demolished, households to relocate, relocated)
PROJECTS = [
    ("PG-HFC", "华富村棚户区改造项目", K.SHANTYTOWN, "central-park", "", "zjj", S.IN_PROGRESS, _D(2019, 8, 1),
     None, 0, Decimal("420000"), Decimal("420000"), 2154, 2154),
    ("PG-HFB", "华富北片区棚户区改造项目", K.SHANTYTOWN, "central-park", "", "zjj", S.IN_PROGRESS, _D(2020, 3, 1),
     None, 0, Decimal("180000"), Decimal("96000"), 1250, 1200),
    ("PG-NHC", "南华村棚户区改造项目", K.SHANTYTOWN, "hetao", "", "zjj", S.IN_PROGRESS, _D(2019, 11, 1),
     None, 0, Decimal("260000"), Decimal("251000"), 1620, 1598),
    ("GX-CCKF", "长城开发城市更新项目", K.URBAN_RENEWAL, "chegongmiao", "", "gxb", S.IN_PROGRESS, _D(2020, 6, 1),
     None, 0, Decimal("85000"), Decimal("40000"), None, 0),
    ("GX-SXGY", "三星工业区城市更新项目", K.URBAN_RENEWAL, "central-park", "", "gxb", S.PLANNED, None,
     None, 0, Decimal("60000"), 0, None, 0),
    ("GX-FTC", "福田村城市更新项目", K.URBAN_RENEWAL, "futian-cbd", "", "gxb", S.PLANNED, None,
     None, 0, Decimal("150000"), 0, 860, 0),
    ("GX-GXC", "岗厦村城市更新项目", K.URBAN_RENEWAL, "futian-cbd", "", "gxb", S.IN_PROGRESS, _D(2020, 9, 1),
     None, 0, Decimal("120000"), Decimal("30000"), 640, 410),
    ("GX-JDGY", "金地工业区旧改项目", K.URBAN_RENEWAL, "jinsha", "", "gxb", S.PLANNED, None,
     None, 0, Decimal("70000"), 0, None, 0),
    ("GX-SXC", "石厦村旧改项目", K.URBAN_RENEWAL, "jinsha", "", "gxb", S.PLANNED, None,
     None, 0, Decimal("95000"), 0, 520, 0),
    ("TZ-XMH", "香蜜湖新金融中心土地整备项目", K.LAND_PREPARATION, "xiangmihu", "", "gxb", S.IN_PROGRESS,
     _D(2018, 5, 1), Decimal("1500000"), Decimal("1350000"), None, 0, None, 0),
    ("CW-XMH", "香蜜湖片区历史违建拆除", K.DEMOLITION, "xiangmihu", "", "gxb", S.COMPLETED, _D(2018, 5, 1),
     None, 0, Decimal("500000"), Decimal("500000"), None, 0),
    ("TZ-MLWF", "梅林危险废物处理站土地整备项目", K.LAND_PREPARATION, "meilin", "", "gxb", S.IN_PROGRESS,
     _D(2021, 3, 1), Decimal("42000"), Decimal("18000"), None, 0, None, 0),
    ("KY-HT1", "河套深圳园区科研空间批量供给", K.RESEARCH_SPACE, "hetao", "hetao-01", "kcj", S.COMPLETED,
     _D(2018, 1, 1), None, 0, None, 0, None, 0),
    ("KY-HT2", "河套深圳园区科研空间改造升级", K.RESEARCH_SPACE, "hetao", "hetao-02", "kcj", S.IN_PROGRESS,
     _D(2021, 7, 1), None, 0, None, 0, None, 0),
    ("KY-SWYY", "河套生物医药基地二期", K.RESEARCH_SPACE, "hetao", "hetao-04", "kcj", S.IN_PROGRESS,
     _D(2021, 10, 1), None, 0, None, 0, None, 0),
    ("JC-HGKA", "皇岗口岸重建工程", K.INFRASTRUCTURE, "hetao", "", "fgj", S.IN_PROGRESS, _D(2020, 12, 1),
     None, 0, Decimal("160000"), Decimal("160000"), None, 0),
    ("JT-HMG", "黄木岗综合交通枢纽", K.TRANSPORT, "bagualing", "", "jtj", S.IN_PROGRESS, _D(2019, 12, 1),
     None, 0, None, 0, None, 0),
    ("JT-HGL", "皇岗路快速化改造工程", K.TRANSPORT, "futian-cbd", "", "jtj", S.IN_PROGRESS, _D(2019, 4, 1),
     None, 0, None, 0, None, 0),
    ("JT-CMLJ", "彩梅立交改造工程", K.TRANSPORT, "meilin", "", "jtj", S.IN_PROGRESS, _D(2020, 8, 1),
     None, 0, None, 0, None, 0),
]
COMPLETED_ON = {"CW-XMH": _D(2020, 12, 31), "KY-HT1": _D(2020, 12, 31)}
STAGES = {
    K.SHANTYTOWN: ["搬迁签约", "房屋移交", "拆除完成", "主体施工", "竣工回迁"],
    K.URBAN_RENEWAL: ["更新单元计划立项", "专项规划批复", "搬迁补偿签约", "拆除与土地移交", "开工建设"],
    K.LAND_PREPARATION: ["整备方案批复", "补偿协议签订", "土地清理", "土地移交入库"],
    K.DEMOLITION: ["违建摸底", "拆除实施", "复绿与移交"],
    K.RESEARCH_SPACE: ["方案设计", "施工招标", "主体施工", "竣工验收", "交付使用"],
    K.INFRASTRUCTURE: ["立项批复", "旧楼拆除", "主体施工", "竣工验收"],
    K.TRANSPORT: ["立项批复", "交通疏解", "主体施工", "通车"],
}
# Space still to come (future supply), months from the demo's day: (project, use, m², months, park code)
SUPPLY = [
    ("KY-HT2", "research", Decimal("90000"), 10, "hetao-02"),
    ("KY-HT2", "research", Decimal("60000"), 22, "hetao-02"),  # 15万㎡ to renovate in all
    ("KY-SWYY", "research", Decimal("48000"), 16, "hetao-04"),
    ("GX-GXC", "office", Decimal("85000"), 30, ""),
    ("GX-CCKF", "research", Decimal("36000"), 26, ""),
    ("GX-CCKF", "office", Decimal("22000"), 26, ""),
    ("PG-HFC", "commercial", Decimal("12000"), 14, ""),
]
HETAO_DELIVERED = Decimal("370000")  # the letter: 37万㎡ of research space in use


def _months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return _D(day.year + month // 12, month % 12 + 1, min(day.day, 28))


@part.district.writes
def write_projects(plan: DistrictPlan) -> None:
    from core.models import Department
    from spaces.models import Park, Zone

    rng = plan.stream("projects")
    today = plan.today
    zones = {zone.code: zone for zone in Zone.objects.all()}
    parks = {park.code: park for park in Park.objects.filter(code__in={row[4] for row in PROJECTS if row[4]}
                                                                    | {row[4] for row in SUPPLY if row[4]})}
    departments = {department.code: department for department in Department.objects.all()}
    if not zones or not departments:
        plan.say("projects: no zones or departments: no projects")
        return
    projects = []
    for (code, name, kind, zone, park, department, status, started, to_clear, cleared, to_demolish, demolished,
         to_relocate, relocated) in PROJECTS:
        projects.append(Project(
            code=code, name=name, kind=kind, zone=zones[zone], park=parks.get(park), department=departments[department],
            status=status, started_on=started, completed_on=COMPLETED_ON.get(code),
            planned_completion=_months(today, rng.randint(12, 48)) if status != S.COMPLETED else COMPLETED_ON[code],
            land_to_clear=to_clear, land_cleared=cleared, area_to_demolish=to_demolish, area_demolished=demolished,
            households_to_relocate=to_relocate, households_relocated=relocated,
            progress_on=_months(today, -1) if status == S.IN_PROGRESS else None))
    for project in projects:
        project.refresh_search_text()
    Project.objects.bulk_create(projects)
    by_code = {project.code: project for project in Project.objects.all()}
    milestones = []
    for project in by_code.values():
        stages = STAGES[project.kind]
        start = project.started_on or _months(today, 2)
        reached = len(stages) if project.status == S.COMPLETED else (
            rng.randint(1, len(stages) - 1) if project.status == S.IN_PROGRESS else 0)
        for number, stage in enumerate(stages):
            planned = _months(start, 8 * (number + 1))
            if number < reached:
                done = min(planned + datetime.timedelta(days=rng.randint(-20, 40)), today)
                milestones.append(Milestone(project=project, name=stage, sort_order=number + 1, planned_on=planned,
                                            done_on=done))
            else:
                # The first open milestone of a project under way is due soon, or already late for some.
                if project.status == S.IN_PROGRESS and number == reached:
                    planned = today + datetime.timedelta(days=rng.choice([-45, -12, 20, 60, 90]))
                else:
                    planned = max(planned, today + datetime.timedelta(days=120 * (number - reached + 1)))
                milestones.append(Milestone(project=project, name=stage, sort_order=number + 1, planned_on=planned))
    Milestone.objects.bulk_create(milestones)
    _write_landed(plan, rng, zones["hetao"], departments["kcj"])
    deliveries = [SpaceDelivery(project=by_code["KY-HT1"], use="research", area=HETAO_DELIVERED,
                                expected_on=_D(2020, 12, 31), park=parks.get("hetao-01"),
                                status=DeliveryStatus.DELIVERED, delivered_on=_D(2020, 12, 31),
                                note="科研空间批量供给，投入使用")]
    for code, use, area, months, park in SUPPLY:
        deliveries.append(SpaceDelivery(project=by_code[code], use=use, area=area,
                                        expected_on=_months(today, months), park=parks.get(park)))
    SpaceDelivery.objects.bulk_create(deliveries)
    plan.say(f"projects: {len(projects)} projects, {len(milestones)} milestones, {len(deliveries)} deliveries")


# PPP [assume]: the district's general public budget expenditure about 300亿元 in 2019, growing 3% a year (the
# demo's figure, not the district's accounts); four invented projects, within the caps.
BUDGET_2019 = Decimal("30000000000")
# (code, name, zone, department, stage, mechanism, first year, years, yearly 万元, PSC 万元, PPP 万元, legacy)
PPP = [
    ("PPP-HD", "福田区河道综合整治PPP项目", "central-park", "zjj", PppStage.EXECUTION, "viability_gap", 2019, 15, 38000,
     520000, 468000, True),
    ("PPP-TC", "福田区智慧停车设施PPP项目", "futian-cbd", "jtj", PppStage.EXECUTION, "user_pay", 2020, 20, 0, 0, 0, True),
    ("PPP-GL", "梅林片区综合管廊PPP项目", "meilin", "fgj", PppStage.PREPARATION, "government_pay", 0, 20, 29000,
     610000, 574000, False),
    ("PPP-TY", "福田区体育公园提升PPP项目", "antuoshan", "wtlj", PppStage.IDENTIFICATION, "viability_gap", 0, 12, 9000,
     None, None, False),
]


@part.district.writes
def write_ppp(plan: DistrictPlan) -> None:
    from core.models import Department
    from spaces.models import Zone

    today = plan.today
    zones = {zone.code: zone for zone in Zone.objects.all()}
    departments = {department.code: department for department in Department.objects.all()}
    if not zones or not departments:
        return
    years = range(2019, today.year + 11)
    FiscalYear.objects.bulk_create([FiscalYear(
        year=year, expenditure=(BUDGET_2019 * Decimal("1.03") ** (year - 2019)).quantize(Decimal("1")),
        projected=year >= today.year) for year in years])
    payments = []
    for (code, name, zone, department, stage, mechanism, first, term, yearly, psc, cost, legacy) in PPP:
        project = PppProject(code=code, name=name, zone=zones[zone], department=departments[department], stage=stage,
                             mechanism=mechanism, contract_years=term, legacy=legacy,
                             psc=None if psc is None else Decimal(psc) * 10000,
                             ppp_cost=None if cost is None else Decimal(cost) * 10000)
        project.refresh_search_text()
        project.save()
        start = first or today.year + 1
        if yearly:
            payments += [PppPayment(project=project, year=year, amount=Decimal(yearly) * 10000)
                         for year in range(start, start + term)]
    PppPayment.objects.bulk_create(payments)
    plan.say(f"projects: {len(PPP)} PPP projects, {len(payments)} yearly expenditures, {len(years)} fiscal years")


# 河套: "实质推进和落地项目138个". The letter names no list; a few are named after its own examples and the rest are
# invented, each under way (实质推进) or running (落地运行); a dozen more still planned do not count.
LANDED_IN_HETAO = 138
LANDED_NAMED = ["香港大学深圳研究院河套科研基地", "香港科技大学河套协同创新中心", "香港中文大学河套联合实验室",
                "香港理工大学河套创新研究院", "香港城市大学河套研发中心", "粤港澳大湾区人工智能研究院河套基地",
                "国家药监局药审和器审大湾区分中心配套项目", "深港国际量子科技联合实验室"]
LANDED_FIELDS = ["人工智能", "集成电路", "生物医药", "新材料", "量子科技", "金融科技", "医疗器械", "数字经济", "5G通信"]
LANDED_KINDS = ["研发中心", "联合实验室", "创新平台", "中试基地", "科技企业总部", "孵化项目"]


def _write_landed(plan: DistrictPlan, rng, hetao, department) -> None:
    names = list(LANDED_NAMED)
    while len(names) < LANDED_IN_HETAO + 12:
        name = f"河套{rng.choice(LANDED_FIELDS)}{rng.choice(LANDED_KINDS)}（{len(names) + 1:03d}）"
        names.append(name)
    rows = []
    for number, name in enumerate(names):
        counted = number < LANDED_IN_HETAO
        status = (S.COMPLETED if rng.random() < 0.45 else S.IN_PROGRESS) if counted else S.PLANNED
        started = _D(rng.randint(2018, 2020), rng.randint(1, 12), 1) if counted else None
        project = Project(code=f"LD-HT-{number + 1:03d}", name=name, kind=K.LANDED, zone=hetao,
                          department=department, status=status, started_on=started,
                          completed_on=_D(started.year + 1, started.month, 1) if status == S.COMPLETED else None)
        project.refresh_search_text()
        rows.append(project)
    Project.objects.bulk_create(rows)
