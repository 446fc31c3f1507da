"""The demo district: figures, invariants, scoping and determinism.

Database tests load the small scale (about a tenth of the full district); the full-scale figures are
checked on the in-memory builder, which needs no database and takes a fraction of a second.
"""

import datetime
import io
from collections import defaultdict
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from shapely.geometry import Point, shape

from core.models import ObjectChange, User
from core.reference.validators import check_credit_code
from demo import district as D
from demo.plan import DistrictPlan as DistrictBuilder
from enterprises.models import Contact, Enterprise, Qualification
from leasing.models import Lease
from spaces.models import Building, Operator, Park, Unit, Zone
from spaces.selectors import occupancy_of

TODAY = datetime.date(2025, 6, 30)


def load(*args):
    out = io.StringIO()
    call_command("load_demo", "--scale", "small", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district(db):
    return load("--seed", "7")


def snapshot():
    """What must be identical between two loads with the same seed, in id order."""
    return {
        "zones": list(Zone.objects.order_by("pk").values_list("code", "name", "geometry")),
        "operators": list(Operator.objects.order_by("pk").values_list("name", "credit_code")),
        "parks": list(Park.objects.order_by("pk").values_list("code", "name", "latitude", "longitude")),
        "buildings": list(Building.objects.order_by("pk").values_list("code", "name", "gross_floor_area")),
        "units": list(
            Unit.objects.order_by("pk").values_list(
                "building__code", "code", "area", "asking_rent", "status", "vacant_since", "government_owned"
            )
        ),
        "enterprises": list(Enterprise.objects.order_by("pk").values_list("name", "credit_code", "established_on")),
        "qualifications": list(
            Qualification.objects.order_by("pk").values_list("enterprise__name", "certificate_number")
        ),
        "contacts": list(Contact.objects.order_by("pk").values_list("enterprise__name", "name", "mobile")),
        "leases": list(
            Lease.objects.order_by("pk").values_list(
                "contract_number", "enterprise__name", "start_date", "end_date", "status", "monthly_rent"
            )
        ),
        "lease_units": list(
            Lease.units.through.objects.order_by("pk").values_list("lease__contract_number", "unit__code")
        ),
    }


# Full scale, in memory ---------------------------------------------------------------------------------


def test_full_scale_reproduces_the_letters_figures():
    b = DistrictBuilder(seed=2021, scale="full", today=TODAY).build()
    units = [u for p in b.parks for bb in p.buildings for u in bb.units]
    assert 5_000 <= len(units) <= 8_000
    assert 120 <= sum(len(p.buildings) for p in b.parks) <= 140
    assert len(b.enterprises) == 2_500
    hetao = sum(
        u.cents
        for p in b.parks
        if p.zone.code == "hetao"
        for bb in p.buildings
        for u in bb.units
        if u.use == "research"
    )
    assert hetao == 370_000 * 100
    cultural = [p for p in b.parks if p.kind == "cultural"]
    assert len(cultural) == 10
    assert sum(bb.gfa_cents for p in cultural for bb in p.buildings) == 450_000 * 100
    leasable = sum(u.cents for u in units if u.status != "unavailable")
    vacant = sum(u.cents for u in units if u.status == "vacant")
    assert 0.10 <= vacant / leasable <= 0.20
    assert all(0.05 <= bb.vacancy_target <= 0.30 for p in b.parks for bb in p.buildings)
    assert all(8_000 <= u.cents <= 150_000 for u in units)
    active = [le for le in b.leases if le.status == "active"]
    expiring = [le for le in active if le.end <= TODAY + datetime.timedelta(days=90)]
    assert 0.03 <= len(expiring) / len(active) <= 0.07
    gov = sum(u.gov for u in units) / len(units)
    assert 0.06 <= gov <= 0.11
    high_tech = sum(
        1 for e in b.enterprises if any(q.kind == "high_tech" for q in b.qualifications if q.enterprise is e)
    )
    assert 0.15 <= high_tech / len(b.enterprises) <= 0.25
    assert sum(e.exception for e in b.enterprises) == 3


def test_builder_is_deterministic():
    def names(seed):
        b = DistrictBuilder(seed=seed, scale="small", today=TODAY).build()
        return [(e.name, e.credit_code) for e in b.enterprises], [(le.contract_number, le.start) for le in b.leases]

    assert names(3) == names(3)
    assert names(3) != names(4)


# Small scale, in the database ------------------------------------------------------------------------


def test_credit_codes_pass_the_check_except_flagged_ones(district):
    flagged = 0
    for code, exception in Enterprise.objects.values_list("credit_code", "credit_code_exception"):
        assert check_credit_code(code).ok is (not exception), code
        flagged += exception
    assert flagged >= 1
    assert all(check_credit_code(code).ok for code in Operator.objects.values_list("credit_code", flat=True))
    named = set(Enterprise.objects.values_list("name", flat=True))
    assert {n[0] for n in D.NAMED_ENTERPRISES} <= named


def test_no_unit_has_overlapping_active_leases(district):
    periods = defaultdict(list)
    for unit_id, start, end in Lease.units.through.objects.filter(lease__status="active").values_list(
        "unit_id", "lease__start_date", "lease__end_date"
    ):
        periods[unit_id].append((start, end))
    assert periods
    for spans in periods.values():
        spans.sort()
        for (_, end), (next_start, _) in zip(spans, spans[1:], strict=False):
            assert end < next_start


def test_vacancy_is_within_bounds(district):
    occupancy = occupancy_of(Unit.objects.all())
    assert Decimal("5") <= occupancy.vacancy_rate <= Decimal("30")
    assert occupancy.counts.get("reserved", 0) > 0


def test_unit_status_follows_leases(district):
    leases = defaultdict(list)
    for lease in Lease.objects.prefetch_related("units"):
        assert lease.leased_area == sum(u.area for u in lease.units.all())
        assert lease.start_date <= lease.end_date
        if lease.status == "active":
            assert lease.end_date >= TODAY
        elif lease.status == "expired":
            assert lease.end_date < TODAY
        else:
            assert lease.terminated_on is not None and lease.terminated_on < TODAY
        for unit in lease.units.all():
            leases[unit.pk].append(lease)
    long_vacant = 0
    for unit in Unit.objects.all():
        mine = leases[unit.pk]
        current = [le for le in mine if le.status == "active" and le.start_date <= TODAY <= le.end_date]
        future = [le for le in mine if le.status == "active" and le.start_date > TODAY]
        if current:
            assert unit.status == "leased"
        elif future:
            assert unit.status == "reserved"
        else:
            assert unit.status in ("vacant", "reserved", "unavailable")
        if unit.status == "vacant":
            assert unit.vacant_since is not None and unit.vacant_since <= TODAY
            ended = [le.terminated_on or le.end_date for le in mine]
            if ended:
                assert unit.vacant_since == max(ended) + datetime.timedelta(days=1)
            long_vacant += (TODAY - unit.vacant_since).days >= 365
        else:
            assert unit.vacant_since is None
    assert long_vacant > 0


def test_demo_users_roles_and_scopes(district):
    roles = dict(User.objects.filter(username__in=D.DEMO_USERNAMES).values_list("username", "role"))
    assert roles == {
        "admin": "bureau_admin",
        "officer": "bureau_officer",
        "leader": "leader",
        "operator": "park_operator",
        "operator2": "park_operator",
        "enterprise": "enterprise",
        "expert": "expert",
    }
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.check_password(D.DEMO_PASSWORD)
    assert User.objects.get(username="officer").department.code == "kcj"

    operator = User.objects.get(username="operator")
    operator2 = User.objects.get(username="operator2")
    own = set(Park.objects.for_user(operator))
    assert len(own) >= 3
    assert own == set(Park.objects.filter(operator__users=operator))
    assert {p.operator.name for p in own} == {dict((k, n) for k, n, _ in D.OPERATORS)[D.OPERATOR_USER_OPERATOR]}
    others = set(Park.objects.for_user(operator2))
    assert others and not own & others
    assert Park.objects.for_user(User.objects.get(username="officer")).count() == Park.objects.count()

    enterprise_user = User.objects.get(username="enterprise")
    assert [e.name for e in Enterprise.objects.for_user(enterprise_user)] == [D.HONOR]
    visible = Lease.objects.for_user(enterprise_user)
    assert visible.filter(status="active", start_date__lte=TODAY, end_date__gte=TODAY).exists()
    assert set(visible.values_list("enterprise__name", flat=True)) == {D.HONOR}


def test_zones_parks_and_buildings_are_placed_inside_their_areas(district):
    areas = Zone.objects.filter(kind="area")
    assert areas.count() == 11
    for zone in areas:
        polygon = shape(zone.geometry)
        assert zone.geometry["type"] == "Polygon" and polygon.is_valid
        assert 113.98 <= polygon.bounds[0] and polygon.bounds[2] <= 114.11
    for park in Park.objects.select_related("zone"):
        assert shape(park.zone.geometry).contains(Point(float(park.longitude), float(park.latitude))), park.code
    hetao = Unit.objects.filter(building__park__zone__code="hetao", use="research")
    assert sum(u.area for u in hetao) == Decimal("37000.00")


def test_same_seed_gives_the_same_data_and_a_second_load_changes_nothing(district):
    first = snapshot()
    out = load("--seed", "7")
    assert "nothing changed" in out
    assert snapshot() == first
    load("--seed", "7", "--flush")
    assert snapshot() == first
    load("--seed", "8", "--flush")
    assert snapshot()["enterprises"] != first["enterprises"]


def test_flush_keeps_a_demo_user_that_audit_records_point_at(district):
    admin = User.objects.get(username="admin")
    ObjectChange.objects.create(
        user=admin,
        user_name="admin",
        action="update",
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(admin.pk),
        object_repr="admin",
    )
    out = load("--seed", "7", "--flush")
    assert "admin" in out.split("Kept and reset")[1]
    kept = User.objects.get(username="admin")
    assert kept.pk == admin.pk and kept.role == "bureau_admin"
    assert User.objects.filter(username__in=D.DEMO_USERNAMES).count() == len(D.USERS) == 7


@pytest.mark.django_db
def test_without_flush_an_existing_user_of_a_demo_name_is_left_alone():
    User.objects.create_user(username="admin", password="someone-elses-secret", role="leader")
    out = load("--seed", "7")
    assert "left unchanged" in out
    admin = User.objects.get(username="admin")
    assert admin.role == "leader" and not admin.is_superuser and admin.check_password("someone-elses-secret")
    assert Park.objects.exists()
