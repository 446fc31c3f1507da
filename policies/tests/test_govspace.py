"""Government-owned space allocation (政府产业用房, 福府办规〔2020〕4号): the admission standard decided for the
enterprise, the rent as a share of the assessed market rent, the lease made through leasing's services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import DomainEvent, ObjectChange
from enterprises.choices import QualificationKind
from enterprises.models import Qualification
from leasing.models import Lease
from policies import services
from policies.choices import AllocationStatus
from policies.models import Decision, SpaceAllocation
from spaces.choices import UnitStatus

from .generic_govspace import HIGH_TECH, allocation_policy, government_unit, rent_share

TODAY = datetime.date.today()
START = TODAY + datetime.timedelta(days=10)
END = START + datetime.timedelta(days=3 * 365)


def high_tech(enterprise):
    Qualification.objects.create(enterprise=enterprise, kind=QualificationKind.HIGH_TECH, certificate_number="GR2024",
                                 issued_on=TODAY - datetime.timedelta(days=200),
                                 valid_until=TODAY + datetime.timedelta(days=900))


def propose(world, *, units=None, enterprise=None, policy=None, assessed="118.35", user=None, start=START, end=END):
    return services.spaceallocation_create(user=user or world.users["officer"], data={
        "policy": policy or allocation_policy("high-tech-half", conditions=HIGH_TECH),
        "enterprise": enterprise or world.tenant_a,
        "units": units if units is not None else [government_unit(world.building_a, world.floor_a)],
        "start_date": start, "end_date": end, "assessed_rent": Decimal(assessed)})


@pytest.mark.django_db
def test_high_tech_enterprise_pays_half_of_assessed_rent(world):
    high_tech(world.tenant_a)
    unit = government_unit(world.building_a, world.floor_a, area="250.00")
    officer = world.users["officer"]
    allocation = propose(world, units=[unit])
    assert allocation.status == AllocationStatus.PROPOSED
    assert allocation.rent_share == 5000
    assert allocation.monthly_rent == Decimal("59.18")  # 118.35 × 50% = 59.175, half-up to the fen
    assert services.admitted(allocation.decision)
    assert "国家高新技术企业" in " ".join(services.admission_sentences(allocation.decision))

    services.spaceallocation_approve(user=officer, instance=allocation)
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.APPROVED and allocation.decided_by == officer
    assert allocation.approved_decision.purpose == "approval" and services.admitted(allocation.approved_decision)

    services.spaceallocation_lease(user=officer, instance=allocation, contract_number="ZFYF-2026-001")
    allocation.refresh_from_db()
    lease = allocation.lease
    assert allocation.status == AllocationStatus.LEASED
    assert (lease.enterprise, list(lease.units.all()), lease.start_date, lease.end_date) == (
        world.tenant_a, [unit], START, END)
    assert lease.monthly_rent == Decimal("59.18") and lease.assessed_monthly_rent == Decimal("118.35")
    assert lease.leased_area == Decimal("250.00") and lease.contract_number == "ZFYF-2026-001"
    unit.refresh_from_db()
    assert unit.status == UnitStatus.RESERVED  # the lease begins in ten days
    events = set(DomainEvent.objects.filter(object_id=str(allocation.pk)).values_list("name", flat=True))
    assert {"policies.spaceallocation.approve", "policies.spaceallocation.lease"} <= events
    assert ObjectChange.objects.filter(object_id=str(lease.pk), action="create").exists()


@pytest.mark.django_db
def test_an_enterprise_below_the_standard_is_proposed_with_its_reason_and_not_approved(world):
    allocation = propose(world)  # enterprise A holds no high-tech certificate
    assert not services.admitted(allocation.decision)
    sentences = services.admission_sentences(allocation.decision)
    assert any("国家高新技术企业" in s for s in sentences), sentences
    with pytest.raises(ValidationError) as refused:
        services.spaceallocation_approve(user=world.users["officer"], instance=allocation)
    assert "准入" in str(refused.value) and "国家高新技术企业" in str(refused.value)
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.PROPOSED and allocation.approved_decision is None


@pytest.mark.django_db
def test_a_unit_that_is_not_government_owned_is_refused_naming_the_units(world):
    private = government_unit(world.building_a, world.floor_a, government_owned=False)
    decisions = Decision.objects.count()
    with pytest.raises(ValidationError) as refused:
        propose(world, units=[private])
    assert list(refused.value.message_dict) == ["units"]
    assert "不是政府产业用房" in refused.value.message_dict["units"][0] and private.code in str(refused.value)
    assert not SpaceAllocation.objects.exists() and Decision.objects.count() == decisions  # nothing half-saved


@pytest.mark.django_db
def test_a_unit_leased_or_unavailable_over_the_period_is_refused(world):
    unavailable = government_unit(world.building_a, world.floor_a, status=UnitStatus.UNAVAILABLE)
    with pytest.raises(ValidationError) as refused:
        propose(world, units=[unavailable])
    assert "不可用" in refused.value.message_dict["units"][0] or "不能" in refused.value.message_dict["units"][0]
    leased = government_unit(world.building_a, world.floor_a)
    other = Lease.objects.create(enterprise=world.tenant_b, park=world.park_a, start_date=TODAY,
                                 end_date=TODAY + datetime.timedelta(days=400), monthly_rent=Decimal("100.00"))
    other.units.add(leased)
    with pytest.raises(ValidationError) as refused:
        propose(world, units=[leased])
    assert world.tenant_b.name in refused.value.message_dict["units"][0]
    # After that lease ends, the unit may be allocated.
    later = propose(world, units=[leased], start=TODAY + datetime.timedelta(days=401),
                    end=TODAY + datetime.timedelta(days=800))
    assert later.status == AllocationStatus.PROPOSED


@pytest.mark.django_db
def test_a_unit_approved_for_one_enterprise_is_not_approved_for_another(world):
    high_tech(world.tenant_a)
    high_tech(world.tenant_b)
    unit = government_unit(world.building_a, world.floor_a)
    first, second = propose(world, units=[unit]), propose(world, units=[unit], enterprise=world.tenant_b)
    services.spaceallocation_approve(user=world.users["officer"], instance=first)
    with pytest.raises(ValidationError) as refused:
        services.spaceallocation_approve(user=world.users["officer"], instance=second)
    assert world.tenant_a.name in refused.value.message_dict["units"][0]
    # Rejected, the first frees the unit for the second.
    services.spaceallocation_reject(user=world.users["officer"], instance=first, reason="企业放弃入驻")
    services.spaceallocation_approve(user=world.users["officer"], instance=second)
    second.refresh_from_db()
    assert second.status == AllocationStatus.APPROVED


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "operator", "enterprise"])
def test_only_the_bureau_allocates(world, role):
    with pytest.raises(PermissionDenied):
        propose(world, user=world.users[role])
    assert not SpaceAllocation.objects.exists() and not Decision.objects.exists()


@pytest.mark.django_db
def test_a_policy_without_a_rent_share_is_refused_naming_the_policy(world):
    policy = allocation_policy("no-share", parameters={})
    with pytest.raises(ValidationError) as refused:
        propose(world, policy=policy)
    assert list(refused.value.message_dict) == ["policy"] and "rent_share" in str(refused.value)


@pytest.mark.django_db
def test_the_rent_share_in_force_on_the_day_of_the_decision(world):
    """A share changed by a dated document applies from its date: 60% until last year, 50% since."""
    parameters = {"rent_share": {"type": "share", "label": "租金比例",
                                 "values": [["2020-01-01", 6000], [f"{TODAY.year}-01-01", 5000]]}}
    allocation = propose(world, policy=allocation_policy("dated", parameters=parameters), assessed="100.00")
    assert (allocation.rent_share, allocation.monthly_rent) == (5000, Decimal("50.00"))
    assert services.allocation_rent(Decimal("100.00"), 6000) == Decimal("60.00")
    assert services.allocation_rent(Decimal("0.01"), 5000) == Decimal("0.01")  # 0.005 元 rounds up
    assert rent_share(5000)["rent_share"]["values"] == [["2020-01-01", 5000]]


@pytest.mark.django_db
def test_the_pages_show_the_admission_check_and_the_discount(world, client_for):
    high_tech(world.tenant_a)
    officer = world.users["officer"]
    allocation = propose(world)
    services.spaceallocation_approve(user=officer, instance=allocation)
    services.spaceallocation_lease(user=officer, instance=allocation, contract_number="ZFYF-1")
    allocation.refresh_from_db()
    page = client_for(officer).get(allocation.get_absolute_url()).content.decode()
    assert 'data-testid="admission-sentence"' in page and "国家高新技术企业" in page
    assert "50.00%" in page and "59.18" in page
    lease_page = client_for(officer).get(allocation.lease.get_absolute_url()).content.decode()
    assert 'data-testid="lease-discount"' in lease_page
    assert "118.35" in lease_page and "50.00%" in lease_page and allocation.get_absolute_url() in lease_page
    # The tenant sees its lease's discount, not the bureau's allocation.
    tenant_page = client_for(world.users["enterprise"]).get(allocation.lease.get_absolute_url()).content.decode()
    assert 'data-testid="lease-discount"' in tenant_page and allocation.get_absolute_url() not in tenant_page


@pytest.mark.django_db
def test_the_add_page_offers_government_units_and_says_why_another_is_refused(world, client_for):
    from django.urls import reverse

    offered = government_unit(world.building_a, world.floor_a)
    private = government_unit(world.building_a, world.floor_a, government_owned=False)
    client = client_for(world.users["officer"])
    url = reverse("policies:spaceallocation_add")
    page = client.get(url).content.decode()
    assert f'value="{offered.pk}"' in page and f'value="{private.pk}"' not in page
    response = client.post(url, {
        "policy": allocation_policy().pk, "enterprise": world.tenant_a.credit_code, "units": [private.pk],
        "start_date": START.isoformat(), "end_date": END.isoformat(), "assessed_rent": "100.00"})
    assert response.status_code == 400  # a refused form answers 400, with the form and its messages
    page = response.content.decode()
    assert "单元：" in page and "不是政府产业用房" in page
    assert not SpaceAllocation.objects.exists()


@pytest.mark.django_db
def test_bulk_deletion_takes_proposals_and_keeps_an_approved_allocation_whole(world):
    from core.surfaces import bulk
    from policies import surfaces

    from .generic_govspace import TestSpaceAllocation

    made = TestSpaceAllocation()
    proposed, approved = made.sample(world, "a"), made.sample(world, "b", status=AllocationStatus.APPROVED)
    with pytest.raises(bulk.BulkFailed) as refused:
        bulk.objects_bulk_delete(user=world.users["officer"], surface=surfaces.spaceallocation,
                                 selection=[proposed.pk, approved.pk])
    assert len(refused.value.failures) == 1 and "已批准或已签约的配置予以保留" in str(refused.value)
    assert SpaceAllocation.objects.count() == 2  # all or nothing
    bulk.objects_bulk_delete(user=world.users["officer"], surface=surfaces.spaceallocation, selection=[proposed.pk])
    assert list(SpaceAllocation.objects.values_list("pk", flat=True)) == [approved.pk]
