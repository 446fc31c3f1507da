"""A bulk edit puts each record's current values back with the new ones: it locks the selected rows before it
reads them, so a change another person saves meanwhile is never overwritten by the value read before it
(PostgreSQL: real threads, real transactions)."""

import threading
import time
from decimal import Decimal

import pytest

from core.surfaces import bulk, surface_for
from leasing.models import Lease
from spaces.choices import UnitUse
from spaces.models import Unit
from spaces.services import unit_update
from yuanqu.racing import postgres_only, race

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def slow_reads(monkeypatch, read):
    """The bulk edit lingers after reading each record's values, so the other writer arrives in between
    (or waits, when the row is locked)."""
    original = bulk.current_form_data

    def lingering(form):
        data = original(form)
        read.set()
        time.sleep(0.3)
        return data

    monkeypatch.setattr(bulk, "current_form_data", lingering)


def test_a_change_saved_during_a_bulk_edit_is_kept(world, monkeypatch):
    officer, operator = world.users["officer"], world.users["operator"]
    read = threading.Event()
    slow_reads(monkeypatch, read)

    def bulk_rent(_number):
        return bulk.objects_bulk_update(user=officer, surface=surface_for(Unit), selection=[world.unit_a2.pk],
                                        values={"asking_rent": "123.00"})

    def change_use(_number):
        read.wait(10)  # the bulk edit has read the unit's values (use: office)
        return unit_update(user=operator, instance=Unit.objects.get(pk=world.unit_a2.pk),
                           data={"use": UnitUse.RESEARCH})

    outcomes = race([bulk_rent, change_use])
    assert not any(isinstance(o, Exception) for o in outcomes[0]), outcomes
    world.unit_a2.refresh_from_db()
    assert (world.unit_a2.asking_rent, world.unit_a2.use) == (Decimal("123.00"), UnitUse.RESEARCH)


def test_a_lease_rent_changed_during_a_bulk_end_date_is_kept(world, monkeypatch):
    """Leases are locked as their writers lock them: their units first, then the leases."""
    from leasing.services import lease_update

    officer = world.users["officer"]
    read = threading.Event()
    slow_reads(monkeypatch, read)
    new_end = world.lease_a.end_date.replace(year=world.lease_a.end_date.year + 1)

    def bulk_end(_number):
        return bulk.objects_bulk_update(user=officer, surface=surface_for(Lease), selection=[world.lease_a.pk],
                                        values={"end_date": new_end.isoformat()})

    def change_rent(_number):
        read.wait(10)
        lease = Lease.objects.get(pk=world.lease_a.pk)
        return lease_update(user=officer, instance=lease, data={"monthly_rent": Decimal("199.00")})

    outcomes = race([bulk_end, change_rent])
    assert not any(isinstance(o, Exception) for o in outcomes[0]), outcomes
    world.lease_a.refresh_from_db()
    assert (world.lease_a.end_date, world.lease_a.monthly_rent) == (new_end, Decimal("199.00"))
