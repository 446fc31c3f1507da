import datetime

from django.urls import reverse

from leasing.models import Lease


def test_expiry_queue_buckets_by_days_left(world, client_for):
    response = client_for(world.users["operator"]).get(reverse("leasing:expiry_queue"))
    bands = {b["days"]: [lease.contract_number for lease in b["leases"]] for b in response.context["buckets"]}
    assert bands == {30: [], 60: ["HT-A-001"], 90: []}
    assert [b["count"] for b in response.context["buckets"]] == [0, 1, 1]  # the cards count cumulatively


def test_expiry_queue_is_scoped(world, client_for):
    Lease.objects.filter(pk=world.lease_b.pk).update(end_date=datetime.date.today() + datetime.timedelta(days=10))
    operator = client_for(world.users["operator"]).get(reverse("leasing:expiry_queue")).context["buckets"]
    assert [lease.contract_number for lease in operator[0]["leases"]] == []
    officer = client_for(world.users["officer"]).get(reverse("leasing:expiry_queue")).context["buckets"]
    assert [lease.contract_number for lease in officer[0]["leases"]] == ["HT-B-001"]


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
