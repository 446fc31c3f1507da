"""Generic tests (ADR 0018) of the screening's surfaces: screening runs and proactive offers, and the samples the
declared actions (screen again; confirm, decline) are tested from (core/tests/test_actions.py).

Both are made by the system, never typed in: a run by the screening its add form starts, an offer by a run. So
their edit and delete pages (and an offer's add page) refuse whatever is posted, with a message and nothing
changed; the inherited tests that expect those writes to succeed are left out, and ``test_screening_generic.py``
tests the refusals instead."""

import datetime
import itertools

from certification.choices import VersionStatus
from policies.choices import OfferStatus, RunStatus
from policies.models import Offer, Policy, PolicyVersion, ScreeningRun
from yuanqu.generic_tests import ModelTests

_serial = itertools.count(1)
WRITES_REFUSED = "made by the system: its services refuse edits and deletions (test_screening_generic.py)"


def sample_version() -> PolicyVersion:
    """A proactive policy whose one published version decides everyone eligible for 1,000.00 元."""
    policy, made = Policy.objects.get_or_create(code="screening-sample", defaults={
        "name": "样本免申即享政策", "category": "rent", "valid_from": datetime.date(2020, 1, 1)})
    if made:
        PolicyVersion.objects.create(policy=policy, number=1, status=VersionStatus.PUBLISHED,
                                     effective_from=datetime.date(2020, 1, 1),
                                     amount={"const": 100_000, "type": "money"}, content_hash="0" * 64)
    return policy.versions.get()


def sample_run(**overrides) -> ScreeningRun:
    return ScreeningRun.objects.create(**{"decided_on": datetime.date(2024, 12, 31),
                                          "period_start": datetime.date(2024, 1, 1),
                                          "period_end": datetime.date(2024, 12, 31), "status": RunStatus.DONE,
                                          **overrides})


class TestScreeningRun(ModelTests):
    model = ScreeningRun
    # The bureau screens; leaders read the results; operators and enterprises see none of it (only their offers).
    expected = {"admin": "va", "officer": "va", "leader": "v", "operator": "", "enterprise": "", "expert": ""}
    create_sides = "a"  # a run belongs to no operator
    update = {"decided_on": datetime.date(2024, 6, 30)}
    test_edit = test_delete = test_api_update = test_api_delete = None  # WRITES_REFUSED

    def sample(self, world, side, **overrides):
        year = 2023 if side == "a" else 2022
        return sample_run(**{"decided_on": datetime.date(year, 12, 31), "period_start": datetime.date(year, 1, 1),
                             "period_end": datetime.date(year, 12, 31), **overrides})

    def create_data(self, world, side):
        return {"period_start": "2024-01-01", "period_end": "2024-12-31", "decided_on": "2024-12-31"}


class TestOffer(ModelTests):
    model = Offer
    # An enterprise sees its own offers and answers them (the actions); the bureau and leaders see them all.
    expected = {"admin": "v", "officer": "v", "leader": "v", "operator": "", "enterprise": "v", "expert": ""}
    update = {"amount": 123_400}
    test_create = test_edit = test_delete = None  # WRITES_REFUSED
    test_api_create = test_api_update = test_api_delete = None  # WRITES_REFUSED

    def sample(self, world, side, **overrides):
        version = sample_version()
        start = datetime.date(2024, 1, 1) + datetime.timedelta(days=next(_serial) % 300)
        return Offer.objects.create(**{
            "run": sample_run(), "policy": version.policy, "version": version,
            "enterprise": world.tenant_a if side == "a" else world.tenant_b, "period_start": start,
            "period_end": datetime.date(2024, 12, 31), "amount": 100_000, "status": OfferStatus.PROPOSED,
            **overrides})

    def create_data(self, world, side):
        version = sample_version()
        return {"status": OfferStatus.PROPOSED, "policy": version.policy, "version": version}
