"""Renewal (续约): the next lease of the same enterprise and units starts the day after the old one ends, and the
old one is marked renewed, still holding its units until its end date."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.formats import date_format

from core.actions import Refused
from core.models import DomainEvent, ObjectChange
from leasing import selectors, services
from leasing.choices import FollowUpStatus, LeaseStatus
from leasing.models import Lease
from spaces.choices import UnitStatus
from yuanqu.testing import bearer

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


def renew(world, user_key="officer", lease=None, **terms):
    inputs = {"end_date": (lease or world.lease_a).end_date + 730 * DAY, "monthly_rent": Decimal("155.50"),
              "contract_number": "HT-A-002", **terms}
    return services.lease_renew(user=world.users[user_key], instance=lease or world.lease_a, **inputs)


def test_renewal_starts_the_day_after_the_old_lease_ends_with_the_new_terms(world):
    old_end = world.lease_a.end_date
    new = renew(world)
    world.lease_a.refresh_from_db()
    assert (new.start_date, new.end_date) == (old_end + DAY, old_end + 730 * DAY)
    assert new.monthly_rent == Decimal("155.50") and new.contract_number == "HT-A-002"
    assert new.enterprise == world.tenant_a and list(new.units.all()) == [world.unit_a1]
    assert new.leased_area == Decimal("600.00") and new.park == world.park_a
    assert new.status == LeaseStatus.ACTIVE and new.predecessor == world.lease_a
    assert world.lease_a.status == LeaseStatus.RENEWED and world.lease_a.end_date == old_end  # its term is kept
    assert world.lease_a.successor == new


def test_renewal_is_audited_on_both_leases_and_its_event_names_the_new_lease(world):
    new = renew(world, "operator")
    old_change = ObjectChange.objects.filter(content_type__model="lease", object_id=world.lease_a.pk).latest("pk")
    assert (old_change.data_before["status"], old_change.data_after["status"]) == ("active", "renewed")
    assert old_change.user == world.users["operator"]
    created = ObjectChange.objects.get(content_type__model="lease", object_id=new.pk, action="create")
    assert created.data_after["predecessor"] == world.lease_a.pk
    assert created.data_after["start_date"] == (world.lease_a.end_date + DAY).isoformat()
    event = DomainEvent.objects.get(name="leasing.lease.renew")
    assert event.object_id == str(world.lease_a.pk) and event.user == world.users["operator"]
    assert event.data["new_lease"] == new.pk
    assert event.data["monthly_rent"] == "155.50" and event.data["contract_number"] == "HT-A-002"


def test_renewal_sets_the_follow_up_to_renewed(world):
    new = renew(world)
    world.lease_a.refresh_from_db()
    assert world.lease_a.follow_up == FollowUpStatus.RENEWED and world.lease_a.next_contact_on is None
    (entry,) = world.lease_a.follow_ups.all()
    assert entry.status == FollowUpStatus.RENEWED and entry.user_name == "t_officer"
    assert entry.note == f"已续约：新租约 HT-A-002，{date_format(new.start_date)} 至 {date_format(new.end_date)}。"
    assert new.follow_up == FollowUpStatus.PENDING and not new.follow_ups.exists()


def test_a_renewed_lease_holds_its_unit_until_its_end_date(world):
    renew(world)
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.status == UnitStatus.LEASED
    assert world.lease_a in selectors.current_leases(TODAY)
    assert selectors.unit_tenants([world.unit_a1.pk]) == {world.unit_a1.pk: (world.tenant_a.pk, world.tenant_a.name)}
    with pytest.raises(ValidationError) as error:  # nobody else may lease the unit in the old term's last days
        services.lease_create(user=world.users["officer"], data={
            "enterprise": world.tenant_b, "units": [world.unit_a1], "start_date": TODAY + 40 * DAY,
            "end_date": TODAY + 44 * DAY, "monthly_rent": Decimal("100"), "contract_number": "X"})
    assert "与本租期重叠" in " ".join(error.value.message_dict["units"])


def test_the_daily_run_leaves_a_renewed_lease_renewed_and_its_unit_leased(world):
    renew(world)
    end = world.lease_a.end_date
    assert services.lease_expire_due(today=end + DAY) == 0
    world.lease_a.refresh_from_db()
    world.unit_a1.refresh_from_db()
    assert world.lease_a.status == LeaseStatus.RENEWED
    assert world.unit_a1.status == UnitStatus.LEASED and world.unit_a1.vacant_since is None


def test_an_expired_lease_is_renewed_late_and_its_unit_is_leased_again(world):
    Lease.objects.filter(pk=world.lease_a.pk).update(end_date=TODAY - 10 * DAY)
    services.lease_expire_due(today=TODAY)
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.status == UnitStatus.VACANT and world.unit_a1.vacant_since == TODAY - 9 * DAY
    world.lease_a.refresh_from_db()
    new = renew(world, end_date=TODAY + 365 * DAY)
    world.lease_a.refresh_from_db()
    world.unit_a1.refresh_from_db()
    assert new.start_date == TODAY - 9 * DAY and world.lease_a.status == LeaseStatus.RENEWED
    assert world.unit_a1.status == UnitStatus.LEASED and world.unit_a1.vacant_since is None


def test_a_late_renewal_is_refused_when_the_unit_was_leased_meanwhile(world):
    Lease.objects.filter(pk=world.lease_a.pk).update(end_date=TODAY - 10 * DAY)
    services.lease_expire_due(today=TODAY)
    services.lease_create(user=world.users["officer"], data={
        "enterprise": world.tenant_b, "units": [world.unit_a1], "start_date": TODAY, "end_date": TODAY + 99 * DAY,
        "monthly_rent": Decimal("100"), "contract_number": "HT-NEW"})
    world.lease_a.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        renew(world, end_date=TODAY + 365 * DAY)
    message = " ".join(error.value.message_dict["units"])
    assert "1201" in message and world.tenant_b.name in message and "重叠" in message
    world.lease_a.refresh_from_db()
    assert world.lease_a.status == LeaseStatus.EXPIRED  # nothing half-saved
    assert not Lease.objects.filter(predecessor=world.lease_a).exists()
    assert not DomainEvent.objects.filter(name="leasing.lease.renew").exists()
    assert not world.lease_a.follow_ups.exists()


@pytest.mark.parametrize("state", [LeaseStatus.RENEWED, LeaseStatus.TERMINATED])
def test_a_renewed_or_terminated_lease_cannot_be_renewed(world, state):
    Lease.objects.filter(pk=world.lease_a.pk).update(status=state, terminated_on=world.lease_a.end_date)
    with pytest.raises(Refused) as refusal:
        renew(world)
    assert "不能续约" in refusal.value.message
    assert Lease.objects.count() == 2


def test_a_lease_is_renewed_once(world):
    renew(world)
    with pytest.raises(Refused, match="已续约"):
        renew(world, contract_number="HT-A-003")
    assert Lease.objects.filter(predecessor=world.lease_a).count() == 1


def test_a_renewal_ending_before_it_starts_is_refused_on_the_end_date(world):
    with pytest.raises(ValidationError) as error:
        renew(world, end_date=world.lease_a.end_date)
    assert error.value.message_dict["end_date"] == ["到期日期不能早于起租日期。"]
    world.lease_a.refresh_from_db()
    assert world.lease_a.status == LeaseStatus.ACTIVE and Lease.objects.count() == 2


def test_leaders_and_enterprises_may_not_renew_and_another_operator_does_not_see_the_lease(world):
    for key in ("leader", "enterprise", "operator_b"):
        with pytest.raises(PermissionDenied):
            renew(world, key)
    assert Lease.objects.count() == 2


def test_api_renewal_answers_the_new_lease_and_refuses_by_role_and_scope(world, client):
    url = f"/api/leasing/leases/{world.lease_a.pk}/renew"
    body = json.dumps({"end_date": (TODAY + 900 * DAY).isoformat(), "monthly_rent": "160", "contract_number": "API-1"})
    assert client.post(url, body, content_type="application/json", **bearer(world.users["operator_b"])).status_code == 404
    assert client.post(url, body, content_type="application/json", **bearer(world.users["leader"])).status_code == 403
    assert client.post(url, body, content_type="application/json", **bearer(world.users["enterprise"])).status_code == 403
    response = client.post(url, body, content_type="application/json", **bearer(world.users["operator"]))
    assert response.status_code == 200
    new = Lease.objects.get(predecessor=world.lease_a)
    assert response.json()["id"] == new.pk and response.json()["start_date"] == (world.lease_a.end_date + DAY).isoformat()
    again = client.post(url, body, content_type="application/json", **bearer(world.users["operator"]))
    assert again.status_code == 409 and "已续约" in again.json()["detail"]


def test_api_renewal_with_a_bad_rent_names_the_field_in_chinese(world, client):
    response = client.post(f"/api/leasing/leases/{world.lease_a.pk}/renew",
                           json.dumps({"end_date": (TODAY + 900 * DAY).isoformat(), "monthly_rent": "-5"}),
                           content_type="application/json", **bearer(world.users["officer"]))
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "monthly_rent" and "0" in error["message"]
    assert Lease.objects.count() == 2


def test_the_renewal_page_shows_the_start_it_will_take_and_lands_on_the_new_lease(world, client_for):
    client = client_for(world.users["operator"])
    url = reverse("leasing:lease_renew", args=[world.lease_a.pk])
    page = client.get(url).content.decode()
    start = world.lease_a.end_date + DAY
    assert f"新租约自 {date_format(start)} 起租" in page
    response = client.post(url, {"end_date": (start + 1095 * DAY).isoformat(), "monthly_rent": "150",
                                  "contract_number": "HT-A-002"})
    new = Lease.objects.get(predecessor=world.lease_a)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    page = client.get(new.get_absolute_url()).content.decode()
    assert "上一份租约" in page and world.lease_a.get_absolute_url() in page
    old_page = client.get(world.lease_a.get_absolute_url()).content.decode()
    assert "已续约" in old_page and "下一份租约" in old_page and new.get_absolute_url() in old_page
    assert 'data-action="renew"' not in old_page  # renewed once
    assert client_for(world.users["operator_b"]).get(url).status_code == 404


def test_a_renewed_lease_is_not_changed_but_its_successor_is(world):
    new = renew(world)
    with pytest.raises(ValidationError, match="已续约"):
        services.lease_update(user=world.users["officer"], instance=world.lease_a, data={"monthly_rent": Decimal("1")})
    services.lease_update(user=world.users["officer"], instance=new, data={"monthly_rent": Decimal("158.00")})


def test_deleting_the_renewal_puts_the_old_lease_back_in_force(world):
    new = renew(world)
    with pytest.raises(ValidationError, match="无法删除.*租约"):  # a lease another continues is kept
        services.lease_delete(user=world.users["officer"], instance=world.lease_a)
    services.lease_delete(user=world.users["officer"], instance=new)
    world.lease_a.refresh_from_db()
    world.unit_a1.refresh_from_db()
    assert world.lease_a.status == LeaseStatus.ACTIVE and world.unit_a1.status == UnitStatus.LEASED
    assert world.lease_a.follow_up == FollowUpStatus.PENDING
    assert world.lease_a.follow_ups.first().note == "续约产生的新租约已被删除。"
    change = ObjectChange.objects.filter(content_type__model="lease", object_id=world.lease_a.pk).latest("pk")
    assert (change.data_before["status"], change.data_after["status"]) == ("renewed", "active")
    services.lease_terminate(user=world.users["officer"], instance=world.lease_a, terminated_on=TODAY)


def test_a_renewed_lease_offers_no_edit_and_its_edit_page_says_why(world, client_for):
    from core.access.permissions import may

    client = client_for(world.users["officer"])
    page = client.get(world.lease_a.get_absolute_url()).content.decode()
    edit = reverse("leasing:lease_edit", args=[world.lease_a.pk])
    assert f'href="{edit}"' in page and may(world.users["officer"], "change", world.lease_a)
    Lease.objects.filter(pk=world.lease_a.pk).update(status=LeaseStatus.RENEWED)
    world.lease_a.refresh_from_db()
    assert not may(world.users["officer"], "change", world.lease_a)
    assert f'href="{edit}"' not in client.get(world.lease_a.get_absolute_url()).content.decode()
    response = client.get(edit, follow=True)
    assert response.redirect_chain[-1][0] == world.lease_a.get_absolute_url()
    assert "只有生效中的租约可以修改" in response.content.decode()
