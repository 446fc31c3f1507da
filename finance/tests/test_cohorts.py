"""Cohorts: members graduate and leave by their actions only from the programme; funding without its amount and a
day joined outside the intake are refused in Chinese; the outcomes "invested" and "high-tech recognised" are read
from the records after the day joined, counted per intake and summed per programme; an enterprise sees its own
memberships only."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.actions import Refused
from core.models import DomainEvent, ObjectChange
from enterprises.models import Enterprise, Qualification
from finance import selectors, services
from finance.choices import MemberStatus
from finance.models import Fund, FundInvestment, FundManager, Intake, Member, Programme, Resource
from yuanqu.generic_tests import credit_code

D = datetime.date


def setup_cohort(world):
    programme = Programme.objects.create(code="FT-JSQ", name="福田金融科技加速器", kind="accelerator")
    intake = Intake.objects.create(programme=programme, name="第一期", starts_on=D(2023, 3, 1), ends_on=D(2023, 12, 31),
                                   capacity=10)
    return programme, intake


def join(intake, enterprise, joined_on=D(2023, 3, 10), **fields):
    return Member.objects.create(intake=intake, enterprise=enterprise, joined_on=joined_on, **fields)


@pytest.mark.django_db
def test_a_member_graduates_or_leaves_by_its_action_once(world):
    _programme, intake = setup_cohort(world)
    officer = world.users["officer"]
    first = join(intake, world.tenant_a)
    second = join(intake, world.tenant_b)
    services.member_graduate(user=officer, instance=first, outcome_on=D(2023, 12, 20))
    first.refresh_from_db()
    assert (first.status, first.outcome_on) == (MemberStatus.GRADUATED, D(2023, 12, 20))
    with pytest.raises(Refused):
        services.member_leave(user=officer, instance=first, outcome_on=D(2024, 1, 5), reason="迁出")
    with pytest.raises(ValidationError) as error:
        services.member_leave(user=officer, instance=second, outcome_on=D(2023, 6, 1), reason=" ")
    assert "原因" in str(error.value.message_dict["reason"])
    with pytest.raises(ValidationError) as error:
        services.member_leave(user=officer, instance=second, outcome_on=D(2023, 3, 1), reason="迁出本区")
    assert "入营日期" in str(error.value.message_dict["outcome_on"])
    services.member_leave(user=officer, instance=second, outcome_on=D(2023, 6, 1), reason="迁出本区")
    second.refresh_from_db()
    assert (second.status, second.reason) == (MemberStatus.LEFT, "迁出本区")
    assert DomainEvent.objects.filter(name__in=["finance.member.graduate", "finance.member.leave"]).count() == 2
    assert ObjectChange.objects.filter(object_id=str(second.pk), action="update").exists()
    # Leaders and enterprises do not take the actions.
    third = join(intake, Enterprise.objects.create(name="深圳市示例金融科技有限公司", credit_code=credit_code(9101)))
    with pytest.raises(PermissionDenied):
        services.member_graduate(user=world.users["leader"], instance=third, outcome_on=D(2023, 12, 1))


@pytest.mark.django_db
def test_a_form_does_not_graduate_a_member(world):
    _programme, intake = setup_cohort(world)
    with pytest.raises(ValidationError) as error:
        services.member_create(user=world.users["officer"], data={
            "intake": intake, "enterprise": world.tenant_a, "joined_on": D(2023, 3, 10), "status": "graduated"})
    assert "毕业" in str(error.value.message_dict["status"])
    other = Programme.objects.create(code="FT-TSH", name="深圳天使荟（福田）", kind="angel")
    with pytest.raises(ValidationError) as error:
        services.member_create(user=world.users["officer"], data={
            "programme": other, "intake": intake, "enterprise": world.tenant_a, "joined_on": D(2023, 3, 10)})
    assert "不是深圳天使荟（福田）的批次" in str(error.value.message_dict["intake"])


@pytest.mark.django_db
def test_funding_without_its_amount_and_a_day_joined_outside_the_intake_are_refused_in_chinese(world):
    _programme, intake = setup_cohort(world)
    officer = world.users["officer"]
    with pytest.raises(ValidationError) as error:
        services.member_create(user=officer, data={"intake": intake, "enterprise": world.tenant_a,
                                                   "joined_on": D(2024, 2, 1)})
    message = " ".join(error.value.message_dict["joined_on"])
    assert "第一期" in message and "入营日期" in message
    member = services.member_create(user=officer, data={"intake": intake, "enterprise": world.tenant_a,
                                                        "joined_on": D(2023, 3, 1)})
    with pytest.raises(ValidationError) as error:
        services.resource_create(user=officer, data={"member": member, "kind": "funding", "given_on": D(2023, 4, 1)})
    assert "资金" in " ".join(error.value.message_dict["amount"]) and "金额" in " ".join(
        error.value.message_dict["amount"])
    resource = services.resource_create(user=officer, data={"member": member, "kind": "funding",
                                                            "given_on": D(2023, 4, 1), "amount": Decimal("500000")})
    assert resource.amount == Decimal("500000")
    # An intake's dates moved past a member's day joined are refused.
    with pytest.raises(ValidationError) as error:
        services.intake_update(user=officer, instance=intake, data={"starts_on": D(2023, 4, 1)})
    assert "荣耀终端有限公司" in " ".join(error.value.message_dict["ends_on"])


def invest(enterprise, day):
    manager = FundManager.objects.get_or_create(name="样本基金管理人")[0]
    fund = Fund.objects.get_or_create(code="F1", defaults={
        "name": "样本基金", "manager": manager, "kind": "venture", "size": Decimal("100000000"),
        "registered_on": D(2020, 1, 1)})[0]
    return FundInvestment.objects.create(fund=fund, enterprise=enterprise, round="a", amount=Decimal("3000000"),
                                         invested_on=day)


def qualify(enterprise, day, kind="high_tech"):
    return Qualification.objects.create(enterprise=enterprise, kind=kind, issued_on=day,
                                        valid_until=day + datetime.timedelta(days=3 * 365))


@pytest.mark.django_db
def test_invested_and_high_tech_are_read_from_the_records_after_joining_and_counted(world, client_for):
    programme, intake = setup_cohort(world)
    later = Intake.objects.create(programme=programme, name="第二期", starts_on=D(2024, 3, 1))
    officer = world.users["officer"]
    others = [Enterprise.objects.create(name=f"深圳示例科技{n}有限公司", credit_code=credit_code(9200 + n)) for n in range(3)]
    a = join(intake, world.tenant_a)                    # invested after joining, high-tech after joining
    b = join(intake, world.tenant_b, status="graduated", outcome_on=D(2023, 12, 30))  # both before joining only
    c = join(intake, others[0], status="left", outcome_on=D(2023, 6, 1))  # invested on the day joined
    d = join(later, others[1], joined_on=D(2024, 3, 5))  # high-tech, specialised only: not counted
    invest(world.tenant_a, D(2023, 9, 1))
    qualify(world.tenant_a, D(2023, 11, 1))
    invest(world.tenant_b, D(2022, 9, 1))
    qualify(world.tenant_b, D(2021, 11, 1))
    invest(others[0], D(2023, 3, 10))
    Qualification.objects.create(enterprise=others[1], kind="specialised", level="innovative_sme",
                                 issued_on=D(2024, 6, 1))
    outcomes = {m.pk: (m.invested, m.high_tech) for m in selectors.with_outcomes(Member.objects.all())}
    assert outcomes == {a.pk: (True, True), b.pk: (False, False), c.pk: (True, False), d.pk: (False, False)}
    listed = client_for(officer).get("/finance/members/", {"outcome": "invested"}).context["rows"]
    assert {m.pk for m in listed} == {a.pk, c.pk}
    listed = client_for(officer).get("/finance/members/", {"outcome": "high_tech"}).context["rows"]
    assert {m.pk for m in listed} == {a.pk}
    Resource.objects.create(member=a, kind="funding", given_on=D(2023, 4, 1), amount=Decimal("500000"))
    Resource.objects.create(member=c, kind="funding", given_on=D(2023, 4, 2), amount=Decimal("300000"))
    Resource.objects.create(member=a, kind="space", given_on=D(2023, 3, 10), area=Decimal("120"))
    Resource.objects.create(member=d, kind="mentoring", given_on=D(2024, 4, 1), hours=Decimal("6"))
    figures = selectors.intake_figures(user=officer, intake=intake)
    assert (figures.members, figures.active, figures.graduated, figures.left) == (3, 1, 1, 1)
    assert (figures.invested, figures.high_tech) == (2, 1)
    assert figures.resources["funding"] == [2, Decimal("800000")]
    assert figures.resources["space"] == [1, 0] and figures.resources["training"] == [0, 0]
    total = selectors.programme_figures(user=officer, programme=programme)
    assert (total.members, total.active, total.invested, total.high_tech) == (4, 2, 2, 1)
    assert total.resources["mentoring"] == [1, 0]
    assert [(i.name, f.members) for i, f in selectors.programme_intakes(user=officer, programme=programme)] == [
        ("第二期", 1), ("第一期", 3)]


@pytest.mark.django_db
def test_an_enterprise_sees_its_own_membership_only(world, client_for):
    programme, intake = setup_cohort(world)
    mine = join(intake, world.tenant_a)
    theirs = join(intake, world.tenant_b)
    Resource.objects.create(member=mine, kind="training", given_on=D(2023, 4, 1), hours=Decimal("8"))
    Resource.objects.create(member=theirs, kind="training", given_on=D(2023, 4, 1), hours=Decimal("8"))
    user = world.users["enterprise"]
    assert list(Member.objects.for_user(user)) == [mine]
    assert [r.member for r in Resource.objects.for_user(user)] == [mine]
    assert selectors.intake_figures(user=user, intake=intake).members == 1
    assert not Programme.objects.for_user(user).exists()
    assert not Member.objects.for_user(world.users["operator"]).exists()
    client = client_for(user)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    invest(world.tenant_a, D(2023, 5, 1))
    page = client.get(mine.get_absolute_url()).content.decode()
    assert 'data-testid="outcome-invested"' in page and "已获投" in page
    assert 'data-testid="outcome-high-tech"' not in page and 'data-testid="add-resource"' not in page
    officer = client_for(world.users["officer"])  # the same client, now the officer's
    page = officer.get(mine.get_absolute_url()).content.decode()
    assert 'data-testid="add-resource"' in page
    page = officer.get(intake.get_absolute_url()).content.decode()
    assert page.count('data-testid="member-row"') == 2 and 'data-testid="figure-members">2<' in page
    assert 'data-testid="figure-invested">1<' in page
    page = officer.get(programme.get_absolute_url()).content.decode()
    assert page.count('data-testid="intake-row"') == 1
    edit = officer.get(f"/finance/members/{mine.pk}/edit/")
    assert edit.context["form"]["programme"].value() == programme.pk


def resources_sheet(rows: list[dict]) -> bytes:
    from core.reference import spreadsheets

    book = spreadsheets.Book()
    sheet = book.sheet("资源投入")
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_resources_import_finds_the_member_within_its_programme_and_intake(world):
    """An enterprise in two intakes: the row's intake decides which membership the resource is given to; an
    intake the programme does not have is the row's error, in Chinese, and nothing is written."""
    from core.importing import jobs
    from core.surfaces import surface_for

    programme, first = setup_cohort(world)
    second = Intake.objects.create(programme=programme, name="第二期", starts_on=D(2024, 3, 1), ends_on=D(2024, 9, 30))
    join(first, world.tenant_a)
    later = join(second, world.tenant_a, joined_on=D(2024, 3, 5))
    row = {"项目": programme.code, "批次": "第二期", "企业": world.tenant_a.credit_code, "资源类型": "资金",
           "投入日期": "2024-04-01", "金额（元）": "300000"}
    officer = world.users["officer"]
    batch = jobs.batch_check(jobs.batch_create(user=officer, surface=surface_for(Resource), filename="资源.xlsx",
                                               content=resources_sheet([row, {**row, "批次": "第九期"}])))
    assert batch.counts["error"] == 1
    (error,) = batch.errors
    assert error["line"] == 3 and error["errors"][0][0] == "批次" and "第九期" in error["errors"][0][1], error
    assert not Resource.objects.exists()
    batch = jobs.batch_commit(jobs.batch_check(jobs.batch_create(
        user=officer, surface=surface_for(Resource), filename="资源.xlsx", content=resources_sheet([row]))))
    given = Resource.objects.get()
    assert (given.member, given.kind, given.amount) == (later, "funding", Decimal("300000.00"))
