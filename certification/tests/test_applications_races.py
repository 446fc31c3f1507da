"""Decisions at the same moment (PostgreSQL: real threads, real transactions): two approvals never share a
certificate number, and two officers deciding one application leave one decision."""

import datetime

import pytest

from certification import services
from certification.choices import ApplicationStatus, SchemeLevel
from certification.models import Application, Certification
from certification.tests.generic_records import sample_scheme, second_officer
from core.actions import Refused
from yuanqu.racing import postgres_only, race

ROUNDS = 10

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def accepted(world, count):
    scheme = sample_scheme("race-scheme", level=SchemeLevel.DISTRICT)
    return [Application.objects.create(
        number=f"SQ-RACE-{n:04d}", scheme=scheme, version=scheme.versions.get(), park=world.park_a,
        reference_date=datetime.date(2026, 3, 31), status=ApplicationStatus.ACCEPTED, reviewed_by=second_officer(),
        decided_by=second_officer()) for n in range(count)]


def test_two_approvals_at_once_take_two_certificate_numbers(world):
    firsts = accepted(world, ROUNDS)
    seconds = [Application.objects.create(
        number=f"SQ-RACE-B{n:04d}", scheme=a.scheme, version=a.version, park=world.park_a,
        reference_date=a.reference_date, status=ApplicationStatus.ACCEPTED, reviewed_by=a.reviewed_by,
        decided_by=a.decided_by) for n, a in enumerate(firsts)]

    def approver(user, applications):
        return lambda number: services.application_approve(user=user, instance=applications[number])

    outcomes = race([approver(world.users["admin"], firsts), approver(world.users["officer"], seconds)],
                    rounds=ROUNDS)
    for outcome in outcomes:
        assert all(isinstance(result, Certification) for result in outcome), outcome
    numbers = sorted(Certification.objects.values_list("certificate_number", flat=True))
    year = datetime.date.today().year
    assert numbers == [f"FTKC-RZ-{year}-{n:04d}" for n in range(1, 2 * ROUNDS + 1)]


def test_two_officers_deciding_one_application_leave_one_decision(world):
    applications = accepted(world, ROUNDS)

    def decide(verb, user):
        def run(number):
            if verb == "approve":
                return services.application_approve(user=user, instance=applications[number])
            return services.application_reject(user=user, instance=applications[number], comment="不予认定")
        return run

    outcomes = race([decide("approve", world.users["admin"]), decide("reject", world.users["officer"])],
                    rounds=ROUNDS)
    for number, (approval, rejection) in enumerate(outcomes):
        application = Application.objects.get(pk=applications[number].pk)
        refused = [o for o in (approval, rejection) if isinstance(o, Refused)]
        assert len(refused) == 1, (approval, rejection)
        assert "不能" in str(refused[0])
        certified = Certification.objects.filter(application=application).exists()
        assert certified == (application.status == ApplicationStatus.APPROVED)
        assert application.status in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)


def test_two_applications_opened_at_once_take_two_numbers(world):
    scheme = sample_scheme("race-scheme")

    def opener(user):
        return lambda number: services.application_create(user=user, data={
            "park": world.park_a, "scheme": scheme, "reference_date": datetime.date(2026, 3, 31)})

    outcomes = race([opener(world.users["operator"]), opener(world.users["officer"])], rounds=ROUNDS)
    for outcome in outcomes:
        assert all(isinstance(result, Application) for result in outcome), outcome
    year = datetime.date.today().year
    assert sorted(Application.objects.values_list("number", flat=True)) == [
        f"SQ-{year}-{n:04d}" for n in range(1, 2 * ROUNDS + 1)]
