"""Each app's part of the demo data, and the order the parts run in.

An app adds its demo data in ``<app>/demo.py`` and nowhere else: a module-level ``part = Part("<app>",
tables=[…])`` and, for each of the two kinds of plan,

- ``@part.district.step("name", after=[…], before=[…])``: plans records of the demo district (``load_demo``)
  in memory; ``@part.district.writes``: writes them; ``@part.district.prepares``: reads what planning needs
  from the database first (rules in force) and sets up the part's state on the plan;
- ``@part.synthetic.step(…)``, ``.prepares`` and ``.on("event")``: the same for ``generate``, where a step
  writes as it goes, in batches, and a part may plan what sits on another part's records while that part
  writes them (leasing plans each building's leases when spaces has planned its units);
- ``@part.flushes``: what a flush deletes besides emptying ``tables`` (zones, demo accounts).

``demo`` finds these modules in INSTALLED_APPS order (which lists an app after the apps it imports) and runs
the steps in the order their declarations give: a step runs after the part's own earlier steps, after the
steps it names in ``after`` and before those it names in ``before``; where that leaves a choice, in
INSTALLED_APPS order. A step names only its own part's steps and those of the apps its app depends on, so
leasing, which knows enterprises, says that its occupancy comes before enterprises' population. Writers run
in INSTALLED_APPS order, flushes in the reverse order.

The order matters beyond dependencies: the three first parts (spaces, enterprises, leasing) draw from one
random source in turn (``Plan.rng``), so moving one of their steps changes the data. A new part, or new
records in an old part, draw from a source of their own (``Plan.stream``), which leaves everything else as
it was wherever the step runs.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

DISTRICT = "district"
SYNTHETIC = "synthetic"


@dataclass(frozen=True)
class Step:
    key: str  # "<app>.<name>"
    function: Callable
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()


@dataclass(eq=False)
class Contribution:
    """What a part does for one kind of plan: the demo district or the generator."""

    app: str
    steps: list[Step] = field(default_factory=list)
    preparers: list[Callable] = field(default_factory=list)
    writers: list[Callable] = field(default_factory=list)
    handlers: dict[str, list[Callable]] = field(default_factory=dict)

    def step(self, name: str, *, after=(), before=()):
        """``function(plan)`` plans (and, for the generator, writes) this part's records."""

        def register(function):
            self.steps.append(Step(f"{self.app}.{name}", function, tuple(after), tuple(before)))
            return function

        return register

    def prepares(self, function):
        """``function(plan)`` runs before any step: it reads from the database what the steps need (rules in
        force, codes in use) and sets up the part's state on the plan."""
        self.preparers.append(function)
        return function

    def writes(self, function):
        """``function(plan)`` writes the part's planned records (the demo district only)."""
        self.writers.append(function)
        return function

    def on(self, event: str):
        """``function(plan, **kwargs)`` runs when another part's step emits ``event``."""

        def register(function):
            self.handlers.setdefault(event, []).append(function)
            return function

        return register


class Part:
    def __init__(self, app: str, *, tables=()):
        self.app = app
        # (name, model) emptied with one DELETE each, in the order the foreign keys allow.
        self.tables = list(tables)
        self.district = Contribution(app)
        self.synthetic = Contribution(app)
        self.flushers: list[Callable] = []

    def flushes(self, function):
        """``function(everything=bool) -> dict`` of counts, run after the part's tables are emptied.
        ``everything`` is true for ``load_demo --flush`` (zones and demo accounts go too), false for
        ``generate --flush``."""
        self.flushers.append(function)
        return function

    def __repr__(self):
        return f"<Part {self.app}>"


@functools.cache
def parts() -> tuple[Part, ...]:
    """The parts of the project's installed apps, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        own = Path(config.path).parent == Path(settings.BASE_DIR)  # not a library's module that happens to be named so
        if own and config.name != "demo" and module_has_submodule(config.module, "demo"):
            module = importlib.import_module(f"{config.name}.demo")
            part = getattr(module, "part", None)
            if not isinstance(part, Part):
                raise ImproperlyConfigured(f"{config.name}.demo must define `part = Part({config.label!r}, …)`.")
            found.append(part)
    return tuple(found)


def steps(mode: str) -> list[Step]:
    """Every part's steps for ``mode`` (DISTRICT or SYNTHETIC) in the order they run."""
    declared = [s for p in parts() for s in getattr(p, mode).steps]
    known = {s.key for s in declared}
    preceding: dict[str, set[str]] = {s.key: set() for s in declared}
    for p in parts():
        own = getattr(p, mode).steps
        for earlier, later in zip(own, own[1:], strict=False):
            preceding[later.key].add(earlier.key)
    for s in declared:
        for other in (*s.after, *s.before):
            if other not in known:
                raise ImproperlyConfigured(f"Demo step {s.key} names {other}, which no installed part declares.")
        preceding[s.key].update(s.after)
        for other in s.before:
            preceding[other].add(s.key)
    order: list[Step] = []
    done: set[str] = set()
    while len(order) < len(declared):
        ready = [s for s in declared if s.key not in done and preceding[s.key] <= done]
        if not ready:
            waiting = sorted(s.key for s in declared if s.key not in done)
            raise ImproperlyConfigured(f"Demo steps wait for each other: {', '.join(waiting)}.")
        order.append(ready[0])
        done.add(ready[0].key)
    return order


def preparers(mode: str) -> list[Callable]:
    return [f for p in parts() for f in getattr(p, mode).preparers]


def writers(mode: str) -> list[Callable]:
    return [f for p in parts() for f in getattr(p, mode).writers]


def handlers(mode: str, event: str) -> list[Callable]:
    return [f for p in parts() for f in getattr(p, mode).handlers.get(event, [])]
