"""manage.py load_demo [--seed 2021] [--scale full|small] [--flush] [--today YYYY-MM-DD]"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from core.surfaces import counting
from demo import loader
from demo.plan import DISTRICT_SCALES


class Command(BaseCommand):
    help = (
        "Load the demo district (Futian's zones, the parks and enterprises the 2021 letter names, generated "
        "buildings, units, tenants and leases). The same seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2021, help="Random seed (default 2021).")
        parser.add_argument(
            "--scale",
            choices=sorted(DISTRICT_SCALES),
            default="full",
            help="full ≈ 130 buildings, 6,000 units, 2,500 enterprises; small ≈ 1/10 (for tests).",
        )
        parser.add_argument(
            "--flush", action="store_true", help="Delete all spaces, enterprises and leases and the demo users first."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the data is built around (default: today).",
        )

    def handle(self, *args, seed, scale, flush, today, **options):
        started = time.monotonic()
        today = today or datetime.date.today()
        if not flush and loader.district_exists():
            self.stdout.write(
                "已有园区数据，未作改动。Parks (or zones, operators, enterprises) exist already; nothing changed. "
                "Use --flush to replace them."
            )
            return
        # Flush and load in one transaction: a failed load leaves the old data in place.
        try:
            with transaction.atomic():
                counts = loader.flush() if flush else None
                _plan, notes = loader.load(seed=seed, scale=scale, today=today, reset_users=flush)
        except (ProtectedError, RestrictedError) as error:
            objects = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
            blocking = sorted({type(obj)._meta.label for obj in objects})
            raise CommandError(
                f"Cannot flush: other records still point at the district data ({', '.join(blocking)}). "
                "Delete those first."
            ) from error
        except LookupError as error:
            raise CommandError(str(error)) from error
        counting.data_changed()  # written in bulk, without signals
        if counts is not None:
            self.stdout.write(
                "已清除 Flushed: " + ", ".join(f"{k} {v}" for k, v in counts.items() if k != "users_kept")
            )
            if counts["users_kept"]:
                self.stdout.write(
                    self.style.WARNING(
                        "保留并重置（有审计记录引用）Kept and reset (audit records refer to them): "
                        + ", ".join(counts["users_kept"])
                    )
                )
        for note in notes:
            self.stdout.write(self.style.WARNING(note))
        elapsed = time.monotonic() - started
        self.print_summary(loader.summary(today), seed=seed, scale=scale, today=today, elapsed=elapsed)

    def print_summary(self, s, *, seed, scale, today, elapsed):
        w = self.stdout.write
        w(
            self.style.SUCCESS(
                f"示范片区已生成 Demo district loaded (seed {seed}, scale {scale}, today {today}) in {elapsed:.1f} s"
            )
        )
        w(
            f"  区域 zones {s['zones']} (with GeoJSON {s['zones_with_geometry']}) · "
            f"运营机构 operators {s['operators']} · "
            f"园区 parks {s['parks']} · 楼宇 buildings {s['buildings']} · 楼层 floors {s['floors']}"
        )
        w(
            f"  单元 units {s['units']} ({s['unit_area']:,.2f} m²) {s['unit_status']} · 政府产业用房 government-owned "
            f"{s['government_owned_units']}"
        )
        w(
            f"  空置率 vacancy {s['vacancy_rate']}% · 出租率 occupancy {s['occupancy_rate']}% · 空置 ≥6个月 "
            f"{s['long_vacant_6m']} units, ≥12个月 {s['long_vacant_12m']} units"
        )
        w(
            f"  企业 enterprises {s['enterprises']} (credit-code exceptions {s['credit_code_exceptions']}) · "
            f"有效高企 high-tech now {s['high_tech']} · 资质 qualifications {s['qualifications']} · "
            f"联系人 contacts {s['contacts']}"
        )
        w(
            f"  租约 leases {s['leases']} {s['leases_by_status']} · lease–unit links {s['lease_units']} · "
            f"90天内到期 expiring within 90 days {s['expiring_90_days']}"
        )
        w(
            f"  河套科研空间 Hetao research space {s['hetao_research_area']:,.2f} m² · 文创园区 cultural parks "
            f"{s['cultural_parks']}, GFA {s['cultural_gfa']:,.2f} m² · "
            f"车公庙时尚总部中心 fashion centre {s['fashion_centre_area']:,.2f} m²"
        )
        w(f"  投资基金产业园 fund park: {s['funds_present']} present, {s['funds_virtual']} virtual")
        w("  用户 users (password yuanqu-demo): " + ", ".join(f"{u} ({r})" for u, r in s["users"]))
