"""Schemes and their versions: a published version never changes, one draft at a time, the version in force on
a day, and the condition builder that turns rows typed in human units into the criteria stored."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certification import builder, services
from certification.choices import VersionStatus
from certification.models import SchemeVersion
from core.actions import Refused
from core.models import DomainEvent
from yuanqu.testing import bearer

from .generic_schemes import CRITERIA, a_scheme, a_version

D = datetime.date


def catalogue():
    return services.fact_catalogue()


# ----- immutability ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [VersionStatus.PUBLISHED, VersionStatus.RETIRED])
def test_a_published_version_cannot_change(world, client_for, status):
    version = a_version(status=status, content_hash="x" * 64)
    admin = world.users["admin"]
    before = SchemeVersion.objects.filter(pk=version.pk).values().get()

    with pytest.raises(ValidationError) as refused:
        services.schemeversion_update(user=admin, instance=version, data={"notes": "改一改"})
    assert "已发布的版本不能修改" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        services.schemeversion_rules_set(user=admin, instance=version, criteria={}, indicators=[], grade_bands=[],
                                         parameters={})
    with pytest.raises(ValidationError):
        services.schemeversion_delete(user=admin, instance=version)

    client = client_for(admin)
    for url in (f"/certification/scheme-versions/{version.pk}/edit/",
                f"/certification/scheme-versions/{version.pk}/rules/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url == version.get_absolute_url(), url
    page = client.get(version.get_absolute_url()).content.decode()
    assert f"/certification/scheme-versions/{version.pk}/edit/" not in page
    assert f"/certification/scheme-versions/{version.pk}/rules/" not in page
    response = client.post(f"/certification/scheme-versions/{version.pk}/rules/", {})
    assert response.status_code == 302

    api = client.patch(f"/api/certification/scheme-versions/{version.pk}", data={"notes": "改一改"},
                       content_type="application/json", **bearer(admin))
    assert api.status_code == 400 and "已发布的版本不能修改" in str(api.json())
    assert client.delete(f"/api/certification/scheme-versions/{version.pk}", **bearer(admin)).status_code == 400
    assert SchemeVersion.objects.filter(pk=version.pk).values().get() == before


def test_a_draft_changes_and_is_deleted(world):
    admin = world.users["admin"]
    version = a_version()
    services.schemeversion_update(user=admin, instance=version, data={"notes": "补充说明"})
    assert SchemeVersion.objects.get(pk=version.pk).notes == "补充说明"
    services.schemeversion_delete(user=admin, instance=version)
    assert not SchemeVersion.objects.filter(pk=version.pk).exists()


# ----- one draft, new versions -----------------------------------------------------------------------------------
def test_new_version_copies_the_version_into_a_numbered_draft(world):
    published = a_version(status=VersionStatus.PUBLISHED, notes="[assume] 权重")
    draft = services.schemeversion_new_version(user=world.users["officer"], instance=published,
                                               effective_from=D(2025, 7, 1))
    assert (draft.number, draft.status, draft.effective_from) == (2, VersionStatus.DRAFT, D(2025, 7, 1))
    assert (draft.criteria, draft.indicators, draft.grade_bands, draft.parameters, draft.notes) == (
        published.criteria, published.indicators, published.grade_bands, published.parameters, published.notes)
    assert draft.content_hash == "" and draft.published_at is None
    assert DomainEvent.objects.filter(name="certification.schemeversion.new_version",
                                      data__new_version=draft.pk).exists()


def test_a_second_draft_is_refused_in_chinese(world, client_for):
    scheme = a_scheme("a")
    published = a_version(scheme, status=VersionStatus.PUBLISHED)
    a_version(scheme, effective_from=D(2026, 1, 1))
    with pytest.raises(Refused) as refused:
        services.schemeversion_new_version(user=world.users["admin"], instance=published,
                                           effective_from=D(2026, 6, 1))
    assert "已有一个草稿版本" in refused.value.message
    response = client_for(world.users["admin"]).post(
        f"/api/certification/scheme-versions/{published.pk}/new_version", data={"effective_from": "2026-06-01"},
        content_type="application/json", **bearer(world.users["admin"]))
    assert response.status_code == 409 and "已有一个草稿版本" in response.json()["detail"]
    # The add form says the same, naming the scheme field.
    with pytest.raises(ValidationError) as error:
        services.schemeversion_create(user=world.users["admin"], data={
            "scheme": scheme, "effective_from": D(2026, 6, 1), "validity_years": 3})
    assert "已有一个草稿版本" in " ".join(error.value.message_dict["scheme"])
    assert scheme.versions.filter(status=VersionStatus.DRAFT).count() == 1


def test_an_added_version_is_a_draft_numbered_after_the_last(world):
    scheme = a_scheme("a")
    a_version(scheme, status=VersionStatus.PUBLISHED)
    a_version(scheme, status=VersionStatus.RETIRED, effective_from=D(2020, 1, 1))
    created = services.schemeversion_create(user=world.users["officer"], data={
        "scheme": scheme, "effective_from": D(2026, 6, 1), "validity_years": 3, "status": VersionStatus.PUBLISHED})
    assert (created.number, created.status) == (3, VersionStatus.DRAFT)


# ----- publish and retire ------------------------------------------------------------------------------------------
def test_only_the_administrator_publishes(world):
    version = a_version()
    with pytest.raises(PermissionDenied):
        services.schemeversion_publish(user=world.users["officer"], instance=version)
    published = services.schemeversion_publish(user=world.users["admin"], instance=version)
    assert published.status == VersionStatus.PUBLISHED


def test_publishing_fixes_the_content_hash_and_who_published(world):
    version = a_version()
    services.schemeversion_publish(user=world.users["admin"], instance=version)
    version.refresh_from_db()
    assert version.content_hash == builder.version_hash(version) and len(version.content_hash) == 64
    assert version.published_by == world.users["admin"].username and version.published_at is not None
    other = a_version(criteria={"all": [{"fact": "subject.incubatee_count", "op": "ge", "value": 60}]},
                      parameters={})
    assert builder.version_hash(other) != version.content_hash


def test_a_version_that_does_not_check_is_not_published(world):
    unknown_fact = a_version(criteria={"all": [{"fact": "subject.nothing_such", "op": "ge", "value": 1}]})
    with pytest.raises(Refused) as refused:
        services.schemeversion_publish(user=world.users["admin"], instance=unknown_fact)
    assert "未知的指标 subject.nothing_such" in refused.value.message
    weights = a_version(indicators=[{"code": "E1", "label": "服务", "kind": "qualitative", "weight": 90}])
    with pytest.raises(Refused) as refused:
        services.schemeversion_publish(user=world.users["admin"], instance=weights)
    assert "权重之和应为 100，现为 90" in refused.value.message
    empty = a_version(criteria={})
    with pytest.raises(Refused):
        services.schemeversion_publish(user=world.users["admin"], instance=empty)
    assert SchemeVersion.objects.filter(pk__in=[unknown_fact.pk, weights.pk, empty.pk],
                                        status=VersionStatus.DRAFT).count() == 3


def test_two_published_versions_of_one_scheme_cannot_take_effect_on_one_day(world):
    scheme = a_scheme("a")
    a_version(scheme, status=VersionStatus.PUBLISHED, effective_from=D(2025, 7, 1))
    draft = a_version(scheme, effective_from=D(2025, 7, 1))
    with pytest.raises(Refused) as refused:
        services.schemeversion_publish(user=world.users["admin"], instance=draft)
    assert "2025-07-01" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_retiring_keeps_the_version_for_the_days_it_was_in_force(world):
    scheme = a_scheme("a")
    version = a_version(scheme, status=VersionStatus.PUBLISHED, effective_from=D(2019, 1, 1))
    services.schemeversion_retire(user=world.users["admin"], instance=version)
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED
    assert services.version_in_force(scheme, D(2020, 1, 1)) == version


# ----- the version in force on a day -------------------------------------------------------------------------------
def test_version_in_force_on_the_day_a_new_one_takes_effect(world):
    scheme = a_scheme("a")
    first = a_version(scheme, status=VersionStatus.RETIRED, effective_from=D(2018, 12, 1))
    second = a_version(scheme, status=VersionStatus.PUBLISHED, effective_from=D(2025, 7, 1))
    a_version(scheme, effective_from=D(2026, 1, 1))  # a draft is never in force
    assert services.version_in_force(scheme, D(2018, 11, 30)) is None
    assert services.version_in_force(scheme, D(2018, 12, 1)) == first
    assert services.version_in_force(scheme, D(2025, 6, 30)) == first
    assert services.version_in_force(scheme, D(2025, 7, 1)) == second
    assert services.version_in_force(scheme, D(2025, 7, 2)) == second
    assert services.version_in_force(scheme, D(2027, 1, 1)) == second


def test_version_in_force_ignores_other_schemes(world):
    scheme, other = a_scheme("a"), a_scheme("a")
    a_version(other, status=VersionStatus.PUBLISHED, effective_from=D(2010, 1, 1))
    assert services.version_in_force(scheme, D(2020, 1, 1)) is None


# ----- the readable version page -----------------------------------------------------------------------------------
def test_the_version_page_reads_the_criteria_in_their_units(world, client_for):
    version = a_version(notes="[assume] 权重非文件规定")
    page = client_for(world.users["operator"]).get(version.get_absolute_url()).content.decode()
    for text in ("在孵企业数量", "≥", "在孵企业数量下限（50 家）", "75%", "10,000 ㎡", "国科发区〔2018〕300号",
                 "2019年1月1日", "每千平方米服务次数", "[assume] 权重非文件规定", "优秀（A）"):
        assert text in page, text
    assert "schemeversion_rules" not in page and "/rules/" not in page  # an operator reads, never builds


# ----- the condition builder ---------------------------------------------------------------------------------------
def row(fact, op, value="", **extra):
    return {"label": "", "fact": fact, "op": op, "value": value, "param": "", "group": None, "negate": False,
            "note": "", **extra}


def test_rows_in_human_units_become_storage_units():
    rows = [row("subject.area_controlled", "ge", "10,000", group=1),
            row("subject.incubatee_area_share", "ge", "75%", group=2),
            row("subject.incubatee_count", "ge", "", param="min_incubatees", group=2),
            row("subject.fund_size", "ge", "5000000元", group=3, note="[assume]"),
            row("subject.operating_years", "missing", "", group=4, negate=True)]
    parameters = {"min_incubatees": {"type": "count", "label": "下限", "values": [["2018-12-01", 50]]}}
    tree, errors = builder.criteria_from_rows(rows, catalogue(), parameters)
    assert errors == {}
    assert tree == {"all": [
        {"fact": "subject.area_controlled", "op": "ge", "value": 1000000},
        {"any": [{"fact": "subject.incubatee_area_share", "op": "ge", "value": 7500},
                 {"fact": "subject.incubatee_count", "op": "ge", "value": {"param": "min_incubatees"}}]},
        {"fact": "subject.fund_size", "op": "ge", "value": 500000000, "note": "[assume]"},
        {"not": {"fact": "subject.operating_years", "op": "missing"}},
    ]}
    back = builder.tree_to_rows(tree)
    assert [(r["fact"], r["group"], r["negate"], r["param"]) for r in back] == [
        ("subject.area_controlled", 1, False, ""), ("subject.incubatee_area_share", 2, False, ""),
        ("subject.incubatee_count", 2, False, "min_incubatees"), ("subject.fund_size", 3, False, ""),
        ("subject.operating_years", 4, True, "")]
    assert builder.threshold_text(catalogue()["subject.area_controlled"].type, "ge", 1000000) == "10000"


def test_half_a_hundredth_rounds_up_when_typed():
    assert builder.parse_value("area", "9999.995") == 1000000
    assert builder.parse_value("share", "74.994") == 7499
    assert builder.parse_value("ratio", "3.5") == 350
    assert builder.parse_threshold("area", "between", "300~1,000") == [30000, 100000]
    assert builder.parse_threshold("code", "in", "6511、6512") == ["6511", "6512"]


def test_builder_errors_name_the_row_in_chinese():
    rows = [row("subject.incubatee_count", "ge", "50"), row("subject.incubatee_count", "ge", "五十"),
            row("subject.incubatee_count", "ge", "49.5"), row("subject.incubatee_count", "ge", "", param="nope")]
    _tree, errors = builder.criteria_from_rows(rows, catalogue(), {})
    assert set(errors) == {2, 3}
    assert "“五十”不是数字" in errors[2][0] and "应为整数" in errors[3][0]
    _tree, errors = builder.criteria_from_rows([rows[0], rows[3]], catalogue(), {})
    assert errors == {2: ["未知的参数 nope"]}
    _tree, errors = builder.criteria_from_rows([row("subject.incubatee_count", "in", "1、2", group=1),
                                                row("subject.fund_size", "between", "9~1", group=1)], catalogue(), {})
    assert errors == {2: ["下限大于上限"]}


def test_indicator_weights_sum_to_100_and_bands_descend():
    rows = [{"code": "Q1", "label": "在孵企业", "kind": "quantitative", "fact": "subject.incubatee_count", "weight": 60,
             "full_at": "50"},
            {"code": "E1", "label": "服务", "kind": "qualitative", "fact": "", "weight": 30, "full_at": ""}]
    indicators, errors = builder.indicators_from_rows(rows, catalogue())
    assert errors == {0: ["各项权重之和应为 100，现为 90"]}
    rows[1]["weight"] = 40
    indicators, errors = builder.indicators_from_rows(rows, catalogue())
    assert errors == {} and indicators[0] == {"code": "Q1", "label": "在孵企业", "kind": "quantitative",
                                              "weight": 60, "fact": "subject.incubatee_count", "full_at": 50}
    _bands, errors = builder.grade_bands_from_rows([{"grade": "A", "min": 90}, {"grade": "B", "min": 95}])
    assert errors == {2: ["等级应从高到低排列，最低分逐级递减"]}
    _bands, errors = builder.grade_bands_from_rows([{"grade": "A", "min": 90}, {"grade": "B", "min": 60}])
    assert errors == {2: ["最后一个等级的最低分应为 0，使每个得分都有等级"]}


def management(prefix, total):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "64"}


def builder_post(criteria_rows, indicator_rows=(), band_rows=(), parameter_rows=()):
    data = {}
    for prefix, rows in (("criteria", criteria_rows), ("indicators", indicator_rows), ("bands", band_rows),
                         ("parameters", parameter_rows)):
        data.update(management(prefix, len(rows)))
        for index, values in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in values.items()})
    return data


def test_the_builder_page_saves_the_rows_as_criteria(world, client_for):
    version = a_version(criteria={}, indicators=[], grade_bands=[], parameters={})
    client = client_for(world.users["officer"])
    assert client.get(f"/certification/scheme-versions/{version.pk}/rules/").status_code == 200
    response = client.post(f"/certification/scheme-versions/{version.pk}/rules/", builder_post(
        [{"label": "孵化场地面积", "fact": "subject.area_controlled", "op": "ge", "value": "3000", "group": "1"},
         {"fact": "subject.incubatee_count", "op": "ge", "param": "min_incubatees", "group": "2"},
         {"fact": "subject.incubatees_per_1000m2", "op": "ge", "value": "3.5", "group": "2"}],
        [{"code": "Q1", "label": "在孵企业", "kind": "quantitative", "fact": "subject.incubatee_count", "weight": "70",
          "full_at": "50"},
         {"code": "E1", "label": "服务体系", "kind": "qualitative", "weight": "30"}],
        [{"grade": "A", "min": "90"}, {"grade": "B", "min": "75"}, {"grade": "C", "min": "60"},
         {"grade": "D", "min": "0"}],
        [{"name": "min_incubatees", "label": "在孵企业数量下限", "type": "count", "effective_from": "2018-12-01",
          "value": "50"},
         {"name": "min_incubatees", "label": "在孵企业数量下限", "type": "count", "effective_from": "2025-07-01",
          "value": "40"}]))
    assert response.status_code == 302, response.content.decode()[:3000]
    version.refresh_from_db()
    assert version.criteria == {"all": [
        {"fact": "subject.area_controlled", "op": "ge", "value": 300000, "label": "孵化场地面积"},
        {"any": [{"fact": "subject.incubatee_count", "op": "ge", "value": {"param": "min_incubatees"}},
                 {"fact": "subject.incubatees_per_1000m2", "op": "ge", "value": 350}]}]}
    assert version.parameters["min_incubatees"]["values"] == [["2018-12-01", 50], ["2025-07-01", 40]]
    assert [i["weight"] for i in version.indicators] == [70, 30] and version.indicators[0]["full_at"] == 50
    assert [b["min"] for b in version.grade_bands] == [90, 75, 60, 0]
    # What was saved reads back into the same rows.
    page = client.get(f"/certification/scheme-versions/{version.pk}/rules/").content.decode()
    assert 'value="3000"' in page and 'value="3.5"' in page and 'value="min_incubatees"' in page


def test_the_builder_page_refuses_naming_the_row_and_saves_nothing(world, client_for):
    version = a_version()
    before = SchemeVersion.objects.filter(pk=version.pk).values("criteria", "indicators").get()
    response = client_for(world.users["officer"]).post(
        f"/certification/scheme-versions/{version.pk}/rules/", builder_post(
            [{"fact": "subject.area_controlled", "op": "ge", "value": "3000"},
             {"fact": "subject.operating_years", "op": "ge", "value": "三年"}],
            [{"code": "E1", "label": "服务体系", "kind": "qualitative", "weight": "80"}]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "第 2 行：“三年”不是数字" in page
    assert "各项权重之和应为 100，现为 80" in page
    assert SchemeVersion.objects.filter(pk=version.pk).values("criteria", "indicators").get() == before


def test_operators_and_experts_do_not_build(world, client_for):
    version = a_version()
    assert client_for(world.users["operator"]).get(
        f"/certification/scheme-versions/{version.pk}/rules/").status_code == 403
    assert client_for(world.users["expert"]).get(
        f"/certification/scheme-versions/{version.pk}/rules/").status_code == 404
    assert CRITERIA == SchemeVersion.objects.get(pk=version.pk).criteria


def test_saving_the_builder_unchanged_keeps_every_row(world, client_for):
    """The rows read from the version are kept when a person changes nothing (or only another row)."""
    from yuanqu.generic_tests import form_values

    version = a_version()
    client = client_for(world.users["officer"])
    page = client.get(f"/certification/scheme-versions/{version.pk}/rules/")
    data = {}
    for formset in page.context["sets"].values():
        data.update({f"{formset.prefix}-{key}": value for key, value in formset.management_form.initial.items()})
        for form in formset.forms:
            data.update({form.add_prefix(name): value for name, value in form_values(form).items()})
    before = SchemeVersion.objects.filter(pk=version.pk).values("criteria", "indicators", "grade_bands",
                                                                "parameters").get()
    response = client.post(f"/certification/scheme-versions/{version.pk}/rules/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = SchemeVersion.objects.filter(pk=version.pk).values("criteria", "indicators", "grade_bands",
                                                               "parameters").get()
    assert after == before


def test_a_draft_page_says_what_keeps_it_from_being_published(world, client_for):
    version = a_version(indicators=[{"code": "E1", "label": "服务", "kind": "qualitative", "weight": 90}])
    page = client_for(world.users["officer"]).get(version.get_absolute_url()).content.decode()
    assert "本草稿发布前还需处理" in page and "各项权重之和应为 100，现为 90" in page
    admin_page = client_for(world.users["admin"]).get(version.get_absolute_url()).content.decode()
    assert "/publish/" not in admin_page
    ready = a_version()
    admin_page = client_for(world.users["admin"]).get(ready.get_absolute_url()).content.decode()
    assert f"/certification/scheme-versions/{ready.pk}/publish/" in admin_page and "本草稿发布前还需处理" not in admin_page


def test_the_scheme_page_lists_its_versions_and_the_one_in_force(world, client_for):
    scheme = a_scheme("a")
    old = a_version(scheme, status=VersionStatus.RETIRED, effective_from=D(2019, 1, 1))
    current = a_version(scheme, status=VersionStatus.PUBLISHED, effective_from=D(2021, 1, 1))
    officer = client_for(world.users["officer"]).get(scheme.get_absolute_url()).content.decode()
    assert old.get_absolute_url() in officer and current.get_absolute_url() in officer
    assert "今日施行：第 2 版" in officer
    assert f"/certification/scheme-versions/add/?scheme={scheme.pk}" in officer
    assert "/scheme-versions/add/" not in client_for(world.users["operator"]).get(scheme.get_absolute_url()).content.decode()
    a_version(scheme, effective_from=D(2026, 1, 1))  # a draft: no second one is offered
    assert "/scheme-versions/add/" not in client_for(world.users["officer"]).get(scheme.get_absolute_url()).content.decode()
