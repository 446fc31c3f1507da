"""Benchmark: importing unit rows from .xlsx — Yuanqu's import against django-import-export on the same file.

    uv sync --frozen --group bench      # django-import-export is a benchmark-only dependency
    uv run python bench/imports.py [--rows 100000] [--baseline-rows N] [--database-url URL]

Setup (not timed): a fresh SQLite database (var/bench/imports-base.sqlite3, or ``--database-url`` for
PostgreSQL, whose role may create databases: each step gets a copy made with CREATE DATABASE … TEMPLATE) is
migrated and loaded with the demo district (``load_demo --seed 2021``: its buildings and
floors); an .xlsx of ``--rows`` new units spread over those floors is written (header in row 1, Chinese
headers, areas like "350㎡", use as its Chinese label). Each measured step runs in its own process, so
its peak memory (ru_maxrss) is its own:

- ours, check: upload + ``jobs.batch_check`` — the preview the page shows (read, resolve, validate,
  record counts, errors and samples);
- ours, commit: ``jobs.batch_commit`` in a second process, as the worker runs it after the user confirms
  (nothing changed in between, so it writes what the check validated, with change records, in one
  transaction);
- ours, one pass: upload + ``jobs.batch_commit`` without a check, as ``import_data`` runs (read,
  validate and write), on its own copy of the starting database;
- baseline: a django-import-export ``ModelResource`` for Unit (building by code, floor by building and
  number, use by label, ``clean_model_instances = True`` so each row is validated by the model as ours is,
  ``import_id_fields`` = building, floor, code), ``import_data(dry_run=True)`` then ``dry_run=False``, on
  a copy of the same starting database. It writes no audit rows; ours does.

Reports wall seconds and peak RSS per step, and ours ÷ baseline. Never asserts on times.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
BENCH = ROOT / "var" / "bench"


def setup_django():
    import django

    django.setup()


def manage(*args, env):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


def prepare(args, env) -> Path:
    """The starting database and the file."""
    manage("migrate", "--noinput", env=env)
    manage("load_demo", "--seed", "2021", "--flush", env=env)
    os.environ.update(env)
    setup_django()
    from openpyxl import Workbook

    from core.models import User
    from core.reference.choices import Role
    from spaces.models import Floor

    User.objects.get_or_create(username="bench_admin", defaults={"role": Role.BUREAU_ADMIN})
    floors = list(Floor.objects.select_related("building").order_by("pk"))
    path = BENCH / f"units-{args.rows}.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("单元")
    sheet.append(["楼宇编码", "楼层", "单元号", "面积（㎡）", "用途", "挂牌租金"])
    uses = ["办公", "研发", "办公", "商业"]
    for i in range(args.rows):
        floor = floors[i % len(floors)]
        sheet.append([floor.building.code, floor.number, f"N{i:06d}", f"{80 + (i * 37) % 900}㎡", uses[i % 4],
                      100 + i % 80])
    workbook.save(path)
    from django.db import connections

    connections.close_all()  # the last connection to close checkpoints SQLite's WAL into the main file
    return path


def step_ours(path: Path, step: str, batch_id: int | None) -> dict:
    """The page's flow through core.importing.jobs: upload + check, then commit (in another process, as the
    worker would); or "direct": upload and commit in one pass, as `import_data` does."""
    setup_django()
    from core.importing import jobs
    from core.models import ImportBatch, User
    from core.surfaces import surface_for
    from spaces.models import Unit

    user = User.objects.get(username="bench_admin")
    started = time.perf_counter()
    # The rows fill the demo buildings past their floor area, which the preview asks to confirm: the commit
    # steps confirm it, as the officer does on the page (or import_data --confirm-warnings).
    if step == "commit":
        batch = ImportBatch.objects.get(pk=batch_id)
        jobs.mark(batch, warnings_confirmed=True)
        batch = jobs.batch_commit(batch)
    else:
        batch = jobs.batch_create(user=user, surface=surface_for(Unit), filename=path.name,
                                  content=path.read_bytes())
        if step != "check":
            jobs.mark(batch, warnings_confirmed=True)
        batch = jobs.batch_check(batch) if step == "check" else jobs.batch_commit(batch)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "counts": batch.counts, "status": batch.status, "batch": batch.pk}


def step_baseline(path: Path, rows: int) -> dict:
    setup_django()
    import tablib
    from import_export import fields, resources, widgets

    from spaces.choices import UnitUse
    from spaces.models import Building, Floor, Unit

    labels = {str(label): value for value, label in UnitUse.choices}

    class FloorWidget(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return Floor.objects.filter(building__code=row["楼宇编码"])

    class UseWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return labels.get(value, value)

    class AreaWidget(widgets.DecimalWidget):
        def clean(self, value, row=None, **kwargs):
            return super().clean(str(value).replace("㎡", ""), row, **kwargs)

    class UnitResource(resources.ModelResource):
        building = fields.Field(attribute="building", column_name="楼宇编码",
                                widget=widgets.ForeignKeyWidget(Building, field="code"))
        floor = fields.Field(attribute="floor", column_name="楼层", widget=FloorWidget(Floor, field="number"))
        code = fields.Field(attribute="code", column_name="单元号")
        area = fields.Field(attribute="area", column_name="面积（㎡）", widget=AreaWidget())
        use = fields.Field(attribute="use", column_name="用途", widget=UseWidget())
        asking_rent = fields.Field(attribute="asking_rent", column_name="挂牌租金", widget=widgets.DecimalWidget())

        class Meta:
            model = Unit
            fields = ("building", "floor", "code", "area", "use", "asking_rent")
            import_id_fields = ("building", "floor", "code")
            clean_model_instances = True
            use_transactions = True

    started = time.perf_counter()
    with open(path, "rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    if rows < len(dataset):
        dataset = tablib.Dataset(*dataset[:rows], headers=dataset.headers)
    read = time.perf_counter() - started
    check_start = time.perf_counter()
    checked = UnitResource().import_data(dataset, dry_run=True, raise_errors=False)
    check = time.perf_counter() - check_start
    commit_start = time.perf_counter()
    result = UnitResource().import_data(dataset, dry_run=False, raise_errors=False)
    commit = time.perf_counter() - commit_start
    return {"read": read, "check": check, "commit": commit, "rows": len(dataset),
            "errors": len(checked.invalid_rows) + len(checked.row_errors()),
            "created": result.totals.get("new", 0)}


def starting_database(database_url: str | None, sqlite_name: str) -> tuple[Path, dict]:
    """Where the starting data go: ``database_url``, or a new SQLite file under var/bench."""
    BENCH.mkdir(parents=True, exist_ok=True)
    base_db = BENCH / sqlite_name
    if not database_url:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{base_db}{suffix}").unlink(missing_ok=True)
    return base_db, dict(os.environ, DATABASE_URL=database_url or f"sqlite:///{base_db}")


def fresh_database(database_url: str | None, base_db: Path, env: dict, name: str) -> dict:
    """The environment of one step, on a copy of the starting database (SQLite: the file; PostgreSQL:
    CREATE DATABASE … TEMPLATE)."""
    if database_url:
        from urllib.parse import urlsplit, urlunsplit

        import psycopg

        parts = urlsplit(database_url)
        base, copy = parts.path.lstrip("/"), f"{parts.path.lstrip('/')}_{name.replace('-', '_')}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{copy}"')
            connection.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{base}"')
        return dict(env, DATABASE_URL=urlunsplit(parts._replace(path=f"/{copy}")))
    target = BENCH / f"imports-{name}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    for suffix in ("", "-wal"):
        if Path(f"{base_db}{suffix}").exists():
            shutil.copy(f"{base_db}{suffix}", f"{target}{suffix}")
    return dict(env, DATABASE_URL=f"sqlite:///{target}")


def child(args) -> None:
    """One measured step in this process; prints its result as JSON."""
    path = Path(args.file)
    if args.step in ("check", "commit", "direct"):
        result = step_ours(path, args.step, args.batch)
    else:
        result = step_baseline(path, args.baseline_rows)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_child(step, path, env, baseline_rows=0, batch=0) -> dict:
    command = [sys.executable, __file__, "--child", step, "--file", str(path), "--baseline-rows", str(baseline_rows),
               "--batch", str(batch)]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{step} failed:\n{done.stderr[-3000:]}")
    output = done.stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--baseline-rows", type=int, default=0, help="rows given to the baseline (default: all)")
    parser.add_argument("--database-url", help="postgres://… (default: SQLite files under var/bench)")
    parser.add_argument("--child", choices=["check", "commit", "direct", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.step = args.child
        child(args)
        return
    sqlite = not args.database_url
    base_db, env = starting_database(args.database_url, "imports-base.sqlite3")
    print(f"preparing {args.rows:,} rows …", file=sys.stderr)
    path = prepare(args, env)
    baseline_rows = args.baseline_rows or args.rows

    ours_env = fresh_database(args.database_url, base_db, env, "ours")
    print("ours: check …", file=sys.stderr)
    check = run_child("check", path, ours_env)
    print("ours: commit …", file=sys.stderr)
    commit = run_child("commit", path, ours_env, batch=check["batch"])
    print("ours: commit in one pass (no preview) …", file=sys.stderr)
    direct = run_child("direct", path, fresh_database(args.database_url, base_db, env, "direct"))
    baseline_env = fresh_database(args.database_url, base_db, env, "baseline")
    print(f"baseline: django-import-export on {baseline_rows:,} rows …", file=sys.stderr)
    baseline = run_child("baseline", path, baseline_env, baseline_rows)

    ours_total = check["seconds"] + commit["seconds"]
    base_total = baseline["check"] + baseline["commit"] + baseline["read"]
    scale = args.rows / baseline["rows"]
    base_estimate = baseline["read"] + (baseline["check"] + baseline["commit"]) * scale
    import django

    print(f"## Import {args.rows:,} unit rows from .xlsx ({datetime.datetime.now(datetime.UTC):%Y-%m-%d} UTC)\n")
    print(f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"Django {django.get_version()}, database {'SQLite (WAL)' if sqlite else 'PostgreSQL'}")
    print(f"- file: {path.name}, {path.stat().st_size / 1e6:.1f} MB; starting data: demo district")
    print(f"- command: `uv run python bench/imports.py --rows {args.rows}"
          f"{f' --baseline-rows {args.baseline_rows}' if args.baseline_rows else ''}`\n")
    print("| step | rows | seconds | peak RSS MB | result |")
    print("|---|--:|--:|--:|---|")
    print(f"| ours: check (preview) | {args.rows:,} | {check['seconds']:.1f} | {check['peak_mb']:.0f} | {check['counts']} |")
    print(f"| ours: commit (after the check) | {args.rows:,} | {commit['seconds']:.1f} | {commit['peak_mb']:.0f} | "
          f"{commit['status']} |")
    print(f"| ours: check + commit | {args.rows:,} | **{ours_total:.1f}** | {max(check['peak_mb'], commit['peak_mb']):.0f} | |")
    print(f"| ours: commit in one pass, no preview (`import_data`) | {args.rows:,} | {direct['seconds']:.1f} | "
          f"{direct['peak_mb']:.0f} | {direct['status']} |")
    print(f"| django-import-export: read file | {baseline['rows']:,} | {baseline['read']:.1f} | | |")
    print(f"| django-import-export: dry run | {baseline['rows']:,} | {baseline['check']:.1f} | | "
          f"errors={baseline['errors']} |")
    print(f"| django-import-export: import | {baseline['rows']:,} | {baseline['commit']:.1f} | | "
          f"created={baseline['created']} |")
    print(f"| django-import-export: total | {baseline['rows']:,} | **{base_total:.1f}** | {baseline['peak_mb']:.0f} | |")
    note = "" if scale == 1 else (f" (baseline's check and import scaled from {baseline['rows']:,} rows, "
                                  f"its file read measured on all rows: {base_estimate:.0f} s)")
    print(f"\ncheck + commit: ours is {base_estimate / ours_total:.1f}× faster{note}")


if __name__ == "__main__":
    main()
