"""Certifications: the panel on the park's and the building's pages, reminders 90/60/30 days before the last valid
day (to the park's operators and the bureau, none once renewed), and the daily run that marks them expired."""

import datetime
import importlib

import pytest
from django.utils import timezone

from certification.choices import CertificationStatus
from certification.models import Certification
from certification.reminders import CERTIFICATION_EXPIRING
from certification.tests.generic_records import sample_scheme
from core.models import ObjectChange, Reminder, ReminderRule
from core.reminders import daily
from core.reminders.services import reminders_raise

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def rules(db):
    importlib.import_module("certification.migrations.0002_records_reminders").seed_rules(ReminderRule)
    return {rule.days_before: rule for rule in ReminderRule.objects.filter(kind=CERTIFICATION_EXPIRING)}


def certification(world, *, valid_until, building=None, park=None, number="FTKC-RZ-2023-0001", scheme=None,
                  status=CertificationStatus.VALID, **more):
    scheme = scheme or sample_scheme()
    return Certification.objects.create(
        scheme=scheme, version=scheme.versions.get(), park=park or world.park_a, building=building,
        level=scheme.level, certificate_number=number, valid_from=valid_until - 3 * 365 * DAY,
        valid_until=valid_until, status=status, **more)


def open_reminders(user):
    return list(Reminder.objects.filter(recipient=user, resolved_at__isnull=True,
                                        content_type__model="certification").select_related("rule"))


def test_the_seeded_rules_remind_operators_and_the_bureau_at_90_60_and_30_days(rules):
    assert sorted(rules) == [30, 60, 90]
    assert all(rule.to_operators and rule.to_bureau and not rule.to_enterprise for rule in rules.values())
    assert rules[90].title == "认定证书90天内到期"


@pytest.mark.parametrize("days, band", [(0, 30), (30, 30), (31, 60), (60, 60), (61, 90), (90, 90), (91, None)])
def test_a_certification_gets_the_reminder_of_its_band(world, rules, today, days, band):
    certification(world, valid_until=today + days * DAY)
    reminders_raise(today=today)
    found = open_reminders(world.users["operator"])
    assert [r.rule.days_before for r in found] == ([band] if band else [])
    assert [r.rule.days_before for r in open_reminders(world.users["officer"])] == ([band] if band else [])
    assert open_reminders(world.users["operator_b"]) == []
    assert open_reminders(world.users["enterprise"]) == []


def test_the_reminder_names_the_scheme_the_subject_the_certificate_and_the_days_left(world, rules, today):
    made = certification(world, valid_until=today + 45 * DAY)
    reminders_raise(today=today)
    (reminder,) = open_reminders(world.users["operator"])
    end = made.valid_until
    assert reminder.text == (f"国际金融科技生态园的样本认定办法records-park（证书FTKC-RZ-2023-0001）有效期至"
                             f"{end.year}年{end.month}月{end.day}日，还有45天")
    assert reminder.link == made.get_absolute_url()


def test_a_renewed_certification_is_not_reminded(world, rules, today):
    certification(world, valid_until=today + 20 * DAY)
    certification(world, valid_until=today + 20 * DAY + 3 * 365 * DAY, number="FTKC-RZ-2026-0009")
    reminders_raise(today=today)
    assert open_reminders(world.users["operator"]) == []


def test_another_buildings_certification_renews_nothing(world, rules, today):
    certification(world, valid_until=today + 20 * DAY)
    certification(world, valid_until=today + 800 * DAY, building=world.building_a, number="FTKC-RZ-2026-0009",
                  scheme=sample_scheme("tech-building", subject_kind="building"))
    reminders_raise(today=today)
    assert [r.rule.days_before for r in open_reminders(world.users["operator"])] == [30]


def test_the_daily_run_marks_certifications_past_their_last_day_expired(world, rules, today):
    lapsed = certification(world, valid_until=today - DAY)
    last_day = certification(world, valid_until=today, number="FTKC-RZ-2023-0002")
    revoked = certification(world, valid_until=today - 5 * DAY, number="FTKC-RZ-2023-0003",
                            status=CertificationStatus.REVOKED, revoked_on=today - 30 * DAY)
    results = daily.run_tasks(today, names=["certification.certifications_refresh"])
    assert results["certification.certifications_refresh"]["ok"], results
    statuses = dict(Certification.objects.values_list("pk", "status"))
    assert statuses == {lapsed.pk: CertificationStatus.EXPIRED, last_day.pk: CertificationStatus.VALID,
                        revoked.pk: CertificationStatus.REVOKED}
    change = ObjectChange.objects.get(object_id=str(lapsed.pk), content_type__model="certification", action="update")
    assert (change.data_before["status"], change.data_after["status"]) == ("valid", "expired")
    daily.run_tasks(today, names=["certification.certifications_refresh"])
    assert ObjectChange.objects.filter(content_type__model="certification").count() == 1


