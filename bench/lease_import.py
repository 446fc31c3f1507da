"""Benchmark: importing lease rows from .xlsx, which go row by row through the lease services.

    uv run python bench/lease_import.py [--rows 2000] [--database-url URL]

Leases are not written in bulk: each row runs `lease_create` (overlap with other leases of its units,
unavailable units, the stored park and area, unit statuses, the change records). This measures what the
import adds on top of those services.

Setup (not timed): a fresh SQLite database (var/bench/lease-import-base.sqlite3, or ``--database-url`` for
PostgreSQL, whose role may create databases) is migrated and loaded with the demo district
(``load_demo --seed 2021``). An .xlsx of ``--rows`` leases is written, one per unit that may be leased
(not unavailable), for existing enterprises named by credit code, starting after every lease the demo
holds so none overlaps (units as "building code" + "unit code", dates like 2031年1月1日, rents like
"120元/㎡·月"). Each measured step runs in its own process on its own copy of the starting database:

- ours, check: upload + ``jobs.batch_check`` (the preview: each row runs the services in a savepoint
  that is rolled back, so the preview shows what the rules say);
- ours, commit: ``jobs.batch_commit`` right after, in a second process, as the worker runs it;
- baseline: the same rows given straight to ``leasing.services.lease_create`` in one transaction, with
  enterprises and units looked up beforehand (not timed): the least any import through the services costs.

Reports seconds, rows per second and peak RSS per step, and ours ÷ baseline. Never asserts on times.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
from bench.imports import BENCH, fresh_database, manage, setup_django, starting_database  # noqa: E402

HEADER = ["统一社会信用代码", "楼宇编码", "单元号", "合同编号", "起租日", "到期日", "租金"]


def start_date() -> datetime.date:
    """The first of January after every lease of the starting data has ended."""
    from leasing.models import Lease

    last = Lease.objects.order_by("-end_date").values_list("end_date", flat=True).first() or datetime.date.today()
    return datetime.date(last.year + 1, 1, 1)


def prepare(rows: int, env) -> Path:
    manage("migrate", "--noinput", env=env)
    manage("load_demo", "--seed", "2021", "--flush", env=env)
    os.environ.update(env)
    setup_django()
    from openpyxl import Workbook

    from core.models import User
    from core.reference.choices import Role
    from enterprises.models import Enterprise
    from spaces.choices import UnitStatus
    from spaces.models import Unit

    User.objects.get_or_create(username="bench_admin", defaults={"role": Role.BUREAU_ADMIN})
    units = list(Unit.objects.exclude(status=UnitStatus.UNAVAILABLE).select_related("building").order_by("pk"))
    if len(units) < rows:
        sys.exit(f"the demo district has {len(units)} units that may be leased; ask for at most that many rows")
    codes = list(Enterprise.objects.order_by("pk").values_list("credit_code", flat=True))
    start = start_date()
    path = BENCH / f"leases-{rows}.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("租约")
    sheet.append(HEADER)
    for i, unit in enumerate(units[:rows]):
        end = datetime.date(start.year + 1 + i % 3, 12, 31)
        sheet.append([codes[i % len(codes)], unit.building.code, unit.code, f"BENCH-{i:05d}",
                      f"{start.year}年{start.month}月{start.day}日", end.isoformat(), f"{90 + i % 60}元/㎡·月"])
    workbook.save(path)
    from django.db import connections

    connections.close_all()
    return path


def step_ours(path: Path, step: str, batch_id: int) -> dict:
    setup_django()
    from core.importing import jobs
    from core.models import ImportBatch, User
    from core.surfaces import surface_for
    from leasing.models import Lease

    started = time.perf_counter()
    if step == "commit":
        batch = jobs.batch_commit(ImportBatch.objects.get(pk=batch_id))
    else:
        batch = jobs.batch_create(user=User.objects.get(username="bench_admin"), surface=surface_for(Lease),
                                  filename=path.name, content=path.read_bytes())
        batch = jobs.batch_check(batch)
    return {"seconds": time.perf_counter() - started, "counts": batch.counts, "status": batch.status,
            "batch": batch.pk}


def step_baseline(path: Path) -> dict:
    """The rows of the file, read and looked up before the clock starts, through lease_create."""
    setup_django()
    from decimal import Decimal

    from django.db import transaction
    from openpyxl import load_workbook

    from core.models import User
    from enterprises.models import Enterprise
    from leasing.services import lease_create
    from spaces.models import Unit

    user = User.objects.get(username="bench_admin")
    rows = list(load_workbook(path, read_only=True).active.iter_rows(min_row=2, values_only=True))
    enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in={r[0] for r in rows})}
    units = {(u.building.code, u.code): u for u in Unit.objects.select_related("building")}
    start = start_date()
    data = [{"enterprise": enterprises[code], "units": [units[(building, unit)]], "contract_number": contract,
             "start_date": start, "end_date": datetime.date.fromisoformat(end),
             "monthly_rent": Decimal(rent.removesuffix("元/㎡·月"))}
            for code, building, unit, contract, _, end, rent in rows]
    started = time.perf_counter()
    with transaction.atomic():
        for values in data:
            lease_create(user=user, data=values)
    return {"seconds": time.perf_counter() - started, "created": len(data)}


def run_child(step: str, path: Path, env, batch: int = 0) -> dict:
    command = [sys.executable, __file__, "--child", step, "--file", str(path), "--batch", str(batch)]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--database-url", help="postgres://… (default: SQLite files under var/bench)")
    parser.add_argument("--child", choices=["check", "commit", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path = Path(args.file)
        result = step_baseline(path) if args.child == "baseline" else step_ours(path, args.child, args.batch)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    sqlite = not args.database_url
    base_db, env = starting_database(args.database_url, "lease-import-base.sqlite3")
    print(f"preparing {args.rows:,} lease rows …", file=sys.stderr)
    path = prepare(args.rows, env)
    ours_env = fresh_database(args.database_url, base_db, env, "lease-ours")
    print("ours: check …", file=sys.stderr)
    check = run_child("check", path, ours_env)
    print("ours: commit …", file=sys.stderr)
    commit = run_child("commit", path, ours_env, batch=check["batch"])
    print("baseline: lease_create per row …", file=sys.stderr)
    baseline = run_child("baseline", path, fresh_database(args.database_url, base_db, env, "lease-baseline"))
    import django

    ours = check["seconds"] + commit["seconds"]
    print(f"## Import {args.rows:,} lease rows from .xlsx ({datetime.datetime.now(datetime.UTC):%Y-%m-%d} UTC)\n")
    print(f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"Django {django.get_version()}, database {'SQLite (WAL)' if sqlite else 'PostgreSQL'}")
    print(f"- file: {path.name}, one unit per lease; starting data: demo district")
    print(f"- command: `uv run python bench/lease_import.py --rows {args.rows}"
          f"{' --database-url …' if not sqlite else ''}`\n")
    print("| step | seconds | rows/s | peak RSS MB | result |")
    print("|---|--:|--:|--:|---|")
    print(f"| ours: check (preview, services rolled back) | {check['seconds']:.1f} | {args.rows / check['seconds']:.0f} "
          f"| {check['peak_mb']:.0f} | {check['counts']} |")
    print(f"| ours: commit | {commit['seconds']:.1f} | {args.rows / commit['seconds']:.0f} | {commit['peak_mb']:.0f} "
          f"| {commit['status']} |")
    print(f"| ours: check + commit | **{ours:.1f}** | {args.rows / ours:.0f} | | |")
    print(f"| baseline: `lease_create` per row | **{baseline['seconds']:.1f}** | "
          f"{args.rows / baseline['seconds']:.0f} | {baseline['peak_mb']:.0f} | created {baseline['created']} |")
    print(f"\ncommit ÷ baseline: {commit['seconds'] / baseline['seconds']:.2f}; "
          f"check + commit ÷ baseline: {ours / baseline['seconds']:.2f}")


if __name__ == "__main__":
    main()
