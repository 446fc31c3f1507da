"""An action on a lease at the same moment as the lease's deletion, and a bulk edit at the same moment as the
deletion of one of its records (PostgreSQL: real threads, real transactions). One of them wins; the other gets a
Chinese 409 or 400, never a 500, and nothing is half-written."""

import datetime

import pytest

from core.accounts.tokens import token_create
from leasing.choices import LeaseStatus
from leasing.models import Lease
from leasing.tests.test_renewal_races import leases_on_fresh_units
from yuanqu.racing import call_api, postgres_only, race

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)
ROUNDS = 20

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_a_termination_and_a_deletion_of_one_lease_at_once_never_fail_with_500(world, live_server):
    leases = leases_on_fresh_units(world, ROUNDS, "TD")
    units = [lease.units.get() for lease in leases]
    keys = [token_create(user=world.users[name], name="race")[1] for name in ("officer", "operator")]

    def terminate(number):
        return call_api(live_server.url, f"/api/leasing/leases/{leases[number].pk}/terminate", {
            "terminated_on": (TODAY + DAY).isoformat(), "reason": "企业迁出"}, key=keys[0])

    def delete(number):
        return call_api(live_server.url, f"/api/leasing/leases/{leases[number].pk}", {}, key=keys[1],
                        method="DELETE")

    outcomes = race([terminate, delete], rounds=ROUNDS)

    for number, (terminated, deleted) in enumerate(outcomes):
        assert deleted[0] == 204, (number, deleted)  # a terminated lease may still be deleted
        assert terminated[0] in (200, 404, 409), (number, terminated)
        if terminated[0] == 409:
            assert terminated[1]["detail"] == "该记录已被他人删除。", terminated
        assert not Lease.objects.filter(pk=leases[number].pk).exists()
        units[number].refresh_from_db()
        assert units[number].status == "vacant"


def test_a_bulk_edit_and_the_deletion_of_one_of_its_leases_at_once_never_fail_with_500(world, live_server):
    leases = leases_on_fresh_units(world, 2 * ROUNDS, "BD")
    keys = [token_create(user=world.users[name], name="race")[1] for name in ("officer", "operator")]

    def bulk(number):
        pair = leases[2 * number:2 * number + 2]
        return call_api(live_server.url, "/api/leasing/leases/bulk-update", {
            "ids": [lease.pk for lease in pair], "data": {"monthly_rent": "155.00"}}, key=keys[0])

    def delete(number):
        return call_api(live_server.url, f"/api/leasing/leases/{leases[2 * number + 1].pk}", {}, key=keys[1],
                        method="DELETE")

    outcomes = race([bulk, delete], rounds=ROUNDS)

    for number, (edited, deleted) in enumerate(outcomes):
        kept = Lease.objects.get(pk=leases[2 * number].pk)
        assert deleted[0] == 204, (number, deleted)
        assert edited[0] in (200, 400), (number, edited)
        if edited[0] == 200:
            assert str(kept.monthly_rent) == "155.00"
        else:
            assert str(kept.monthly_rent) == "120.00"  # all or nothing
            assert any("删除" in row["message"] for row in edited[1]["errors"]), edited
        assert kept.status == LeaseStatus.ACTIVE
