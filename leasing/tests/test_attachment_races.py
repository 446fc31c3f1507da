"""Attachments written at the same moment (PostgreSQL: real threads, real transactions): two new versions of one
document get different numbers; a lease deleted while a contract is uploaded to it never leaves the contract
pointing at nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.attachments import services
from core.models import Attachment, DocumentVersion
from core.tests import attachment_files as samples
from leasing.models import Lease
from leasing.services import lease_delete
from yuanqu.racing import postgres_only, race

ROUNDS = 20
TODAY = datetime.date.today()

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("attachment_root")]


def test_two_new_versions_at_once_get_the_next_two_numbers(world):
    first = services.document_upload(user=world.users["officer"], record=world.lease_a, kind="lease_contract",
                                     upload=samples.upload("合同.pdf", samples.PDF))

    def writer(user):
        return lambda number: services.document_version_add(
            user=user, attachment=first, upload=samples.upload(f"合同-{number}.pdf", samples.PDF))

    outcomes = race([writer(world.users["officer"]), writer(world.users["operator"])], rounds=ROUNDS)
    assert all(isinstance(o, DocumentVersion) for pair in outcomes for o in pair), outcomes
    numbers = list(first.document.versions.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, 2 * ROUNDS + 2))


def test_a_lease_deleted_while_its_contract_is_uploaded_keeps_no_dangling_attachment(world):
    leases = [Lease.objects.create(enterprise=world.tenant_a, park=world.park_a, contract_number=f"RACE-{n}",
                                   start_date=TODAY, end_date=TODAY + datetime.timedelta(days=30),
                                   monthly_rent=Decimal("100.00")) for n in range(ROUNDS)]

    def delete(number):
        return lease_delete(user=world.users["officer"], instance=leases[number])

    def upload(number):
        return services.document_upload(user=world.users["operator"], record=leases[number], kind="lease_contract",
                                        upload=samples.upload("合同.pdf", samples.PDF))

    outcomes = race([delete, upload], rounds=ROUNDS)
    for number, (deleted, uploaded) in enumerate(outcomes):
        # One of the two wins; the other is refused with a message, never a database error.
        assert isinstance(deleted, ValidationError) != isinstance(uploaded, ValidationError), (number, deleted, uploaded)
    remaining = set(Lease.objects.values_list("pk", flat=True))
    assert set(Attachment.objects.filter(content_type__model="lease").values_list("object_id", flat=True)) <= remaining
