"""Writes a built demo district into the database, clears it, and sums it up.

Rows are written with ``bulk_create`` in the builder's order, so the same seed gives the same rows in
the same id order. ``bulk_create`` skips ``save()``, so the loader fills each row's ``search_text``
itself. The audit tables are append-only: the loader adds one domain event per load or flush and never
touches older audit rows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy

from core import audit
from core.models import Department, DomainEvent, ObjectChange, User
from enterprises.models import Contact, Enterprise, IndustryCategory, Qualification, QualificationRule
from leasing.choices import RUNNING_STATUSES
from leasing.models import Lease
from spaces.models import Building, Floor, Operator, Park, Unit, Zone
from spaces.selectors import months_before, occupancy_of

from . import district as D
from .builder import DistrictBuilder

FLUSH = audit.register_event("demo.district.flush", gettext_lazy("Demo district cleared"))
LOAD = audit.register_event("demo.district.load", gettext_lazy("Demo district loaded"))

CENT = Decimal("0.01")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def area(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)  # exact, two places


def coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def searchable(obj):
    obj.refresh_search_text()
    return obj


# Flush ---------------------------------------------------------------------------------------------


# In the order the foreign keys allow; zones last, optional.
DISTRICT_TABLES = [
    ("lease_units", Lease.units.through),
    ("leases", Lease),
    ("contacts", Contact),
    ("qualifications", Qualification),
    ("enterprise_users", Enterprise.users.through),
    ("enterprises", Enterprise),
    ("units", Unit),
    ("floors", Floor),
    ("buildings", Building),
    ("parks", Park),
    ("operator_users", Operator.users.through),
    ("operators", Operator),
]


def delete_district(*, zones: bool) -> dict:
    """Empty the spaces, enterprises and leasing tables with plain DELETEs (no per-row work, so it is
    quick at city scale too); the audit tables are append-only and not touched. Returns counts."""
    counts = {}
    with connection.cursor() as cursor:
        for name, model in DISTRICT_TABLES:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            counts[name] = cursor.rowcount
    if zones:
        Zone.objects.update(parent=None)
        counts["zones"] = Zone.objects.all().delete()[0]
    return counts


@transaction.atomic
def flush() -> dict:
    """Delete all spaces, enterprises and leasing rows, the zones and the demo users. Returns counts.

    A demo user that audit records point at is kept and reset instead, so that those records go on
    naming the same account; it is reported under ``users_kept``.
    """
    counts = delete_district(zones=True)
    kept, deleted = [], 0
    for user in User.objects.filter(username__in=D.DEMO_USERNAMES).order_by("username"):
        if ObjectChange.objects.filter(user=user).exists() or DomainEvent.objects.filter(user=user).exists():
            kept.append(user.username)
        else:
            user.delete()
            deleted += 1
    counts["users"] = deleted
    counts["users_kept"] = kept
    audit.record_event(FLUSH, user=None, data={k: v for k, v in counts.items()})
    return counts


def district_exists() -> bool:
    """Whether there is space or enterprise data a load would collide with."""
    return Park.objects.exists() or Zone.objects.exists() or Operator.objects.exists() or Enterprise.objects.exists()


# Load ----------------------------------------------------------------------------------------------


def validity_years() -> dict:
    """Qualification validity from the rules in force today (data, not code); 3 years if none."""
    today = datetime.date.today()
    years = {}
    for kind in ("high_tech", "specialised"):
        rule = QualificationRule.in_force(kind, today)
        years[kind] = rule.validity_years if rule else 3
    return years


@transaction.atomic
def load(*, seed: int = 2021, scale: str = "full", today: datetime.date | None = None, reset_users: bool = True):
    """Build the district from ``seed`` and write it. Returns (builder, notes)."""
    builder = DistrictBuilder(seed=seed, scale=scale, today=today, validity_years=validity_years()).build()
    notes = []
    users = write_users(reset=reset_users, notes=notes)
    write_space(builder)
    write_enterprises(builder)
    write_leases(builder)
    link_users(builder, users)
    audit.record_event(
        LOAD,
        user=None,
        data={
            "seed": seed,
            "scale": scale,
            "today": builder.today,
            "parks": len(builder.parks),
            "units": sum(len(b.units) for p in builder.parks for b in p.buildings),
            "enterprises": len(builder.enterprises),
            "leases": len(builder.leases),
        },
    )
    return builder, notes


def write_users(*, reset: bool, notes: list) -> dict:
    """The demo users. An existing user of the same name is reset only when ``reset`` (after --flush)."""
    departments = {d.code: d for d in Department.objects.all()}
    users = {}
    for username, role, display_name, department, superuser in D.USERS:
        user = User.objects.filter(username=username).first()
        if user is not None and not reset:
            notes.append(f"用户 {username} 已存在，未修改其角色和密码 (user exists; left unchanged)")
            users[username] = user
            continue
        if department and department not in departments:
            raise LookupError(f"Department {department!r} is missing: run `manage.py migrate` first.")
        user = user or User(username=username)
        user.role = role
        user.display_name = display_name
        user.department = departments.get(department) if department else None
        user.is_staff = superuser
        user.is_superuser = superuser
        user.is_active = True
        user.set_password(D.DEMO_PASSWORD)
        user.save()
        users[username] = user
    return users


def write_space(builder: DistrictBuilder):
    for z in builder.zones:
        z.obj = Zone(
            code=z.code,
            name=z.name,
            kind=z.kind,
            parent=z.parent.obj if z.parent else None,
            sort_order=z.sort_order,
            geometry=z.geometry,
            description=z.description,
        )
        z.obj.full_clean()
        z.obj.save()
    operators = []
    for o in builder.operators:
        o.obj = Operator(name=o.name, credit_code=o.credit_code, contact_phone=o.phone)
        o.obj.full_clean()
        operators.append(searchable(o.obj))
    Operator.objects.bulk_create(operators)
    parks = []
    for p in builder.parks:
        p.obj = Park(
            code=p.code,
            name=p.name,
            kind=p.kind,
            zone=p.zone.obj,
            operator=p.operator.obj,
            address=p.address,
            latitude=coordinate(p.lat),
            longitude=coordinate(p.lng),
            description=p.description,
        )
        p.obj.full_clean()
        parks.append(searchable(p.obj))
    Park.objects.bulk_create(parks)
    buildings = []
    for p in builder.parks:
        for b in p.buildings:
            b.obj = Building(
                park=p.obj,
                code=b.code,
                name=b.name,
                address=b.address,
                latitude=coordinate(b.lat),
                longitude=coordinate(b.lng),
                floors_above=b.floors_above,
                floors_below=b.floors_below,
                gross_floor_area=area(b.gfa_cents),
                completed_year=b.completed_year,
            )
            buildings.append(searchable(b.obj))
    Building.objects.bulk_create(buildings)
    floors = []
    floor_of = {}
    for p in builder.parks:
        for b in p.buildings:
            numbers = list(range(-b.floors_below, 0)) + list(range(1, b.floors_above + 1))
            for number in numbers:
                label = f"B{-number}" if number < 0 else f"{number}F"
                floor = Floor(building=b.obj, number=number, name=label)
                floor_of[(b.code, number)] = floor
                floors.append(searchable(floor))
    Floor.objects.bulk_create(floors)
    units = []
    for p in builder.parks:
        for b in p.buildings:
            for u in b.units:
                u.obj = Unit(
                    building=b.obj,
                    floor=floor_of[(b.code, u.floor)],
                    code=u.code,
                    area=area(u.cents),
                    use=u.use,
                    asking_rent=money(u.rent),
                    government_owned=u.gov,
                    status=u.status,
                    vacant_since=u.vacant_since if u.status == "vacant" else None,
                )
                units.append(searchable(u.obj))
    Unit.objects.bulk_create(units, batch_size=2000)


def write_enterprises(builder: DistrictBuilder):
    known = set(IndustryCategory.objects.filter(level="class").values_list("code", flat=True))
    rows = []
    for e in builder.enterprises:
        if e.industry not in known:
            raise LookupError(f"GB/T 4754 class {e.industry} is missing: run `manage.py migrate` first.")
        e.obj = Enterprise(
            name=e.name,
            credit_code=e.credit_code,
            credit_code_exception=e.exception,
            industry_id=e.industry,
            established_on=e.established,
            registered_capital=money(e.capital),
            address=e.address[:200],
            description=e.description,
            registered_by=e.registered_by.obj if e.registered_by else None,
        )
        rows.append(searchable(e.obj))
    Enterprise.objects.bulk_create(rows, batch_size=1000)
    Qualification.objects.bulk_create(
        [
            Qualification(
                enterprise=q.enterprise.obj,
                kind=q.kind,
                level=q.level,
                certificate_number=q.certificate_number,
                issued_on=q.issued_on,
                valid_until=q.valid_until,
            )
            for q in builder.qualifications
        ],
        batch_size=1000,
    )
    Contact.objects.bulk_create(
        [Contact(enterprise=c.enterprise.obj, name=c.name, title=c.title, mobile=c.mobile) for c in builder.contacts],
        batch_size=1000,
    )


def write_leases(builder: DistrictBuilder):
    rows = []
    for le in builder.leases:
        le.obj = Lease(
            enterprise=le.tenant.obj,
            park=le.units[0].building.park.obj,
            contract_number=le.contract_number,
            start_date=le.start,
            end_date=le.end,
            monthly_rent=money(le.rent),
            status=le.status,
            terminated_on=le.terminated_on,
            leased_area=area(sum(u.cents for u in le.units)),
        )
        rows.append(le.obj)
    Lease.objects.bulk_create(rows, batch_size=1000)
    through = Lease.units.through
    Lease.units.through.objects.bulk_create(
        [through(lease_id=le.obj.pk, unit_id=u.obj.pk) for le in builder.leases for u in le.units], batch_size=2000
    )


def link_users(builder: DistrictBuilder, users: dict):
    operators = {o.key: o.obj for o in builder.operators}
    operators[D.OPERATOR_USER_OPERATOR].users.add(users["operator"])
    operators[D.OPERATOR2_USER_OPERATOR].users.add(users["operator2"])
    honor = next(e.obj for e in builder.enterprises if e.name == D.HONOR)
    honor.users.add(users["enterprise"])


# Summary -------------------------------------------------------------------------------------------


def table_counts() -> dict:
    """Rows per table and the units' status, read back from the database (both commands print these)."""
    occupancy = occupancy_of(Unit.objects.all())
    leases = dict(Lease.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "zones": Zone.objects.count(),
        "operators": Operator.objects.count(),
        "parks": Park.objects.count(),
        "buildings": Building.objects.count(),
        "floors": Floor.objects.count(),
        "units": occupancy.unit_count,
        "unit_area": occupancy.total_area,
        "unit_status": dict(sorted(occupancy.counts.items())),
        "vacancy_rate": occupancy.vacancy_rate,
        "occupancy_rate": occupancy.occupancy_rate,
        "enterprises": Enterprise.objects.count(),
        "leases": sum(leases.values()),
        "leases_by_status": dict(sorted(leases.items())),
        "lease_units": Lease.units.through.objects.count(),
    }


