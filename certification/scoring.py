"""The yearly assessment's arithmetic: points per indicator, the total, the grade and the ranking. Pure: plain data
in, plain data out, no ORM.

A version's ``indicators`` (the JSON the scheme editor writes) are quantitative or qualitative:

- quantitative ``{"code", "label", "fact", "weight", "full_at"}``: points = weight × min(1, value / full_at),
  value and full_at in the fact's storage units (core.rules: area hundredths of m², shares in basis points, …);
- qualitative ``{"code", "label", "weight"}``: points = weight × the mean of the experts' scores / 100.

Points are kept in hundredths of a point (a total of 87.65 is 8765) and each indicator's points are rounded
half-up once, explicitly, before they are added, so the total is the sum of what the table shows. A value the
records and the operator did not give, or a qualitative indicator no expert scored, is named 数据缺失 and scored
0 in its sentence: never left out, never silently zero. An officer's adjustment is added to the sum, and the
total is held within 0–100 points. The grade is the first band (highest ``min`` first) the total reaches.
Ranking is competition ranking: equal totals share a rank and the next rank skips (1, 2, 2, 4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from core.rules.numbers import div_half_up

MISSING_TEXT = "数据缺失"
QUANTITATIVE, QUALITATIVE = "quantitative", "qualitative"
FULL_MARKS = 10000  # 100 points, in hundredths
ADJUSTMENT_LIMIT = 1000  # an officer's adjustment: at most 10 points either way


def points_text(hundredths: int) -> str:
    """Hundredths of a point as written: 1260 → "12.60", −250 → "-2.50"."""
    sign = "-" if hundredths < 0 else ""
    whole, part = divmod(abs(hundredths), 100)
    return f"{sign}{whole}.{part:02d}"


@dataclass(frozen=True)
class IndicatorPoints:
    """One indicator's result: its points (hundredths), whether its data were missing, and one sentence."""

    code: str
    label: str
    kind: str
    weight: int
    points: int
    missing: bool
    sentence: str
    value: int | None = None  # quantitative: the value used, in storage units
    full_at: int | None = None
    scores: tuple[int, ...] = ()  # qualitative: the experts' scores (hundredths of 0–100)

    def as_dict(self) -> dict:
        return {"code": self.code, "label": self.label, "kind": self.kind, "weight": self.weight,
                "points": self.points, "missing": self.missing, "sentence": self.sentence, "value": self.value,
                "full_at": self.full_at, "scores": list(self.scores)}


@dataclass(frozen=True)
class Result:
    """An assessment's result: the indicators' points, their sum, the adjustment, the total and the grade."""

    items: list[IndicatorPoints] = field(default_factory=list)
    subtotal: int = 0
    adjustment: int = 0
    total: int = 0
    grade: str = ""

    @property
    def missing(self) -> list[IndicatorPoints]:
        return [item for item in self.items if item.missing]

    def as_dict(self) -> dict:
        return {"items": [item.as_dict() for item in self.items], "subtotal": self.subtotal,
                "adjustment": self.adjustment, "total": self.total, "grade": self.grade}


def _plain(value: int) -> str:
    return str(value)


def check_indicators(indicators: Iterable[Mapping]) -> list[str]:
    """What is wrong with a version's indicators, in Chinese (empty when they can be scored)."""
    errors, codes, total = [], set(), 0
    for number, indicator in enumerate(indicators, start=1):
        code = indicator.get("code") or f"#{number}"
        if code in codes:
            errors.append(f"指标 {code}：编号重复")
        codes.add(code)
        weight = indicator.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or weight < 0:
            errors.append(f"指标 {code}：权重应为非负整数")
            continue
        total += weight
        kind = indicator.get("kind")
        if kind == QUANTITATIVE:
            full_at = indicator.get("full_at")
            if not indicator.get("fact"):
                errors.append(f"指标 {code}：定量指标须指明数据项")
            if not isinstance(full_at, int) or isinstance(full_at, bool) or full_at <= 0:
                errors.append(f"指标 {code}：满分标准应为正整数")
        elif kind != QUALITATIVE:
            errors.append(f"指标 {code}：类型应为定量或定性")
    if total != 100:
        errors.append(f"指标权重合计 {total}，应为 100")
    return errors


