"""Benchmark: approvals racing for the last of a budget (issue 11, RULES.md point 10), on PostgreSQL.

    uv run --group bench python bench/budget_races.py [--races 1000] [--pg-url URL]

Each race is one policy whose budget holds 1,500.00 元 and two applications, of two enterprises, for 1,000.00 元
each, both ready for 审批. Two threads, each with its own connection, approve one application of the pair at the
same moment (a barrier releases them together: ``yuanqu.racing.race``), through the real service
``policies.services.application_approve``: the decision made again by the policy's rules
(``policies.evaluation.decide``), the budget reserved by its conditional UPDATE, the award, its tranche and the
ledger entry written. Counted per race: the winners (exactly one), the loser's refusal (预算不足); per budget at
the end: committed = the ledger's reserves ≤ total. Timed: the whole run, and each approval (the winner's and
the loser's, from the barrier to its return). Never asserts on times; exits non-zero when a count is wrong.

Database: ``--pg-url`` (a database its role may drop and create: it is dropped and created again)
or, without it, the throwaway server of scripts/pg-test-server.sh on PGPORT (started and stopped here), database
``budget_races`` (a server already running there is used and left running). The report (Markdown) goes to stdout and to var/bench/budget-races-<time>.md.
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

BUDGET = 150_000  # fen: 1,500.00 元
AMOUNT = 100_000  # fen: 1,000.00 元 per award


def build(races: int) -> list[tuple[int, int]]:
    """The races' policies, budgets and application pairs; returns the pairs' ids."""
    from certification.choices import VersionStatus
    from core.models import Department, User
    from core.reference.choices import Role
    from core.reference.departments import ensure_departments
    from enterprises.models import Enterprise
    from policies.models import Application, Budget, Policy, PolicyVersion

    ensure_departments(Department)
    department = Department.objects.get(code="kcj")
    users = {}
    for username, role in (("race_admin", Role.BUREAU_ADMIN), ("race_officer", Role.BUREAU_OFFICER),
                           ("race_first", Role.BUREAU_OFFICER), ("race_second", Role.BUREAU_OFFICER)):
        users[username], _made = User.objects.get_or_create(
            username=username, defaults={"role": role, "department": department, "display_name": username})
    a = Enterprise.objects.create(name="竞速甲科技有限公司", credit_code="91440300MA5RACE0A1")
    b = Enterprise.objects.create(name="竞速乙科技有限公司", credit_code="91440300MA5RACE0B2")
    pairs = []
    for number in range(races):
        policy = Policy.objects.create(code=f"race-{number:05d}", name=f"竞速测试政策{number}", category="rent",
                                       valid_from=datetime.date(2020, 1, 1))
        PolicyVersion.objects.create(policy=policy, number=1, status=VersionStatus.PUBLISHED,
                                     effective_from=datetime.date(2020, 1, 1), conditions={},
                                     amount={"const": AMOUNT, "type": "money", "label": "定额补贴"},
                                     content_hash="0" * 64)
        Budget.objects.create(policy=policy, year=2026, total=BUDGET)
        pair = []
        for side, enterprise in (("A", a), ("B", b)):
            pair.append(Application.objects.create(
                number=f"ZC-RACE-{number:05d}{side}", policy=policy, enterprise=enterprise, year=2026,
                period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31),
                status="second_passed", first_reviewed_by=users["race_first"],
                second_reviewed_by=users["race_second"]).pk)
        pairs.append(tuple(pair))
    return pairs


def measure(args) -> dict:
    """In the child process: build, race, count, check."""
    setup_django()
    from django.db import connection
    from django.db.models import Sum

    from core.actions import Refused
    from core.models import User
    from policies import services
    from policies.models import Application, Budget, LedgerEntry
    from yuanqu.racing import race

    started = time.perf_counter()
    pairs = build(args.races)
    built = time.perf_counter() - started
    approvers = [User.objects.get(username="race_admin"), User.objects.get(username="race_officer")]
    durations = {"won": [], "lost": []}

    def approver(index):
        def run(number):
            began = time.perf_counter()
            try:
                result = services.application_approve(Application(pk=pairs[number][index]), user=approvers[index])
            except Refused as refusal:
                durations["lost"].append(time.perf_counter() - began)
                return refusal
            durations["won"].append(time.perf_counter() - began)
            return result
        return run

    started = time.perf_counter()
    outcomes = race([approver(0), approver(1)], rounds=args.races, timeout=120)
    seconds = time.perf_counter() - started
    winners = [sum(1 for r in outcome if isinstance(r, Application)) for outcome in outcomes]
    refusals = [str(r) for outcome in outcomes for r in outcome if isinstance(r, Exception)]
    other_errors = [r for r in refusals if "预算不足" not in r]
    budgets = list(Budget.objects.filter(policy__code__startswith="race-").values("id", "total", "committed"))
    reserved = dict(LedgerEntry.objects.filter(kind="reserve").values("budget").annotate(s=Sum("amount"))
                    .values_list("budget", "s"))
    over = [b for b in budgets if reserved.get(b["id"], 0) > b["total"] or reserved.get(b["id"], 0) != b["committed"]]
    return {
        "vendor": connection.vendor, "races": args.races, "built_s": built, "seconds": seconds,
        "exactly_one": sum(1 for w in winners if w == 1), "none": sum(1 for w in winners if w == 0),
        "both": sum(1 for w in winners if w == 2), "other_errors": other_errors[:5],
        "budgets_over_or_unequal": len(over), "ledger_total": sum(reserved.values()),
        "budget_total": sum(b["total"] for b in budgets),
        "won_ms": [1000 * statistics.median(durations["won"]) if durations["won"] else None,
                   1000 * _p95(durations["won"])],
        "lost_ms": [1000 * statistics.median(durations["lost"]) if durations["lost"] else None,
                    1000 * _p95(durations["lost"])],
    }


def _p95(values):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def report(args, r: dict) -> str:
    ok = r["exactly_one"] == r["races"] and not r["budgets_over_or_unequal"] and not r["other_errors"]
    return "\n".join([
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end; "
        f"{r['vendor']}; command: `python bench/budget_races.py {' '.join(sys.argv[1:])}`.",
        "",
        "| races | exactly one winner | none | both | budgets over or ≠ ledger | ledger reserves / budgets (元) "
        "| run s | per race ms | winner's approval ms (median / p95) | loser's refusal ms (median / p95) |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        f"| {r['races']:,} | {r['exactly_one']:,} | {r['none']} | {r['both']} | {r['budgets_over_or_unequal']} "
        f"| {r['ledger_total'] / 100:,.2f} / {r['budget_total'] / 100:,.2f} | {r['seconds']:.1f} "
        f"| {1000 * r['seconds'] / r['races']:.1f} | {_ms(r['won_ms'])} | {_ms(r['lost_ms'])} |",
        "",
        f"Set-up (policies, budgets, applications) {r['built_s']:.1f} s, not counted. "
        + ("Every race had exactly one winner; no budget was over-spent." if ok else
           f"WRONG: {r['other_errors']}"),
    ])


def _ms(pair) -> str:
    return " / ".join("—" if v is None else f"{v:.1f}" for v in pair)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--races", type=int, default=1000)
    parser.add_argument("--pg-url", default=None)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print("RESULT " + json.dumps(measure(args)), flush=True)
        return 0
    started_server = False
    url = args.pg_url
    if not url:
        script = ["bash", str(ROOT / "scripts" / "pg-test-server.sh")]
        # A server already running on PGPORT (a test run's) is used and left running; else one is started here.
        started_server = subprocess.run([*script, "status"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL).returncode != 0
        server = subprocess.run([*script, "start" if started_server else "url"], check=True,
                                stdout=subprocess.PIPE, text=True, cwd=ROOT)
        url = server.stdout.strip().rsplit("/", 1)[0] + "/budget_races"
    try:
        env = scratch(url, "budget-races", False)
        manage("migrate", "--noinput", env=env)
        done = subprocess.run([sys.executable, __file__, "--child", "--races", str(args.races)], env=env, cwd=ROOT,
                              check=True, stdout=subprocess.PIPE, text=True)
        result = json.loads(next(line for line in done.stdout.splitlines()
                                 if line.startswith("RESULT "))[len("RESULT "):])
    finally:
        if started_server:
            subprocess.run(["bash", str(ROOT / "scripts" / "pg-test-server.sh"), "stop"], cwd=ROOT,
                           stdout=subprocess.DEVNULL)
    text = report(args, result)
    print(text)
    BENCH.mkdir(parents=True, exist_ok=True)
    (BENCH / f"budget-races-{datetime.datetime.now():%Y%m%d-%H%M%S}.md").write_text(text + "\n")
    wrong = result["exactly_one"] != result["races"] or result["budgets_over_or_unequal"] or result["other_errors"]
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
