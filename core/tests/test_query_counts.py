"""Pages make the same number of queries whatever the number of rows: no N+1 can creep in."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enterprises.models import Enterprise
from leasing.models import Lease
from spaces.models import Floor, Unit

PAGES = ["/spaces/units/", "/spaces/buildings/", "/spaces/parks/", "/spaces/floors/", "/enterprises/enterprises/",
         "/leasing/leases/", "/leasing/expiring/", "/spaces/vacancy/", "/", "/api/spaces/units",
         "/api/leasing/leases"]
# Upper bounds: session, user, the page's own queries. Raise one only with a reason.
BUDGET = {"/": 16, "/spaces/vacancy/": 12, "/leasing/expiring/": 10}


def grow(world, n):
    """Add ``n`` units on a new floor of building A, each with its own tenant and current lease."""
    today = datetime.date.today()
    floor = Floor.objects.create(building=world.building_a, number=20 + n)
    for i in range(n):
        unit = Unit.objects.create(building=world.building_a, floor=floor, code=f"{n}-{i}", area=Decimal("100"),
                                   status="leased")
        tenant = Enterprise.objects.create(name=f"租户{n}-{i}", credit_code=f"X{n:03d}{i:014d}",
                                           credit_code_exception=True)
        lease = Lease.objects.create(enterprise=tenant, start_date=today, end_date=today + datetime.timedelta(days=30),
                                     monthly_rent=Decimal("100"), leased_area=Decimal("100"))
        lease.units.add(unit)


def count(client, path):
    client.get(path)  # warm the content-type cache
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
    assert large <= BUDGET.get(path, 10), f"{path}: {large} queries"


def test_building_page_query_count_is_flat(world, client_for):
    client = client_for(world.users["operator"])
    url = world.building_a.get_absolute_url()
    grow(world, 2)
    small = count(client, url)
    grow(world, 12)
    assert count(client, url) == small
