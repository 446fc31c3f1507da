"""The records behind each number: the evidence page lists exactly what the fact counts, in the user's scope."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from certification.evaluation import evaluate_subject
from certification.facts import EVIDENCE, compute_one, evidence
from certification.models import Scheme, SchemeVersion

from .facts_world import BEFORE, D, Small


@pytest.fixture
def small(world):
    return Small(world)


def url(park, fact, on, building=None):
    query = f"?on={on.isoformat()}" + (f"&building={building.pk}" if building else "")
    return reverse("certification:evidence", args=[park.pk, fact]) + query


def test_the_page_lists_the_tenants_counted_with_the_number(client, small):
    client.force_login(small.world.users["operator"])
    response = client.get(url(small.world.park_a, "subject.tenant_count", BEFORE))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<div class="value" data-testid="fact-value">2 家</div>' in page
    assert small.t_a.name in page and small.t_d.name in page
    assert small.t_c.name not in page  # its lease starts after D
    assert "计入的记录" in page and "2025-06-29 的数值" in page
    assert list(response.context["evidence"].queryset) == sorted([small.t_a, small.t_d], key=lambda e: e.name)


def test_the_page_lists_the_units_of_the_leased_area(client, small):
    client.force_login(small.world.users["officer"])
    response = client.get(url(small.world.park_a, "subject.leased_area", D))
    assert response.context["value"] == "1,000 ㎡"
    assert response.context["evidence"].kind == "unit"
    assert [u.code for u in response.context["evidence"].queryset] == ["1201", "2101"]
    page = response.content.decode()
    assert small.t_a.name in page  # the tenant holding each unit
    assert reverse("leasing:lease_detail", args=[small.l1.pk]) in page


def test_a_buildings_page_lists_its_own_service_records(client, small):
    client.force_login(small.world.users["operator"])
    response = client.get(url(small.world.park_a, "subject.services_per_1000m2", D, small.world.building_a))
    assert response.status_code == 200
    rows = list(response.context["evidence"].queryset)
    assert [(r.served_on.isoformat(), r.area) for r in rows] == [("2025-06-30", "tech_transfer"),
                                                                  ("2024-07-01", "finance")]


@pytest.mark.parametrize("fact", sorted(EVIDENCE))
def test_every_fact_lists_what_it_counts(small, fact):
    """Counts equal the rows listed; areas equal the sum of the units listed; shares list the numerator."""
    w = small.world
    for on in (BEFORE, D):
        found = evidence(user=w.users["officer"], park=w.park_a, building=None, fact=fact, on=on)
        value = compute_one(w.park_a, None, on)[fact]
        assert found.value == value
        rows = list(found.queryset)
        if fact in ("subject.tenant_count", "subject.incubatee_count", "subject.graduate_count"):
            assert len(rows) == value
        if fact in ("subject.area_controlled", "subject.leased_area", "subject.incubatee_area"):
            assert sum(int(u.area * 100) for u in rows) == value
        if fact == "subject.service_areas_covered":
            assert len({r.area for r in rows}) == value


def test_another_operators_park_is_not_found(client, small):
    client.force_login(small.world.users["operator_b"])
    assert client.get(url(small.world.park_a, "subject.tenant_count", D)).status_code == 404
    assert client.get(url(small.world.park_b, "subject.tenant_count", D)).status_code == 200
    # a building of another park, an unknown fact, a date that is not one
    assert client.get(url(small.world.park_b, "subject.tenant_count", D, small.world.building_a)).status_code == 404
    assert client.get(url(small.world.park_b, "subject.nothing", D)).status_code == 404
    path = reverse("certification:evidence", args=[small.world.park_b.pk, "subject.tenant_count"])
    assert client.get(path + "?on=2025-13-01").status_code == 404


def test_roles_without_the_records_do_not_see_evidence(client, small):
    for role in ("enterprise", "expert"):
        client.force_login(small.world.users[role])
        assert client.get(url(small.world.park_a, "subject.tenant_count", D)).status_code == 404
    assert evidence(user=small.world.users["operator_b"], park=small.world.park_a, building=None,
                    fact="subject.tenant_count", on=D) is None


def test_the_outcome_table_links_computed_values_to_their_records(small):
    scheme = Scheme.objects.create(code="b", name="楼宇", category="specialised_building", level="district")
    version = SchemeVersion.objects.create(scheme=scheme, number=1, status="published", effective_from=D, criteria={
        "all": [{"fact": "subject.occupancy", "op": "ge", "value": 7000},
                {"fact": "subject.team_size", "op": "ge", "value": 5}]})
    outcome = evaluate_subject(version=version, park=small.world.park_a, building=small.a2, on=D, supplied={})
    html = render_to_string("certification/outcome.html", {"outcome": outcome.as_dict(), "park": small.world.park_a,
                                                           "building": small.a2, "on": D})
    link = url(small.world.park_a, "subject.occupancy", D, small.a2).replace("&", "&amp;")
    assert f'<a href="{link}" data-testid="evidence-link">80%</a>' in html
    assert "≥ 70%" in html
    assert html.count('data-testid="evidence-link"') == 1  # the supplied fact has no records
    assert "text-bg-success" in html and "text-bg-secondary" in html
    assert "满足" in html and "数据缺失" in html


def test_a_value_with_no_records_to_list_gets_no_link():
    from certification.selectors import evidence_url

    assert evidence_url(park_id=1, building_id=None, fact="subject.floor_area", on=D) is None  # from the buildings
    assert evidence_url(park_id=1, building_id=None, fact="subject.fund_size", on=D) is None  # stated, with a document
    assert evidence_url(park_id=1, building_id=2, fact="subject.occupancy", on=D) == (
        f"/certification/evidence/1/subject.occupancy/?on={D.isoformat()}&building=2")
