"""Two administrators start a new version of one scheme at the same moment (PostgreSQL: real threads, real
transactions). The check before the insert reads what was committed; only the partial unique constraint
``scheme_one_draft`` sees the other transaction's draft, and the loser gets the Chinese refusal, never a
database error and never a second draft."""

import datetime

import pytest

from certification import services
from certification.choices import VersionStatus
from certification.models import SchemeVersion
from core.actions import Refused
from yuanqu.racing import postgres_only, race

from .generic_schemes import a_scheme, a_version

ROUNDS = 20
pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_new_versions_at_once_make_one_draft_and_one_refusal(world):
    admin, officer = world.users["admin"], world.users["officer"]
    scheme = a_scheme("a")
    # Two published versions, so that the two starts lock different rows and meet only at the constraint.
    first = a_version(scheme, status=VersionStatus.PUBLISHED, effective_from=datetime.date(2019, 1, 1))
    second = a_version(scheme, status=VersionStatus.PUBLISHED, effective_from=datetime.date(2022, 1, 1))

    def starter(user, source):
        def start(number):
            return services.schemeversion_new_version(
                user=user, instance=source, effective_from=datetime.date(2030, 1, 1) + datetime.timedelta(days=number))
        return start

    def clear(_outcomes):
        SchemeVersion.objects.filter(scheme=scheme, status=VersionStatus.DRAFT).delete()

    for number in range(ROUNDS):
        pair = race([starter(admin, first), starter(officer, second)])[0]
        drafts = [o for o in pair if isinstance(o, SchemeVersion)]
        refusals = [o for o in pair if isinstance(o, Refused)]
        assert len(drafts) == 1 and len(refusals) == 1, (number, pair)
        assert "已有一个草稿版本" in refusals[0].message
        assert SchemeVersion.objects.filter(scheme=scheme, status=VersionStatus.DRAFT).count() == 1
        clear(pair)


def test_without_the_check_before_it_the_constraint_alone_keeps_one_draft(world, monkeypatch):
    """The action's body alone, in two transactions at once, with no look for a draft before the insert, and
    numbers that never clash: ``scheme_one_draft`` alone refuses the second."""
    import itertools
    import threading

    from django.db import transaction

    numbers, lock = itertools.count(100), threading.Lock()

    def distinct_number(_scheme_id):
        with lock:
            return next(numbers)

    monkeypatch.setattr(services.VERSIONS, "next_number", distinct_number)

    body = services.schemeversion_new_version.action.body
    scheme = a_scheme("a")
    sources = [a_version(scheme, status=VersionStatus.PUBLISHED, effective_from=datetime.date(2019 + i, 1, 1))
               for i in range(2)]

    def starter(user, source):
        def start(number):
            with transaction.atomic():
                return body(user=user, instance=source, effective_from=datetime.date(2031, 1, 1))
        return start

    for number in range(ROUNDS):
        pair = race([starter(world.users["admin"], sources[0]), starter(world.users["officer"], sources[1])])[0]
        assert sorted(type(o).__name__ for o in pair) == ["Refused", "SchemeVersion"], (number, pair)
        assert SchemeVersion.objects.filter(scheme=scheme, status=VersionStatus.DRAFT).count() == 1
        SchemeVersion.objects.filter(scheme=scheme, status=VersionStatus.DRAFT).delete()
