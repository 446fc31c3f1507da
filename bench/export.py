"""Export benchmark: the unit and lease lists exported to .xlsx and .csv through the real view, against a
baseline measured in the same run — the same rows fetched with values_list() and written by bare
openpyxl (write-only) or csv, with no scoping, labels or formatting.

    uv run python bench/export.py --database-url sqlite:////tmp/district.sqlite3

Use a database filled by `manage.py generate --scale district` (≈ 60k units). The script adds a bureau
officer `bench_officer` if the database has none.
"""

import argparse
import csv
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "yuanqu.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client
    from openpyxl import Workbook

    from core.models import User
    from core.reference.choices import Role
    from leasing.models import Lease
    from spaces.models import Unit

    user = User.objects.filter(role=Role.BUREAU_OFFICER).first() or User.objects.create(
        username="bench_officer", role=Role.BUREAU_OFFICER)
    client = Client()
    client.force_login(user)

    def baseline(queryset, fields, fmt):
        started = time.perf_counter()
        rows = queryset.values_list(*fields).iterator(chunk_size=2000)
        if fmt == "csv":
            writer = csv.writer(io.StringIO())
            for row in rows:
                writer.writerow(row)
        else:
            book = Workbook(write_only=True)
            sheet = book.create_sheet()
            for row in rows:
                sheet.append(list(row))
            book.save(io.BytesIO())
        return time.perf_counter() - started

    cases = [
        ("units", "/spaces/units/export/", Unit.objects.order_by("pk"),
         ["code", "building_id", "floor_id", "area", "use", "asking_rent", "status", "government_owned",
          "vacant_since"]),
        ("active leases", "/leasing/leases/export/?status=active", Lease.objects.filter(status="active"),
         ["contract_number", "enterprise_id", "leased_area", "monthly_rent", "start_date", "end_date", "status"]),
    ]
    print("| export | format | rows | view s | baseline s | view ÷ baseline | rows/s |")
    print("|---|---|--:|--:|--:|--:|--:|")
    for label, path, queryset, fields in cases:
        count = queryset.count()
        for fmt in ("csv", "xlsx"):
            joiner = "&" if "?" in path else "?"
            started = time.perf_counter()
            response = client.get(f"{path}{joiner}format={fmt}")
            size = sum(len(chunk) for chunk in response.streaming_content)
            view = time.perf_counter() - started
            assert response.status_code == 200 and size > 0
            base = baseline(queryset, fields, fmt)
            print(f"| {label} | {fmt} | {count:,} | {view:.2f} | {base:.2f} | {view / base:.1f}× | {count / view:,.0f} |")
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
