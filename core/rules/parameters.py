"""Named parameters whose value changes on dated documents: ``min_incubatees`` is 50 from 2018-12-01.

A value holds from its date until the day before the next one. A period that crosses a change is split at that
date (``split_period``), so that each part is judged by the value of its days and not by the value at the
start of the period. Before a parameter's first date it has no value: ``value_on`` raises
``ParameterUndefined``, never guesses.

JSON form of a parameter set::

    {"min_incubatees": {"type": "count", "label": "在孵企业数量下限", "values": [["2018-12-01", 50]]}}
"""

import datetime
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .types import FactType, is_value_of, value_from_json, value_to_json


class ParameterUndefined(LookupError):
    """A parameter asked for a day before its first value; the message is Chinese, for the page."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: FactType
    label: str
    values: tuple  # ((date, value), ...) by date, each date once

    def __post_init__(self):
        object.__setattr__(self, "type", FactType(self.type))
        values = tuple((day, value) for day, value in self.values)
        if not values:
            raise ValueError(f"parameter {self.name} has no value")
        for day, value in values:
            if not isinstance(day, datetime.date) or isinstance(day, datetime.datetime):
                raise TypeError(f"parameter {self.name}: {day!r} is not a date")
            if not is_value_of(self.type, value):
                raise TypeError(f"parameter {self.name}: {value!r} is not a {self.type.value}")
        days = [day for day, _ in values]
        if days != sorted(set(days)):
            raise ValueError(f"parameter {self.name}: dates must be in order and each given once")
        object.__setattr__(self, "values", values)

    def value_on(self, day: datetime.date):
        found = None
        for start, value in self.values:
            if start > day:
                break
            found = (value,)
        if found is None:
            first = self.values[0][0]
            raise ParameterUndefined(
                f"参数“{self.label}”（{self.name}）自 {first.isoformat()} 起才有规定的值，"
                f"{day.isoformat()} 没有可用的值")
        return found[0]

    def change_dates_within(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        """The dates after ``start`` and no later than ``end`` on which a new value takes effect."""
        return [day for day, _ in self.values if start < day <= end]

    def to_json(self) -> dict:
        return {"type": self.type.value, "label": self.label,
                "values": [[day.isoformat(), value_to_json(value)] for day, value in self.values]}


def split_period(start: datetime.date, end: datetime.date, parameters: Iterable[Parameter]) -> list:
    """[start, end] (both days included) cut before each day a parameter changes: a year with a change on
    1 July → [(1 Jan, 30 Jun), (1 Jul, 31 Dec)]. A change on ``start`` itself cuts nothing."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    if isinstance(parameters, Mapping):
        parameters = parameters.values()
    cuts = sorted({day for parameter in parameters for day in parameter.change_dates_within(start, end)})
    parts, begin = [], start
    for day in cuts:
        parts.append((begin, day - datetime.timedelta(days=1)))
        begin = day
    parts.append((begin, end))
    return parts


class ParameterSet(Mapping):
    """Parameters by name."""

    def __init__(self, parameters: Iterable[Parameter] = ()):
        self._parameters: dict[str, Parameter] = {}
        for parameter in parameters:
            if parameter.name in self._parameters:
                raise ValueError(f"parameter {parameter.name} is given twice")
            self._parameters[parameter.name] = parameter

    def __getitem__(self, name: str) -> Parameter:
        return self._parameters[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)

    @classmethod
    def from_json(cls, data) -> "ParameterSet":
        if isinstance(data, (str, bytes)):
            data = json.loads(data)
        if not isinstance(data, dict):
            raise ValueError("a parameter set is a JSON object: name → {type, label, values}")
        parameters = []
        for name, spec in data.items():
            try:
                fact_type = FactType(spec["type"])
                values = tuple((value_from_json(FactType.DATE, day), value_from_json(fact_type, value))
                               for day, value in spec["values"])
                parameters.append(Parameter(name=name, type=fact_type, label=spec.get("label") or name,
                                            values=values))
            except (KeyError, TypeError, ValueError) as error:
                raise ValueError(f"parameter {name}: {error}") from error
        return cls(parameters)

    def to_json(self) -> dict:
        return {name: parameter.to_json() for name, parameter in self._parameters.items()}
