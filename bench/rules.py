"""Benchmark: the rule language of issue 10 — the explaining evaluator (A) case by case, the screening evaluator (B)
over a population, on the national incubator criteria (国科发区〔2018〕300号, core/tests/rules_domain.py).

    uv run python bench/rules.py [--rows 1000000] [--seconds 3] [--check 2000] [--seed 1]

- A: ``evaluate`` of one tree on one case, repeated for ``--seconds``, alternately a case that passes and one that
  fails four conditions (one of them missing); decisions per second, given the JSON tree (checked and prepared
  for every decision) and given a tree ``prepare`` returned once; and ``prepare`` alone.
- B: ``evaluate_columns`` over ``--rows`` synthetic incubators (each fact drawn around its bound, 2% missing),
  median of 3 runs; rows per second, peak RSS of the process.
- The two agree: A decides ``--check`` random rows of the same population and every decision and failed-leaf set
  is compared with B's (a mismatch makes the run fail).
- Amount formulas (issue 11): the rent subsidy of ``core/tests/rules_amounts_domain.py`` (the smaller of 50% of the
  rent paid and 30 元/㎡·月 × area × 12, rounded to yuan; 10 nodes). A: ``evaluate_amount`` case by case for
  ``--seconds`` (a case computed and one with the rent missing, sentences included), given the JSON tree and a
  tree ``prepare_amount`` returned once; B: ``evaluate_amount_columns`` over ``--rows`` rows (2% of each fact
  missing), median of 3; ``--check`` random rows compared with A (value and presence).

Pure Python and numpy: no Django, no database. Report (Markdown) to stdout and var/bench/rules-<time>.md.
Never asserts on times.
"""

import argparse
import datetime
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from core.rules import (  # noqa: E402
    MISSING,
    evaluate,
    evaluate_amount,
    evaluate_amount_columns,
    evaluate_columns,
    leaves,
    prepare,
    prepare_amount,
)
from core.tests import rules_amounts_domain as amounts  # noqa: E402
from core.tests.rules_domain import CATALOGUE, NATIONAL_COMPREHENSIVE, PASSING  # noqa: E402

OUT_DIR = ROOT / "var" / "bench"
TREE = NATIONAL_COMPREHENSIVE


def failing_case() -> dict:
    facts = dict(PASSING["national_comprehensive"])
    facts.update({"subject.incubatee_count": 42, "subject.incubatee_area_share": 7000,
                  "subject.graduate_count": 12})
    del facts["subject.operating_years"]
    return facts


def bench_a(seconds: float) -> dict:
    cases = [PASSING["national_comprehensive"], failing_case()]
    results = {}
    prepared = prepare(TREE, CATALOGUE)
    for name, call in [("evaluate", lambda facts: evaluate(TREE, facts, CATALOGUE)),
                       ("prepared", lambda facts: evaluate(prepared, facts, CATALOGUE)),
                       ("prepare", lambda facts: prepare(TREE, CATALOGUE))]:
        done, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            for _ in range(100):
                call(cases[done % 2])
                done += 1
        results[name] = done / (time.perf_counter() - started)
    return results


def population(rows: int, seed: int) -> dict:
    """Columns of ``rows`` incubators: each fact uniform in [0.8 × bound, 1.25 × bound], 2% missing."""
    rng = np.random.default_rng(seed)
    columns = {}
    for _, leaf in leaves(TREE):
        bound = leaf["value"]
        low, high = int(bound * 0.8), int(bound * 1.25) + 1
        values = rng.integers(low, high, size=rows, dtype=np.int64)
        present = rng.random(rows) >= 0.02
        columns[leaf["fact"]] = (values, present)
    return columns


def bench_b(columns: dict, runs: int = 3) -> tuple[float, object]:
    times, outcome = [], None
    for _ in range(runs):
        started = time.perf_counter()
        outcome = evaluate_columns(TREE, columns, catalogue=CATALOGUE)
        times.append(time.perf_counter() - started)
    return statistics.median(times), outcome


def check(columns: dict, outcome, sample: int, seed: int) -> tuple[int, int]:
    """(rows compared, mismatches) between B's outcome and A on ``sample`` random rows."""
    rng = np.random.default_rng(seed + 1)
    n = len(outcome.passed)
    mismatches = 0
    for row in rng.choice(n, size=min(sample, n), replace=False):
        facts = {name: int(values[row]) if present[row] else MISSING for name, (values, present) in columns.items()}
        explained = evaluate(TREE, facts, CATALOGUE)
        failed = [i for i, leaf in enumerate(explained.leaves) if not leaf.passed]
        if explained.passed != bool(outcome.passed[row]) or failed != outcome.failed_indexes(int(row)):
            mismatches += 1
    return min(sample, n), mismatches


AMOUNT_TREE = amounts.RENT_SUBSIDY_ROUNDED
AMOUNT_ON = datetime.date(2025, 1, 1)


def bench_amount_a(seconds: float) -> dict:
    cases = [amounts.FACTS, {"lease.area": 100_000}]
    prepared = prepare_amount(AMOUNT_TREE, amounts.CATALOGUE, amounts.PARAMETERS, AMOUNT_ON)
    results = {}
    for name, tree in [("evaluate", AMOUNT_TREE), ("prepared", prepared)]:
        done, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            for _ in range(100):
                evaluate_amount(tree, cases[done % 2], amounts.CATALOGUE, amounts.PARAMETERS, AMOUNT_ON)
                done += 1
        results[name] = done / (time.perf_counter() - started)
    return results


