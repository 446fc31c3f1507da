"""Bulk edit and bulk delete services (core/surfaces/bulk.py): each record through its surface's own service, all or
nothing, within the user's scope and role, capped by YUANQU_BULK_MAX."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError

from core.models import DomainEvent, ObjectChange
from core.surfaces import bulk, surface_for
from enterprises.models import Contact, Enterprise, IndustryCategory
from leasing import services as lease_services
from leasing.models import Lease
from spaces.choices import UnitStatus, UnitUse
from spaces.models import Building, Unit, Zone

TODAY = datetime.date.today()
UNITS = surface_for(Unit)
LEASES = surface_for(Lease)


def unit_1101(world):
    return Unit.objects.get(building=world.building_a, code="1101")


def changes_of(instance):
    return ObjectChange.objects.filter(object_id=str(instance.pk), content_type__model=instance._meta.model_name)


# ----- bulk edit --------------------------------------------------------------------------------------------------
def test_asking_rent_and_use_set_on_every_selected_unit_each_through_the_unit_service(world):
    operator = world.users["operator"]
    u1101 = unit_1101(world)
    result = bulk.objects_bulk_update(user=operator, surface=UNITS, selection=[world.unit_a2.pk, u1101.pk],
                                      values={"asking_rent": "99.50", "use": UnitUse.RESEARCH})
    assert (result.count, result.changed) == (2, 2)
    for unit in (world.unit_a2, u1101):
        unit.refresh_from_db()
        assert unit.asking_rent == Decimal("99.50") and unit.use == UnitUse.RESEARCH
    # Untouched fields keep each unit's own value.
    assert world.unit_a2.status == UnitStatus.VACANT and u1101.status == UnitStatus.UNAVAILABLE
    assert world.unit_a2.area == Decimal("200.00")
    # Every change is recorded, under one request id, and the operation as a whole is an event.
    records = ObjectChange.objects.filter(request_id=result.request_id, action="update")
    assert sorted(int(r.object_id) for r in records) == sorted([world.unit_a2.pk, u1101.pk])
    assert all(r.user_name == "t_operator" for r in records)
    assert records.get(object_id=str(u1101.pk)).data_after["asking_rent"] == "99.50"
    event = DomainEvent.objects.get(name="core.bulk.update", request_id=result.request_id)
    assert event.data["count"] == 2 and event.data["ids"] == sorted([world.unit_a2.pk, u1101.pk])


def test_one_leased_unit_refuses_a_status_and_nothing_is_saved(world):
    """A leased unit's status follows its leases (the edit page greys it out): one such unit in the selection
    refuses the whole edit, and the failure names the unit and the field."""
    before = ObjectChange.objects.count()
    with pytest.raises(bulk.BulkFailed) as failed:
        bulk.objects_bulk_update(user=world.users["officer"], surface=UNITS,
                                 selection=[world.unit_a1.pk, world.unit_a2.pk, unit_1101(world).pk],
                                 values={"status": UnitStatus.RESERVED})
    (failure,) = failed.value.failures
    assert failure.name == "科技楼A座 1201"
    assert failure.lines()[0].startswith("状态：")
    assert "单元“科技楼A座 1201”" in failed.value.messages[0]
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == UnitStatus.VACANT
    assert unit_1101(world).status == UnitStatus.UNAVAILABLE
    assert ObjectChange.objects.count() == before
    assert not DomainEvent.objects.filter(name="core.bulk.update").exists()


def test_a_value_the_field_refuses_is_refused_once_naming_the_field(world):
    with pytest.raises(bulk.BulkRefused) as refused:
        bulk.objects_bulk_update(user=world.users["officer"], surface=UNITS, selection=[world.unit_a2.pk],
                                 values={"asking_rent": "一百"})
    assert "挂牌租金" in refused.value.message_dict["asking_rent"][0]


def test_codes_and_fields_the_surface_does_not_offer_cannot_be_set_in_bulk(world):
    for values in ({"code": "X"}, {"area": "100"}, {"building": world.building_b.pk}):
        with pytest.raises(bulk.BulkRefused):
            bulk.objects_bulk_update(user=world.users["admin"], surface=UNITS, selection=[world.unit_a2.pk],
                                     values=values)
    with pytest.raises(bulk.BulkRefused):
        bulk.objects_bulk_update(user=world.users["admin"], surface=UNITS, selection=[world.unit_a2.pk], values={})


def test_every_declared_bulk_field_suits_a_bulk_edit():
    """No surface offers a many-to-many or a unique field (a code, a credit code) in bulk."""
    from django import forms

    from core.surfaces import discover

    for model, surface in discover().items():
        for name in surface.bulk_fields:
            assert bulk.bulk_field_fit(model, name), f"{model.__name__}.{name}"
            form_field = surface.form.base_fields.get(name)
            assert form_field is not None, f"{model.__name__}.{name} is not on its form"
            assert not isinstance(form_field, forms.ModelMultipleChoiceField), f"{model.__name__}.{name}"
    assert not bulk.bulk_field_fit(Unit, "code") and not bulk.bulk_field_fit(Enterprise, "credit_code")
    assert not bulk.bulk_field_fit(Lease, "units")
    assert not bulk.bulk_field_fit(Contact, "mobile") and bulk.bulk_field_fit(Contact, "title")


def test_a_masked_contact_keeps_its_name_and_mobile_when_its_title_is_set(world):
    bulk.objects_bulk_update(user=world.users["officer"], surface=surface_for(Contact),
                             selection=[world.contact_a.pk], values={"title": "总经理"})
    world.contact_a.refresh_from_db()
    assert (world.contact_a.name, world.contact_a.mobile, world.contact_a.title) == ("张三丰", "13812345678", "总经理")


def test_industry_set_on_enterprises_leaves_their_credit_codes(world):
    software = IndustryCategory.objects.get(pk="6513")
    bulk.objects_bulk_update(user=world.users["officer"], surface=surface_for(Enterprise),
                             selection=[world.tenant_a.pk, world.tenant_b.pk], values={"industry": "6513"})
    for tenant, code in ((world.tenant_a, "914403001922038216"), (world.tenant_b, "91350200776049653A")):
        tenant.refresh_from_db()
        assert tenant.industry == software and tenant.credit_code == code


def test_a_bulk_rent_change_goes_through_the_lease_service(world):
    lease_c = lease_services.lease_create(user=world.users["officer"], data={
        "enterprise": world.tenant_a, "units": [world.unit_a2], "start_date": TODAY, "monthly_rent": Decimal("120"),
        "end_date": TODAY + datetime.timedelta(days=365), "contract_number": "HT-A-002"})
    result = bulk.objects_bulk_update(user=world.users["operator"], surface=LEASES,
                                      selection=[world.lease_a.pk, lease_c.pk], values={"monthly_rent": "165.00"})
    assert result.changed == 2
    for lease in (world.lease_a, lease_c):
        lease.refresh_from_db()
        assert lease.monthly_rent == Decimal("165.00")
        assert list(lease.units.all()) and lease.leased_area > 0  # units and area as they were
    assert changes_of(world.lease_a).filter(request_id=result.request_id).count() == 1


def test_a_bulk_end_date_that_makes_one_lease_overlap_another_saves_nothing(world):
    officer = world.users["officer"]
    later = lease_services.lease_create(user=officer, data={
        "enterprise": world.tenant_b, "units": [world.unit_a1], "monthly_rent": Decimal("130"),
        "start_date": TODAY + datetime.timedelta(days=100), "end_date": TODAY + datetime.timedelta(days=400)})
    other = lease_services.lease_create(user=officer, data={
        "enterprise": world.tenant_a, "units": [world.unit_a2], "monthly_rent": Decimal("120"),
        "start_date": TODAY, "end_date": TODAY + datetime.timedelta(days=30)})
    new_end = TODAY + datetime.timedelta(days=200)
    with pytest.raises(bulk.BulkFailed) as failed:
        bulk.objects_bulk_update(user=officer, surface=LEASES, selection=[world.lease_a.pk, other.pk],
                                 values={"end_date": new_end.isoformat()})
    (failure,) = failed.value.failures
    assert failure.pk == world.lease_a.pk
    assert failure.lines()[0].startswith("单元：") and "重叠" in failure.lines()[0] and "深圳晶泰科技有限公司" in failure.lines()[0]
    other.refresh_from_db()
    assert other.end_date == TODAY + datetime.timedelta(days=30)  # the lease that passed was rolled back too
    world.lease_a.refresh_from_db()
    assert world.lease_a.end_date == TODAY + datetime.timedelta(days=45)
    assert later.pk


def test_a_preview_tries_every_record_and_keeps_nothing(world):
    before = ObjectChange.objects.count()
    result = bulk.objects_bulk_update(user=world.users["operator"], surface=UNITS, dry_run=True,
                                      selection=Unit.objects.filter(status=UnitStatus.VACANT),
                                      values={"government_owned": True})
    assert result.dry_run and result.count == 1 and result.changed == 1
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.government_owned is False
    assert ObjectChange.objects.count() == before


# ----- scope -----------------------------------------------------------------------------------------------------
def test_ids_outside_the_scope_refuse_the_whole_request(world):
    with pytest.raises(bulk.BulkRefused) as refused:
        bulk.objects_bulk_update(user=world.users["operator"], surface=UNITS,
                                 selection=[world.unit_a2.pk, world.unit_b1.pk], values={"asking_rent": "1"})
    assert "1 条" in refused.value.messages[0] and "管理范围" in refused.value.messages[0]
    for unit in (world.unit_a2, world.unit_b1):
        unit.refresh_from_db()
        assert unit.asking_rent != Decimal("1")
    with pytest.raises(bulk.BulkRefused):
        bulk.objects_bulk_delete(user=world.users["operator"], surface=UNITS, selection=[world.unit_b1.pk])
    assert Unit.objects.filter(pk=world.unit_b1.pk).exists()


def test_a_whole_filter_is_narrowed_to_the_users_scope(world):
    """A queryset selection (the list's filter) is run within the scope whatever it was built from."""
    result = bulk.objects_bulk_update(user=world.users["operator"], surface=UNITS, selection=Unit.objects.all(),
                                      values={"asking_rent": "77"})
    assert result.count == 3
    assert set(Unit.objects.filter(asking_rent=Decimal("77")).values_list("building", flat=True)) == {world.building_a.pk}
    world.unit_b1.refresh_from_db()
    assert world.unit_b1.asking_rent is None


def test_ids_that_are_not_numbers_are_refused(world):
    for selection in (["abc"], ["1" * 30], []):
        with pytest.raises(bulk.BulkRefused):
            bulk.objects_bulk_delete(user=world.users["admin"], surface=UNITS, selection=selection)


# ----- roles -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("role, model, verb, allowed", [
    ("leader", Unit, "update", False), ("leader", Unit, "delete", False),
    ("enterprise", Lease, "update", False), ("enterprise", Lease, "delete", False),
    ("operator", Unit, "update", True), ("operator", Unit, "delete", True),
    ("operator", Enterprise, "update", True), ("operator", Enterprise, "delete", False),
    ("operator", Zone, "update", False), ("officer", Zone, "update", True),
])
def test_the_service_checks_the_role_itself(world, role, model, verb, allowed):
    user = world.users[role]
    surface = surface_for(model)
    selection = model._default_manager.for_user(user)
    first = surface.bulk_fields[0]
    values = {first: {"use": "office", "monthly_rent": "10", "industry": "6513", "kind": "area"}[first]}
    if verb == "update":
        call = lambda: bulk.objects_bulk_update(user=user, surface=surface, selection=selection,  # noqa: E731
                                                values=values, dry_run=True)
    else:
        call = lambda: bulk.objects_bulk_delete(user=user, surface=surface, selection=selection,  # noqa: E731
                                                dry_run=True)
    if allowed:
        try:
            call()
        except bulk.BulkFailed:
            pass  # the role may; some record refusing is another matter
    else:
        with pytest.raises(PermissionDenied):
            call()


