"""A bulk operation's ``filter`` names the list's own filters: a name the list does not know (a typo, a field
that is no filter) is refused, never read as "no filter", which would select every record in scope."""

import json

import pytest

from leasing.models import Lease
from yuanqu.testing import bearer

pytestmark = pytest.mark.django_db


def _post(client, url, body, user):
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(user))


@pytest.mark.parametrize("verb", ["bulk-delete", "bulk-update"])
def test_an_unknown_filter_name_selects_nothing_and_is_named(world, client, verb):
    body = {"filter": {"prak": world.park_a.pk}}
    if verb == "bulk-update":
        body["data"] = {"monthly_rent": "1.00"}
    response = _post(client, f"/api/leasing/leases/{verb}", body, world.users["operator"])
    assert response.status_code == 400
    [row] = response.json()["errors"]
    assert row["field"] == "prak" and row["message"] == "prak：租约列表没有这个筛选条件，未作任何修改。"
    world.lease_a.refresh_from_db()
    assert Lease.objects.filter(pk=world.lease_a.pk, monthly_rent="140.00").exists()


def test_the_lists_own_filters_and_its_search_and_sort_still_select(world, client):
    response = _post(client, "/api/leasing/leases/bulk-update", {
        "filter": {"park": world.park_a.pk, "sort": "-end_date"}, "data": {"monthly_rent": "150.00"},
        "dry_run": True}, world.users["operator"])
    assert response.status_code == 200 and response.json()["count"] == 1
