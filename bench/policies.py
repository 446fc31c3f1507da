"""Benchmark: 免申即享 screening (issue 11) — every enterprise × every policy version by evaluator B
(``policies.engine.decide_columns``) from a column snapshot, amounts included, against evaluator A
(``decide_facts``) in a loop, in the same run; and the snapshot's build from the database.

    uv run --group bench python bench/policies.py [--rows 2500000] [--database-url URL] [--rounds 3]
        [--loop-rows 1000] [--check-rows 10000] [--seed 1]

1. The database: ``generate --scale district --seed 1 --today 2025-06-30`` into
   var/bench/screening-district.sqlite3 (made when missing; or ``--database-url``). The snapshot of every
   enterprise (``policies.snapshot.build``: 2024, as of 2024-12-31, the sub-periods the ten versions' amounts
   are split into) is built ``--rounds`` times: median seconds and the seconds of each step.
2. The population: ``--rows`` enterprises drawn with replacement from the district's snapshot rows (numpy,
   ``--seed``): the generator's distributions of every fact, at city scale, without writing 2.5M enterprises to
   the database (the city generator takes about 30 minutes on SQLite). Policy history (awards of earlier years)
   is drawn for 3 % of the rows, so that the caps and the years limit bite; the generator certifies buildings
   under one synthetic scheme, so each certified building's row takes one of the district's five programme
   codes, which the demo policies name.
3. The ten versions: the five demo policies (policies.demo) and a variant of each whose money and share
   parameters fall to 80 % on 1 July, which splits the amounts of four of them (screening_policies.py).
4. B: ``decide_columns`` of the ten versions over all rows, ``--rounds`` times (median), amounts included.
5. A in a loop: ``decide_facts`` on ``--loop-rows`` rows × ten versions, the facts dicts made beforehand and not
   timed; the time for all rows × ten versions is extrapolated linearly (said so in the report). Ratio = that
   ÷ B's median.
6. Equivalence on the real run: ``--check-rows`` rows × ten versions decided by A, every eligibility and amount
   compared with B's of step 4; any difference makes the run fail.

Report (Markdown) to stdout and var/bench/policies-<time>.md. Never asserts on times.
"""

import argparse
import datetime
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
OUT = ROOT / "var" / "bench"
DEFAULT_DB = OUT / "screening-district.sqlite3"
ON = datetime.date(2024, 12, 31)
START, END = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
TODAY = "2025-06-30"
PROGRAMMES = ("tech-building", "hq-building", "premium-services-building", "silicon-street", "industrial-building")


def ensure_database(url: str, path: Path | None) -> None:
    if path is None or path.exists():
        return
    OUT.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": url}
    print(f"generating the district into {path} …", file=sys.stderr)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([sys.executable, "manage.py", "generate", "--scale", "district", "--seed", "1", "--today", TODAY],
                   cwd=ROOT, env=env, check=True)


def versions():
    from policies import engine
    from policies.tests.screening_policies import Version, demo_and_variants

    return [(definition["code"], engine.rules_of(Version(definition))) for definition in demo_and_variants()]


def parts_of(rules_list) -> list[tuple]:
    from core.rules.amounts import amount_parts

    return sorted({part for _code, rules in rules_list
                   for part in amount_parts(rules.amount, rules.parameters, START, END)})


def build_snapshot(rounds: int, parts) -> tuple:
    from django.db import connection

    from policies import snapshot

    times, snap = [], None
    for _ in range(rounds):
        connection.close()
        started = time.perf_counter()
        snap = snapshot.build(on=ON, start=START, end=END, parts=parts)
        times.append(time.perf_counter() - started)
    return snap, times


