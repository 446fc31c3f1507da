"""免申即享: a run screens every enterprise, offers to the eligible ones that have not applied, re-checks a sample
with the explaining evaluator and fails on any difference; officers start it from the screening page and read
its results; an enterprise sees its offers with the reasons and confirms one in one step, or declines it."""

import datetime

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied

from policies import engine, facts, screening, services, snapshot
from policies.choices import ApplicationStatus, OfferStatus, RunStatus
from policies.models import Application, Decision, Offer, ScreeningRun

from .screening_policies import ATTRACTION, CREDIT, VARIANTS, create
from .screening_world import END, START, D, District

pytestmark = pytest.mark.django_db
TECH_B = next(v for v in VARIANTS if v["code"] == "tech-building-rent-b")


@pytest.fixture
def district(world):
    built = District(world)
    built.attraction = create(ATTRACTION, budget=20_000_000_00, year=2024)
    built.tech = create(TECH_B, budget=5_000_000_00, year=2024)
    built.credit = create(CREDIT)
    built.alpha.users.add(world.users["enterprise"])
    return built


def run(world, **kwargs):
    return services.screening_run(on=D, start=START, end=END, user=world.users["officer"], **kwargs)


def expected_amount(version, enterprise):
    rules = engine.rules_of(version)

    def facts_for(start, end):
        return facts.compute([enterprise.pk], on=D, start=start, end=end, policy=version.policy)[enterprise.pk]

    return engine.decide_facts(rules, facts_for, START, END, D)


def test_a_run_offers_what_each_eligible_enterprise_would_get(district, world):
    result = run(district.world)
    assert result.status == RunStatus.DONE and result.mismatches == 0
    assert result.enterprises == 7  # the district's five and the world's two tenants
    offers = {(o.policy.code, o.enterprise_id): o.amount for o in Offer.objects.select_related("policy")}
    # beta moved in on 2022-04-15 and pays 226,800 元 in 2024: half of it
    assert offers[("attraction-rent", district.beta.pk)] == 11_340_000
    alpha = expected_amount(district.tech, district.alpha)
    assert alpha.eligible and offers[("tech-building-rent-b", district.alpha.pk)] == alpha.amount
    assert len(alpha.trace["amount"]["parts"]) == 2  # split on 1 July, when the rate changes
    assert set(offers) == {("attraction-rent", district.beta.pk), ("tech-building-rent-b", district.alpha.pk)}
    assert result.offers == 2 and result.total_amount == 11_340_000 + alpha.amount
    rows = {row["code"]: row for row in result.summary["policies"]}
    assert rows["credit-services-rent"]["eligible"] == 0 and rows["credit-services-rent"]["budget"] is None
    assert rows["attraction-rent"]["budget"] == 20_000_000_00
    assert rows["attraction-rent"]["budget_share"] == round(11_340_000 * 100 / 20_000_000_00, 1)
    assert result.sample_checked == 3 * 7  # a sample of 200 is every row here
    assert set(result.summary["seconds"]) >= {"snapshot", "evaluate", "recheck", "offers", "total"}
    assert not Decision.objects.exists()  # reasons are decided when an offer is first opened


def test_no_offer_twice_nor_to_those_who_applied(district, world):
    Application.objects.create(number="SQ-1", policy=district.attraction.policy, enterprise=district.beta,
                               year=2024, period_start=START, period_end=END, status=ApplicationStatus.SUBMITTED)
    first = run(world)
    assert first.offers == 1 and first.summary["policies"][0]["excluded"] + first.summary["policies"][1][
        "excluded"] + first.summary["policies"][2]["excluded"] == 1
    second = run(world)
    assert second.status == RunStatus.DONE and second.offers == 0 and second.eligible == first.eligible
    assert Offer.objects.count() == 1


def test_an_offer_no_longer_eligible_is_superseded(district, world):
    run(world)
    district.beta.moved_out_on = datetime.date(2024, 12, 1)  # it left the district
    district.beta.save()
    again = run(world)
    offer = Offer.objects.get(enterprise=district.beta)
    assert offer.status == OfferStatus.SUPERSEDED and offer.run_id != again.pk
    assert {row["code"]: row["superseded"] for row in again.summary["policies"]}["attraction-rent"] == 1


