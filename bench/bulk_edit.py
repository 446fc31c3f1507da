"""Benchmark: a bulk edit of units, each through the unit's edit form and service (core/surfaces/bulk.py).

    uv run python bench/bulk_edit.py [--rows 1000] [--database-url URL]

Setup (not timed): a fresh SQLite database (var/bench/bulk-edit.sqlite3, or ``--database-url`` for PostgreSQL)
is migrated and loaded with the demo district (``load_demo --seed 2021``). Then, as a bureau administrator and
within one request id and scope memo (as a page request runs it), the asking rent of the first ``--rows`` units
is set by ``objects_bulk_update``: first as the preview (``dry_run``: every record tried, nothing kept), then for
real. Reports seconds, records per second and database queries per record of each. Never asserts on times.
"""

import argparse
import os
import platform
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
from bench.imports import manage, setup_django, starting_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--reuse", action="store_true", help="the database of an earlier run, as it is")
    args = parser.parse_args()
    if args.reuse:
        env = dict(os.environ, DATABASE_URL=args.database_url or f"sqlite:///{ROOT / 'var' / 'bench' / 'bulk-edit.sqlite3'}")
    else:
        _base, env = starting_database(args.database_url, "bulk-edit.sqlite3")
        manage("migrate", "--noinput", env=env)
        manage("load_demo", "--seed", "2021", "--flush", env=env)
    os.environ.update(env)
    setup_django()
    from django.conf import settings
    from django.db import connection

    from core.models import User
    from core.reference.choices import Role
    from core.runtime.context import end_memo, end_request, start_memo, start_request
    from core.surfaces import bulk, surface_for
    from spaces.models import Unit

    admin, _created = User.objects.get_or_create(username="bench_admin", defaults={"role": Role.BUREAU_ADMIN})
    ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True)[:args.rows])
    settings.YUANQU_BULK_MAX = max(settings.YUANQU_BULK_MAX, len(ids))
    # A rent the units do not have yet (a reused database may hold the last run's), so every record changes.
    rent = "124.50" if Unit.objects.filter(pk=ids[0], asking_rent=Decimal("123.45")).exists() else "123.45"
    print(f"{connection.vendor}, {len(ids)} units, Python {platform.python_version()}")
    for label, dry_run in (("preview", True), ("apply", False)):
        token, kept = start_request(), start_memo()
        queries = []

        def counted(execute, sql, params, many, context, queries=queries):
            queries.append(1)
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(counted):
                started = time.perf_counter()
                result = bulk.objects_bulk_update(user=admin, surface=surface_for(Unit), selection=ids,
                                                  values={"asking_rent": rent}, dry_run=dry_run)
                seconds = time.perf_counter() - started
        finally:
            end_memo(kept)
            end_request(token)
        print(f"{label:8} {seconds:7.2f} s  {result.count / seconds:7.0f} records/s  "
              f"{len(queries) / result.count:5.1f} queries/record  changed {result.changed}")


if __name__ == "__main__":
    main()
