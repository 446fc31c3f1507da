"""The plan every part of the demo data draws from: the seed and its random source, the scale, the day the
data is built around, and the registries that keep names and codes unique across parts.

Two kinds of plan share it:

- ``DistrictPlan``: the demo district of ``manage.py load_demo``. The letter's figures
  (``demo.district``) at a fraction of their size (``DISTRICT_SCALES``); every part plans its records in
  memory (``build``), then every part writes them (``write``).
- ``SyntheticPlan``: the city-scale data of ``manage.py generate`` for benchmarks (``SYNTHETIC_SCALES``);
  parts write as they go, in batches, and never hold millions of rows.

The parts add their records to the plan as attributes of their own naming (spaces: ``zones``, ``parks``…;
enterprises: ``enterprises``…; leasing: ``leases``…) and read those of the parts their app depends on.

Determinism: the same seed, scale and day give the same records. The first parts draw from ``rng`` in the
order of their steps (``demo.parts``); a part added later draws from ``stream(name)``, a random source of its
own derived from the seed, so that it changes nothing the others draw.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass

from . import parts
from .values import CreditCodes, PermutedCreditCodes, TradeNames

# The demo district: a fraction of the letter's figures.
DISTRICT_SCALES = {"full": 1.0, "small": 0.1}


@dataclass(frozen=True)
class Scale:
    """Synthetic data's size: units and leases follow from the buildings (≈ 100 units a building, ≈ 3.3
    leases a unit)."""

    buildings: int
    enterprises: int
    units_factor: float = 1.0  # scales units per floor
    parks_per_operator: int = 10


SYNTHETIC_SCALES = {
    "small": Scale(buildings=20, enterprises=5_000),
    "district": Scale(buildings=600, enterprises=150_000),
    "city": Scale(buildings=12_000, enterprises=2_500_000, units_factor=0.85),
}


class Plan:
    mode = ""

    def __init__(self, *, seed: int, today: datetime.date | None = None, log=None):
        self.seed = seed
        self.today = today or datetime.date.today()
        self.rng = random.Random(seed)
        self.log = log or (lambda message: None)
        self.started = time.monotonic()
        self._streams: dict[str, random.Random] = {}
        self._handlers: dict[str, list] = {}

    def stream(self, name: str) -> random.Random:
        """A random source of its own for ``name`` (e.g. "certification"), from the seed: what is drawn from it
        does not move what any other part draws, wherever its step runs."""
        if name not in self._streams:
            self._streams[name] = random.Random(f"{self.seed}:{name}")
        return self._streams[name]

    def say(self, message: str) -> None:
        self.log(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    def prepare(self) -> None:
        """Each part reads what its steps need from the database (rules in force, codes in use) and sets up its
        state on the plan."""
        for preparer in parts.preparers(self.mode):
            preparer(self)

    def run_steps(self) -> None:
        for step in parts.steps(self.mode):
            step.function(self)

    def emit(self, event: str, **kwargs) -> None:
        """Run the handlers other parts registered for ``event`` (``@part.<mode>.on(event)``)."""
        handlers = self._handlers.get(event)
        if handlers is None:
            handlers = self._handlers[event] = parts.handlers(self.mode, event)
        for handler in handlers:
            handler(self, **kwargs)


class DistrictPlan(Plan):
    """The demo district: ``DistrictPlan(seed=…, scale=…, today=…).build()`` plans it in memory (no database
    needed), ``prepare()`` first takes the rules in force from the database, ``write()`` writes it."""

    mode = parts.DISTRICT

    def __init__(self, *, seed: int = 2021, scale: str = "full", today: datetime.date | None = None,
                 reset_users: bool = True, log=None):
        super().__init__(seed=seed, today=today, log=log)
        self.scale_name = scale
        self.scale = DISTRICT_SCALES[scale]
        self.reset_users = reset_users  # core's part resets existing demo accounts only when asked (after a flush)
        self.rules: dict = {}  # filled by the parts' preparers; empty in memory (the parts then use defaults)
        self.notes: list[str] = []  # warnings for the command's output
        self.credit_codes = CreditCodes(self.rng)
        self.trade_names = TradeNames(self.rng)

    def build(self) -> DistrictPlan:
        self.run_steps()
        return self

    def write(self) -> None:
        for writer in parts.writers(self.mode):
            writer(self)
            refresh_statistics(writer)


def refresh_statistics(writer) -> None:
    """On PostgreSQL, ANALYZE the tables of the app whose part just wrote, so that the parts after it are planned
    on what is now in them. Without it a database whose statistics were last taken when those tables were empty
    (a fresh deployment, a flush, the test suite) joins thousands of rows as if there were none, and a later
    part's reads slow down by orders of magnitude. ANALYZE runs inside the load's transaction and counts that
    transaction's own rows."""
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    config = apps.get_containing_app_config(writer.__module__)
    if config is None:
        return
    tables = sorted({table for model in config.get_models() if model._meta.managed
                     for table in [model._meta.db_table, *(f.remote_field.through._meta.db_table
                                                           for f in model._meta.local_many_to_many)]})
    if tables:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


class SyntheticPlan(Plan):
    """City-scale synthetic data: ``prepare()`` then ``run_steps()``, which write in batches of ``batch_size``."""

    mode = parts.SYNTHETIC

    def __init__(self, *, seed: int = 1, scale: str = "district", today: datetime.date | None = None,
                 batch_size: int = 5000, log=None):
        super().__init__(seed=seed, today=today, log=log)
        self.scale_name = scale
        self.scale = SYNTHETIC_SCALES[scale]
        self.batch_size = batch_size
        self.counts: dict[str, int] = {}
        self.codes_taken: set[str] = set()  # credit codes already in the database (the parts' preparers add them)
        self.trade_names = TradeNames(self.rng)
        self._credit_codes = None

    @property
    def credit_codes(self) -> PermutedCreditCodes:
        """Made on first use, drawing its permutations from ``rng`` then (spaces uses it first, for the
        operators, after drawing the parks' sizes)."""
        if self._credit_codes is None:
            self._credit_codes = PermutedCreditCodes(self.rng, frozenset(self.codes_taken))
        return self._credit_codes

    def count(self, key: str, n: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + n
