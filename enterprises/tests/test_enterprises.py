"""Enterprises: credit-code checks with an officer's confirmed exception, industries, qualifications."""

import datetime

import pytest
from django.urls import reverse

from enterprises import services
from enterprises.models import Enterprise, IndustryCategory, Qualification

BAD_CODE = "914403001922038217"


def enterprise_post(**overrides):
    data = {"name": "深圳市测试科技有限公司", "credit_code": "91440101MA5CJQ4N59", "industry": "6511"}
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_gbt4754_is_complete():
    counts = {level: IndustryCategory.objects.filter(level=level).count()
              for level in ("section", "division", "group", "class")}
    assert counts == {"section": 20, "division": 97, "group": 473, "class": 1380}
    software = IndustryCategory.objects.get(pk="6511")
    assert software.parent_id == "651" and software.parent.parent_id == "65" and software.section == "I"


def test_wrong_credit_code_is_refused_naming_the_field(world, client_for):
    response = client_for(world.users["officer"]).post(reverse("enterprises:enterprise_add"),
                                                       enterprise_post(credit_code=BAD_CODE))
    assert response.status_code == 400
    assert "统一社会信用代码：" in response.content.decode()
    assert not Enterprise.objects.filter(credit_code=BAD_CODE).exists()


def test_officer_may_store_a_failing_code_only_with_confirmation_and_it_is_flagged(world, client_for):
    client = client_for(world.users["officer"])
    response = client.post(reverse("enterprises:enterprise_add"),
                           enterprise_post(credit_code=BAD_CODE, confirm_credit_code="on"))
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(credit_code=BAD_CODE)
    assert enterprise.credit_code_exception
    listing = client.get(reverse("enterprises:enterprise_list"), {"credit_code_exception": "true"})
    assert [e.pk for e in listing.context["rows"]] == [enterprise.pk]
    assert "未通过校验" in listing.content.decode() or "校验" in listing.content.decode()


def test_operator_cannot_confirm_a_failing_code(world, client_for):
    client = client_for(world.users["operator"])
    form = client.get(reverse("enterprises:enterprise_add")).context["form"]
    assert "confirm_credit_code" not in form.fields
    response = client.post(reverse("enterprises:enterprise_add"),
                           enterprise_post(credit_code=BAD_CODE, confirm_credit_code="on"))
    assert response.status_code == 400


def test_duplicate_credit_code_names_the_existing_enterprise(world, client_for):
    response = client_for(world.users["officer"]).post(reverse("enterprises:enterprise_add"),
                                                       enterprise_post(credit_code="914403001922038216"))
    assert response.status_code == 400 and "荣耀终端有限公司" in response.content.decode()


@pytest.mark.parametrize("typed", ["6511", "6511 基础软件开发", "基础软件开发"])
def test_industry_chosen_by_code_or_name(world, client_for, typed):
    client = client_for(world.users["officer"])
    assert client.post(reverse("enterprises:enterprise_add"), enterprise_post(industry=typed)).status_code == 302
    assert Enterprise.objects.get(credit_code="91440101MA5CJQ4N59").industry_id == "6511"


def test_unknown_industry_is_explained(world, client_for):
    response = client_for(world.users["officer"]).post(reverse("enterprises:enterprise_add"),
                                                       enterprise_post(industry="65"))
    assert response.status_code == 400 and "GB/T 4754" in response.content.decode()


def test_industry_filter_by_section_division_or_class(world, client_for):
    client = client_for(world.users["officer"])
    for code in ("I", "65", "651", "6511"):
        rows = client.get(reverse("enterprises:enterprise_list"), {"industry": code}).context["rows"]
        assert [e.name for e in rows] == ["荣耀终端有限公司"], code


def test_operator_registers_a_new_tenant_and_keeps_seeing_it(world, client_for):
    client = client_for(world.users["operator"])
    assert client.post(reverse("enterprises:enterprise_add"), enterprise_post()).status_code == 302
    created = Enterprise.objects.get(credit_code="91440101MA5CJQ4N59")
    assert created.registered_by == world.op_a
    assert client.get(created.get_absolute_url()).status_code == 200
    assert client_for(world.users["operator_b"]).get(created.get_absolute_url()).status_code == 404


def test_high_tech_certificate_is_valid_three_years_by_rule(world):
    qualification = services.qualification_create(user=world.users["officer"], data={
        "enterprise": world.tenant_a, "kind": "high_tech", "certificate_number": "GR202144200123",
        "issued_on": datetime.date(2021, 12, 20),
    })
    assert qualification.valid_until == datetime.date(2024, 12, 19)
    assert qualification.is_valid_on(datetime.date(2024, 12, 19))
    assert not qualification.is_valid_on(datetime.date(2024, 12, 20))


