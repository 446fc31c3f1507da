"""The demo district's policy support: the five policies of DOMAIN.md §3 with budgets, and records that show every step."""


# ===== versions ====

# (end of this part)


# ===== screening ====
# The facts the policies read, in the synthetic data of ``manage.py generate`` (policies.generate). The part is
# the app's one ``part``: made here unless a section above made it.
from demo.parts import Part  # noqa: E402

from . import generate as _generate  # noqa: E402

part = globals().get("part") or Part("policies")
_generate.register(part)

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====
# Government-owned space (政府产业用房, 福府办规〔2020〕4号): the allocation policy whose admission standard and rent
# share an allocation reads, and two allocations by the demo officer through the services — one leased at half
# the assessed market rent, one proposed and awaiting approval.
import datetime as _gs_datetime  # noqa: E402
from decimal import Decimal as _GsDecimal  # noqa: E402

from demo.parts import Part as _GsPart  # noqa: E402

part = globals().get("part") or _GsPart("policies")


def _govspace_tables() -> None:
    """Allocations go before the decisions, policies and leases they name."""
    from .models import SpaceAllocation

    part.tables.insert(0, ("space_allocations", SpaceAllocation))
    part.tables.insert(0, ("space_allocation_units", SpaceAllocation.units.through))


_govspace_tables()


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
        valid_from=_gs_datetime.date(2020, 1, 1))
    version = PolicyVersion(
        policy=policy, number=1, status=VersionStatus.PUBLISHED, effective_from=_gs_datetime.date(2020, 1, 1),
        source_document=spec["source_document"], conditions=spec["conditions"], parameters=spec["parameters"],
        notes="准入：国家高新技术企业且注册在本区；租金为评估市场租金的 50%。", published_by="admin",
        published_at=_gs_datetime.datetime(2020, 1, 1, 9, tzinfo=_gs_datetime.UTC))
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
    enterprises, unit_sets = _govspace_candidates(_gs_datetime.date.today())
    if officer is None or len(enterprises) < 2 or len(unit_sets) < 2:
        plan.notes.append("政府产业用房配置：演示数据中缺少高新技术企业或空置的政府产业用房，未生成配置记录")
        return
    start = plan.today.replace(day=1)
    end = start.replace(year=start.year + 3) - _gs_datetime.timedelta(days=1)
    leased = services.spaceallocation_create(user=officer, data={
        "policy": policy, "enterprise": enterprises[0], "units": unit_sets[0], "start_date": start, "end_date": end,
        "assessed_rent": _GsDecimal("118.00"), "note": "经区产业用房领导小组会议研究，同意按评估市场租金的 50% 配置。"})
    try:
        services.spaceallocation_approve(user=officer, instance=leased)
        services.spaceallocation_lease(user=officer, instance=leased, contract_number=f"ZFYF-{start.year}-001")
    except ValidationError as refused:
        plan.notes.append(f"政府产业用房配置：{leased} 未能批准签约（{'；'.join(refused.messages)}）")
    next_quarter = (start + _gs_datetime.timedelta(days=95)).replace(day=1)
    services.spaceallocation_create(user=officer, data={
        "policy": policy, "enterprise": enterprises[1], "units": unit_sets[1], "start_date": next_quarter,
        "end_date": next_quarter.replace(year=next_quarter.year + 3) - _gs_datetime.timedelta(days=1),
        "assessed_rent": _GsDecimal("96.50"), "note": "企业申请扩大研发场地，待领导小组审议。"})
# (end of this part)
