"""``manage.py generate``'s certification records at ``--scale small``: certified subjects under published
versions, incubatees on the certified parks' tenancies, qualifications, service records; determinism; flush."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Q

from certification.facts import compute, compute_loop
from certification.generate import SERVICE_DAYS
from certification.models import Certification, Incubatee, Scheme, SchemeVersion, ServiceRecord
from enterprises.models import Qualification
from leasing.models import Lease

TODAY = datetime.date(2025, 6, 30)


def run(*args):
    call_command("generate", "--scale", "small", "--today", TODAY.isoformat(), *args, stdout=io.StringIO())


def snapshot():
    return {
        "certifications": sorted(Certification.objects.values_list("certificate_number", "park__code",
                                                                    "building__code", "valid_from")),
        "incubatees": sorted(Incubatee.objects.values_list("park__code", "enterprise__credit_code", "entered_on",
                                                           "left_on", "exit_reason", "industry_match")),
        "qualifications": sorted(Qualification.objects.values_list("enterprise__credit_code", "kind", "issued_on")),
        "services": sorted(ServiceRecord.objects.values_list("park__code", "enterprise__credit_code", "area",
                                                             "served_on")),
    }


@pytest.mark.django_db
def test_small_scale_certifies_subjects_with_their_records():
    run("--seed", "5")
    certifications = Certification.objects.select_related("version", "scheme")
    assert certifications.count() >= 4
    assert certifications.filter(building__isnull=False).exists()
    for c in certifications:
        assert c.version.status == "published" and c.version.scheme_id == c.scheme_id
        assert c.valid_from <= TODAY <= c.valid_until
        assert (c.building_id is not None) == (c.scheme.subject_kind == "building")
        assert c.building is None or c.building.park_id == c.park_id
    assert Scheme.objects.count() == SchemeVersion.objects.count() == 4
    from certification.builder import version_hash

    assert all(v.content_hash == version_hash(v) for v in SchemeVersion.objects.all())  # as publishing fixes it

    incubatees = Incubatee.objects.all()
    assert incubatees.count() > 50
    certified_incubators = set(certifications.filter(scheme__category__in=("incubator", "science_park"))
                               .values_list("park_id", flat=True))
    assert set(incubatees.values_list("park_id", flat=True)) <= certified_incubators
    # every incubatee is a tenant of its park, entering within its tenancy
    tenant = Lease.objects.filter(park_id=OuterRef("park_id"), enterprise_id=OuterRef("enterprise_id"),
                                  start_date__lte=OuterRef("entered_on"))
    assert not incubatees.filter(~Exists(tenant)).exists()
    assert incubatees.filter(left_on__isnull=True).exists() and incubatees.filter(exit_reason="graduated").exists()
    assert not incubatees.filter(left_on__gt=TODAY).exists()
    # most high-tech graduates held the certificate when they left
    high_tech = incubatees.filter(graduation_basis="high_tech")
    held = high_tech.filter(Exists(Qualification.objects.filter(enterprise_id=OuterRef("enterprise_id"),
                                                                 kind="high_tech",
                                                                 issued_on__lte=OuterRef("left_on"))))
    assert held.count() >= 0.7 * high_tech.count()

    assert Qualification.objects.filter(kind="high_tech").exists()
    assert Qualification.objects.filter(kind="specialised").exclude(level="").count() == \
        Qualification.objects.filter(kind="specialised").count()
    services = ServiceRecord.objects.all()
    assert services.count() >= 30 * certifications.count()
    first = TODAY - datetime.timedelta(days=SERVICE_DAYS)
    assert not services.filter(Q(served_on__lt=first) | Q(served_on__gt=TODAY)).exists()
    assert services.values("area").distinct().count() == 7

    subjects = [(c.park_id, c.building_id) for c in certifications]
    assert compute(subjects, TODAY) == compute_loop(subjects, TODAY)


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_records_and_flush_removes_them():
    run("--seed", "3")
    first = snapshot()
    run("--seed", "3", "--flush")
    assert snapshot() == first
    run("--seed", "4", "--flush")
    assert snapshot()["incubatees"] != first["incubatees"]
