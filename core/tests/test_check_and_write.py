"""What a person meets when the data changed between a check and the write it allowed (the races themselves
are in the test_races modules, on PostgreSQL; here each step is taken in turn, on either database)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core import services as core_services
from core.accounts.views import UserForm, user_save
from core.importing import jobs
from core.models import DomainEvent, ImportStatus, ObjectChange, User
from core.reference.choices import Role
from core.surfaces import surface_for
from enterprises.models import Enterprise
from leasing import services as lease_services
from spaces.choices import UnitStatus
from spaces.forms import UnitForm
from spaces.models import Park, Unit, Zone
from spaces.services import unit_update
from yuanqu.testing import units_file

TODAY = datetime.date.today()


def test_a_code_taken_meanwhile_is_the_field_message_not_a_database_error(world):
    """The form's check passed; another writer then stored the same code before this save."""
    Park.objects.create(code="taken-late", name="先到园区", zone=world.area, operator=world.op_a)
    late = Park(code="taken-late", name="后到园区", kind="general", zone=world.area, operator=world.op_a)
    with pytest.raises(ValidationError) as error:
        core_services.save_or_explain(late, user=world.users["officer"])
    assert list(error.value.message_dict) == ["code"] and "已存在" in error.value.message_dict["code"][0]
    assert late.pk is None and Park.objects.filter(code="taken-late").count() == 1


def test_a_credit_code_taken_meanwhile_gets_the_forms_words_for_each_user(world):
    late = Enterprise(name="后到企业", credit_code=world.tenant_b.credit_code)
    with pytest.raises(ValidationError) as error:
        core_services.save_or_explain(late, user=world.users["officer"])
    assert error.value.message_dict == {"credit_code": [f"该统一社会信用代码已被其他企业使用：{world.tenant_b.name}"]}
    with pytest.raises(ValidationError) as error:  # operator A may not see 晶泰 (operator B's tenant)
        core_services.save_or_explain(late, user=world.users["operator"])
    assert world.tenant_b.name not in str(error.value) and "credit_code" in error.value.message_dict


def test_a_record_deleted_while_it_was_edited_is_a_message(world):
    zone = Zone.objects.create(code="gone", name="将被删除的片区", kind="area")
    Zone.objects.filter(pk=zone.pk).delete()
    with pytest.raises(ValidationError) as error:
        core_services.object_update(user=world.users["officer"], instance=zone, data={"name": "改名"})
    assert "已被删除" in str(error.value)


def test_an_operator_links_only_operator_accounts_and_a_linked_account_keeps_its_role(world):
    admin = world.users["admin"]
    with pytest.raises(ValidationError) as error:
        core_services.object_update(user=admin, instance=world.op_a,
                                    data={"users": [world.users["operator"], world.users["enterprise"]]})
    assert "t_enterprise" in error.value.message_dict["users"][0]
    assert list(world.op_a.users.all()) == [world.users["operator"]]

    account = world.users["operator"]
    form = UserForm(data={"username": account.username, "display_name": "", "email": "", "role": Role.ENTERPRISE,
                          "is_active": "on"}, instance=User.objects.get(pk=account.pk), user=admin)
    assert form.is_valid(), form.errors
    with pytest.raises(ValidationError) as error:
        user_save(actor=admin, form=form)
    assert world.op_a.name in error.value.message_dict["role"][0]
    assert User.objects.get(pk=account.pk).role == Role.PARK_OPERATOR


def test_a_unit_leased_after_its_form_was_shown_keeps_the_status_its_lease_gives(world):
    unit = Unit.objects.get(pk=world.unit_a2.pk)
    form = UnitForm(data={"building": unit.building_id, "floor": unit.floor_id, "code": unit.code, "area": "200",
                          "use": "office", "asking_rent": "150", "status": UnitStatus.UNAVAILABLE},
                    instance=unit, user=world.users["operator"])
    assert form.is_valid(), form.errors  # shown while the unit was vacant
    lease_services.lease_create(user=world.users["officer"], data={
        "enterprise": world.tenant_a, "units": [world.unit_a2], "start_date": TODAY, "end_date": TODAY.replace(
            year=TODAY.year + 1), "monthly_rent": Decimal("100"), "contract_number": "LATE"})
    with pytest.raises(ValidationError) as error:
        unit_update(user=world.users["operator"], instance=form.instance, data=form.cleaned_data)
    assert "租约" in error.value.message_dict["status"][0]
    assert Unit.objects.get(pk=unit.pk).status == UnitStatus.LEASED


def checked_batch(world, rows):
    batch = jobs.batch_create(user=world.users["admin"], surface=surface_for(Unit), filename="units.xlsx",
                              content=units_file(rows))
    return jobs.batch_check(batch)


def test_a_batch_is_committed_once_however_often_it_is_asked(world):
    batch = checked_batch(world, [["a-1", "12", "1290", "100", "办公", "90"]])
    again = type(batch).objects.get(pk=batch.pk)  # a second click's copy, read while the batch was checked
    assert jobs.batch_commit(batch).status == ImportStatus.COMMITTED
    assert jobs.batch_commit(again).status == ImportStatus.COMMITTED
    assert Unit.objects.filter(code="1290").count() == 1
    assert DomainEvent.objects.filter(name="core.import.commit").count() == 1


def test_a_row_changed_after_the_check_is_not_written_over_what_the_check_saw(world):
    """A write that sends no signal (so the check's mark still holds) changed the unit after the check: the
    commit finds the row changed, checks the file again, and its change record starts from what is stored."""
    batch = checked_batch(world, [["a-1", "12", "1202", "260", "办公", "150"]])
    Unit.objects.filter(pk=world.unit_a2.pk).update(asking_rent=Decimal("77"))
    batch = jobs.batch_commit(batch)
    assert batch.status == ImportStatus.COMMITTED, batch.message
    unit = Unit.objects.get(pk=world.unit_a2.pk)
    assert unit.area == Decimal("260")
    change = ObjectChange.objects.get(request_id=str(batch.uuid), object_id=str(unit.pk))
    assert Decimal(change.data_before["asking_rent"]) == Decimal("77")


def test_two_clicks_queue_a_large_batch_for_the_worker_once(world, settings, monkeypatch):
    from types import SimpleNamespace

    from core.actions import Refused
    from core.importing import tasks

    settings.YUANQU_IMPORT_INLINE_BYTES = 0  # every file goes to the worker
    queued = []
    monkeypatch.setattr(tasks, "import_commit", SimpleNamespace(enqueue=lambda batch_id, run: queued.append(batch_id)))
    batch = checked_batch(world, [["a-1", "12", "1291", "100", "办公", "90"]])
    second = type(batch).objects.get(pk=batch.pk)  # as the second click's request read it, before the first
    assert jobs.batch_commit_start(user=batch.user, instance=batch).status == ImportStatus.COMMITTING
    with pytest.raises(Refused):
        jobs.batch_commit_start(user=batch.user, instance=second)
    assert queued == [batch.pk] and type(batch).objects.get(pk=batch.pk).status == ImportStatus.COMMITTING