def indicator_points(indicator: Mapping, *, value: int | None = None, scores: Iterable[int] = (),
                     describe: Callable[[str, int], str] | None = None) -> IndicatorPoints:
    """The points of one indicator. ``value``: the quantitative indicator's value in storage units, None when
    missing; ``scores``: the experts' scores of a qualitative one, each 0–10000; ``describe(fact, value)`` writes
    a value with its unit ("42 家"; the plain number when not given)."""
    code, label, weight = indicator["code"], indicator.get("label") or indicator["code"], int(indicator["weight"])
    kind = indicator.get("kind")
    if kind == QUANTITATIVE:
        fact, full_at = indicator["fact"], int(indicator["full_at"])
        if full_at <= 0:
            raise ValueError(f"indicator {code}: full_at must be positive")
        written = describe or (lambda _fact, v: _plain(v))
        if value is None:
            return IndicatorPoints(code, label, kind, weight, 0, True, f"{label}：{MISSING_TEXT}，得 0 分",
                                   None, full_at)
        used = min(max(int(value), 0), full_at)
        points = div_half_up(weight * 100 * used, full_at)
        reach = "达到" if value >= full_at else "未达"
        sentence = (f"{label} {written(fact, int(value))}，{reach}满分标准 {written(fact, full_at)}，"
                    f"得 {points_text(points)} 分（满分 {weight} 分）")
        return IndicatorPoints(code, label, kind, weight, points, False, sentence, int(value), full_at)
    if kind == QUALITATIVE:
        scores = tuple(int(s) for s in scores)
        if any(s < 0 or s > FULL_MARKS for s in scores):
            raise ValueError(f"indicator {code}: an expert's score lies outside 0–100")
        if not scores:
            return IndicatorPoints(code, label, kind, weight, 0, True,
                                   f"{label}：{MISSING_TEXT}（无专家评分），得 0 分", scores=())
        points = div_half_up(weight * sum(scores), len(scores) * 100)
        mean = div_half_up(sum(scores), len(scores))
        sentence = (f"{label}：{len(scores)} 位专家平均 {points_text(mean)} 分，"
                    f"得 {points_text(points)} 分（满分 {weight} 分）")
        return IndicatorPoints(code, label, kind, weight, points, False, sentence, scores=scores)
    raise ValueError(f"indicator {code}: unknown kind {kind!r}")


def grade_for(total: int, bands: Iterable[Mapping]) -> str:
    """The grade of a total (hundredths): the band with the highest ``min`` (points) the total reaches."""
    for band in sorted(bands, key=lambda b: Decimal(str(b["min"])), reverse=True):
        if total >= int(Decimal(str(band["min"])) * 100):
            return band["grade"]
    return ""


def score(indicators: Iterable[Mapping], *, values: Mapping[str, int | None], scores: Mapping[str, Iterable[int]],
          bands: Iterable[Mapping], adjustment: int = 0,
          describe: Callable[[str, int], str] | None = None) -> Result:
    """An assessment's result. ``values``: fact → value in storage units (absent or None: missing);
    ``scores``: qualitative indicator code → the experts' scores; ``adjustment`` in hundredths, within
    ±ADJUSTMENT_LIMIT."""
    if not -ADJUSTMENT_LIMIT <= adjustment <= ADJUSTMENT_LIMIT:
        raise ValueError("the adjustment lies beyond ±10 points")
    items = []
    for indicator in indicators:
        if indicator.get("kind") == QUANTITATIVE:
            items.append(indicator_points(indicator, value=values.get(indicator["fact"]), describe=describe))
        else:
            items.append(indicator_points(indicator, scores=scores.get(indicator["code"], ())))
    subtotal = sum(item.points for item in items)
    total = min(max(subtotal + adjustment, 0), FULL_MARKS)
    return Result(items, subtotal, adjustment, total, grade_for(total, bands))


def ranking(totals: Mapping) -> dict:
    """key → rank for key → total: highest first, equal totals share a rank, the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(totals.items(), key=lambda pair: pair[1], reverse=True)
    ranks, previous, rank = {}, None, 0
    for position, (key, total) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        ranks[key] = rank
    return ranks
