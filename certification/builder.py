"""The condition builder's conversions for schemes: indicators and grade bands in rows, and a version's hash. The
rows every builder shares (criteria, parameters, values in human units) are core's (``core.rules.rows``), named
here too. Plain data in, plain data out: no ORM.
"""

from core.rules import content_hash
from core.rules.rows import (  # noqa: F401  (the builder's names, as the scheme pages and tests use them)
    HUMAN_UNITS,
    NO_WORDS,
    YES_WORDS,
    RowError,
    criteria_from_rows,
    parameters_from_rows,
    parameters_to_rows,
    parse_threshold,
    parse_value,
    threshold_text,
    tree_to_rows,
    value_text,
)

GRADES = ("A", "B", "C", "D")


# ----- indicators and grade bands ---------------------------------------------------------------------------------
def indicators_from_rows(rows: list[dict], catalogue) -> tuple[list, dict]:
    """Rows {code, label, kind, fact, weight, full_at (human units)} → the indicators' JSON. Weights are whole
    points summing to 100; a quantitative indicator names a number fact and the value that earns full points."""
    errors: dict[int, list[str]] = {}
    indicators, codes = [], set()
    for number, row in enumerate(rows, 1):
        code = row["code"].strip()
        entry = {"code": code, "label": row["label"].strip(), "kind": row["kind"], "weight": row["weight"]}
        if code in codes:
            errors.setdefault(number, []).append(f"代码 {code} 重复")
        codes.add(code)
        if row["weight"] is None or row["weight"] < 0:
            errors.setdefault(number, []).append("权重应为不小于 0 的整数")
        if row["kind"] == "quantitative":
            fact = catalogue.get(row.get("fact") or "")
            if fact is None:
                errors.setdefault(number, []).append("定量指标须选择一个指标数据")
            elif not fact.type.is_number:
                errors.setdefault(number, []).append(f"“{fact.label}”不是数值，不能计分")
            else:
                entry["fact"] = fact.name
                try:
                    full_at = parse_value(fact.type, row.get("full_at") or "")
                except (RowError, ValueError, TypeError) as error:
                    errors.setdefault(number, []).append(f"满分值：{error}")
                else:
                    if full_at <= 0:
                        errors.setdefault(number, []).append("满分值应大于 0")
                    entry["full_at"] = full_at
        elif (row.get("fact") or "").strip() or (row.get("full_at") or "").strip():
            errors.setdefault(number, []).append("定性指标由专家评分，不填指标数据和满分值")
        indicators.append(entry)
    total = sum(r["weight"] or 0 for r in rows)
    if indicators and total != 100 and not errors:
        errors.setdefault(0, []).append(f"各项权重之和应为 100，现为 {total}")
    return indicators, errors


def indicators_to_rows(indicators: list, catalogue) -> list[dict]:
    rows = []
    for entry in indicators or []:
        fact = catalogue.get(entry.get("fact") or "") if entry.get("fact") else None
        full_at = entry.get("full_at")
        rows.append({"code": entry["code"], "label": entry.get("label", ""), "kind": entry["kind"],
                     "fact": entry.get("fact", ""), "weight": entry["weight"],
                     "full_at": value_text(fact.type, full_at) if fact is not None and full_at is not None
                     else ("" if full_at is None else str(full_at))})
    return rows


def grade_bands_from_rows(rows: list[dict]) -> tuple[list, dict]:
    """Rows {grade, min} → the bands, from the highest: each lower than the one before, the last from 0."""
    errors: dict[int, list[str]] = {}
    bands = [{"grade": row["grade"], "min": row["min"]} for row in rows]
    seen = set()
    for number, band in enumerate(bands, 1):
        if band["grade"] in seen:
            errors.setdefault(number, []).append(f"等级 {band['grade']} 重复")
        seen.add(band["grade"])
        if band["min"] is None or not 0 <= band["min"] <= 100:
            errors.setdefault(number, []).append("最低分应在 0 至 100 之间")
        elif number > 1 and bands[number - 2]["min"] is not None and band["min"] >= bands[number - 2]["min"]:
            errors.setdefault(number, []).append("等级应从高到低排列，最低分逐级递减")
    if bands and not errors and bands[-1]["min"] != 0:
        errors.setdefault(len(bands), []).append("最后一个等级的最低分应为 0，使每个得分都有等级")
    return bands, errors


def version_content(version) -> dict:
    """What a published version fixes, whose hash it keeps."""
    return {"criteria": version.criteria, "indicators": version.indicators, "grade_bands": version.grade_bands,
            "parameters": version.parameters, "effective_from": version.effective_from.isoformat(),
            "validity_years": version.validity_years, "source_document": version.source_document}


def version_hash(version) -> str:
    return content_hash(version_content(version))
