"""Edge cases of scopes, audit and unit status that a review turned up, each pinned by a test."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import ObjectChange
from core.services import object_create
from enterprises.models import Enterprise
from leasing import services as lease_services
from leasing.models import Lease
from spaces import services as space_services
from spaces.models import Unit
from yuanqu.testing import bearer

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)




def test_a_unit_named_by_a_lease_cannot_be_deleted(world, client_for):
    response = client_for(world.users["operator"]).post(reverse("spaces:unit_delete", args=[world.unit_a1.pk]))
    assert response.status_code == 400 and "租约" in response.content.decode()
    assert list(world.lease_a.units.all()) == [world.unit_a1]


def test_operator_edits_a_shared_tenant_without_taking_it_over(world, client_for):
    shared = Enterprise.objects.create(name="共享租户有限公司", credit_code="91440101MA5CJQ4N59", registered_by=world.op_b)
    lease = Lease.objects.create(enterprise=shared, park=world.park_a, start_date=TODAY, end_date=TODAY + 30 * DAY,
                                 monthly_rent=Decimal("1"), leased_area=Decimal("200"))
    lease.units.add(world.unit_a2)
    client = client_for(world.users["operator"])
    form = client.get(reverse("enterprises:enterprise_edit", args=[shared.pk])).context["form"]
    assert "registered_by" not in form.fields
    response = client.patch(f"/api/enterprises/enterprises/{shared.pk}", data=json.dumps({"description": "x"}),
                            content_type="application/json", **bearer(world.users["operator"]))
    assert response.status_code == 200, response.content
    shared.refresh_from_db()
    assert shared.registered_by == world.op_b and shared.description == "x"
    page = client.get(shared.get_absolute_url()).content.decode()
    assert world.op_b.name not in page and "不在您的管理范围" in page


def test_change_records_do_not_name_objects_outside_the_scope(world, client_for):
    from core.services import object_update

    object_update(user=world.users["officer"], instance=world.park_a, data={"operator": world.op_a})
    world.park_b.operator = world.op_a  # moved to operator A by an officer
    object_update(user=world.users["officer"], instance=world.park_b, data={"operator": world.op_a})
    page = client_for(world.users["operator"]).get(world.park_b.get_absolute_url()).content.decode()
    assert world.op_b.name not in page and f"#{world.op_b.pk}" not in page and "（无权查看）" in page


def test_reserved_unit_set_vacant_by_hand_starts_its_vacancy_clock(world):
    Unit.objects.filter(pk=world.unit_a2.pk).update(status="reserved", vacant_since=None)
    unit = Unit.objects.get(pk=world.unit_a2.pk)
    unit.status = "vacant"  # as the bound form leaves it
    space_services.unit_update(user=world.users["operator"], instance=unit, data={"status": "vacant"})
    unit.refresh_from_db()
    assert unit.vacant_since == TODAY


def test_daily_run_marks_leased_every_unit_whose_lease_is_in_force(world):
    lease_services.lease_create(user=world.users["officer"], data={
        "enterprise": world.tenant_b, "units": [world.unit_a2], "start_date": TODAY + 5 * DAY,
        "end_date": TODAY + 100 * DAY, "monthly_rent": Decimal("1")})
    Unit.objects.filter(pk=world.unit_a2.pk).update(status="vacant")  # set by hand meanwhile
    lease_services.lease_expire_due(today=TODAY + 6 * DAY)
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == "leased"


def test_terminated_and_expired_leases_are_not_edited(world):
    lease_services.lease_terminate(user=world.users["officer"], instance=world.lease_a, terminated_on=TODAY)
    with pytest.raises(ValidationError):
        lease_services.lease_update(user=world.users["officer"], instance=world.lease_a,
                                    data={"end_date": TODAY + 300 * DAY})
    Lease.objects.filter(pk=world.lease_b.pk).update(status="expired")
    with pytest.raises(ValidationError):
        lease_services.lease_update(user=world.users["officer"], instance=world.lease_b,
                                    data={"end_date": TODAY + 900 * DAY})


def test_resizing_a_unit_updates_its_leases_area_audited(world):
    unit = Unit.objects.get(pk=world.unit_a1.pk)
    space_services.unit_update(user=world.users["officer"], instance=unit, data={"area": Decimal("650.00")})
    world.lease_a.refresh_from_db()
    assert world.lease_a.leased_area == Decimal("650.00")
    assert ObjectChange.objects.filter(content_type__model="lease", object_id=str(world.lease_a.pk)).exists()


def test_a_lease_recorded_late_moves_the_vacancy_clock(world):
    assert world.unit_a2.vacant_since == TODAY - 400 * DAY
    lease_services.lease_create(user=world.users["officer"], data={
        "enterprise": world.tenant_b, "units": [world.unit_a2], "start_date": TODAY - 200 * DAY,
        "end_date": TODAY - 30 * DAY, "monthly_rent": Decimal("1")})
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == "vacant" and world.unit_a2.vacant_since == TODAY - 29 * DAY


def test_unavailable_units_cannot_be_leased(world):
    unavailable = Unit.objects.get(code="1101")
    with pytest.raises(ValidationError) as error:
        lease_services.lease_create(user=world.users["officer"], data={
            "enterprise": world.tenant_b, "units": [unavailable], "start_date": TODAY,
            "end_date": TODAY + DAY, "monthly_rent": Decimal("1")})
    assert "1101" in str(error.value)


def test_flagged_enterprise_stays_editable(world, client, client_for):
    flagged = Enterprise.objects.create(name="旧登记企业", credit_code="914403001922038217", credit_code_exception=True)
    Lease.objects.create(enterprise=flagged, park=world.park_a, start_date=TODAY, end_date=TODAY + DAY, monthly_rent=Decimal("1"),
                         leased_area=Decimal("1")).units.add(world.unit_a2)
    response = client.patch(f"/api/enterprises/enterprises/{flagged.pk}", data=json.dumps({"address": "福田区"}),
                            content_type="application/json", **bearer(world.users["officer"]))
    assert response.status_code == 200, response.content
    response = client_for(world.users["operator"]).post(reverse("enterprises:enterprise_edit", args=[flagged.pk]), {
        "name": "旧登记企业", "credit_code": "914403001922038217", "address": "福田区福华路"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.credit_code_exception and flagged.address == "福田区福华路"


def all_digit_credit_code():
    from stdnum.cn import uscc

    from core.reference.validators import check_credit_code, organisation_code_check_char

    for n in range(10_000_000, 10_001_000):
        body = f"91440304{n}"
        org_check = organisation_code_check_char(str(n))
        code = body + org_check
        code += uscc.calc_check_digit(code)
        if code.isdigit() and check_credit_code(code).ok:
            return code
    raise AssertionError("no all-digit code found")


def test_an_all_digit_credit_code_is_read_as_a_code(world, client_for):
    digits = Enterprise.objects.create(name="数字代码企业", credit_code=all_digit_credit_code())
    assert digits.credit_code.isdigit()
    response = client_for(world.users["officer"]).post(reverse("leasing:lease_add"), {
        "enterprise": digits.credit_code, "building": world.building_a.pk, "units": [world.unit_a2.pk],
        "start_date": TODAY.isoformat(), "end_date": (TODAY + DAY).isoformat(), "monthly_rent": "1"})
    assert response.status_code == 302


@pytest.mark.parametrize("url", [
    "/spaces/floors/options/?building=abc", "/spaces/floors/options/?building=99999999999999999999",
    "/leasing/leases/?enterprise=99999999999999999999", "/leasing/units/options/?building=99999999999999999999",
    "/spaces/units/add/?building=99999999999999999999", "/spaces/units/?park=99999999999999999999",
    "/api/leasing/leases?enterprise=99999999999999999999",
])
def test_impossible_ids_never_make_a_server_error(world, client_for, url):
    client = client_for(world.users["officer"])
    response = client.get(url, **bearer(world.users["officer"]))
    assert response.status_code in (200, 400)


def test_api_create_leaves_defaults_to_the_model(world, client):
    response = client.post("/api/spaces/zones", data=json.dumps({"code": "new-zone", "name": "新片区"}),
                           content_type="application/json", **bearer(world.users["officer"]))
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "area"


def test_django_admin_is_read_only(world, client_for):
    admin = world.users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = client_for(admin)
    assert client.get(reverse("admin:core_user_change", args=[admin.pk])).status_code == 200
    response = client.post(reverse("admin:core_user_change", args=[admin.pk]), {"role": "leader"})
    assert response.status_code == 403
    assert client.post(reverse("admin:core_user_delete", args=[admin.pk]), {"post": "yes"}).status_code == 403


def test_deleting_a_user_keeps_their_audit_rows(world):
    floor = object_create(user=world.users["leader"].__class__.objects.get(username="t_officer"),
                          model=world.floor_a.__class__, data={"building": world.building_a, "number": 30})
    world.users["officer"].delete()
    change = ObjectChange.objects.get(object_id=str(floor.pk), content_type__model="floor")
    assert change.user_name == "t_officer"