def test_specialised_qualification_needs_a_level(world, client_for):
    response = client_for(world.users["officer"]).post(reverse("enterprises:qualification_add"), {
        "enterprise": world.tenant_a.pk, "kind": "specialised", "issued_on": "2023-07-01",
    })
    assert response.status_code == 400
    assert not Qualification.objects.exists()


def test_industry_browser_by_section_and_search(world, client_for):
    client = client_for(world.users["enterprise"])
    sections = client.get(reverse("enterprises:industry_browser")).context["children"]
    assert len(sections) == 20
    divisions = client.get(reverse("enterprises:industry_browser"), {"code": "I"}).context["children"]
    assert [d.code for d in divisions] == ["63", "64", "65"]
    found = client.get(reverse("enterprises:industry_browser"), {"q": "软件开发"}).context["results"]
    assert "6511" in [c.code for c in found]


def test_credit_code_error_is_shown_once(world, client_for):
    response = client_for(world.users["officer"]).post(reverse("enterprises:enterprise_add"),
                                                       enterprise_post(credit_code=BAD_CODE))
    errors = response.context["form"].errors["credit_code"]
    assert errors == ["最后一位校验码错误。"]


def test_pasted_code_with_spaces_and_full_width_digits_is_accepted(world, client_for):
    response = client_for(world.users["officer"]).post(reverse("enterprises:enterprise_add"),
                                                       enterprise_post(credit_code="9144 0101 ＭＡ5C JQ4N 59"))
    assert response.status_code == 302
    assert Enterprise.objects.filter(credit_code="91440101MA5CJQ4N59").exists()


def test_operator_registering_an_existing_code_does_not_learn_its_name(world, client_for):
    response = client_for(world.users["operator"]).post(reverse("enterprises:enterprise_add"),
                                                        enterprise_post(credit_code=world.tenant_b.credit_code))
    assert response.status_code == 400
    page = response.content.decode()
    assert world.tenant_b.name not in page and "已登记" in page


def test_enterprise_with_contacts_cannot_be_deleted_silently(world, client_for):
    from core.models import ObjectChange

    response = client_for(world.users["officer"]).post(reverse("enterprises:enterprise_delete",
                                                               args=[world.tenant_a.pk]))
    assert response.status_code == 400
    assert Enterprise.objects.filter(pk=world.tenant_a.pk).exists()
    assert world.tenant_a.contacts.count() == 1
    assert not ObjectChange.objects.filter(action="delete").exists()


@pytest.mark.parametrize("large_from", [0, 10**9])  # probed for (EXISTS), collected (UNION)
def test_operator_scope_is_the_same_whichever_query_shape(world, monkeypatch, large_from):
    from enterprises import models

    monkeypatch.setattr(models, "LARGE_OPERATOR_LEASES", large_from)
    registered = Enterprise.objects.create(name="甲机构录入企业", credit_code="91440300MA5FXXXX1K",
                                           credit_code_exception=True, registered_by=world.op_a)
    seen = set(Enterprise.objects.for_user(world.users["operator"]).values_list("name", flat=True))
    assert seen == {world.tenant_a.name, registered.name}
    seen_b = set(Enterprise.objects.for_user(world.users["operator_b"]).values_list("name", flat=True))
    assert seen_b == {world.tenant_b.name}
    page = Enterprise.objects.for_user(world.users["operator"]).order_by("-credit_code")[:1]
    assert [e.name for e in page] == [registered.name]


def test_scope_ids_are_read_once_per_request_only():
    from core.runtime.context import end_memo, memo, start_memo

    calls = []
    assert memo("k", lambda: calls.append(1) or 1) == 1 and memo("k", lambda: calls.append(1) or 1) == 1
    assert len(calls) == 2  # outside a request nothing is kept
    token = start_memo()
    try:
        memo("k", lambda: calls.append(1) or 1)
        memo("k", lambda: calls.append(1) or 1)
    finally:
        end_memo(token)
    assert len(calls) == 3


def test_operator_without_parks_sees_only_what_it_registered(world, client_for):
    from spaces.models import Operator

    newcomer = Operator.objects.create(name="丙运营公司")
    newcomer.users.add(world.users["operator_b"])
    newcomer.parks.set([])
    world.users["operator_b"].operators.set([newcomer])
    registered = Enterprise.objects.create(name="丙机构录入企业", credit_code="91440300MA5FXXXX2K",
                                           credit_code_exception=True, registered_by=newcomer)
    assert list(Enterprise.objects.for_user(world.users["operator_b"])) == [registered]
    response = client_for(world.users["operator_b"]).get(reverse("enterprises:enterprise_list"))
    assert response.status_code == 200 and [e.name for e in response.context["rows"]] == [registered.name]
