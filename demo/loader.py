"""``manage.py load_demo``: plans the demo district, writes it, clears it, and sums it up.

Each app's part (``<app>/demo.py``, ``demo.parts``) plans its records in memory and writes them with
``bulk_create`` in the plan's order, so the same seed gives the same rows in the same id order.
``bulk_create`` skips ``save()``, so the parts fill each row's ``search_text`` themselves. The audit tables
are append-only: a load or a flush adds one domain event and never touches older audit rows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy

from core import audit
from core.models import User
from enterprises.models import Contact, Enterprise, Qualification
from leasing.choices import RUNNING_STATUSES
from leasing.models import Lease
from spaces.models import Building, Floor, Operator, Park, Unit, Zone
from spaces.selectors import months_before, occupancy_of

from . import district as D
from .parts import parts
from .plan import DistrictPlan

FLUSH = audit.register_event("demo.district.flush", gettext_lazy("Demo district cleared"))
LOAD = audit.register_event("demo.district.load", gettext_lazy("Demo district loaded"))


# Flush ---------------------------------------------------------------------------------------------


def delete_district(*, everything: bool) -> dict:
    """Empty every part's tables with plain DELETEs (no per-row work, so it is quick at city scale too), the
    last part first; then what each part deletes besides (with ``everything``: the zones and the demo
    accounts). The audit tables are append-only and not touched. Returns counts."""
    counts = {}
    for part in reversed(parts()):
        with connection.cursor() as cursor:
            for name, model in part.tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
                counts[name] = cursor.rowcount
        for flush_more in part.flushers:
            counts.update(flush_more(everything=everything))
    return counts


@transaction.atomic
def flush() -> dict:
    """Delete all spaces, enterprises and leasing rows, the zones and the demo users. Returns counts.

    A demo user that audit records point at is kept and reset instead, so that those records go on
    naming the same account; it is reported under ``users_kept``.
    """
    counts = delete_district(everything=True)
    audit.record_event(FLUSH, user=None, data={k: v for k, v in counts.items()})
    return counts


def district_exists() -> bool:
    """Whether there is space or enterprise data a load would collide with."""
    return Park.objects.exists() or Zone.objects.exists() or Operator.objects.exists() or Enterprise.objects.exists()


# Load ----------------------------------------------------------------------------------------------


@transaction.atomic
def load(*, seed: int = 2021, scale: str = "full", today: datetime.date | None = None, reset_users: bool = True):
    """Plan the district from ``seed`` and write it. Returns (plan, notes)."""
    plan = DistrictPlan(seed=seed, scale=scale, today=today, reset_users=reset_users)
    plan.prepare()
    plan.build()
    plan.write()
    audit.record_event(
        LOAD,
        user=None,
        data={
            "seed": seed,
            "scale": scale,
            "today": plan.today,
            "parks": len(plan.parks),
            "units": sum(len(b.units) for p in plan.parks for b in p.buildings),
            "enterprises": len(plan.enterprises),
            "leases": len(plan.leases),
        },
    )
    return plan, plan.notes


# Summary -------------------------------------------------------------------------------------------


def table_counts() -> dict:
    """Rows per table and the units' status, read back from the database (both commands print these)."""
    occupancy = occupancy_of(Unit.objects.all())
    leases = dict(Lease.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "zones": Zone.objects.count(),
        "operators": Operator.objects.count(),
        "parks": Park.objects.count(),
        "buildings": Building.objects.count(),
        "floors": Floor.objects.count(),
        "units": occupancy.unit_count,
        "unit_area": occupancy.total_area,
        "unit_status": dict(sorted(occupancy.counts.items())),
        "vacancy_rate": occupancy.vacancy_rate,
        "occupancy_rate": occupancy.occupancy_rate,
        "enterprises": Enterprise.objects.count(),
        "leases": sum(leases.values()),
        "leases_by_status": dict(sorted(leases.items())),
        "lease_units": Lease.units.through.objects.count(),
    }


def summary(today: datetime.date | None = None) -> dict:
    """Figures read back from the database (not from the builder), as the dashboard would."""
    today = today or datetime.date.today()
    units = Unit.objects.all()
    hetao = Unit.objects.filter(building__park__zone__code="hetao", use="research").aggregate(a=Sum("area"))["a"]
    cultural = Park.objects.filter(kind="cultural")
    cultural_gfa = Building.objects.filter(park__kind="cultural").aggregate(a=Sum("gross_floor_area"))["a"]
    fashion = Unit.objects.filter(building__park__code=D.FASHION_CENTRE_PARK).aggregate(a=Sum("area"))["a"]
    fund_park = Park.objects.filter(code=D.FUND_PARK).first()
    funds_present = (
        Enterprise.objects.filter(leases__units__building__park=fund_park, leases__status="active").distinct().count()
        if fund_park
        else 0
    )
    funds_virtual = Enterprise.objects.filter(
        leases__isnull=True, description__contains="投资基金产业园虚拟入驻"
    ).count()
    soon = today + datetime.timedelta(days=90)
    return {
        **table_counts(),
        "government_owned_units": units.filter(government_owned=True).count(),
        "credit_code_exceptions": Enterprise.objects.filter(credit_code_exception=True).count(),
        "high_tech": Enterprise.objects.filter(
            qualifications__kind="high_tech",
            qualifications__issued_on__lte=today,
            qualifications__valid_until__gte=today,
        )
        .distinct()
        .count(),
        "qualifications": Qualification.objects.count(),
        "contacts": Contact.objects.count(),
        "expiring_90_days": Lease.objects.filter(
            status__in=RUNNING_STATUSES, start_date__lte=today, end_date__gte=today, end_date__lte=soon
        ).count(),
        "long_vacant_6m": units.filter(status="vacant", vacant_since__lte=months_before(today, 6)).count(),
        "long_vacant_12m": units.filter(status="vacant", vacant_since__lte=months_before(today, 12)).count(),
        "hetao_research_area": hetao or Decimal("0"),
        "cultural_parks": cultural.count(),
        "cultural_gfa": cultural_gfa or Decimal("0"),
        "fashion_centre_area": fashion or Decimal("0"),
        "funds_present": funds_present,
        "funds_virtual": funds_virtual,
        "users": list(
            User.objects.filter(username__in=D.DEMO_USERNAMES).order_by("username").values_list("username", "role")
        ),
        "zones_with_geometry": Zone.objects.filter(geometry__isnull=False).count(),
    }