def amount_population(rows: int, seed: int) -> dict:
    """Rent paid 0–3,000,000 元 to the fen, leased area 0–5,000 ㎡ to the hundredth; 2% of each missing."""
    rng = np.random.default_rng(seed + 2)
    return {"lease.rent_paid": (rng.integers(0, 300_000_000, size=rows, dtype=np.int64), rng.random(rows) >= 0.02),
            "lease.area": (rng.integers(0, 500_000, size=rows, dtype=np.int64), rng.random(rows) >= 0.02)}


def bench_amount_b(columns: dict, runs: int = 3) -> tuple[float, tuple]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = evaluate_amount_columns(AMOUNT_TREE, columns, amounts.CATALOGUE, amounts.PARAMETERS, AMOUNT_ON)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def check_amounts(columns: dict, result: tuple, sample: int, seed: int) -> tuple[int, int]:
    values, present = result
    rng = np.random.default_rng(seed + 3)
    n, mismatches = len(values), 0
    for row in rng.choice(n, size=min(sample, n), replace=False):
        facts = {name: int(column[row]) if given[row] else MISSING for name, (column, given) in columns.items()}
        explained = evaluate_amount(AMOUNT_TREE, facts, amounts.CATALOGUE, amounts.PARAMETERS, AMOUNT_ON)
        if (explained.value is MISSING) == bool(present[row]) or \
                (present[row] and explained.value != int(values[row])):
            mismatches += 1
    return min(sample, n), mismatches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--check", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    print("bench: evaluator A …", file=sys.stderr, flush=True)
    a = bench_a(args.seconds)
    print(f"bench: population of {args.rows:,} rows …", file=sys.stderr, flush=True)
    columns = population(args.rows, args.seed)
    print("bench: evaluator B …", file=sys.stderr, flush=True)
    b_seconds, outcome = bench_b(columns)
    b_rate = args.rows / b_seconds
    compared, mismatches = check(columns, outcome, args.check, args.seed)
    passing, passing_share = int(outcome.passed.sum()), float(outcome.passed.mean())
    del columns, outcome  # the amounts' population is measured without the conditions' beside it
    print("bench: amount formulas, evaluator A …", file=sys.stderr, flush=True)
    amount_a = bench_amount_a(args.seconds)
    print("bench: amount formulas, evaluator B …", file=sys.stderr, flush=True)
    amount_columns = amount_population(args.rows, args.seed)
    amount_seconds, amount_result = bench_amount_b(amount_columns)
    amount_rate = args.rows / amount_seconds
    amount_compared, amount_mismatches = check_amounts(amount_columns, amount_result, args.check, args.seed)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    now = datetime.datetime.now(datetime.UTC)
    leaf_count = len(leaves(TREE))
    report = "\n".join([
        f"# Rule language benchmark, {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"- command: `uv run python bench/rules.py --rows {args.rows} --seconds {args.seconds:g} "
        f"--check {args.check} --seed {args.seed}`",
        f"- tree: national comprehensive incubator, {leaf_count} leaves (one `any` of two)",
        "",
        "| measure | value |",
        "|---|--:|",
        f"| A: `evaluate`, decisions per second (one case each, sentences included) | {a['evaluate']:,.0f} |",
        f"| A: `evaluate` of a tree prepared once, decisions per second | {a['prepared']:,.0f} |",
        f"| A: `prepare` alone (check the tree, resolve and format thresholds), per second | {a['prepare']:,.0f} |",
        f"| B: `evaluate_columns`, {args.rows:,} rows, seconds (median of 3) | {b_seconds:.3f} |",
        f"| B: rows per second | {b_rate:,.0f} |",
        f"| B ÷ A (rows per second ÷ decisions per second) | {b_rate / a['evaluate']:,.0f}× |",
        f"| rows passing | {passing:,} ({passing_share:.2%}) |",
        f"| A and B compared on random rows / mismatches | {compared:,} / {mismatches} |",
        f"| peak RSS of the process (both parts), MB | {peak_mb:,.0f} |",
        "",
        "Amount formulas (issue 11): the rent subsidy, 10 nodes (min of two products, rounded to yuan)",
        "",
        "| measure | value |",
        "|---|--:|",
        f"| A: `evaluate_amount`, cases per second (10 steps and the sentence each) | {amount_a['evaluate']:,.0f} |",
        f"| A: `evaluate_amount` of a tree prepared once, cases per second | {amount_a['prepared']:,.0f} |",
        f"| B: `evaluate_amount_columns`, {args.rows:,} rows, seconds (median of 3) | {amount_seconds:.3f} |",
        f"| B: rows per second | {amount_rate:,.0f} |",
        f"| B ÷ A (rows per second ÷ cases per second) | {amount_rate / amount_a['evaluate']:,.0f}× |",
        f"| rows with an amount | {int(amount_result[1].sum()):,} ({amount_result[1].mean():.2%}) |",
        f"| A and B compared on random rows / mismatches | {amount_compared:,} / {amount_mismatches} |",
        "",
    ])
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out_file = OUT_DIR / f"rules-{datetime.datetime.now():%Y%m%d-%H%M%S}.md"
    out_file.write_text(report, encoding="utf-8")
    sys.stdout.write(report)
    print(f"bench: written to {out_file.relative_to(ROOT)}", file=sys.stderr, flush=True)
    return 1 if mismatches or amount_mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
