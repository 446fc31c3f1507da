"""An enterprise's district dates (registered in, moved out) and its financial years."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import DomainEvent, ObjectChange
from core.reference.choices import ChangeAction
from enterprises import services
from enterprises.models import Enterprise, FinancialYear
from yuanqu.generic_tests import form_values
from yuanqu.testing import bearer

pytestmark = pytest.mark.django_db
D = datetime.date


def test_moving_out_before_registering_in_the_district_is_refused_naming_the_field(world, client_for):
    enterprise = world.tenant_a
    client = client_for(world.users["officer"])
    from enterprises.forms import EnterpriseForm

    data = {**form_values(EnterpriseForm(instance=enterprise, user=world.users["officer"])),
            "moved_in_on": "2022-05-01", "moved_out_on": "2022-04-30"}
    response = client.post(reverse("enterprises:enterprise_edit", args=[enterprise.pk]), data)
    assert response.status_code == 400
    assert "迁出本区日期不能早于落户本区日期" in " ".join(response.context["form"].errors["moved_out_on"])
    data["moved_out_on"] = "2026-06-30"
    response = client.post(reverse("enterprises:enterprise_edit", args=[enterprise.pk]), data)
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.moved_in_on, enterprise.moved_out_on) == (D(2022, 5, 1), D(2026, 6, 30))
    page = client.get(enterprise.get_absolute_url()).content.decode()
    assert "2022年5月1日" in page and "2026年6月30日" in page


def test_moving_out_is_a_step_recorded_as_its_event(world):
    enterprise = world.tenant_a
    Enterprise.objects.filter(pk=enterprise.pk).update(moved_in_on=D(2021, 3, 1))
    enterprise.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.enterprise_move_out(enterprise=enterprise, on=D(2021, 2, 1), user=world.users["operator"])
    assert "moved_out_on" in refused.value.message_dict
    services.enterprise_move_out(enterprise=enterprise, on=D(2026, 7, 31), user=world.users["operator"])
    enterprise.refresh_from_db()
    assert enterprise.moved_out_on == D(2026, 7, 31)
    event = DomainEvent.objects.get(name="enterprises.enterprise.move_out")
    assert event.object_id == str(enterprise.pk)
    assert ObjectChange.objects.filter(object_id=str(enterprise.pk), content_type__model="enterprise",
                                       action=ChangeAction.UPDATE).exists()
    from core.actions import Refused

    with pytest.raises(Refused):  # once moved out, a date is corrected on the edit page
        services.enterprise_move_out(enterprise=enterprise, on=D(2026, 8, 1), user=world.users["operator"])


def test_another_operators_tenant_cannot_be_moved_out(world, client):
    response = client.post(f"/api/enterprises/enterprises/{world.tenant_b.pk}/move_out",
                           data=json.dumps({"moved_out_on": "2026-01-31"}), content_type="application/json",
                           **bearer(world.users["operator"]))
    assert response.status_code == 404
    world.tenant_b.refresh_from_db()
    assert world.tenant_b.moved_out_on is None


def test_the_district_dates_are_exported_and_imported(world, client_for):
    Enterprise.objects.filter(pk=world.tenant_a.pk).update(moved_in_on=D(2019, 9, 9))
    response = client_for(world.users["officer"]).get(reverse("enterprises:enterprise_export"), {"format": "csv"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8-sig")
    assert "落户" in text.splitlines()[0] and "2019-09-09" in text


def test_the_enterprise_page_shows_its_financial_years_to_whoever_may_see_them(world, client_for):
    FinancialYear.objects.create(enterprise=world.tenant_a, year=2024, revenue=Decimal("12345678.90"),
                                 rd_expense=Decimal("1000000"))
    FinancialYear.objects.create(enterprise=world.tenant_a, year=2025, revenue=Decimal("15000000"))
    page = client_for(world.users["enterprise"]).get(world.tenant_a.get_absolute_url()).content.decode()
    assert 'data-testid="financial-years"' in page and "12,345,678.90" in page
    assert page.index(">2025<") < page.index(">2024<")
    assert f'{reverse("enterprises:financialyear_add")}?enterprise={world.tenant_a.pk}' in page  # it enters its own
    operator_page = client_for(world.users["operator"]).get(world.tenant_a.get_absolute_url()).content.decode()
    assert "12,345,678.90" in operator_page
    assert reverse("enterprises:financialyear_add") not in operator_page  # operators read them


def test_an_enterprise_enters_only_its_own_financial_years(world, client):
    headers = bearer(world.users["enterprise"])
    own = client.post("/api/enterprises/financial-years", data=json.dumps({
        "enterprise": world.tenant_a.pk, "year": 2025, "revenue": "9800000"}), content_type="application/json", **headers)
    assert own.status_code == 201, own.content.decode()
    other = client.post("/api/enterprises/financial-years", data=json.dumps({
        "enterprise": world.tenant_b.pk, "year": 2025, "revenue": "9800000"}), content_type="application/json", **headers)
    assert other.status_code == 400
    twice = client.post("/api/enterprises/financial-years", data=json.dumps({
        "enterprise": world.tenant_a.pk, "year": 2025, "revenue": "1"}), content_type="application/json", **headers)
    assert twice.status_code == 400
    future = client.post("/api/enterprises/financial-years", data=json.dumps({
        "enterprise": world.tenant_a.pk, "year": datetime.date.today().year + 1, "revenue": "1"}),
        content_type="application/json", **headers)
    assert future.status_code == 400 and future.json()["errors"][0]["field"] == "year"
    assert FinancialYear.objects.count() == 1
