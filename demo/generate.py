"""Synthetic data at district and city scale, for benchmarks: ``manage.py generate``.

Unlike the demo district (``demo.loader``, a few thousand hand-shaped records), this writes up to millions of
rows, so it never holds them all in memory. Each app's part (``<app>/demo.py``, ``demo.parts``) writes its
records as it plans them, in batches, each batch in its own transaction: spaces plans the operators, parks and
buildings (a few numbers each), enterprises writes the enterprises, then spaces writes floors and units
building by building while leasing plans and writes each building's leases with them; last, certification
certifies about one subject per 12 buildings and adds incubatees, qualifications and service records
(``certification.generate``). What each part generates is described in its module.

Determinism: one ``random.Random(seed)`` is drawn from in a fixed order (the steps' order), and nothing drawn
depends on database ids, so the same seed, scale and day give the same names, codes, areas and dates. Names
and credit codes are unique by construction (``demo.values.TradeNames``, ``PermutedCreditCodes``), so no set
of millions of used values is kept.
"""

from __future__ import annotations

import datetime
import time

from django.db import connection, transaction
from django.utils.translation import gettext_lazy

from core import audit
from leasing.models import Lease
from spaces.models import Unit

from .loader import delete_district, table_counts
from .plan import SYNTHETIC_SCALES, SyntheticPlan

GENERATE = audit.register_event("demo.generate", gettext_lazy("Synthetic data generated"))
FLUSH = audit.register_event("demo.generate.flush", gettext_lazy("Synthetic data cleared"))

SCALES = SYNTHETIC_SCALES
BATCH_SIZE = 5000


class Generator:
    def __init__(self, *, seed: int = 1, scale: str = "district", today: datetime.date | None = None,
                 batch_size: int = BATCH_SIZE, log=None):
        self.plan = SyntheticPlan(seed=seed, scale=scale, today=today, batch_size=batch_size, log=log)

    def run(self) -> dict:
        plan = self.plan
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")  # 256 MB of page cache for index inserts
        plan.prepare()
        plan.run_steps()
        # Planner statistics for what was just written: without them PostgreSQL plans the first queries over
        # the new rows (a unit's leases, overlap checks) as nested loops over every pair, minutes instead of ms.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        plan.say("statistics gathered (ANALYZE)")
        audit.record_event(GENERATE, user=None, data={
            "seed": plan.seed, "scale": plan.scale_name, "today": plan.today, **plan.counts,
            "seconds": round(time.monotonic() - plan.started, 1),
        })
        return plan.counts


# Flush and counts --------------------------------------------------------------------------------------


def units_exist() -> bool:
    return Unit.objects.exists()


def flush() -> dict:
    """Delete all spaces (but zones), enterprises and leasing rows; zones are the district's plan and
    are reused by the next run. One domain event records the flush."""
    with transaction.atomic():
        counts = delete_district(everything=False)
        audit.record_event(FLUSH, user=None, data=counts)
    return counts


def summary(today: datetime.date | None = None) -> dict:
    return {
        **table_counts(),
        "tenants": Lease.objects.order_by().values("enterprise_id").distinct().count(),
    }
