"""Policies as data: the builder's rows, one draft at a time, a published version never changes, publishing needs
its evidence (cases that pass, a dry run of this very content), the dry run's who-gains-who-loses, and decisions
stored and shown exactly as made."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certification.choices import VersionStatus
from core.actions import Refused
from core.models import ObjectChange
from policies import builder, engine, evaluation, services
from policies.catalogue import CATALOGUE
from policies.models import Budget, Decision, PolicyTestCase, PolicyVersion
from yuanqu.testing import TODAY

from .generic_versions import PARAMETERS, a_policy, a_version

D = datetime.date
# A month the world's two leases both hold from its first day to its last: 荣耀 600 ㎡, 晶泰 300 ㎡.
MONTH_START = TODAY.replace(day=1)
MONTH_END = (MONTH_START + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)

AREA_RULES = {
    "conditions": {"all": [{"fact": "lease.area", "op": "le", "value": {"param": "max_area"}, "label": "租赁面积"}]},
    # 10 元 per ㎡ per month × area × months
    "amount": {"mul": [{"mul": [{"param": "per_m2"}, {"fact": "lease.area"}]}, {"fact": "lease.months"}]},
    "parameters": {"max_area": {"type": "area", "label": "租赁面积上限", "values": [["2020-01-01", 50000]]},
                   "per_m2": {"type": "money", "label": "每平方米每月", "values": [["2020-01-01", 1000]]}},
    "annual_cap": "", "cumulative_cap": "",
}


def area_version(policy=None, *, max_area_m2=500, **overrides):
    rules = {**AREA_RULES, **overrides}
    rules["parameters"] = {**AREA_RULES["parameters"],
                           "max_area": {"type": "area", "label": "租赁面积上限",
                                        "values": [["2020-01-01", max_area_m2 * 100]]}}
    return a_version(policy, effective_from=D(2020, 1, 1), **rules)


def passing_case(version, **overrides):
    """A case that passes: 300 ㎡ for one month → 3,000 元."""
    return PolicyTestCase.objects.create(**{
        "version": version, "name": "300 ㎡ 一个月", "period_start": D(2025, 3, 1), "period_end": D(2025, 3, 31),
        "facts": {"lease.area": 30000, "lease.months": 1, "history.years_supported": 0}, "expected_eligible": True,
        "expected_amount": 300000,
        **overrides})


# ----- the builder's rows (pure) ---------------------------------------------------------------------------------
def test_amount_rows_make_the_min_of_two_terms_and_read_back():
    rows = [{"label": "按实付租金比例", "first": "param:rate", "second": "fact:lease.rent_paid", "third": "",
             "fourth": ""},
            {"label": "按面积封顶", "first": "param:per_m2", "second": "fact:lease.area", "third": "fact:lease.months",
             "fourth": ""}]
    parameters = {**PARAMETERS, "per_m2": {"type": "money", "label": "每平方米每月", "values": [["2024-01-01", 3000]]}}
    tree, errors = builder.amount_from_rows(rows, "min", True, CATALOGUE, parameters)
    assert errors == {}
    assert tree == {"round": {"min": [
        {"mul": [{"param": "rate"}, {"fact": "lease.rent_paid"}], "label": "按实付租金比例"},
        {"mul": [{"mul": [{"param": "per_m2"}, {"fact": "lease.area"}]}, {"fact": "lease.months"}],
         "label": "按面积封顶"}]}, "to": 100}
    assert builder.amount_to_rows(tree) == (rows, "min", True)
    line = builder.amount_line(tree, parameters=parameters)
    assert line == "取较小值（按实付租金比例：补贴比例 × 实付租金；按面积封顶：每平方米每月 × 租赁面积 × 租赁月数），四舍五入到元"


def test_every_demo_formula_reads_back_into_rows_unchanged():
    from policies.demo import POLICIES

    for spec in POLICIES:
        version = spec["version"]
        read = builder.amount_to_rows(version["amount"])
        assert read is not None, spec["code"]
        rows, combine, round_yuan = read
        tree, errors = builder.amount_from_rows(rows, combine, round_yuan, CATALOGUE, version["parameters"])
        assert errors == {} and tree == version["amount"], spec["code"]


def test_amount_row_errors_are_chinese_and_name_the_row():
    rows = [{"label": "", "first": "param:rate", "second": "fact:lease.rent_paid", "third": ""},
            {"label": "", "first": "fact:lease.rent_paid", "second": "fact:lease.rent_paid", "third": ""},
            {"label": "", "first": "", "second": "", "third": ""}]
    _tree, errors = builder.amount_from_rows(rows, "min", False, CATALOGUE, PARAMETERS)
    assert set(errors) == {2, 3}
    assert "不能相乘" in errors[2][0] or "类型" in errors[2][0], errors
    assert errors[3] == ["至少选择一个指标或参数"]
    # a formula that gives an area, not money, is refused as a whole (row 0)
    _tree, errors = builder.amount_from_rows([{"first": "fact:lease.area"}], "min", False, CATALOGUE, PARAMETERS)
    assert errors == {0: ["整体金额公式：结果应为金额，现为面积"]}


def test_obligation_rows_need_a_qualification_only_to_keep_one():
    found, errors = builder.obligations_from_rows([
        {"kind": "no_sublet", "years": 0, "recover": "all", "label": "不得转租"},
        {"kind": "keep_qualification", "years": 2, "recover": "pro_rata", "qualification": ""},
        {"kind": "stay_in_district", "years": 3, "recover": "pro_rata", "qualification": "high_tech"},
        {"kind": "stay_in_district", "years": -1, "recover": "all"},
    ])
    assert found == [{"kind": "no_sublet", "years": 0, "recover": "all", "label": "不得转租"}]
    assert set(errors) == {2, 3, 4} and "资质" in errors[2][0] and "锁定年数" in errors[4][0]


def test_case_facts_are_typed_in_the_units_people_use():
    facts, errors = builder.facts_from_written({"lease.area": "1,200.5", "lease.rent_paid": "600000元",
                                                "lease.discount": "50%", "lease.sublet": "否",
                                                "enterprise.moved_in_on": "2023-01-01", "enterprise.industry": "7295",
                                                "lease.months": "", "enterprise.lease_count": "1.5"})
    assert facts == {"lease.area": 120050, "lease.rent_paid": 60000000, "lease.discount": 5000, "lease.sublet": False,
                     "enterprise.moved_in_on": "2023-01-01", "enterprise.industry": "7295"}
    assert errors == {"enterprise.lease_count": "有效租约数：“1.5”应为整数"}
    assert builder.facts_to_written(facts)["lease.area"] == "1200.5"


def test_a_case_period_split_shares_rent_by_days_and_months_by_calendar():
    facts = {"lease.rent_paid": 36500, "lease.months": 12, "lease.area": 100}
    for_part = builder.case_facts_for_part(facts, D(2025, 1, 1), D(2025, 12, 31))
    first, second = for_part(D(2025, 1, 1), D(2025, 6, 30)), for_part(D(2025, 7, 1), D(2025, 12, 31))
    assert (first["lease.rent_paid"], second["lease.rent_paid"]) == (18100, 18400)  # 181 and 184 days
    assert (first["lease.months"], second["lease.months"]) == (6, 6)
    assert first["lease.area"] == second["lease.area"] == 100


# ----- one draft; published never changes ------------------------------------------------------------------------
def test_one_draft_at_a_time(world):
    admin = world.users["admin"]
    policy = a_policy("a")
    services.policyversion_create(user=admin, data={"policy": policy, "effective_from": D(2025, 1, 1)})
    with pytest.raises(ValidationError) as refused:
        services.policyversion_create(user=admin, data={"policy": policy, "effective_from": D(2026, 1, 1)})
    assert "已有一个草稿版本" in " ".join(refused.value.messages)
    published = a_version(a_policy("a"), status=VersionStatus.PUBLISHED)
    a_version(published.policy)
    with pytest.raises(Refused) as refused:
        services.policyversion_new_version(user=admin, instance=published, effective_from=D(2027, 1, 1))
    assert "已有一个草稿版本" in refused.value.message


def test_a_new_version_copies_the_latest_with_its_cases(world):
    admin = world.users["admin"]
    first = area_version(status=VersionStatus.PUBLISHED, notes="第一版")
    passing_case(first, last_result={"passed": True})
    new = services.policyversion_new_version(user=admin, instance=first, effective_from=D(2026, 1, 1))
    assert new.status == VersionStatus.DRAFT and new.number == 2 and new.effective_from == D(2026, 1, 1)
    assert (new.conditions, new.amount, new.parameters, new.notes) == (
        first.conditions, first.amount, first.parameters, "第一版")
    copied = new.test_cases.get()
    assert (copied.name, copied.facts, copied.expected_amount, copied.last_result) == (
        "300 ㎡ 一个月", {"lease.area": 30000, "lease.months": 1, "history.years_supported": 0}, 300000, {})
    assert first.test_cases.count() == 1


@pytest.mark.parametrize("status", [VersionStatus.PUBLISHED, VersionStatus.RETIRED])
def test_a_published_version_and_its_cases_never_change(world, client_for, status):
    admin = world.users["admin"]
    version = area_version(status=status, content_hash="x" * 64)
    case = passing_case(version)
    before = PolicyVersion.objects.filter(pk=version.pk).values().get()
    with pytest.raises(ValidationError) as refused:
        services.policyversion_update(user=admin, instance=version, data={"notes": "改一改"})
    assert "已发布的版本不能修改" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.policyversion_rules_set(user=admin, instance=version, conditions={}, amount={})
    with pytest.raises(ValidationError):
        services.policyversion_delete(user=admin, instance=version)
    with pytest.raises(ValidationError):
        services.policytestcase_save(user=admin, version=version, instance=case, name="改", facts={},
                                     period_start=D(2025, 1, 1), period_end=D(2025, 1, 31), expected_eligible=False,
                                     expected_amount=None)
    client = client_for(admin)
    assert client.get(f"/policies/policy-versions/{version.pk}/rules/").status_code == 302
    assert client.post(f"/policies/policy-versions/{version.pk}/cases/add/", {"name": "x"}).status_code == 302
    assert PolicyVersion.objects.filter(pk=version.pk).values().get() == before
    assert PolicyTestCase.objects.get(pk=case.pk).name == "300 ㎡ 一个月"


# ----- publishing needs evidence ---------------------------------------------------------------------------------
def test_publishing_is_refused_until_the_cases_pass_and_the_dry_run_is_of_this_content(world):
    admin, officer = world.users["admin"], world.users["officer"]
    version = area_version()
    with pytest.raises(Refused) as refused:
        services.policyversion_publish(user=admin, instance=version)
    assert "请至少保存一个带有期望结果的测试用例" in refused.value.message and "尚未对全部企业试算" in refused.value.message

    failing = passing_case(version, name="期望错误", expected_amount=400000)
    with pytest.raises(Refused) as refused:
        services.policyversion_publish(user=admin, instance=version)
    assert "测试用例“期望错误”的结果与期望不符" in refused.value.message
    failing.delete()
    passing_case(version)

    services.policyversion_dry_run(user=officer, instance=version)
    version.refresh_from_db()
    assert version.dry_run["hash"] == engine.version_hash(version)
    # The rules change after the dry run: it no longer counts.
    services.policyversion_rules_set(user=officer, instance=version, max_years=3)
    version.refresh_from_db()
    with pytest.raises(Refused) as refused:
        services.policyversion_publish(user=admin, instance=version)
    assert "上次试算后规则有改动" in refused.value.message
    with pytest.raises(PermissionDenied):
        services.policyversion_publish(user=officer, instance=version)

    services.policyversion_dry_run(user=officer, instance=version)
    version.refresh_from_db()
    published = services.policyversion_publish(user=admin, instance=version)
    assert published.status == VersionStatus.PUBLISHED
    assert published.content_hash == engine.version_hash(published) == published.dry_run["hash"]
    assert ObjectChange.objects.filter(object_id=str(version.pk), data_after__status="published").exists()


def test_running_the_cases_keeps_each_result_beside_what_it_expects(world, client_for):
    officer = world.users["officer"]
    version = area_version()
    good = passing_case(version)
    too_big = passing_case(version, name="面积超限", facts={"lease.area": 60000, "lease.months": 1},
                           expected_eligible=True, expected_amount=600000)
    result = services.policyversion_run_cases(user=officer, instance=version)
    assert result == {"passed": 1, "failed": 1}
    good.refresh_from_db(), too_big.refresh_from_db()
    assert good.last_result["passed"] and good.last_result["amount"] == 300000
    assert not too_big.last_result["passed"] and too_big.last_result["eligible"] is False
    assert "租赁面积 600 ㎡，超过上限 500 ㎡" in too_big.last_result["sentences"]
    page = client_for(officer).get(version.get_absolute_url()).content.decode()
    assert "面积超限" in page and "6,000.00 元" in page and "3,000.00 元" in page


# ----- the dry run -----------------------------------------------------------------------------------------------
def test_the_dry_run_counts_the_cost_against_the_budget_and_who_gains_and_loses(world):
    admin, officer = world.users["admin"], world.users["officer"]
    policy = a_policy("a")
    Budget.objects.create(policy=policy, year=MONTH_END.year, total=1_000_000 * 100)
    in_force = area_version(policy, max_area_m2=700, status=VersionStatus.PUBLISHED)
    in_force.content_hash = engine.version_hash(in_force)
    in_force.save()
    draft = area_version(policy, max_area_m2=500)
    draft.effective_from = D(2021, 1, 1)
    draft.save()

    result = evaluation.dry_run(draft, MONTH_START, MONTH_END)
    # 晶泰 300 ㎡ × 10 元 × 1 month = 3,000 元 under both; 荣耀 600 ㎡ was eligible (6,000 元) and no longer is.
    assert (result["enterprises"], result["eligible"], result["total_amount"]) == (2, 1, 300000)
    assert result["in_force"] == {"version": 1, "id": in_force.pk, "eligible": 2, "total_amount": 900000}
    assert (result["gains"], result["losses"]) == (0, 1)
    assert result["top"] == [{"enterprise": world.tenant_a.pk, "name": "荣耀终端有限公司", "before": 600000,
                              "after": 0, "change": -600000}]
    assert result["budget"]["total"] == 100_000_000 and result["budget"]["share"] == 30  # 0.30%
    assert result["hash"] == engine.version_hash(draft)
    del admin, officer


# ----- decisions -------------------------------------------------------------------------------------------------
def published_area_policy():
    version = area_version(status=VersionStatus.PUBLISHED)
    version.content_hash = engine.version_hash(version)
    version.save()
    return version


def test_a_decision_is_stored_and_its_page_never_decides_again(world, client_for):
    officer = world.users["officer"]
    version = published_area_policy()
    decision = evaluation.decide(world.tenant_b, version, MONTH_START, MONTH_END, user=officer)
    assert decision.eligible and decision.amount == 300000 and decision.content_hash == version.content_hash
    assert decision.facts["lease.area"] == 30000
    assert "租赁面积 300 ㎡，未超过上限 500 ㎡" in decision.trace["sentences"]

    client = client_for(officer)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert "租赁面积 300 ㎡，未超过上限 500 ㎡ → " in page and "3,000.00 元" in page

    # The records change: the lease grows to 1,200 ㎡. The stored decision's page is as it was made.
    world.lease_b.leased_area = Decimal("1200.00")
    world.lease_b.save()
    again = client.get(decision.get_absolute_url()).content.decode()
    assert again == page.replace(page, again) and "租赁面积 300 ㎡，未超过上限 500 ㎡" in again
    assert "1,200 ㎡" not in again
    later = evaluation.decide(world.tenant_b, version, MONTH_START, MONTH_END, user=officer)
    assert not later.eligible and "租赁面积 1,200 ㎡，超过上限 500 ㎡" in later.trace["sentences"]


def test_the_calculator_decides_by_the_version_in_force_and_stores_it(world, client_for):
    officer = world.users["officer"]
    version = published_area_policy()
    client = client_for(officer)
    assert client.get("/policies/calculator/").status_code == 200
    response = client.post("/policies/calculator/", {
        "enterprise": world.tenant_b.credit_code, "policy": version.policy_id,
        "period_start": MONTH_START.isoformat(), "period_end": MONTH_END.isoformat()})
    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    assert decision.version == version and decision.purpose == "enquiry" and decision.user == officer
    response = client.post("/policies/calculator/", {
        "enterprise": world.tenant_b.credit_code, "policy": version.policy_id,
        "period_start": MONTH_END.isoformat(), "period_end": MONTH_START.isoformat()})
    assert response.status_code == 400 and "期间的结束日期早于开始日期" in response.content.decode()


def test_an_enterprise_user_decides_for_its_own_enterprise_only(world, client_for):
    user = world.users["enterprise"]  # 荣耀's
    version = published_area_policy()
    own = evaluation.decide(world.tenant_a, version, MONTH_START, MONTH_END, user=user)
    assert own.enterprise == world.tenant_a and not own.eligible  # 600 ㎡ > 500 ㎡
    with pytest.raises(PermissionDenied):
        evaluation.decide(world.tenant_b, version, MONTH_START, MONTH_END, user=user)
    client = client_for(user)
    assert world.tenant_a.credit_code in client.get("/policies/calculator/").content.decode()  # its own, filled in
    response = client.post("/policies/calculator/", {
        "enterprise": world.tenant_b.credit_code, "policy": version.policy_id,
        "period_start": MONTH_START.isoformat(), "period_end": MONTH_END.isoformat()})
    assert response.status_code == 400 and Decision.objects.filter(enterprise=world.tenant_b).count() == 0
    other = evaluation.decide(world.tenant_b, version, MONTH_START, MONTH_END, user=world.users["officer"])
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(own.get_absolute_url()).status_code == 200
    # The enterprise's page lists its decisions, with the way to the calculator.
    page = client.get(world.tenant_a.get_absolute_url()).content.decode()
    assert own.get_absolute_url() in page and "政策测算记录" in page and other.get_absolute_url() not in page
    assert client_for(world.users["operator"]).get("/policies/calculator/").status_code == 404


# ----- the pages -------------------------------------------------------------------------------------------------
def builder_post(**changes):
    data = {
        "parameters-TOTAL_FORMS": "3", "parameters-INITIAL_FORMS": "0",
        "parameters-0-name": "max_area", "parameters-0-label": "租赁面积上限", "parameters-0-type": "area",
        "parameters-0-effective_from": "2024-01-01", "parameters-0-value": "1,000",
        "parameters-1-name": "rate", "parameters-1-label": "补贴比例", "parameters-1-type": "share",
        "parameters-1-effective_from": "2024-01-01", "parameters-1-value": "50",
        "parameters-2-name": "rate", "parameters-2-label": "补贴比例", "parameters-2-type": "share",
        "parameters-2-effective_from": "2025-07-01", "parameters-2-value": "40",
        "criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0",
        "criteria-0-fact": "lease.area", "criteria-0-op": "le", "criteria-0-param": "max_area",
        "criteria-1-fact": "lease.sublet", "criteria-1-op": "eq", "criteria-1-value": "否",
        "amount-TOTAL_FORMS": "1", "amount-INITIAL_FORMS": "0",
        "amount-0-label": "按实付租金比例", "amount-0-first": "param:rate", "amount-0-second": "fact:lease.rent_paid",
        "obligations-TOTAL_FORMS": "1", "obligations-INITIAL_FORMS": "0",
        "obligations-0-kind": "no_sublet", "obligations-0-years": "0", "obligations-0-recover": "all",
        "combine": "min", "round_yuan": "on", "annual_cap": "", "cumulative_cap": "", "max_years": "3",
    }
    data.update(changes)
    return data


def test_the_builder_page_saves_the_rules_from_rows(world, client_for):
    officer = world.users["officer"]
    version = a_version(conditions={}, amount={}, parameters={}, annual_cap="")
    client = client_for(officer)
    assert client.get(f"/policies/policy-versions/{version.pk}/rules/").status_code == 200
    response = client.post(f"/policies/policy-versions/{version.pk}/rules/", builder_post())
    assert response.status_code == 302, response.content.decode()[-3000:]
    version.refresh_from_db()
    assert version.conditions == {"all": [{"fact": "lease.area", "op": "le", "value": {"param": "max_area"}},
                                          {"fact": "lease.sublet", "op": "eq", "value": False}]}
    assert version.amount == {"round": {"mul": [{"param": "rate"}, {"fact": "lease.rent_paid"}],
                                        "label": "按实付租金比例"}, "to": 100}
    assert version.parameters["rate"]["values"] == [["2024-01-01", 5000], ["2025-07-01", 4000]]
    assert version.max_years == 3 and version.obligations == [
        {"kind": "no_sublet", "years": 0, "recover": "all", "label": ""}]
    page = client.get(version.get_absolute_url()).content.decode()
    assert "按实付租金比例：补贴比例 × 实付租金，四舍五入到元" in page and "不得转租" in page


def test_the_builder_names_the_row_of_a_wrong_factor_and_saves_nothing(world, client_for):
    officer = world.users["officer"]
    version = a_version(conditions={}, amount={}, parameters={}, annual_cap="")
    client = client_for(officer)
    url = f"/policies/policy-versions/{version.pk}/rules/"
    response = client.post(url, builder_post(**{"amount-0-first": "fact:lease.rent_paid"}))
    page = response.content.decode()
    assert response.status_code == 400
    assert "第 1 行：不能相乘：金额 × 金额" in page
    # A term of the wrong type: the whole formula gives an area, not money.
    response = client.post(url, builder_post(**{"amount-0-second": "fact:lease.area"}))
    assert response.status_code == 400 and "整体金额公式：结果应为金额，现为面积" in response.content.decode()
    # A cap that names a share parameter: refused by the service, in Chinese.
    response = client.post(url, builder_post(annual_cap="rate"))
    assert response.status_code == 400 and "年度上限引用的 rate 不是本版本的金额参数" in response.content.decode()
    version.refresh_from_db()
    assert version.conditions == {} and version.amount == {}


def test_a_test_case_is_entered_fact_by_fact_in_human_units(world, client_for):
    officer = world.users["officer"]
    version = area_version()
    client = client_for(officer)
    url = f"/policies/policy-versions/{version.pk}/cases/add/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "1,000 ㎡ 半年", "period_start": "2025-01-01", "period_end": "2025-06-30",
                                 "expected_eligible": "", "expected_amount": "",
                                 "fact__lease.area": "1,000", "fact__lease.months": "6",
                                 "fact__lease.sublet": "否"})
    assert response.status_code == 302
    case = version.test_cases.get()
    assert case.facts == {"lease.area": 100000, "lease.months": 6, "lease.sublet": False}
    assert case.expected_amount is None and not case.expected_eligible
    response = client.post(url, {"name": "错", "period_start": "2025-01-01", "period_end": "2025-06-30",
                                 "fact__lease.area": "一千"})
    assert response.status_code == 400 and "租赁面积：“一千”不是数字" in response.content.decode()
    assert version.test_cases.count() == 1
    assert services.run_case(case)["passed"]  # not eligible, as expected: 1,000 ㎡ > 500 ㎡


def posted_as_shown(page: str) -> dict:
    """What a browser posts for the page's form left as it is: inputs' values, ticked boxes, selected options."""
    from html.parser import HTMLParser

    data: dict = {}

    class Form(HTMLParser):
        select = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("name") and attrs.get("name") != "csrfmiddlewaretoken":
                if attrs.get("type") == "checkbox":
                    if "checked" in attrs:
                        data[attrs["name"]] = "on"
                else:
                    data[attrs["name"]] = attrs.get("value") or ""
            elif tag == "select":
                self.select = attrs.get("name")
                data.setdefault(self.select, "")
            elif tag == "option" and self.select and "selected" in attrs:
                data[self.select] = attrs.get("value") or ""

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None

    Form().feed(page)
    return data


@pytest.mark.parametrize("code", ["tech-building-rent", "govspace-high-tech", "new-energy-building"])
def test_saving_the_builder_unchanged_keeps_the_rules_and_their_hash(world, client_for, code):
    """A demo policy's rules shown in the builder's rows and posted back as they are: nothing changes."""
    from policies.demo import POLICIES

    spec = next(p for p in POLICIES if p["code"] == code)["version"]
    version = a_version(conditions=spec["conditions"], amount=spec["amount"], parameters=spec["parameters"],
                        annual_cap=spec.get("annual_cap", ""), cumulative_cap=spec.get("cumulative_cap", ""),
                        max_years=spec.get("max_years"), obligations=spec["obligations"])
    before = engine.version_hash(version)
    client = client_for(world.users["officer"])
    url = f"/policies/policy-versions/{version.pk}/rules/"
    shown = client.get(url)
    assert "不是用编辑器生成的" not in shown.content.decode()
    data = posted_as_shown(shown.content.decode())
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    version.refresh_from_db()
    assert engine.version_hash(version) == before
    assert (version.conditions, version.amount, version.obligations) == (
        spec["conditions"], spec["amount"], spec["obligations"])


def test_operators_and_enterprises_read_published_versions_only(world, client_for):
    """A draft, its test cases, the budgets and the dry run (which names enterprises and their amounts) are the
    bureau's; an operator or an enterprise reads the published rules and nothing of that evidence."""
    published = published_area_policy()
    published.dry_run = {"hash": published.content_hash, "top": [{"name": "某竞争企业", "before": 0,
                                                                   "after": 500000, "change": 500000}]}
    published.save()
    draft = area_version(policy=published.policy, number=2)
    Budget.objects.create(policy=published.policy, year=2025, total=123_456_700)
    for role in ("operator", "enterprise"):
        user = world.users[role]
        assert list(PolicyVersion.objects.for_user(user)) == [published]
        assert not Budget.objects.for_user(user).exists() and not PolicyTestCase.objects.for_user(user).exists()
        client = client_for(user)
        assert client.get(draft.get_absolute_url()).status_code == 404
        page = client.get(published.get_absolute_url())
        assert page.status_code == 200
        text = page.content.decode()
        assert "某竞争企业" not in text and "租赁面积" in text
        assert "1,234,567.00" not in client.get(published.policy.get_absolute_url()).content.decode()
    officer_page = client_for(world.users["officer"]).get(published.policy.get_absolute_url()).content.decode()
    assert "1,234,567.00" in officer_page


