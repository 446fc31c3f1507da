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
# filtered, sorted and paginated as people use them. Change a number only with a reason. An operator's
# park ids and operator ids are read once per request (core.runtime.context.memo) and named in the scope's query;
# the enterprise list also counts the operator's leases (cached like any count) to choose its query. Every page
# (not the API) counts the user's unread reminders for the bell in the top bar: one query, from a partial index.
PINNED = {
    "/spaces/units/": 8,
    "/spaces/units/?status=vacant&sort=-area&page=1": 8,
    "/spaces/buildings/": 9,
    "/spaces/buildings/?q=科技&sort=-gross_floor_area": 9,
    "/spaces/parks/": 8,
    "/spaces/floors/": 7,
    "/enterprises/enterprises/": 8,
    "/enterprises/enterprises/?q=租户&sort=name&page=2&per_page=25": 8,
    "/leasing/leases/": 11,
    "/leasing/leases/?status=active&sort=-start_date": 11,
    # + the park and operator filters' choices (3) and a page of rows with its own count; the expiry cards'
    # counts and areas are one aggregate, which also counts the page.
    "/leasing/expiring/": 12,
    "/spaces/vacancy/": 11,
    # + the certifications in force by category and level, the certified parks, their buildings' floor area (3;
    # 2 when no park subject is certified, as here)
    "/": 20,
    "/api/spaces/units": 5,
    "/api/leasing/leases": 7,
    "/imports/": 4,
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
    caches["counts"].clear()  # pin the page as it is when its count is not cached (core/surfaces/counting.py)
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
    assert count(client, url) == small == 16  # 14 + the bell + the certifications panel (certification.panels)
