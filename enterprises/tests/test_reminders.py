"""A high-tech enterprise certificate within 90 days of its last valid day reminds the bureau and the enterprise;
a renewed certificate ends the reminder."""

import datetime

import pytest
from django.utils import timezone

from core.models import Reminder
from core.reminders.services import reminders_raise
from enterprises import services
from enterprises.choices import QualificationKind, SpecialisedLevel
from enterprises.models import Qualification

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


def certificate(world, today, days_left, kind=QualificationKind.HIGH_TECH, number="GR202144200123"):
    return Qualification.objects.create(
        enterprise=world.tenant_a, kind=kind, certificate_number=number,
        level=SpecialisedLevel.PROVINCIAL if kind == QualificationKind.SPECIALISED else "",
        issued_on=today - 1000 * DAY, valid_until=today + days_left * DAY)


def open_for(user):
    return list(Reminder.objects.filter(recipient=user, resolved_at__isnull=True, content_type__model="qualification"))


def test_a_high_tech_certificate_lapsing_within_90_days_reminds_the_bureau_and_the_enterprise(world, reminder_rules, today):
    cert = certificate(world, today, 60)
    reminders_raise(today=today)
    (mine,) = open_for(world.users["enterprise"])
    end = cert.valid_until
    assert mine.text == (f"国家高新技术企业证书 GR202144200123（荣耀终端有限公司）有效期至 "
                         f"{end.year}年{end.month}月{end.day}日，还有 60 天")
    assert mine.due_date == end and mine.link == cert.get_absolute_url()
    assert len(open_for(world.users["officer"])) == 1 and len(open_for(world.users["admin"])) == 1
    assert open_for(world.users["operator"]) == []  # not in the seed rule's audience


@pytest.mark.parametrize("days, reminded", [(0, True), (90, True), (91, False), (-1, False)])
def test_the_90_day_window(world, reminder_rules, today, days, reminded):
    certificate(world, today, days)
    reminders_raise(today=today)
    assert bool(open_for(world.users["officer"])) is reminded


def test_other_qualifications_are_not_covered_by_the_high_tech_rule(world, reminder_rules, today):
    certificate(world, today, 30, kind=QualificationKind.SPECIALISED)
    reminders_raise(today=today)
    assert open_for(world.users["officer"]) == []


def test_recording_the_renewed_certificate_resolves_the_reminder_at_once(world, reminder_rules, today):
    old = certificate(world, today, 30)
    reminders_raise(today=today)
    assert len(open_for(world.users["enterprise"])) == 1
    services.qualification_create(user=world.users["officer"], data={
        "enterprise": world.tenant_a, "kind": QualificationKind.HIGH_TECH, "level": "",
        "certificate_number": "GR202444200999", "issued_on": today - 10 * DAY, "valid_until": None})
    assert open_for(world.users["enterprise"]) == [] and open_for(world.users["officer"]) == []
    assert Reminder.objects.get(object_id=str(old.pk), recipient=world.users["enterprise"]).resolution == "ended"
    reminders_raise(today=today)  # the daily run agrees
    assert open_for(world.users["officer"]) == []


def test_another_enterprises_account_is_not_reminded(world, reminder_rules, today):
    from yuanqu.testing import make_user

    stranger = make_user("t_enterprise_b", "enterprise")
    world.tenant_b.users.add(stranger)
    certificate(world, today, 30)
    reminders_raise(today=today)
    assert open_for(stranger) == [] and len(open_for(world.users["enterprise"])) == 1