# ----- the limit -------------------------------------------------------------------------------------------------
def test_more_records_than_the_limit_are_refused_with_a_message(world, settings):
    settings.YUANQU_BULK_MAX = 2
    ids = list(Unit.objects.filter(building=world.building_a).values_list("pk", flat=True))
    with pytest.raises(bulk.BulkRefused) as refused:
        bulk.objects_bulk_update(user=world.users["officer"], surface=UNITS, selection=ids, values={"asking_rent": "5"})
    assert "最多" in refused.value.messages[0] and "2" in refused.value.messages[0] and "3" in refused.value.messages[0]
    with pytest.raises(bulk.BulkRefused):
        bulk.objects_bulk_delete(user=world.users["officer"], surface=UNITS, selection=Unit.objects.all())
    assert not Unit.objects.filter(asking_rent=Decimal("5")).exists()
    settings.YUANQU_BULK_MAX = 3
    assert bulk.objects_bulk_update(user=world.users["officer"], surface=UNITS, selection=ids,
                                    values={"asking_rent": "5"}).count == 3


# ----- bulk delete -------------------------------------------------------------------------------------------------
def test_a_protected_building_stops_the_whole_deletion(world):
    empty = Building.objects.create(park=world.park_a, code="a-9", name="空楼")
    with pytest.raises(bulk.BulkFailed) as failed:
        bulk.objects_bulk_delete(user=world.users["officer"], surface=surface_for(Building),
                                 selection=[world.building_a.pk, empty.pk])
    (failure,) = failed.value.failures
    assert failure.name == "科技楼A座" and "仍有" in failure.lines()[0]
    assert Building.objects.filter(pk=empty.pk).exists()


