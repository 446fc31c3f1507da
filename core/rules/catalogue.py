"""The facts conditions may name. Each app declares its own in a catalogue of its own; a condition tree is
checked against one catalogue (``conditions.validate``), and forms offer its ``choices()``."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .types import FactType

NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
SOURCES = ("computed", "supplied")


@dataclass(frozen=True)
class Fact:
    """A typed fact: ``subject.incubatee_count`` (count, 在孵企业, 家). ``source`` says where its value comes from:
    ``computed`` from the platform's records, or ``supplied`` by the applicant with a document."""

    name: str
    type: FactType
    label: str
    unit: str = ""
    description: str = ""
    source: str = "computed"

    def __post_init__(self):
        if not NAME.match(self.name):
            raise ValueError(f"a fact's name is dotted lower-case words (subject.incubatee_count), not {self.name!r}")
        object.__setattr__(self, "type", FactType(self.type))
        if not self.label:
            raise ValueError(f"fact {self.name} needs a label")
        if self.source not in SOURCES:
            raise ValueError(f"fact {self.name}: source is one of {SOURCES}, not {self.source!r}")


class Catalogue:
    def __init__(self, facts=()):
        self._facts: dict[str, Fact] = {}
        for fact in facts:
            self.add(fact)

    def add(self, fact: Fact) -> Fact:
        if fact.name in self._facts:
            raise ValueError(f"fact {fact.name} is already in the catalogue")
        self._facts[fact.name] = fact
        return fact

    def get(self, name: str) -> Fact | None:
        return self._facts.get(name)

    def __getitem__(self, name: str) -> Fact:
        return self._facts[name]

    def __contains__(self, name) -> bool:
        return name in self._facts

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._facts.values())

    def __len__(self) -> int:
        return len(self._facts)

    def by_type(self, fact_type: FactType) -> list[Fact]:
        fact_type = FactType(fact_type)
        return [fact for fact in self._facts.values() if fact.type is fact_type]

    def choices(self) -> list[tuple[str, str]]:
        """(name, label) pairs in the order the facts were declared, for a form's select."""
        return [(fact.name, fact.label) for fact in self._facts.values()]
