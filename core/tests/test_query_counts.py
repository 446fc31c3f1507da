"""Pages make the same number of queries whatever the number of rows: no N+1 can creep in."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Enterprise
from leasing.models import Lease
from spaces.models import Floor, Unit

# Each page's exact query count for a park operator (session, user, scope, count, rows, filter choices …),
# filtered, sorted and paginated as people use them. Change a number only with a reason.
PINNED = {
    "/spaces/units/": 6,
    "/spaces/units/?status=vacant&sort=-area&page=1": 6,
    "/spaces/buildings/": 7,
    "/spaces/buildings/?q=科技&sort=-gross_floor_area": 7,
    "/spaces/parks/": 6,
    "/spaces/floors/": 5,
    "/enterprises/enterprises/": 4,
    "/enterprises/enterprises/?q=租户&sort=name&page=2&per_page=25": 4,
    "/leasing/leases/": 8,
    "/leasing/leases/?status=active&sort=-start_date": 8,
    "/leasing/expiring/": 5,
    "/spaces/vacancy/": 5,
    "/": 14,
    "/api/spaces/units": 4,
    "/api/leasing/leases": 6,
    "/imports/": 3,
}
PAGES = list(PINNED)


def grow(world, n):
    """Add ``n`` units on a new floor of building A, each with its own tenant and current lease."""
    today = datetime.date.today()
    floor = Floor.objects.create(building=world.building_a, number=20 + n)
    for i in range(n):
        unit = Unit.objects.create(building=world.building_a, floor=floor, code=f"{n}-{i}", area=Decimal("100"),
                                   status="leased")
        tenant = Enterprise.objects.create(name=f"租户{n}-{i}", credit_code=f"X{n:03d}{i:014d}",
                                           credit_code_exception=True)
        lease = Lease.objects.create(enterprise=tenant, park=world.park_a, start_date=today, end_date=today + datetime.timedelta(days=30),
                                     monthly_rent=Decimal("100"), leased_area=Decimal("100"))
        lease.units.add(unit)


def count(client, path):
    client.get(path)  # warm the content-type cache
    caches["counts"].clear()  # pin the page as it is when its count is not cached (core/counting.py)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("path", PAGES)
def test_query_count_does_not_grow_with_rows(world, client_for, path):
    client = client_for(world.users["operator"])
    grow(world, 2)
    small = count(client, path)
    grow(world, 12)
    large = count(client, path)
    assert large == small, f"{path}: {small} queries with few rows, {large} with more"
    assert large == PINNED[path], f"{path}: {large} queries, pinned at {PINNED[path]}"


def test_building_page_query_count_is_flat(world, client_for):
    client = client_for(world.users["operator"])
    url = world.building_a.get_absolute_url()
    grow(world, 2)
    small = count(client, url)
    grow(world, 12)
    assert count(client, url) == small == 13