def test_records_that_refer_to_one_another_are_deleted_in_the_order_that_works(world):
    top = Zone.objects.create(code="top", name="上级片区", kind="engine")
    child = Zone.objects.create(code="child", name="下级片区", kind="area", parent=top)
    result = bulk.objects_bulk_delete(user=world.users["officer"], surface=surface_for(Zone),
                                      selection=[top.pk, child.pk])
    assert result.count == 2
    assert not Zone.objects.filter(pk__in=[top.pk, child.pk]).exists()
    deleted = ObjectChange.objects.filter(request_id=result.request_id, action="delete")
    assert sorted(int(r.object_id) for r in deleted) == sorted([top.pk, child.pk])


def test_deleting_leases_frees_their_units_through_the_lease_service(world):
    bulk.objects_bulk_delete(user=world.users["operator"], surface=LEASES, selection=[world.lease_a.pk])
    assert not Lease.objects.filter(pk=world.lease_a.pk).exists()
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.status == UnitStatus.VACANT


def test_a_delete_service_that_raises_protected_error_is_reported(world, monkeypatch):
    surface = surface_for(Building)

    def refusing(*, user, instance):
        raise ProtectedError("held", {world.unit_a1})

    monkeypatch.setattr(surface, "delete", refusing)
    with pytest.raises(bulk.BulkFailed) as failed:
        bulk.objects_bulk_delete(user=world.users["officer"], surface=surface, selection=[world.building_a.pk])
    assert "单元" in failed.value.failures[0].lines()[0]
