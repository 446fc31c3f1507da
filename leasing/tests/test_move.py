"""Moving a tenant to other units of its park (换房): the old lease ends the day before the move date, a new lease
of the new units runs from the move date to the old end date, and every unit's status follows."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import DomainEvent, ObjectChange
from leasing import services
from leasing.choices import FollowUpStatus, LeaseStatus
from leasing.models import Lease
from spaces.choices import UnitStatus
from spaces.models import Building, Floor, Unit
from yuanqu.testing import bearer

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def move(world, units, moved_on, user_key="operator", **more):
    return services.lease_move(user=world.users[user_key], instance=world.lease_a, units=units, moved_on=moved_on,
                               **more)


def statuses(*units):
    return [(u.code, *Unit.objects.filter(pk=u.pk).values_list("status", "vacant_since").get()) for u in units]


@pytest.mark.parametrize("offset", [-10, 0, 10], ids=["past", "today", "future"])
def test_the_old_lease_ends_the_day_before_the_move_and_the_new_one_runs_to_the_old_end(world, offset):
    moved_on = TODAY + offset * DAY
    old_end = world.lease_a.end_date
    new = move(world, [world.unit_a2], moved_on)
    world.lease_a.refresh_from_db()
    assert world.lease_a.status == LeaseStatus.TERMINATED and world.lease_a.termination_reason == "换房"
    assert world.lease_a.terminated_on == world.lease_a.end_date == moved_on - DAY
    assert (new.start_date, new.end_date) == (moved_on, old_end)
    assert list(new.units.all()) == [world.unit_a2] and new.predecessor == world.lease_a
    assert new.monthly_rent == Decimal("140.00") and new.contract_number == "HT-A-001"  # kept when not given
    assert new.leased_area == Decimal("200.00")


def test_unit_statuses_after_a_move_in_the_past(world):
    move(world, [world.unit_a2], TODAY - 10 * DAY)
    assert statuses(world.unit_a1, world.unit_a2) == [("1201", UnitStatus.VACANT, TODAY - 10 * DAY),
                                                      ("1202", UnitStatus.LEASED, None)]


def test_unit_statuses_after_a_move_today(world):
    move(world, [world.unit_a2], TODAY)
    assert statuses(world.unit_a1, world.unit_a2) == [("1201", UnitStatus.VACANT, TODAY),
                                                      ("1202", UnitStatus.LEASED, None)]


def test_unit_statuses_before_and_after_a_move_in_the_future(world):
    move(world, [world.unit_a2], TODAY + 10 * DAY)
    assert statuses(world.unit_a1, world.unit_a2) == [("1201", UnitStatus.LEASED, None),
                                                      ("1202", UnitStatus.RESERVED, None)]
    services.lease_expire_due(today=TODAY + 10 * DAY)  # the daily run on the move date
    assert statuses(world.unit_a1, world.unit_a2) == [("1201", UnitStatus.VACANT, TODAY + 10 * DAY),
                                                      ("1202", UnitStatus.LEASED, None)]


def test_a_unit_kept_across_the_move_stays_leased(world):
    new = move(world, [world.unit_a1, world.unit_a2], TODAY - 5 * DAY, monthly_rent=Decimal("150.00"))
    assert new.leased_area == Decimal("800.00") and new.monthly_rent == Decimal("150.00")
    assert statuses(world.unit_a1, world.unit_a2) == [("1201", UnitStatus.LEASED, None),
                                                      ("1202", UnitStatus.LEASED, None)]


def test_a_move_is_audited_and_its_event_names_the_new_lease(world):
    new = move(world, [world.unit_a2], TODAY, contract_number="HT-A-001-B")
    change = ObjectChange.objects.filter(content_type__model="lease", object_id=world.lease_a.pk).latest("pk")
    assert change.data_before["status"] == "active" and change.data_after["status"] == "terminated"
    assert change.data_after["end_date"] == (TODAY - DAY).isoformat()
    assert ObjectChange.objects.get(content_type__model="lease", object_id=new.pk).data_after["units"] == [world.unit_a2.pk]
    event = DomainEvent.objects.get(name="leasing.lease.move")
    assert event.object_id == str(world.lease_a.pk)
    assert event.data == {"units": [world.unit_a2.pk], "moved_on": TODAY.isoformat(),
                          "contract_number": "HT-A-001-B", "new_lease": new.pk}
    assert not DomainEvent.objects.filter(name="leasing.lease.terminate").exists()  # one step, one event


def test_the_renewal_talks_go_on_for_the_new_lease(world):
    services.lease_follow_up(user=world.users["operator"], instance=world.lease_a, status=FollowUpStatus.TALKING,
                             note="谈续约", next_contact_on=TODAY + 3 * DAY)
    new = move(world, [world.unit_a2], TODAY)
    assert (new.follow_up, new.next_contact_on) == (FollowUpStatus.TALKING, TODAY + 3 * DAY)
    assert new.follow_ups.get().note == "谈续约"


def test_units_in_another_park_are_refused_naming_the_park(world):
    with pytest.raises(ValidationError) as error:
        move(world, [world.unit_b1], TODAY, user_key="officer")
    assert error.value.message_dict["units"] == [
        f"单元 时尚大厦 301 不在本租约所在的园区（{world.park_a.name}）：换房只能在同一园区内进行（到其他园区租用请另行录入新租约）。"]
    world.lease_a.refresh_from_db()
    assert world.lease_a.status == LeaseStatus.ACTIVE and Lease.objects.count() == 2


def test_an_unavailable_unit_is_refused_and_nothing_is_half_saved(world):
    unavailable = Unit.objects.get(code="1101")
    with pytest.raises(ValidationError) as error:
        move(world, [unavailable], TODAY)
    assert "1101" in str(error.value) and "不可租" in str(error.value)
    world.lease_a.refresh_from_db()
    assert world.lease_a.status == LeaseStatus.ACTIVE and world.lease_a.end_date == TODAY + 45 * DAY
    assert statuses(world.unit_a1) == [("1201", UnitStatus.LEASED, None)]
    assert not DomainEvent.objects.filter(name="leasing.lease.move").exists()


def test_a_unit_leased_to_another_tenant_is_refused(world):
    services.lease_create(user=world.users["officer"], data={
        "enterprise": world.tenant_b, "units": [world.unit_a2], "start_date": TODAY + 20 * DAY,
        "end_date": TODAY + 400 * DAY, "monthly_rent": Decimal("100"), "contract_number": "HT-X"})
    with pytest.raises(ValidationError) as error:
        move(world, [world.unit_a2], TODAY)
    assert "1202" in str(error.value) and world.tenant_b.name in str(error.value)


@pytest.mark.parametrize(("offset_from", "days", "words"), [
    ("start", 0, "换房日期须晚于本租约的起租日期"),
    ("end", 1, "换房日期不能晚于本租约的到期日期"),
])
def test_a_move_date_outside_the_term_is_refused(world, offset_from, days, words):
    base = world.lease_a.start_date if offset_from == "start" else world.lease_a.end_date
    with pytest.raises(ValidationError) as error:
        move(world, [world.unit_a2], base + days * DAY)
    assert words in " ".join(error.value.message_dict["moved_on"])


def test_moving_to_the_same_units_is_refused(world):
    with pytest.raises(ValidationError) as error:
        move(world, [world.unit_a1], TODAY)
    assert error.value.message_dict["units"] == ["所选单元就是本租约现在的单元，请选择要换入的单元。"]


def test_the_move_page_offers_the_buildings_of_the_lease_park_only(world, client_for):
    Building.objects.create(park=world.park_a, code="a-2", name="科技楼B座", floors_above=5)
    client = client_for(world.users["officer"])
    url = reverse("leasing:lease_move", args=[world.lease_a.pk])
    response = client.get(url)
    buildings = [b.name for b in response.context["form"].fields["building"].queryset]
    assert buildings == ["科技楼A座", "科技楼B座"]  # not 时尚大厦 of the other park, which the officer also sees
    page = response.content.decode()
    assert 'data-depends-on="building"' in page and "换房日期" in page


def test_the_move_page_refuses_another_park_beside_the_units_field(world, client_for):
    client = client_for(world.users["officer"])
    url = reverse("leasing:lease_move", args=[world.lease_a.pk])
    response = client.post(url, {"units": [world.unit_b1.pk], "moved_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "新单元：单元 时尚大厦 301 不在本租约所在的园区" in response.content.decode()


def test_the_move_page_takes_units_of_the_chosen_building(world, client_for):
    floor = Floor.objects.create(building=world.building_a, number=13)
    unit = Unit.objects.create(building=world.building_a, floor=floor, code="1301", area=Decimal("150"))
    client = client_for(world.users["operator"])
    response = client.post(reverse("leasing:lease_move", args=[world.lease_a.pk]), {
        "building": world.building_a.pk, "units": [unit.pk], "moved_on": (TODAY + 5 * DAY).isoformat(),
        "monthly_rent": ""})
    new = Lease.objects.get(predecessor=world.lease_a)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert statuses(unit) == [("1301", UnitStatus.RESERVED, None)]


def test_api_move_refuses_by_role_scope_and_park(world, client):
    url = f"/api/leasing/leases/{world.lease_a.pk}/move"
    body = {"units": [world.unit_a2.pk], "moved_on": TODAY.isoformat()}

    def post(key, data=body):
        return client.post(url, json.dumps(data), content_type="application/json", **bearer(world.users[key]))

    assert post("operator_b").status_code == 404
    assert post("leader").status_code == 403 and post("enterprise").status_code == 403
    response = post("officer", {**body, "units": [world.unit_b1.pk]})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "units" and "不在本租约所在的园区" in error["message"]
    response = post("operator")
    assert response.status_code == 200 and response.json()["units"] == [world.unit_a2.pk]
    assert post("operator").status_code == 409  # the old lease is terminated now