def summary(today: datetime.date | None = None) -> dict:
    """Figures read back from the database (not from the builder), as the dashboard would."""
    today = today or datetime.date.today()
    units = Unit.objects.all()
    hetao = Unit.objects.filter(building__park__zone__code="hetao", use="research").aggregate(a=Sum("area"))["a"]
    cultural = Park.objects.filter(kind="cultural")
    cultural_gfa = Building.objects.filter(park__kind="cultural").aggregate(a=Sum("gross_floor_area"))["a"]
    fashion = Unit.objects.filter(building__park__code=D.FASHION_CENTRE_PARK).aggregate(a=Sum("area"))["a"]
    fund_park = Park.objects.filter(code=D.FUND_PARK).first()
    funds_present = (
        Enterprise.objects.filter(leases__units__building__park=fund_park, leases__status="active").distinct().count()
        if fund_park
        else 0
    )
    funds_virtual = Enterprise.objects.filter(
        leases__isnull=True, description__contains="投资基金产业园虚拟入驻"
    ).count()
    soon = today + datetime.timedelta(days=90)
    return {
        **table_counts(),
        "government_owned_units": units.filter(government_owned=True).count(),
        "credit_code_exceptions": Enterprise.objects.filter(credit_code_exception=True).count(),
        "high_tech": Enterprise.objects.filter(
            qualifications__kind="high_tech",
            qualifications__issued_on__lte=today,
            qualifications__valid_until__gte=today,
        )
        .distinct()
        .count(),
        "qualifications": Qualification.objects.count(),
        "contacts": Contact.objects.count(),
        "expiring_90_days": Lease.objects.filter(
            status__in=RUNNING_STATUSES, start_date__lte=today, end_date__gte=today, end_date__lte=soon
        ).count(),
        "long_vacant_6m": units.filter(status="vacant", vacant_since__lte=months_before(today, 6)).count(),
        "long_vacant_12m": units.filter(status="vacant", vacant_since__lte=months_before(today, 12)).count(),
        "hetao_research_area": hetao or Decimal("0"),
        "cultural_parks": cultural.count(),
        "cultural_gfa": cultural_gfa or Decimal("0"),
        "fashion_centre_area": fashion or Decimal("0"),
        "funds_present": funds_present,
        "funds_virtual": funds_virtual,
        "users": list(
            User.objects.filter(username__in=D.DEMO_USERNAMES).order_by("username").values_list("username", "role")
        ),
        "zones_with_geometry": Zone.objects.filter(geometry__isnull=False).count(),
    }
