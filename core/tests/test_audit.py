"""Every create, update and delete is recorded; the record cannot be changed by anyone."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.urls import reverse

from core.models import DomainEvent, ObjectChange
from core.services import object_create, object_delete, object_update
from spaces.models import Floor


def test_create_update_delete_are_recorded_with_user_request_id_and_data(world, client_for):
    client = client_for(world.users["operator"])
    response = client.post(reverse("spaces:floor_add"), {"building": world.building_a.pk, "number": 9, "name": ""},
                           HTTP_X_REQUEST_ID="req-create-9")
    assert response.status_code == 302
    floor = Floor.objects.get(building=world.building_a, number=9)
    created = ObjectChange.objects.get(object_id=str(floor.pk), content_type__model="floor", action="create")
    assert created.user_name == "t_operator" and created.request_id == response["X-Request-ID"] != "req-create-9"
    assert created.data_before is None and created.data_after["number"] == 9

    client.post(reverse("spaces:floor_edit", args=[floor.pk]), {"building": world.building_a.pk, "number": 9,
                                                              "name": "九层"})
    updated = ObjectChange.objects.get(object_id=str(floor.pk), content_type__model="floor", action="update")
    assert updated.diff() == [("name", "", "九层")]

    client.post(reverse("spaces:floor_delete", args=[floor.pk]))
    deleted = ObjectChange.objects.get(object_id=str(floor.pk), content_type__model="floor", action="delete")
    assert deleted.data_after is None and deleted.data_before["name"] == "九层"


def test_change_records_show_on_the_object_page(world, client_for):
    object_update(user=world.users["officer"], instance=world.park_a, data={"address": "福田区福华路1号"})
    page = client_for(world.users["officer"]).get(world.park_a.get_absolute_url()).content.decode()
    assert "变更记录" in page and "福田区福华路1号" in page and "t_officer" in page


def test_saving_without_changes_records_nothing(world):
    object_update(user=world.users["officer"], instance=world.park_a, data={"name": world.park_a.name})
    assert not ObjectChange.objects.filter(object_id=str(world.park_a.pk), content_type__model="park").exists()


def test_audit_rows_cannot_be_changed_or_deleted_by_the_orm(world):
    floor = object_create(user=world.users["officer"], model=Floor, data={"building": world.building_a, "number": 7})
    change = ObjectChange.objects.get(object_id=str(floor.pk), content_type__model="floor")
    change.object_repr = "tampered"
    with pytest.raises(PermissionDenied):
        change.save()
    with pytest.raises(PermissionDenied):
        change.delete()


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_audit_rows_cannot_be_changed_in_the_database(world, operation):
    object_create(user=world.users["officer"], model=Floor, data={"building": world.building_a, "number": 8})
    rows = ObjectChange.objects.all()
    with pytest.raises(DatabaseError), transaction.atomic():
        if operation == "update":
            rows.update(object_repr="tampered")
        else:
            rows._raw_delete(rows.db)
    assert not ObjectChange.objects.filter(object_repr="tampered").exists()


def test_refused_delete_is_explained_and_not_recorded(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        object_delete(user=world.users["officer"], instance=world.building_a)
    assert "科技楼A座" in error.value.messages[0]
    assert not ObjectChange.objects.filter(action="delete").exists()


def test_contact_reveal_is_an_audited_event_and_masked_by_default(world, client_for):
    officer = client_for(world.users["officer"])
    page = officer.get(world.tenant_a.get_absolute_url()).content.decode()
    assert "138****5678" in page and "13812345678" not in page and "张**" in page
    revealed = officer.post(reverse("enterprises:contact_reveal", args=[world.contact_a.pk])).content.decode()
    assert "13812345678" in revealed and "张三丰" in revealed
    event = DomainEvent.objects.get(name="enterprises.contact.reveal")
    assert event.user_name == "t_officer" and event.object_id == str(world.contact_a.pk)


def test_operator_may_not_reveal_personal_data(world, client_for):
    operator = client_for(world.users["operator"])
    page = operator.get(world.tenant_a.get_absolute_url()).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    response = operator.post(reverse("enterprises:contact_reveal", args=[world.contact_a.pk]))
    assert response.status_code == 403
    assert not DomainEvent.objects.filter(name="enterprises.contact.reveal").exists()


def test_personal_data_stays_masked_in_change_records_even_for_officers(world, client_for):
    object_update(user=world.users["officer"], instance=world.contact_a, data={"mobile": "13900001111"})
    page = client_for(world.users["officer"]).get(world.contact_a.get_absolute_url()).content.decode()
    assert "139****1111" in page and "13900001111" not in page and "13812345678" not in page


def test_change_records_show_names_and_labels_not_ids_and_codes(world, client_for):
    from leasing import services as lease_services

    lease_services.lease_terminate(user=world.users["officer"], instance=world.lease_a,
                                   terminated_on=world.lease_a.start_date)
    page = client_for(world.users["officer"]).get(world.lease_a.get_absolute_url()).content.decode()
    assert "已解约" in page and "生效中" in page  # the status labels, not "terminated"/"active"


def test_domain_events_show_on_the_objects_page_with_their_names(world, client_for):
    officer = client_for(world.users["officer"])
    officer.post(reverse("enterprises:contact_reveal", args=[world.contact_a.pk]))
    page = officer.get(world.contact_a.get_absolute_url()).content.decode()
    assert "业务事件" in page and "查看个人信息" in page