def population(source, rows: int, seed: int, n_policies: int):
    """``rows`` rows drawn with replacement from ``source`` (a Snapshot), as a Snapshot of its own."""
    from policies.snapshot import Snapshot

    rng = np.random.default_rng(seed)
    pick = rng.integers(0, source.rows, size=rows)

    def take(columns):
        return {name: (values[pick], present[pick]) for name, (values, present) in columns.items()}

    base = take(source.base)

    # The generator certifies buildings under one synthetic scheme ("syn-building"); the demo policies name the
    # district's programmes, so each certified building's row takes one of them.
    values, present = base["building.specialised_programme"]
    codes = np.array(PROGRAMMES, dtype=f"<U{max(map(len, PROGRAMMES))}")
    base["building.specialised_programme"] = (np.where(present, codes[rng.integers(0, len(codes), size=rows)], ""),
                                              present)
    history = {}
    always = np.ones(rows, dtype=bool)
    supported = rng.random(rows) < 0.03
    years = np.where(supported, rng.integers(1, 4, size=rows), 0).astype(np.int64)
    total = np.where(supported, rng.integers(10_000_00, 40_000_000_00, size=rows), 0).astype(np.int64)
    in_year = np.where(supported & (rng.random(rows) < 0.3), total // 3, 0).astype(np.int64)
    for policy in range(n_policies):
        history[policy] = {"history.awarded_in_year": (in_year, always), "history.awarded_total": (total, always),
                           "history.years_supported": (years, always)}
    return Snapshot(on=source.on, start=source.start, end=source.end, ids=np.arange(1, rows + 1, dtype=np.int64),
                    base=base, periods={part: take(cols) for part, cols in source.periods.items()},
                    history=history)


def run_b(snap, rules_list):
    from policies import engine

    results, shared = [], {}
    for index, (_code, rules) in enumerate(rules_list):
        results.append(engine.decide_columns(
            rules, lambda s, e, i=index: snap.columns_for_part(s, e, policy=i), START, END, ON, snap.rows,
            shared=shared))
    return results


def facts_rows(snap, rows, rules_list) -> list[list]:
    """Per version, per row: facts_for_part of that row (dicts made now, before any timing)."""
    made = []
    for index, (_code, rules) in enumerate(rules_list):
        from core.rules.amounts import amount_parts

        parts = amount_parts(rules.amount, rules.parameters, START, END) if rules.amount else [(START, END)]
        per_row = []
        for row in rows:
            by_part = {part: snap.facts(row, part, policy=index) for part in {(START, END), *parts}}
            per_row.append(by_part)
        made.append(per_row)
    return made


def run_a(rules_list, made) -> tuple[float, int, list]:
    from policies import engine

    decided, results = 0, []
    started = time.perf_counter()
    for (_code, rules), per_row in zip(rules_list, made, strict=True):
        out = []
        for by_part in per_row:
            result = engine.decide_facts(rules, lambda s, e, f=by_part: f[(s, e)], START, END, ON)
            out.append(result)
            decided += 1
        results.append(out)
    return time.perf_counter() - started, decided, results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2_500_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--loop-rows", type=int, default=1_000)
    parser.add_argument("--check-rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    path = None if args.database_url else DEFAULT_DB
    url = args.database_url or f"sqlite:///{DEFAULT_DB}"
    ensure_database(url, path)
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from enterprises.models import Enterprise
    from leasing.models import Lease, RentPayment

    rules_list = versions()
    parts = parts_of(rules_list)
    counts = {"enterprises": Enterprise.objects.count(), "leases": Lease.objects.count(),
              "rent payments": RentPayment.objects.count()}
    source, build_times = build_snapshot(args.rounds, parts)

    started = time.perf_counter()
    snap = population(source, args.rows, args.seed, len(rules_list))
    draw_seconds = time.perf_counter() - started
    run_b(snap, rules_list)  # warm
    b_times, b_results = [], None
    for _ in range(args.rounds):
        started = time.perf_counter()
        b_results = run_b(snap, rules_list)
        b_times.append(time.perf_counter() - started)
    b_median = statistics.median(b_times)

    rng = np.random.default_rng(args.seed + 1)
    loop_rows = sorted(rng.choice(snap.rows, size=min(args.loop_rows, snap.rows), replace=False).tolist())
    a_seconds, a_decided, _ = run_a(rules_list, facts_rows(snap, loop_rows, rules_list))
    per_decision = a_seconds / a_decided
    a_all = per_decision * snap.rows * len(rules_list)

    check_rows = sorted(rng.choice(snap.rows, size=min(args.check_rows, snap.rows), replace=False).tolist())
    made = facts_rows(snap, check_rows, rules_list)
    _seconds, checked, a_results = run_a(rules_list, made)
    mismatches = []
    for (code, _rules), (eligible, amounts, _failed), results in zip(rules_list, b_results, a_results, strict=True):
        for row, result in zip(check_rows, results, strict=True):
            a_amount = (result.amount or 0) if result.eligible else 0
            if bool(eligible[row]) is not result.eligible or int(amounts[row]) != a_amount:
                mismatches.append((code, row, result.eligible, a_amount, bool(eligible[row]), int(amounts[row])))
    checked_eligible = sum(1 for results in a_results for r in results if r.eligible)

    lines = [
        f"# Policy screening (issue 11) — {datetime.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}; database {django.db.connection.vendor} ({counts['enterprises']:,} enterprises, "
        f"{counts['leases']:,} leases, {counts['rent payments']:,} rent payments; "
        f"{'`generate --scale district --seed 1 --today ' + TODAY + '`' if path else url.split('/')[-1]}).",
        "",
        "| step | result |",
        "|---|---|",
        f"| snapshot of every enterprise from the database ({source.rows:,} rows, {len(parts)} sub-periods)"
        f" | median {statistics.median(build_times):.2f} s of {args.rounds} ({', '.join(f'{t:.2f}' for t in build_times)});"
        f" steps {source.seconds} |",
        f"| population for B | {snap.rows:,} rows drawn with replacement from the database's snapshot rows in "
        f"{draw_seconds:.2f} s (the generator's distributions; not a city database) |",
        f"| B: {len(rules_list)} versions × {snap.rows:,} rows, amounts included | median **{b_median:.2f} s** of "
        f"{args.rounds} ({', '.join(f'{t:.2f}' for t in b_times)}); "
        f"{snap.rows * len(rules_list) / b_median:,.0f} decisions/s |",
        f"| A in a loop | {a_decided:,} decisions ({len(loop_rows):,} rows × {len(rules_list)} versions) in "
        f"{a_seconds:.2f} s = {per_decision * 1e6:.0f} µs each; extrapolated to {snap.rows:,} × {len(rules_list)}: "
        f"{a_all:,.0f} s |",
        f"| ratio A (extrapolated) ÷ B | **{a_all / b_median:,.0f}×** |",
        f"| equivalence on the real run | {checked:,} decisions ({len(check_rows):,} rows × {len(rules_list)} "
        f"versions; {checked_eligible:,} eligible): **{len(mismatches)} differences** |",
        f"| peak memory (RSS) | {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB |",
        "",
        "| version | eligible | amount (元) |",
        "|---|---:|---:|",
    ]
    for (code, _rules), (eligible, amounts, _failed) in zip(rules_list, b_results, strict=True):
        lines.append(f"| {code} | {int(eligible.sum()):,} | {int(amounts.sum()) / 100:,.2f} |")
    report = "\n".join(lines) + "\n"
    print(report)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"policies-{datetime.datetime.now():%Y%m%d-%H%M%S}.md").write_text(report)
    if mismatches:
        print("DIFFERENCES (first 20):", mismatches[:20], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
