import datetime

from django.urls import reverse

from leasing.models import Lease


def test_expiry_queue_cards_and_windows_by_days_left(world, client_for):
    client = client_for(world.users["operator"])
    response = client.get(reverse("leasing:expiry_queue"))
    assert [c["count"] for c in response.context["cards"]] == [0, 1, 1]  # the cards count cumulatively
    windows = {days: [lease.contract_number for lease in
                      client.get(reverse("leasing:expiry_queue"), {"within": days}).context["page"]]
               for days in (30, 60, 90)}
    assert windows == {30: [], 60: ["HT-A-001"], 90: ["HT-A-001"]}


def test_expiry_queue_is_scoped(world, client_for):
    Lease.objects.filter(pk=world.lease_b.pk).update(end_date=datetime.date.today() + datetime.timedelta(days=10))
    operator = client_for(world.users["operator"]).get(reverse("leasing:expiry_queue"), {"within": 30})
    assert [lease.contract_number for lease in operator.context["page"]] == []
    officer = client_for(world.users["officer"]).get(reverse("leasing:expiry_queue"), {"within": 30})
    assert [lease.contract_number for lease in officer.context["page"]] == ["HT-B-001"]


def test_lease_form_offers_units_of_the_chosen_building_only(world, client_for):
    client = client_for(world.users["operator"])
    options = client.get(reverse("leasing:unit_options"), {"building": world.building_a.pk}).content.decode()
    assert "1201" in options and "1202" in options and "301" not in options
    options = client.get(reverse("leasing:unit_options"), {"building": world.building_b.pk}).content.decode()
    assert "301" not in options  # another operator's building offers nothing


def test_lease_created_in_the_ui_and_overlap_refused(world, client_for):
    client = client_for(world.users["operator"])
    today = datetime.date.today()
    data = {"enterprise": world.tenant_a.pk, "building": world.building_a.pk, "units": [world.unit_a1.pk],
            "start_date": today.isoformat(), "end_date": (today + datetime.timedelta(days=100)).isoformat(),
            "monthly_rent": "150"}
    response = client.post(reverse("leasing:lease_add"), data)
    assert response.status_code == 400
    assert "已有" in response.content.decode() and "1201" in response.content.decode()
    data["units"] = [world.unit_a2.pk]
    response = client.post(reverse("leasing:lease_add"), data)
    assert response.status_code == 302
    world.unit_a2.refresh_from_db()
    assert world.unit_a2.status == "leased"


def test_terminate_from_the_lease_page(world, client_for):
    client = client_for(world.users["operator"])
    response = client.post(reverse("leasing:lease_terminate", args=[world.lease_a.pk]),
                           {"terminated_on": datetime.date.today().isoformat()})
    assert response.status_code == 302
    world.lease_a.refresh_from_db()
    assert world.lease_a.status == "terminated"
    assert client.post(reverse("leasing:lease_terminate", args=[world.lease_b.pk]),
                       {"terminated_on": datetime.date.today().isoformat()}).status_code == 404


def test_enterprise_is_chosen_by_typing_credit_code_and_name(world, client_for):
    client = client_for(world.users["operator"])
    today = datetime.date.today()
    data = {"enterprise": f"{world.tenant_a.credit_code} {world.tenant_a.name}", "building": world.building_a.pk,
            "units": [world.unit_a2.pk], "start_date": today.isoformat(),
            "end_date": (today + datetime.timedelta(days=100)).isoformat(), "monthly_rent": "150"}
    assert client.post(reverse("leasing:lease_add"), data).status_code == 302
    assert Lease.objects.filter(enterprise=world.tenant_a, units=world.unit_a2).exists()


def test_enterprise_outside_scope_cannot_be_typed_in(world, client_for):
    client = client_for(world.users["operator"])
    today = datetime.date.today()
    response = client.post(reverse("leasing:lease_add"), {
        "enterprise": world.tenant_b.credit_code, "building": world.building_a.pk, "units": [world.unit_a2.pk],
        "start_date": today.isoformat(), "end_date": today.isoformat(), "monthly_rent": "1"})
    assert response.status_code == 400
    assert "企业：" in response.content.decode()


def test_enterprise_suggestions_are_scoped(world, client_for):
    url = reverse("enterprises:enterprise_options")
    operator = client_for(world.users["operator"]).get(url, {"q": "sz"}).content.decode()
    assert world.tenant_b.name not in operator
    officer = client_for(world.users["officer"]).get(url, {"q": "jtkj"}).content.decode()
    assert f'value="{world.tenant_b.credit_code} {world.tenant_b.name}"' in officer


def _building_form(client, building, **changes):
    form = client.get(reverse("spaces:building_edit", args=[building.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    return {**data, **changes}


def test_moving_a_building_moves_its_leases_in_the_park_filter(world, client_for):
    client = client_for(world.users["officer"])
    response = client.post(reverse("spaces:building_edit", args=[world.building_a.pk]),
                           _building_form(client, world.building_a, park=world.park_b.pk))
    assert response.status_code == 302
    listed = client.get(reverse("leasing:lease_list"), {"park": world.park_b.pk}).context["rows"]
    assert sorted(lease.contract_number for lease in listed) == ["HT-A-001", "HT-B-001"]


def test_moving_a_building_that_would_split_a_lease_shows_why(world, client_for):
    from decimal import Decimal

    from leasing.services import lease_create
    from spaces.models import Building, Floor, Unit

    annex = Building.objects.create(park=world.park_a, code="a-2", name="科技楼B座", floors_above=5)
    unit = Unit.objects.create(building=annex, floor=Floor.objects.create(building=annex, number=2), code="201",
                               area=Decimal("90"))
    start = datetime.date.today() + datetime.timedelta(days=800)
    lease_create(user=world.users["officer"], data={
        "enterprise": world.tenant_a, "units": [world.unit_a2, unit], "start_date": start,
        "end_date": start + datetime.timedelta(days=30), "monthly_rent": Decimal("100"), "contract_number": "HT-AB"})
    client = client_for(world.users["officer"])
    response = client.post(reverse("spaces:building_edit", args=[world.building_a.pk]),
                           _building_form(client, world.building_a, park=world.park_b.pk))
    page = response.content.decode()
    assert response.status_code == 400 and "HT-AB" in page and "两个园区" in page
    assert 'id="form-errors"' not in page  # no field is at fault, so none is pointed at
    world.building_a.refresh_from_db()
    assert world.building_a.park == world.park_a
    assert set(Lease.objects.values_list("park", flat=True)) == {world.park_a.pk, world.park_b.pk}