def test_the_park_page_shows_its_certifications(world, client_for, today):
    made = certification(world, valid_until=today + 400 * DAY)
    theirs = certification(world, valid_until=today + 400 * DAY, park=world.park_b, number="FTKC-RZ-2023-0100")
    page = client_for(world.users["operator"]).get(world.park_a.get_absolute_url()).content.decode()
    assert 'data-testid="certifications"' in page
    assert made.certificate_number in page and made.get_absolute_url() in page and "区级" in page and "有效" in page
    assert theirs.certificate_number not in page
    other = client_for(world.users["officer"]).get(world.park_b.get_absolute_url()).content.decode()
    assert theirs.certificate_number in other and made.certificate_number not in other


def test_the_building_page_shows_the_buildings_own_certification(world, client_for, today):
    park_wide = certification(world, valid_until=today + 400 * DAY)
    own = certification(world, valid_until=today + 400 * DAY, building=world.building_a, number="FTKC-RZ-2024-0005",
                        scheme=sample_scheme("tech-building", subject_kind="building"))
    page = client_for(world.users["operator"]).get(world.building_a.get_absolute_url()).content.decode()
    assert own.certificate_number in page and park_wide.certificate_number not in page
    park_page = client_for(world.users["operator"]).get(world.park_a.get_absolute_url()).content.decode()
    assert own.certificate_number in park_page and park_wide.certificate_number in park_page


def test_an_operator_sees_its_parks_certifications_only(world, client, client_for, today):
    from yuanqu.testing import bearer

    mine = certification(world, valid_until=today + 400 * DAY)
    theirs = certification(world, valid_until=today + 400 * DAY, park=world.park_b, number="FTKC-RZ-2023-0100")
    operator = client_for(world.users["operator"])
    assert operator.get(mine.get_absolute_url()).status_code == 200
    assert operator.get(theirs.get_absolute_url()).status_code == 404
    listed = client.get("/api/certification/certifications", **bearer(world.users["operator"])).json()["results"]
    assert [row["certificate_number"] for row in listed] == [mine.certificate_number]


def test_an_officer_records_an_older_certificate_with_a_version_of_its_scheme(world, client_for):
    scheme, other = sample_scheme(), sample_scheme("another-scheme")
    data = {"park": world.park_a.pk, "scheme": scheme.pk, "version": other.versions.get().pk, "level": "district",
            "certificate_number": "FTKC-RZ-2019-0003", "valid_from": "2019-07-01", "valid_until": "2022-06-30",
            "status": "expired"}
    client = client_for(world.users["officer"])
    response = client.post("/certification/certifications/add/", data)
    assert response.context["form"].errors["version"] == [f"请选择{scheme.name}的版本。"]
    response = client.post("/certification/certifications/add/", {**data, "version": scheme.versions.get().pk})
    assert response.status_code == 302
    assert Certification.objects.get().certificate_number == "FTKC-RZ-2019-0003"
    assert ObjectChange.objects.filter(content_type__model="certification", action="create").count() == 1


def test_revoking_is_not_an_edit(world, client_for):
    """The edit form offers no 已撤销 and no revocation fields; a revoked certification is not edited back."""
    from certification.choices import CertificationStatus
    from certification.forms import CertificationForm

    form = CertificationForm(user=world.users["officer"])
    assert CertificationStatus.REVOKED not in dict(form.fields["status"].choices)
    assert "revoked_on" not in form.fields and "revocation_reason" not in form.fields
    from certification.tests.generic_records import TestCertification

    revoked = TestCertification().sample(world, "a", status=CertificationStatus.REVOKED,
                                         revoked_on=datetime.date(2026, 1, 15), revocation_reason="撤销")
    response = client_for(world.users["officer"]).get(revoked.get_absolute_url() + "edit/")
    assert response.status_code in (302, 409)
    revoked.refresh_from_db()
    assert revoked.status == CertificationStatus.REVOKED