def test_a_leader_or_an_operator_cannot_ask_for_a_decision(world, client_for):
    """A decision is stored: the bureau's officers ask for one, an enterprise for itself; a leader reads, an
    operator has no say — the service refuses them, whatever page they come from."""
    version = published_area_policy()
    for role in ("leader", "operator"):
        with pytest.raises(PermissionDenied):
            evaluation.decide(world.tenant_a, version, MONTH_START, MONTH_END, user=world.users[role])
        assert client_for(world.users[role]).get("/policies/calculator/").status_code == 404
    assert not Decision.objects.exists()
    assert evaluation.decide(world.tenant_a, version, MONTH_START, MONTH_END, user=world.users["officer"]).pk


def test_two_published_versions_of_a_policy_cannot_take_effect_on_one_day(world):
    """The partial unique constraint decides, in the publishing both rule sets share (core.versions); the
    refusal names the day and nothing of the draft changes."""
    first = published_area_policy()
    second = area_version(policy=first.policy, number=2)  # from the same day as the first
    with pytest.raises(Refused, match="2020-01-01"):
        services.VERSIONS.publish(second, user=world.users["admin"], content_hash=engine.version_hash(second))
    second.refresh_from_db()
    assert second.status == VersionStatus.DRAFT and not second.content_hash
