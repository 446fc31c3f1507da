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
