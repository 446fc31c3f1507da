"""A lease's money records: rent steps inside the lease's dates, rent payments that never overlap and that the
park's operator confirms, their import with row errors, sublets and their event, the panels of the lease page."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.importing import jobs
from core.models import DomainEvent, ObjectChange
from core.reference import spreadsheets
from core.reference.choices import ChangeAction, ImportStatus
from core.surfaces import surface_for
from leasing import services
from leasing.choices import LeaseStatus, PaymentState
from leasing.models import RentPayment, RentStep, Sublet
from yuanqu.testing import bearer

DAY = datetime.timedelta(days=1)
pytestmark = pytest.mark.django_db


def payment(lease, start, days=30, amount="84000", **extra):
    return RentPayment.objects.create(lease=lease, period_start=start, period_end=start + (days - 1) * DAY,
                                      amount=Decimal(amount), **extra)


# ----- rent steps ---------------------------------------------------------------------------------------------------
def test_a_rent_step_outside_the_lease_is_refused_naming_its_field(world, client_for):
    lease = world.lease_a
    client = client_for(world.users["operator"])
    response = client.post(reverse("leasing:rentstep_add"), {
        "lease": lease.pk, "starts_on": (lease.end_date + DAY).isoformat(), "monthly_rent": "150"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "起始日期：" in page or "自：" in page or "starts_on" in response.context["form"].errors
    assert "租金档次的起始日须在租期内" in " ".join(response.context["form"].errors["starts_on"])
    assert not RentStep.objects.filter(lease=lease).exists()


def test_rent_steps_are_added_and_removed_from_the_lease_page_and_audited(world, client_for):
    lease = world.lease_a
    client = client_for(world.users["operator"])
    page = client.get(lease.get_absolute_url()).content.decode()
    assert f'{reverse("leasing:rentstep_add")}?lease={lease.pk}' in page
    add = client.get(reverse("leasing:rentstep_add"), {"lease": lease.pk}).content.decode()
    assert "HT-A-001" in add  # the lease's enterprise's leases are offered, this one among them
    starts_on = lease.start_date + 100 * DAY
    response = client.post(reverse("leasing:rentstep_add"), {
        "lease": lease.pk, "starts_on": starts_on.isoformat(), "monthly_rent": "150.50"})
    assert response.status_code == 302
    step = RentStep.objects.get(lease=lease)
    assert ObjectChange.objects.filter(object_id=str(step.pk), action=ChangeAction.CREATE,
                                       content_type__model="rentstep").exists()
    page = client.get(lease.get_absolute_url()).content.decode()
    assert "150.50" in page and reverse("leasing:rentstep_delete", args=[step.pk]) in page
    again = client.post(reverse("leasing:rentstep_add"), {
        "lease": lease.pk, "starts_on": starts_on.isoformat(), "monthly_rent": "160"})
    assert again.status_code == 400, again
    assert "已有自" in " ".join(again.context["form"].errors.get("starts_on", [])), again.context["form"].errors
    assert client.post(reverse("leasing:rentstep_delete", args=[step.pk])).status_code == 302
    assert not RentStep.objects.filter(pk=step.pk).exists()
    assert ObjectChange.objects.filter(object_id=str(step.pk), action=ChangeAction.DELETE,
                                       content_type__model="rentstep").exists()


def test_the_lease_page_shows_the_money_terms_and_the_rent_today(world, client_for):
    lease = world.lease_a
    lease.deposit, lease.management_fee, lease.rent_free_months = Decimal("252000"), Decimal("18.50"), 1
    lease.save()
    RentStep.objects.create(lease=lease, starts_on=lease.start_date + 200 * DAY, monthly_rent=Decimal("146.00"))
    page = client_for(world.users["enterprise"]).get(lease.get_absolute_url()).content.decode()
    assert "252,000.00" in page and "18.50" in page and "免租 1 个月" in page
    assert 'data-testid="rent-now">146.00<' in page  # today is past the step (the lease began 300 days ago)


def test_the_steps_of_an_ended_lease_are_kept(world):
    lease = world.lease_a
    step = RentStep.objects.create(lease=lease, starts_on=lease.start_date + 10 * DAY, monthly_rent=Decimal("150"))
    lease.status, lease.terminated_on, lease.end_date = LeaseStatus.TERMINATED, lease.start_date + 20 * DAY, lease.start_date + 20 * DAY
    lease.save()
    with pytest.raises(ValidationError, match="只能修改执行中租约的租金档次"):
        services.rent_step_delete(user=world.users["operator"], instance=step)


# ----- rent payments ---------------------------------------------------------------------------------------------
def test_payments_of_one_lease_never_overlap(world):
    lease, operator = world.lease_a, world.users["operator"]
    first = services.rent_payment_create(user=operator, data={
        "lease": lease, "period_start": lease.start_date, "period_end": lease.start_date + 29 * DAY,
        "amount": Decimal("84000")})
    with pytest.raises(ValidationError) as refused:
        services.rent_payment_create(user=operator, data={
            "lease": lease, "period_start": lease.start_date + 29 * DAY, "period_end": lease.start_date + 58 * DAY,
            "amount": Decimal("84000")})
    assert "重叠" in " ".join(refused.value.message_dict["period_start"])
    services.rent_payment_create(user=operator, data={  # the next day on is free
        "lease": lease, "period_start": lease.start_date + 30 * DAY, "period_end": lease.start_date + 59 * DAY,
        "amount": Decimal("84000")})
    # another lease's payments are another matter
    services.rent_payment_create(user=world.users["officer"], data={
        "lease": world.lease_b, "period_start": world.lease_b.start_date,
        "period_end": world.lease_b.start_date + 29 * DAY, "amount": Decimal("54000")})
    # changing a payment does not meet itself
    services.rent_payment_update(user=operator, instance=first, data={"amount": Decimal("84100")})
    assert RentPayment.objects.count() == 3


def test_a_payment_lies_within_the_lease_and_is_not_negative(world, client_for):
    lease = world.lease_a
    client = client_for(world.users["enterprise"])
    before = lease.start_date - 10 * DAY
    response = client.post(reverse("leasing:rentpayment_add"), {
        "lease": lease.pk, "period_start": before.isoformat(), "period_end": (before + 30 * DAY).isoformat(),
        "amount": "-5"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "所属期不能早于租约起租日" in " ".join(errors["period_start"]) or "amount" in errors
    assert "amount" in errors
    assert not RentPayment.objects.exists()


def test_the_enterprise_enters_and_only_the_parks_operator_confirms(world, client):
    lease = world.lease_a
    body = {"lease": lease.pk, "period_start": lease.start_date.isoformat(),
            "period_end": (lease.start_date + 29 * DAY).isoformat(), "amount": "84000"}
    entered = client.post("/api/leasing/rent-payments", data=json.dumps(body), content_type="application/json",
                          **bearer(world.users["enterprise"]))
    assert entered.status_code == 201, entered.content.decode()
    paid = RentPayment.objects.get(pk=entered.json()["id"])
    assert paid.state == PaymentState.ENTERED and entered.json()["confirmed_at"] is None
    url = f"/api/leasing/rent-payments/{paid.pk}/confirm"
    assert client.post(url, data="{}", content_type="application/json",
                       **bearer(world.users["enterprise"])).status_code == 403
    assert client.post(url, data="{}", content_type="application/json",
                       **bearer(world.users["operator_b"])).status_code == 404  # another park's: not there
    assert client.get(f"/api/leasing/rent-payments/{paid.pk}", **bearer(world.users["operator_b"])).status_code == 404
    assert client.post(url, data="{}", content_type="application/json",
                       **bearer(world.users["operator"])).status_code == 200
    paid.refresh_from_db()
    assert paid.state == PaymentState.CONFIRMED and paid.confirmed_by == world.users["operator"]
    assert DomainEvent.objects.filter(name="leasing.rentpayment.confirm", object_id=str(paid.pk)).exists()
    client.force_login(world.users["enterprise"])
    page = client.get(paid.get_absolute_url()).content.decode()
    assert '"payment-state">已确认<' in page and "t_operator" in page
    assert world.tenant_a.name in page  # the enterprise among the attributes
    assert reverse("leasing:rentpayment_unconfirm", args=[paid.pk]) not in page  # the tenant cannot withdraw it
    # confirmed, it is fixed: neither the enterprise nor the operator changes it
    for user in (world.users["enterprise"], world.users["operator"]):
        response = client.patch(f"/api/leasing/rent-payments/{paid.pk}", data=json.dumps({"amount": "1"}),
                                content_type="application/json", **bearer(user))
        assert response.status_code in (400, 409), response.content.decode()
        assert "不能修改" in json.dumps(response.json(), ensure_ascii=False)
    paid.refresh_from_db()
    assert paid.amount == Decimal("84000.00")
    # withdrawn (with a reason), it can be corrected again
    response = client.post(f"/api/leasing/rent-payments/{paid.pk}/unconfirm", data=json.dumps({"reason": "金额有误"}),
                           content_type="application/json", **bearer(world.users["operator"]))
    assert response.status_code == 200
    response = client.patch(f"/api/leasing/rent-payments/{paid.pk}", data=json.dumps({"amount": "84500"}),
                            content_type="application/json", **bearer(world.users["enterprise"]))
    assert response.status_code == 200, response.content.decode()
    paid.refresh_from_db()
    assert paid.amount == Decimal("84500.00") and paid.state == PaymentState.ENTERED


def test_the_lease_page_totals_rent_paid_per_year_with_what_awaits_confirmation(world, client_for):
    lease = world.lease_a
    lease.start_date = datetime.date(2025, 11, 1)
    lease.save()
    payment(lease, datetime.date(2025, 11, 1), amount="84000", confirmed_at=datetime.datetime(2025, 11, 5, tzinfo=datetime.UTC))
    payment(lease, datetime.date(2025, 12, 1), days=31, amount="84000.50")
    payment(lease, datetime.date(2026, 1, 1), days=31, amount="90000")
    page = client_for(world.users["operator"]).get(lease.get_absolute_url()).content.decode()
    assert "168,000.50" in page and "90,000.00" in page  # 2025: two payments; 2026: one
    assert "confirmed=false" in page and "(84,000.50 元)" in page
    assert page.index("<td>2026</td>") < page.index("<td>2025</td>")


def test_payments_import_reports_each_bad_row_and_column_in_chinese(world):
    lease = world.lease_a
    book = spreadsheets.Book()
    sheet = book.sheet("实付租金")
    sheet.append(["统一社会信用代码", "合同编号", "所属期起", "所属期止", "实付租金"])
    start = lease.start_date
    sheet.append([lease.enterprise.credit_code, "HT-A-001", start.isoformat(), (start + 29 * DAY).isoformat(), "84000"])
    sheet.append([lease.enterprise.credit_code, "HT-A-001", "二〇二五年某日", (start + 59 * DAY).isoformat(), "84000"])
    sheet.append([lease.enterprise.credit_code, "HT-NONE", (start + 60 * DAY).isoformat(),
                  (start + 89 * DAY).isoformat(), "84000"])
    sheet.append([lease.enterprise.credit_code, "HT-A-001", (start + 90 * DAY).isoformat(),
                  (start + 119 * DAY).isoformat(), "-1"])
    sheet.append([world.tenant_b.credit_code, "HT-B-001", world.lease_b.start_date.isoformat(),
                  (world.lease_b.start_date + 29 * DAY).isoformat(), "54000"])
    buffer = io.BytesIO()
    book.save(buffer)
    batch = jobs.batch_check(jobs.batch_create(user=world.users["operator"], surface=surface_for(RentPayment),
                                               filename="实付租金.xlsx", content=buffer.getvalue()))
    assert batch.status == ImportStatus.CHECKED, batch.message
    assert batch.counts["create"] == 1 and batch.counts["error"] == 4, batch.counts
    by_line = {error["line"]: dict(error["errors"]) for error in batch.errors}
    assert set(by_line) == {3, 4, 5, 6}
    assert "不是日期" in by_line[3]["期间起"]
    assert by_line[4] == {"租约": "没有租约“HT-NONE”"}
    assert list(by_line[5]) == ["实付租金（元）"]
    assert "不在您管理的范围内" in by_line[6]["企业"]  # operator B's tenant: not named to operator A
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for row in by_line.values() for message in row.values())
    assert not RentPayment.objects.exists()  # checked only


def test_an_import_whose_rows_overlap_each_other_writes_nothing(world):
    lease = world.lease_a
    book = spreadsheets.Book()
    sheet = book.sheet("实付租金")
    sheet.append(["统一社会信用代码", "合同编号", "所属期起", "所属期止", "实付租金"])
    start = lease.start_date
    sheet.append([lease.enterprise.credit_code, "HT-A-001", start.isoformat(), (start + 30 * DAY).isoformat(), "1"])
    sheet.append([lease.enterprise.credit_code, "HT-A-001", (start + 30 * DAY).isoformat(),
                  (start + 60 * DAY).isoformat(), "2"])
    buffer = io.BytesIO()
    book.save(buffer)
    batch = jobs.batch_check(jobs.batch_create(user=world.users["operator"], surface=surface_for(RentPayment),
                                               filename="实付租金.xlsx", content=buffer.getvalue()))
    assert batch.counts["error"] == 1 and batch.errors[0]["line"] == 3
    assert batch.errors[0]["errors"][0][0] == "期间起" and "重叠" in batch.errors[0]["errors"][0][1]
    batch = jobs.batch_commit(batch)
    assert batch.status == ImportStatus.REFUSED
    assert not RentPayment.objects.exists()


# ----- sublets ------------------------------------------------------------------------------------------------------
def test_recording_a_sublet_records_its_event_and_shows_on_the_lease_page(world, client_for):
    lease = world.lease_a
    sublet = services.sublet_record(lease=lease, subtenant_name="深圳某咨询有限公司", starts_on=lease.start_date + 30 * DAY,
                                    found_on=datetime.date.today(), area=Decimal("60"), user=world.users["operator"])
    event = DomainEvent.objects.get(name="leasing.sublet.record")
    assert event.object_id == str(sublet.pk) and event.data["lease"] == lease.pk
    assert ObjectChange.objects.filter(object_id=str(sublet.pk), content_type__model="sublet",
                                       action=ChangeAction.CREATE).exists()
    page = client_for(world.users["enterprise"]).get(lease.get_absolute_url()).content.decode()
    assert "深圳某咨询有限公司" in page and 'data-testid="sublets"' in page
    with pytest.raises(ValidationError) as refused:
        services.sublet_record(lease=lease, subtenant_name="x", starts_on=lease.end_date + DAY,
                               found_on=datetime.date.today(), user=world.users["operator"])
    assert "starts_on" in refused.value.message_dict
    assert Sublet.objects.count() == 1


def test_the_sublet_page_records_through_the_service(world, client_for):
    lease = world.lease_a
    response = client_for(world.users["operator"]).post(reverse("leasing:sublet_add"), {
        "lease": lease.pk, "subtenant": world.tenant_a.credit_code, "starts_on": (lease.start_date + DAY).isoformat(),
        "found_on": datetime.date.today().isoformat()})
    assert response.status_code == 302, response.context["form"].errors
    sublet = Sublet.objects.get()
    assert sublet.subtenant_name == world.tenant_a.name
    assert DomainEvent.objects.filter(name="leasing.sublet.record", object_id=str(sublet.pk)).exists()


def test_a_lease_cannot_be_shortened_past_the_rent_paid_for_it(world):
    lease = world.lease_a
    payment(lease, lease.end_date - 29 * DAY)
    with pytest.raises(ValidationError) as refused:
        services.lease_update(user=world.users["operator"], instance=lease, data={"end_date": lease.end_date - 10 * DAY})
    assert "end_date" in refused.value.message_dict
    lease.refresh_from_db()
    services.lease_update(user=world.users["operator"], instance=lease, data={"end_date": lease.end_date + 10 * DAY})


def test_the_lease_list_of_a_money_form_follows_the_enterprise_typed(world, client_for):
    typed = f"{world.tenant_a.credit_code} {world.tenant_a.name}"
    url = reverse("leasing:lease_options")
    mine = client_for(world.users["operator"]).get(url, {"enterprise": typed}).content.decode()
    assert f'value="{world.lease_a.pk}"' in mine and "HT-A-001" in mine and "HT-B-001" not in mine
    theirs = client_for(world.users["operator_b"]).get(url, {"enterprise": typed}).content.decode()
    assert "HT-A-001" not in theirs  # operator B does not see enterprise A's leases
    form = client_for(world.users["operator"]).get(reverse("leasing:rentpayment_add")).content.decode()
    assert f'data-options-url="{url}"' in form and 'data-depends-on="enterprise"' in form


def test_a_lease_outside_the_users_scope_is_neither_locked_nor_read(world):
    """The money services ask the user's scope before they lock the lease or look at its payments: an operator
    writing to another park's lease is refused, and learns nothing of the payments recorded there."""
    from django.core.exceptions import PermissionDenied

    other = world.lease_b  # the other operator's park
    RentPayment.objects.create(lease=other, period_start=datetime.date(2025, 1, 1),
                               period_end=datetime.date(2025, 1, 31), amount=Decimal("1000.00"))
    data = {"lease": other, "period_start": datetime.date(2025, 1, 1), "period_end": datetime.date(2025, 1, 31),
            "amount": Decimal("5.00")}
    with pytest.raises(PermissionDenied):
        services.rent_payment_create(user=world.users["operator"], data=data)
    with pytest.raises(PermissionDenied):
        services.rent_step_create(user=world.users["operator"], data={
            "lease": other, "starts_on": other.start_date, "monthly_rent": Decimal("1.00")})
    assert RentPayment.objects.filter(lease=other).count() == 1
