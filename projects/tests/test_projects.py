"""Projects: progress and the relocation rate, milestones late and reminded to the owning department, the space a
project will deliver shown as future supply on its zone's and park's pages."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.actions import Refused
from core.models import Department, DomainEvent, Reminder, ReminderRule
from core.reference.choices import Role
from projects import selectors, services
from projects.models import Milestone, Project, SpaceDelivery
from projects.reminders import MILESTONE_DUE
from yuanqu.testing import make_user

TODAY = timezone.localdate()


def project(world, code="HFB", **fields):
    values = {"code": code, "name": "华富北片区棚户区改造项目", "kind": "shantytown", "zone": world.area,
              "department": Department.objects.get(code="zjj"), "status": "in_progress",
              "started_on": datetime.date(2020, 3, 1), "households_to_relocate": 1250,
              "area_to_demolish": Decimal("180000")}
    return Project.objects.create(**{**values, **fields})


def progress(world, target, **inputs):
    values = {"as_of": TODAY - datetime.timedelta(days=3), "land_cleared": Decimal(0),
              "area_demolished": Decimal("96000"), "households_relocated": 1200, **inputs}
    return services.project_record_progress(user=world.users["officer"], instance=target, **values)


@pytest.mark.django_db
def test_progress_gives_the_relocation_rate_and_stays_within_the_plan(world):
    target = project(world)
    assert target.relocation_rate_percent == "0.00"
    progress(world, target)
    target.refresh_from_db()
    assert (target.households_relocated, target.area_demolished) == (1200, Decimal("96000.00"))
    assert target.relocation_rate_bp == 9600 and target.relocation_rate_percent == "96.00"
    event = DomainEvent.objects.filter(name="projects.project.record_progress").latest("pk")
    assert event.data["relocation_rate_bp"] == 9600 and event.data["households_relocated"] == 1200
    with pytest.raises(ValidationError) as error:
        progress(world, target, households_relocated=1251)
    assert "不能超过应搬迁户数" in str(error.value.message_dict["households_relocated"])
    with pytest.raises(ValidationError) as error:
        progress(world, target, as_of=TODAY - datetime.timedelta(days=10))
    assert "请填写更晚的日期" in str(error.value.message_dict["as_of"])
    progress(world, target, households_relocated=1213)  # 97.04%, half-up
    target.refresh_from_db()
    assert target.relocation_rate_percent == "97.04"
    finished = project(world, "DONE", status="completed", completed_on=datetime.date(2024, 1, 1))
    with pytest.raises(Refused):
        progress(world, finished)


@pytest.mark.django_db
def test_a_late_milestone_reminds_the_owning_department_until_reached(world):
    ReminderRule.objects.get_or_create(kind=MILESTONE_DUE, applies_to="", days_before=0,
                                       defaults={"title": "里程碑到期", "to_bureau": True})
    housing = make_user("zj_officer", Role.BUREAU_OFFICER, Department.objects.get(code="zjj"))
    target = project(world)
    milestone = services.milestone_create(user=world.users["officer"], data={
        "project": target, "name": "房屋移交", "planned_on": TODAY - datetime.timedelta(days=12)})
    kind = ContentType.objects.get_for_model(Milestone)
    open_reminders = Reminder.objects.filter(content_type=kind, object_id=str(milestone.pk), resolved_at__isnull=True)
    assert set(open_reminders.values_list("recipient__username", flat=True)) == {"zj_officer"}
    assert "已逾期 12 天" in open_reminders.get().text
    assert housing.pk != world.users["officer"].pk  # the kcj officer who entered it is not the department's
    services.milestone_reach(user=world.users["officer"], instance=milestone, day=TODAY - datetime.timedelta(days=1))
    milestone.refresh_from_db()
    assert milestone.done_on == TODAY - datetime.timedelta(days=1) and not open_reminders.exists()
    with pytest.raises(Refused, match="已于"):
        services.milestone_reach(user=world.users["officer"], instance=milestone, day=TODAY)
    # A suspended project reminds of nothing.
    later = services.milestone_create(user=world.users["officer"], data={
        "project": target, "name": "主体施工", "planned_on": TODAY - datetime.timedelta(days=2)})
    assert Reminder.objects.filter(object_id=str(later.pk), resolved_at__isnull=True).exists()
    services.project_suspend(user=world.users["officer"], instance=target)
    assert not Reminder.objects.filter(object_id=str(later.pk), content_type=kind, resolved_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_project_stays_in_its_zone_and_its_quantities_are_checked(world):
    from spaces.models import Park, Zone

    meilin = Zone.objects.create(code="meilin", name="梅林片区", kind="area", parent=world.zone)
    elsewhere = Park.objects.create(code="ml", name="梅林科创园", zone=meilin, operator=world.op_b)
    with pytest.raises(ValidationError) as error:
        services.project_create(user=world.users["officer"], data={
            "code": "X1", "name": "石厦村旧改项目", "kind": "urban_renewal", "zone": world.area, "park": elsewhere,
            "department": Department.objects.get(code="gxb")})
    assert "不在河套深港科技创新合作区内" in str(error.value.message_dict["park"])
    target = project(world)
    with pytest.raises(ValidationError) as error:
        services.spacedelivery_create(user=world.users["officer"], data={
            "project": target, "use": "research", "area": Decimal("0"), "expected_on": TODAY})
    assert "须大于 0" in str(error.value.message_dict["area"])
    assert not SpaceDelivery.objects.exists()


@pytest.mark.django_db
def test_space_to_deliver_is_future_supply_on_the_zone_and_park_pages(world, client_for):
    target = project(world, park=world.park_a)
    coming = services.spacedelivery_create(user=world.users["officer"], data={
        "project": target, "use": "research", "area": Decimal("15000"),
        "expected_on": TODAY + datetime.timedelta(days=300), "park": world.park_a})
    services.spacedelivery_create(user=world.users["officer"], data={
        "project": target, "use": "office", "area": Decimal("5000"), "expected_on": TODAY + datetime.timedelta(days=500)})
    supply = list(selectors.future_supply(user=world.users["leader"], zone=world.zone))  # the parent zone
    assert [d.area for d in supply] == [Decimal("15000.00"), Decimal("5000.00")]
    zone_page = client_for(world.users["leader"]).get(world.area.get_absolute_url()).content.decode()
    assert zone_page.count('data-testid="supply-row"') == 2 and "15,000.00 ㎡" in zone_page
    park_page = client_for(world.users["officer"]).get(world.park_a.get_absolute_url()).content.decode()
    assert park_page.count('data-testid="supply-row"') == 1  # the office space names no park
    operator_page = client_for(world.users["operator"]).get(world.park_a.get_absolute_url()).content.decode()
    assert 'data-testid="future-supply"' not in operator_page  # operators do not see projects
    services.spacedelivery_deliver(user=world.users["officer"], instance=coming, day=TODAY)
    assert [d.area for d in selectors.future_supply(user=world.users["leader"], zone=world.area)] == [
        Decimal("5000.00")]
