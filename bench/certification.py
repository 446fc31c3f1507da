"""Benchmark: every computed certification fact (issue 10) for the certified subjects as of one day, set-based
(``certification.facts.compute``: grouped queries, their number independent of the subjects) against the
per-subject loop (``compute_loop``: the evidence's record sets, a dozen queries a subject), same run.

    uv run --group bench python bench/certification.py [--scale district|city] [--today 2025-06-30]
        [--subjects 1000] [--loop-subjects N] [--database-url URL] [--pg-url URL] [--reuse] [--rounds 3]

Databases: ``generate --scale <scale> --seed 1 --today <today>`` into var/bench/certification-<scale>.sqlite3
(or ``--database-url``), and, with ``--pg-url``, into that PostgreSQL database (dropped and created again
unless ``--reuse``). Each database is measured in a process of its own: ``compute`` over the first
``--subjects`` certified subjects (all of them when fewer) ``--rounds`` times (the median is reported), then
``compute_loop`` once over the same subjects, or over the first ``--loop-subjects`` of them (then the loop's
time for all is extrapolated linearly and said to be). Both results must be equal. The query counts of
``compute`` over 10 subjects and over all of them are reported side by side. Never asserts on times.
The report (Markdown) goes to stdout and to var/bench/certification-<time>.md.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
from bench.imports import BENCH, manage, setup_django  # noqa: E402
from bench.workflows import scratch  # noqa: E402


def measure(args) -> dict:
    """In the child process: time and count the two computations on the database of DATABASE_URL."""
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from certification.facts import compute, compute_loop
    from certification.models import Certification

    on = args.today
    subjects = list(Certification.objects.order_by("pk").values_list("park_id", "building_id")[:args.subjects])
    compute(subjects[:3], on)  # warm the connection and the caches of the database
    # Ten subjects of the same kinds as all of them (parks and buildings: a building subject adds its queries).
    ten = [s for s in subjects if s[1] is None][:8] + [s for s in subjects if s[1] is not None][:2]
    with CaptureQueriesContext(connection) as few:
        compute(ten, on)
    times, queries, result = [], 0, None
    for _ in range(args.rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = compute(subjects, on)
            times.append(time.perf_counter() - started)
        queries = len(captured)
    looped = subjects[:args.loop_subjects] if args.loop_subjects else subjects
    statements = []  # counted by a wrapper: the test utility keeps at most 9,000 queries

    def count(execute, sql, params, many, context):
        statements.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        loop_result = compute_loop(looped, on)
        loop_seconds = time.perf_counter() - started
    return {
        "vendor": connection.vendor, "subjects": len(subjects),
        "buildings_subjects": sum(1 for _p, b in subjects if b is not None),
        "compute_s": statistics.median(times), "compute_all_s": times, "compute_queries": queries,
        "compute_queries_10": len(few),
        "loop_subjects": len(looped), "loop_s": loop_seconds, "loop_queries": len(statements),
        "agree": all(result[key] == loop_result[key] for key in loop_result),
        "certifications": Certification.objects.count(),
    }


def run_child(env: dict, argv: list[str]) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", *argv], env=env, cwd=ROOT, check=True,
                          stdout=subprocess.PIPE, text=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def prepare(args, env: dict, label: str) -> float | None:
    if args.reuse:
        return None
    started = time.perf_counter()
    manage("migrate", "--noinput", env=env)
    manage("generate", "--scale", args.scale, "--seed", "1", "--today", args.today.isoformat(), env=env)
    seconds = time.perf_counter() - started
    print(f"  {label}: generated in {seconds:.0f} s", file=sys.stderr, flush=True)
    return seconds


def report(args, results: dict, timings: dict) -> str:
    lines = [
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end; "
        f"`generate --scale {args.scale} --seed 1 --today {args.today}`; command: "
        f"`python bench/certification.py {' '.join(sys.argv[1:])}`.",
        "",
        "| database | subjects (buildings) | `compute` s (median of " f"{args.rounds}) | queries (10 subjects / all) "
        "| `compute_loop` s | queries | loop ÷ compute | equal |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for name, r in results.items():
        loop = r["loop_s"]
        note = ""
        if r["loop_subjects"] < r["subjects"]:
            loop = r["loop_s"] * r["subjects"] / r["loop_subjects"]
            note = f" (extrapolated from {r['loop_subjects']} subjects: {r['loop_s']:.2f} s)"
        loop_queries = r["loop_queries"] * r["subjects"] // r["loop_subjects"]
        lines.append(
            f"| {name} | {r['subjects']:,} ({r['buildings_subjects']:,}) | {r['compute_s']:.2f} "
            f"| {r['compute_queries_10']} / {r['compute_queries']} | {loop:.2f}{note} | {loop_queries:,} "
            f"| {loop / r['compute_s']:.1f} | {'yes' if r['agree'] else 'NO'} |")
    if timings:
        lines += ["", "Generation: " + "; ".join(f"{k} {v:.0f} s" for k, v in timings.items()) + "."]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="district", choices=["small", "district", "city"])
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date(2025, 6, 30))
    parser.add_argument("--subjects", type=int, default=1000)
    parser.add_argument("--loop-subjects", type=int, default=0, help="time the loop on the first N only")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--pg-url", default=None, help="a PostgreSQL database its role may drop and create")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(measure(args)), flush=True)
        return
    argv = [a for a in sys.argv[1:] if a != "--reuse"]
    first = "PostgreSQL" if (args.database_url or "").startswith("postgres") else "SQLite"
    databases = {first: scratch(args.database_url, f"certification-{args.scale}.sqlite3", args.reuse)}
    if args.pg_url:
        databases["PostgreSQL"] = scratch(args.pg_url, "", args.reuse)
    results, timings = {}, {}
    for name, env in databases.items():
        seconds = prepare(args, env, name)
        if seconds is not None:
            timings[f"{name} (migrate and generate)"] = seconds
        print(f"… {name}", file=sys.stderr, flush=True)
        results[name] = run_child(env, argv)
    text = report(args, results, timings)
    print(text)
    BENCH.mkdir(parents=True, exist_ok=True)
    path = BENCH / f"certification-{datetime.datetime.now():%Y%m%d-%H%M%S}.md"
    path.write_text(text + "\n", encoding="utf-8")
    print(f"report: {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
