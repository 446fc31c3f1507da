"""manage.py generate --scale small|district|city [--seed N] [--flush] [--today YYYY-MM-DD]"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core.surfaces import counting
from demo import generate


class Command(BaseCommand):
    help = (
        "Generate deterministic synthetic parks, buildings, units, enterprises and leases for benchmarks, "
        "with certified subjects, incubatees, qualifications and service records (about 1,000 subjects at city scale). "
        "district ≈ 600 buildings, 60k units, 150k enterprises, 200k leases; city ≈ 12k buildings, "
        "1M units, 2.5M enterprises, 3M leases; small ≈ 20 buildings (for tests)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(generate.SCALES), default="district")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="First delete all parks, buildings, floors, units, operators, enterprises and leases "
            "(generated or demo; zones and the audit trail stay).",
        )
        parser.add_argument(
            "--today", type=datetime.date.fromisoformat, default=None,
            help="The day the data is built around (default: today).",
        )
        parser.add_argument("--batch-size", type=int, default=generate.BATCH_SIZE)

    def handle(self, *args, scale, seed, flush, today, batch_size, **options):
        started = time.monotonic()
        today = today or datetime.date.today()
        if flush:
            try:
                counts = generate.flush()
            except DatabaseError as error:
                raise CommandError(f"Cannot flush: other records still point at the data ({error}).") from error
            self.stdout.write(
                f"已清除 Flushed in {time.monotonic() - started:.1f} s: "
                + ", ".join(f"{k} {v}" for k, v in counts.items())
            )
        elif generate.units_exist():
            raise CommandError(
                "已有单元数据，未作改动。Units exist already; nothing changed. "
                "Use --flush to delete the existing spaces, enterprises and leases first."
            )
        generator = generate.Generator(
            seed=seed, scale=scale, today=today, batch_size=batch_size, log=self.stdout.write
        )
        try:
            generator.run()
        except LookupError as error:
            raise CommandError(str(error)) from error
        finally:
            counting.data_changed()  # written in bulk, without signals
        elapsed = time.monotonic() - started
        s = generate.summary(today)
        w = self.stdout.write
        w(self.style.SUCCESS(f"已生成 Generated (scale {scale}, seed {seed}, today {today}) in {elapsed:.1f} s"))
        w(f"  区域 zones {s['zones']} · 运营机构 operators {s['operators']} · 园区 parks {s['parks']} · "
          f"楼宇 buildings {s['buildings']} · 楼层 floors {s['floors']}")
        w(f"  单元 units {s['units']} ({s['unit_area']:,.2f} m²) {s['unit_status']} · "
          f"空置率 vacancy {s['vacancy_rate']}%")
        w(f"  企业 enterprises {s['enterprises']} (tenants {s['tenants']}) · 租约 leases {s['leases']} "
          f"{s['leases_by_status']} · lease–unit links {s['lease_units']}")
        w(f"  Total {time.monotonic() - started:.1f} s (counts read back included)")
