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
# Applications at every step of 初审 → 复审 → 审批 for last year, and two awards with a tranche paid: the money
# moved by the services themselves (budget reserved, award, tranches, ledger), so the demo's figures are the ones
# the books would hold. The enterprises approved are ones the policies' rules find eligible on the demo records.
import datetime as _awards_dt  # noqa: E402

from django.contrib.auth import get_user_model as _awards_user_model  # noqa: E402

from core import audit as _awards_audit  # noqa: E402
from demo.parts import Part as _AwardsPart  # noqa: E402

from .models import Allowance as _AwardsAllowance  # noqa: E402
from .models import Application as _AwardsApplication  # noqa: E402
from .models import Award as _AwardsAward  # noqa: E402
from .models import LedgerEntry as _AwardsLedgerEntry  # noqa: E402
from .models import Offer as _AwardsOffer  # noqa: E402
from .models import ScreeningRun as _AwardsScreeningRun  # noqa: E402
from .models import Tranche as _AwardsTranche  # noqa: E402

if "part" not in globals():  # the versions part declares the app's demo part; alone, this part declares it
    part = _AwardsPart("policies", tables=[])
# Emptied first: what points at decisions, budgets and policies.
part.tables[:0] = [("policy_ledger", _AwardsLedgerEntry), ("policy_tranches", _AwardsTranche),
                   ("policy_awards", _AwardsAward), ("policy_allowances", _AwardsAllowance),
                   ("policy_applications", _AwardsApplication)]
for _name, _model in (("policy_offers", _AwardsOffer), ("policy_screening_runs", _AwardsScreeningRun)):
    if _model not in [model for _n, model in part.tables]:
        part.tables.insert(5, (_name, _model))

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

    User = _awards_user_model()
    username, name = DEMO_SECOND_REVIEWER
    user = User.objects.filter(username=username).first()
    if user is None:
        from demo.district import DEMO_PASSWORD

        user = User(username=username, role="bureau_officer", display_name=name,
                    department=Department.objects.filter(code="kcj").first())
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _awards_eligible(policy, version, enterprises, start, end, *, limit):
    """Up to ``limit`` enterprises the version finds eligible for [start, end] (decided, not kept)."""
    from . import evaluation

    found = []
    for enterprise in enterprises:
        decision = evaluation.decide(enterprise, version, start, end, end, save=False)
        if decision.eligible and decision.amount:
            found.append(enterprise)
            if len(found) == limit:
                break
    return found


def _awards_row(policy, enterprise, year, status, statement, steps, users, number):
    from . import evaluation, services

    start, end = services.application_period(year)
    application = _AwardsApplication(number=number, policy=policy, enterprise=enterprise, year=year,
                                     period_start=start, period_end=end, status=status, statement=statement)
    if steps:
        version = policy.version_on(end)
        application.version = version
        application.decision = evaluation.decide(enterprise, version, start, end, end, purpose="application",
                                                 user=users["admin"])
        application.submitted_at = _awards_dt.datetime.combine(end + _awards_dt.timedelta(days=20), _awards_dt.time(10),
                                                        tzinfo=_awards_dt.UTC)
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
        _awards_audit.record_event(f"policies.application.{verb}", user=who[verb], instance=application,
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
    approved = []
    for policy in policies:
        if len(approved) == 2:
            break
        version = policy.version_on(end)
        for enterprise in _awards_eligible(policy, version, candidates, start, end, limit=1):
            application = _awards_row(policy, enterprise, year, "second_passed", "申请上年度扶持",
                                      [("submit", ""), ("first_review", "材料齐全，数据与台账一致"),
                                       ("second_review", "复核无误")], users, number())
            try:
                services.application_approve(application, user=users["admin"], comment="同意拨付")
            except Exception as error:  # a budget or a group refusing: the demo goes on with the next policy
                plan.say(f"policies: approval of {application.number} refused: {error}")
                application.delete()
                continue
            award = _AwardsAward.objects.get(application=application)
            first = award.tranches.order_by("number").first()
            services.tranche_pay(first, user=users["officer"], paid_on=min(plan.today, end + _awards_dt.timedelta(days=60)),
                                 reference=f"GK-{year}-{len(approved) + 1:04d}")
            approved.append(award)
    # Every other step, the demo enterprise's own first (it sees them in its portal).
    for index, (status, statement, steps) in enumerate(DEMO_STEPS):
        policy = policies[index % len(policies)]
        enterprise = own if own is not None and index < 3 else candidates[index % len(candidates)]
        _awards_row(policy, enterprise, year, status, statement, steps, users, number())
    plan.say(f"policies: {_AwardsApplication.objects.count()} applications, {len(approved)} awards")


@part.flushes
def flush_awards(*, everything: bool) -> dict:
    """The demo's second reviewer goes with the demo accounts (kept when the audit names it)."""
    if not everything:
        return {}
    from core.models import DomainEvent, ObjectChange

    removed = 0
    for user in _awards_user_model().objects.filter(username=DEMO_SECOND_REVIEWER[0]):
        if not (ObjectChange.objects.filter(user=user).exists() or DomainEvent.objects.filter(user=user).exists()):
            user.delete()
            removed += 1
    return {"policy_reviewers": removed}

# (end of this part)


# ===== clawback ====
# One obligation found broken and its case raised (a sublet of a supported enterprise's lease), and one waived (an
# enterprise that moved out of the district, the waiver's reason kept). Both are found by the check itself
# (clawback_scan) in the records the demo writes here: awards come from the awards' part, and with none that binds
# an obligation this part writes nothing.
from demo.parts import Part as _CbPart  # noqa: E402

from .models import Award as _CbDemoAward  # noqa: E402
from .models import ClawbackCase as _CbDemoCase  # noqa: E402

part = globals().get("part") or _CbPart("policies")


def _clawback_table_in_order() -> None:
    """Clawback cases are emptied after the ledger entries that name them and before the awards they name."""
    names = [model for _name, model in part.tables]
    if _CbDemoCase in names:
        return
    from .models import LedgerEntry

    if LedgerEntry in names:
        at = names.index(LedgerEntry) + 1
    elif _CbDemoAward in names:
        at = names.index(_CbDemoAward)
    else:
        at = 0
    part.tables.insert(at, ("clawback_cases", _CbDemoCase))


_clawback_table_in_order()


def _clawback_awards(kind: str, exclude=()):
    """Awards holding, something paid, whose obligations include ``kind`` (lowest id first)."""
    from .choices import AWARD_HOLDING_STATUSES

    found = _CbDemoAward.objects.filter(status__in=[str(s) for s in AWARD_HOLDING_STATUSES], paid__gt=0).exclude(
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
    for award in _clawback_awards("no_sublet"):
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
    for award in _clawback_awards("stay_in_district", exclude=used):
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
        for case in _CbDemoCase.objects.filter(enterprise_id=waived_enterprise, obligation="stay_in_district"):
            clawbackcase_waive(user=officer, instance=case,
                               reason="企业因所在片区城市更新整体搬迁，经区工信局局务会研究同意豁免追回")

# (end of this part)


# ===== govspace ====

# (end of this part)
