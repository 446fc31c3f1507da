"""The demo district's certification data: the letter's cultural-creative figures come out of the records, every
demo version checks against the fact catalogue, and the incubators, applications and round are there."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from certification import demo as certification_demo
from certification import services
from certification.choices import ApplicationStatus, RoundStatus, VersionStatus
from certification.models import (
    Application,
    Assessment,
    AssessmentRound,
    Certification,
    Incubatee,
    Scheme,
    SchemeVersion,
    ServiceRecord,
)
from core.attachments.selectors import attachment_list
from core.models import User
from demo import district as D
from demo.plan import DISTRICT_SCALES
from enterprises.models import Qualification
from spaces.models import Building

TODAY = datetime.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def district(db):
    call_command("load_demo", "--scale", "small", "--seed", "7", "--today", TODAY.isoformat(), stdout=io.StringIO())


def test_the_demo_district_reproduces_the_letters_cultural_parks(district):
    cultural = Certification.objects.filter(scheme__category="cultural_park", status="valid",
                                            valid_from__lte=TODAY, valid_until__gte=TODAY)
    assert cultural.count() == 10
    assert cultural.values("park").distinct().count() == 10
    by_level = dict(cultural.values_list("level").annotate(n=Sum(1)).values_list("level", "n"))
    assert by_level == {"provincial": 2, "municipal": 5, "district": 3}
    # The floor area is the certified parks' buildings' gross floor area (the fact subject.floor_area), 45万㎡ at
    # full scale, a tenth of it at the small scale loaded here.
    floor_area = Building.objects.filter(park__in=cultural.values("park")).aggregate(
        total=Sum("gross_floor_area"))["total"]
    assert floor_area == Decimal(D.CULTURAL_GFA) * Decimal(str(DISTRICT_SCALES["small"]))
    # Each level is the one the park's own description gives (市级 / 省级).
    for certification in cultural.select_related("park"):
        words = {"provincial": "省级", "municipal": "市级"}.get(certification.level)
        assert (words in certification.park.description) if words else not any(
            w in certification.park.description for w in ("省级", "市级")), certification.park.code


def test_every_demo_version_checks_and_its_hash_is_its_content(district):
    versions = SchemeVersion.objects.select_related("scheme")
    assert versions.count() == sum(len(row[-1]) for row in certification_demo.SCHEMES)
    for version in versions:
        assert services.version_problems(version) == [], (version.scheme.code, services.version_problems(version))
        assert version.content_hash and version.status in (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
        from certification.builder import version_hash
        assert version.content_hash == version_hash(version)
        if version.indicators:
            assert sum(i["weight"] for i in version.indicators) == 100
    codes = set(Scheme.objects.values_list("code", flat=True))
    assert {"national-incubator", "national-incubator-specialised", "shenzhen-incubator", "futian-science-park",
            "cultural-district", "cultural-municipal", "cultural-provincial", "tech-building", "hq-building",
            "premium-services-building", "silicon-street", "industrial-building"} == codes
    comprehensive = Scheme.objects.get(code="national-incubator").versions.get()
    specialised = Scheme.objects.get(code="national-incubator-specialised").versions.get()
    assert comprehensive.source_document == specialised.source_document == "国科发区〔2018〕300号"
    assert [i["weight"] for i in comprehensive.indicators] != [i["weight"] for i in specialised.indicators]
    assert "[assume]" in comprehensive.notes
    assert Scheme.objects.filter(subject_kind="building").count() == 5


def test_the_district_scheme_changed_and_each_record_names_the_version_of_its_day(district):
    scheme = Scheme.objects.get(code="futian-science-park")
    first, second = scheme.versions.order_by("number")
    assert services.version_in_force(scheme, datetime.date(2024, 12, 31)) == first
    assert services.version_in_force(scheme, datetime.date(2025, 1, 1)) == second
    for certification in Certification.objects.select_related("version"):
        assert certification.version == certification.scheme.version_on(certification.valid_from)
    building_certifications = Certification.objects.filter(scheme__subject_kind="building")
    assert building_certifications.count() >= 3 and not building_certifications.filter(building=None).exists()


def test_incubators_have_incubatees_graduates_and_recent_services(district):
    incubators = Certification.objects.filter(scheme__category__in=["incubator", "science_park"])
    assert incubators.count() >= 4
    incubatees = Incubatee.objects.filter(park__in=incubators.values("park"))
    assert incubatees.count() >= 20  # the small scale has a tenth of the tenants
    assert incubatees.filter(left_on=None).count() > incubatees.exclude(left_on=None).count()
    graduates = incubatees.filter(exit_reason="graduated")
    assert graduates.exists()
    for graduate in graduates.filter(graduation_basis="high_tech"):
        assert Qualification.objects.filter(enterprise=graduate.enterprise, kind="high_tech",
                                            issued_on__lte=graduate.left_on).exists()
    year_ago = TODAY - datetime.timedelta(days=365)
    services_ = ServiceRecord.objects.filter(served_on__gt=year_ago, served_on__lte=TODAY)
    assert services_.values("park").distinct().count() >= 4
    assert services_.values("area").distinct().count() == 7


def test_two_applications_and_last_years_round_with_the_expert(district):
    assert set(Application.objects.values_list("status", flat=True)) == {ApplicationStatus.DRAFT,
                                                                         ApplicationStatus.SUBMITTED}
    draft = Application.objects.get(status=ApplicationStatus.DRAFT)
    assert draft.park.operator.users.filter(username="operator").exists()
    submitted = Application.objects.get(status=ApplicationStatus.SUBMITTED)
    assert submitted.version == submitted.scheme.version_on(submitted.reference_date)
    # submitted as 提交 leaves it: every stated value names a document of its own, and the evaluation is kept
    documents = {a.document_id: a.document for a in attachment_list(user=User.objects.get(username="officer"), record=submitted)}
    assert sorted(submitted.supplied) == ["subject.operating_years", "subject.professional_staff_share",
                                          "subject.team_size"]
    assert all(stated["document"] in documents for stated in submitted.supplied.values())
    assert submitted.evaluation["version_hash"] == submitted.version.content_hash
    sentences = [leaf["sentence"] for leaf in submitted.evaluation["outcome"]["leaves"]]
    assert "专业运营团队人数 12 人，达到要求的 5 人" in sentences
    # taken as the steps they are, by the accounts that take them
    from core.models import DomainEvent

    assert DomainEvent.objects.filter(name="certification.application.submit", user_name="operator2").count() == 1
    assert DomainEvent.objects.filter(name="certification.assessmentround.compute", user_name="officer").count() == 1
    round_ = AssessmentRound.objects.get()
    assert (round_.year, round_.status, round_.reference_date) == (2024, RoundStatus.OPEN, datetime.date(2024, 12, 31))
    assert round_.version.number == 1  # the district scheme's second version took effect on 2025-01-01
    expert = User.objects.get(username="expert")
    assert expert.role == "expert" and list(round_.experts.all()) == [expert]
    assert Assessment.objects.filter(round=round_).count() >= 3
    # 开始考核 has run: each subject's quantitative indicators come from the records of the reference date
    for assessment in Assessment.objects.filter(round=round_):
        assert isinstance(assessment.computed["subject.incubatee_count"], int)
        assert assessment.computed["subject.incubatee_count"] == sum(
            1 for i in assessment.park.incubatees.all()
            if i.entered_on <= round_.reference_date and (i.left_on is None or i.left_on > round_.reference_date))
    assert set(Scheme.objects.for_user(expert)) == {round_.scheme}
