"""What the generic tests leave out for runs and offers: they are made by the system, so their edit and delete
pages, an offer's add page and the API refuse what is posted, with a message, and nothing changes."""

import pytest

from core.models import ObjectChange
from policies.models import Offer, ScreeningRun

from .generic_screening import TestOffer, TestScreeningRun

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_a_run_is_kept_as_it_was_made(world, client_for, role):
    run = TestScreeningRun().sample(world, "a")
    client = client_for(world.users[role])
    records = ObjectChange.objects.count()
    edit = client.post(f"/policies/screenings/{run.pk}/edit/", {"period_start": "2020-01-01",
                                                               "period_end": "2020-12-31", "decided_on": "2020-12-31"})
    assert edit.status_code == 400 and "筛查记录按生成时保存，不能修改" in edit.content.decode()
    delete = client.post(f"/policies/screenings/{run.pk}/delete/")
    assert delete.status_code == 400 and ScreeningRun.objects.filter(pk=run.pk).exists()
    assert ScreeningRun.objects.get(pk=run.pk).period_start.year == 2023 and ObjectChange.objects.count() == records
    api = client.patch(f"/api/policies/screenings/{run.pk}", {"decided_on": "2020-12-31"},
                       content_type="application/json")
    assert api.status_code in (400, 403, 405) and ScreeningRun.objects.get(pk=run.pk).decided_on.year == 2023


@pytest.mark.parametrize("role", ["admin", "officer"])
def test_an_offer_is_made_by_a_run_and_answered_by_its_actions(world, client_for, role):
    offer = TestOffer().sample(world, "a")
    client = client_for(world.users[role])
    before = Offer.objects.count()
    version = offer.version
    add = client.post("/policies/offers/add/", {"status": "proposed", "policy": version.policy_id,
                                                "version": version.pk})
    assert add.status_code in (400, 403) and Offer.objects.count() == before
    edit = client.post(f"/policies/offers/{offer.pk}/edit/", {"status": "declined"})
    assert edit.status_code == 400 and Offer.objects.get(pk=offer.pk).status == "proposed"
    assert "通过确认或不需要答复" in edit.content.decode()
    delete = client.post(f"/policies/offers/{offer.pk}/delete/")
    assert delete.status_code == 400 and Offer.objects.filter(pk=offer.pk).exists()