def test_a_difference_in_the_sample_fails_the_run_and_makes_no_offer(district, world):
    def corrupted(**kwargs):
        snap = snapshot.build(**kwargs)
        values, present = snap.base["lease.sublet"]
        snap.base["lease.sublet"] = (np.zeros_like(values), present)  # forget alpha's sublet
        paid = snap.periods[(START, END)]["lease.rent_paid"]
        snap.periods[(START, END)]["lease.rent_paid"] = (paid[0] + 100, paid[1])
        return snap

    screening_run = ScreeningRun.objects.create(decided_on=D, period_start=START, period_end=END)
    result = screening.run(screening_run, build=corrupted)
    assert result.status == RunStatus.FAILED and result.offers == 0 and result.mismatches >= 1
    assert not Offer.objects.exists()
    difference = result.summary["differences"][0]
    assert difference["a_amount"] != difference["b_amount"] or difference["a_eligible"] != difference["b_eligible"]


def test_only_the_bureau_screens(district, world):
    for role in ("enterprise", "operator", "leader", "expert"):
        with pytest.raises(PermissionDenied):
            services.screening_run(on=D, start=START, end=END, user=world.users[role])
    assert not ScreeningRun.objects.exists()


def test_the_officer_starts_a_run_from_the_page_and_reads_it(district, world, client_for):
    client = client_for(world.users["officer"])
    page = client.get("/policies/screenings/add/")
    assert page.status_code == 200
    response = client.post("/policies/screenings/add/", {"period_start": "2024-01-01", "period_end": "2024-12-31",
                                                         "decided_on": "2024-12-31"})
    assert response.status_code == 302
    run_ = ScreeningRun.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "招商引资租金支持" in detail and "113,400.00" in detail  # beta's likely amount, in yuan
    assert "20,000,000.00" in detail  # the policy's budget for 2024
    bad = client.post("/policies/screenings/add/", {"period_start": "2024-12-31", "period_end": "2024-01-01",
                                                    "decided_on": "2024-12-31"})
    assert bad.status_code == 400 and ScreeningRun.objects.count() == 1
    listing = client.get("/policies/offers/", {"policy": district.attraction.policy_id}).content.decode()
    assert district.beta.name in listing and district.alpha.name not in listing
    export = client.get("/policies/offers/export/", {"format": "xlsx", "run": run_.pk})
    assert export.status_code == 200
    from core.importing import reading

    data = b"".join(export.streaming_content) if export.streaming else export.content
    (_name, rows), *_ = reading.read_sheets(data, "offers.xlsx")
    amounts = {str(row[0]): row for row in rows[1:]}
    assert any("113400" in str(cell).replace(",", "").replace(".00", "") for row in amounts.values()
               for cell in row), rows
    # screening again from the run's page
    again = client.post(f"/policies/screenings/{run_.pk}/rerun/")
    assert again.status_code == 302 and ScreeningRun.objects.count() == 2


def test_the_enterprise_sees_its_offer_with_reasons_and_confirms_it(district, world, client_for):
    run(world)
    client = client_for(world.users["enterprise"])
    home = client.get("/").content.decode()
    assert "/policies/my-offers/" in home
    page = client.get("/policies/my-offers/").content.decode()
    assert "科技楼宇租金补贴（不限面积）" in page
    assert "所在楼宇特色楼宇类别 tech-building" in page  # one sentence per condition
    assert "招商引资" not in page  # beta's offer is not alpha's
    offer = Offer.objects.get(enterprise=district.alpha)
    decision = Decision.objects.get()
    assert decision.eligible and decision.amount == offer.amount and decision.purpose == "offer"
    assert Offer.objects.get(pk=offer.pk).decision_id == decision.pk
    client.get(offer.get_absolute_url())
    assert Decision.objects.count() == 1  # made once, then shown as it was made
    other = Offer.objects.get(enterprise=district.beta)
    assert client.get(other.get_absolute_url()).status_code == 404
    response = client.post(f"/policies/offers/{offer.pk}/confirm/")
    assert response.status_code == 302
    application = Application.objects.get(offer=offer)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.decision.eligible and application.decision.amount == offer.amount  # decided again, alike
    assert application.enterprise_id == district.alpha.pk and application.year == 2024
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.CONFIRMED
    assert client.post(f"/policies/offers/{offer.pk}/confirm/").status_code in (302, 409)
    assert Application.objects.filter(offer=offer).count() == 1


def test_the_enterprise_declines_and_is_not_asked_again(district, world, client_for):
    run(world)
    offer = Offer.objects.get(enterprise=district.alpha)
    client = client_for(world.users["enterprise"])
    assert client.post(f"/policies/offers/{offer.pk}/decline/").status_code == 302
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DECLINED
    again = run(world)
    assert again.offers == 0 and Offer.objects.filter(enterprise=district.alpha).count() == 1
    officer = client_for(world.users["officer"])
    assert officer.post(f"/policies/offers/{offer.pk}/decline/").status_code in (403, 404)
