"""The home page's block of certifications: the subjects certified today by category and level, with the floor
area of the certified parks, each within the user's scope."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from certification.choices import CertificationStatus, SchemeCategory, SchemeLevel
from certification.selectors import certified_summary
from spaces.models import Building

from .generic_rounds import certification_of, scheme_with_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(world):
    """Park A: a provincial cultural park (a-1 of 12,000 m², a second building of 3,000 m²) and a district
    science park; park B: a municipal cultural park of 30,000 m²; and a revoked and an expired certification
    that do not count."""
    Building.objects.filter(pk=world.building_a.pk).update(gross_floor_area=Decimal("12000.00"))
    Building.objects.create(park=world.park_a, code="a-2", name="科技楼B座", gross_floor_area=Decimal("3000.00"))
    Building.objects.filter(pk=world.building_b.pk).update(gross_floor_area=Decimal("30000.00"))
    cultural, cultural_version = scheme_with_version("文化创意园区认定办法")
    cultural.category = SchemeCategory.CULTURAL_PARK
    cultural.save()
    science, science_version = scheme_with_version()
    certification_of(world, "a", cultural, cultural_version, level=SchemeLevel.PROVINCIAL)
    certification_of(world, "b", cultural, cultural_version, level=SchemeLevel.MUNICIPAL)
    certification_of(world, "a", science, science_version)
    certification_of(world, "b", science, science_version, status=CertificationStatus.REVOKED,
                     revoked_on=datetime.date(2025, 1, 1))
    certification_of(world, "b", science, science_version, valid_until=datetime.date(2024, 12, 31))
    return world


def test_officers_see_the_district_by_category_and_level_with_the_parks_floor_area(certified):
    rows = certified_summary(user=certified.users["officer"], on=datetime.date(2026, 6, 1))
    assert [(r["label"], r["total"], [(str(label), n) for label, n in r["levels"]], r["floor_area"])
            for r in rows] == [
        ("科技园区", 1, [("区级", 1)], Decimal("15000.00")),
        ("文化创意产业园区", 2, [("省级", 1), ("市级", 1)], Decimal("45000.00")),
    ]


def test_an_operator_sees_its_own_parks_only(certified):
    rows = certified_summary(user=certified.users["operator"], on=datetime.date(2026, 6, 1))
    assert [(r["total"], r["floor_area"]) for r in rows] == [(1, Decimal("15000.00")), (1, Decimal("15000.00"))]


def test_the_home_page_shows_the_block_to_officers_and_not_to_enterprises(certified, client_for, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 6, 1))
    page = client_for(certified.users["officer"]).get("/").content.decode()
    assert "认定情况" in page and "45,000.00 ㎡" in page and "省级 1、市级 1" in page
    assert "认定情况" not in client_for(certified.users["enterprise"]).get("/").content.decode()


def test_a_certification_revoked_later_counts_until_its_revocation_day(certified):
    from certification.models import Certification

    revoked = Certification.objects.get(status=CertificationStatus.REVOKED)  # revoked on 2025-01-01
    assert revoked in Certification.objects.in_force_on(datetime.date(2024, 12, 31))
    assert revoked not in Certification.objects.in_force_on(datetime.date(2025, 1, 1))
    assert [r["total"] for r in certified_summary(user=certified.users["officer"], on=datetime.date(2024, 12, 31))
            if r["category"] == SchemeCategory.SCIENCE_PARK] == [3]  # a's, the revoked one, and the one ending then
