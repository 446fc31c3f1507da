"""Cached list counts are never older than the last write."""

import io
from decimal import Decimal

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from core import counting
from core.importing import jobs
from core.models import ApiToken
from core.surfaces import surface_for
from spaces.models import Unit
from yuanqu.testing import PASSWORD


def header_count(client):
    return client.get("/spaces/units/").context["page"].paginator.count


def test_a_list_counts_once_until_the_data_change(world, client_for):
    client = client_for(world.users["officer"])
    assert header_count(client) == Unit.objects.count()
    expected = Unit.objects.count()
    with CaptureQueriesContext(connection) as queries:
        assert header_count(client) == expected
    assert not any("COUNT(*)" in q["sql"] and "spaces_unit" in q["sql"] for q in queries.captured_queries)

    surface_for(Unit).create(user=world.users["officer"], model=Unit, data={
        "building": world.building_a, "floor": world.floor_a, "code": "1299", "area": Decimal("50"),
        "use": "office", "status": "vacant"})
    assert header_count(client) == Unit.objects.count()


def test_a_bulk_import_moves_the_version_on(world, client_for):
    client = client_for(world.users["officer"])
    before = header_count(client)
    workbook = Workbook()
    workbook.active.append(["楼宇编码", "楼层", "房号", "面积"])
    workbook.active.append(["a-1", "12", "1298", "80"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = jobs.batch_create(user=world.users["officer"], surface=surface_for(Unit), filename="u.xlsx",
                              content=buffer.getvalue())
    jobs.batch_commit(batch)
    assert header_count(client) == before + 1


def test_scoped_counts_are_cached_per_scope(world, client_for):
    officer = header_count(client_for(world.users["officer"]))
    operator = client_for(world.users["operator"]).get("/spaces/units/").context["page"].paginator.count
    assert operator == Unit.objects.for_user(world.users["operator"]).count() < officer


def test_only_writes_to_the_data_invalidate(world):
    version = counting.data_version()
    SessionStore().create()  # every request may save its session
    ApiToken.objects.create(user=world.users["officer"], prefix="x", digest="d" * 64)
    assert counting.data_version() == version
    world.users["officer"].save()  # a user's role decides their scope
    assert counting.data_version() != version


def test_a_login_keeps_the_counts(world, client):
    version = counting.data_version()
    assert client.login(username="t_officer", password=PASSWORD)
    assert counting.data_version() == version
