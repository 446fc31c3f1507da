"""An application from draft to decision: the transition table (every state × role), the version in force on the
reference date, the evaluation kept at submission, the values the applicant supplies with their documents, the
four-eyes rule, the certificate issued, renewals, and the operator's scope."""

import datetime
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from certification import services
from certification.choices import ApplicationStatus, CertificationStatus, SchemeLevel, VersionStatus
from certification.models import Application, Certification, SchemeVersion
from certification.tests.generic_records import sample_scheme, second_officer
from core.actions import Refused, action_for
from core.attachments import services as attachments
from core.attachments.selectors import attachment_list
from core.models import DomainEvent
from core.tests import attachment_files as samples
from yuanqu.testing import bearer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("attachment_root")]

DAY = datetime.timedelta(days=1)
REFERENCE = datetime.date(2026, 3, 31)
FUND = "subject.fund_size"
# Park A controls 1,000 ㎡ (units of 600, 200 and 200 ㎡); a fund of at least 5,000,000 元 is supplied.
CRITERIA = {"all": [
    {"fact": "subject.area_controlled", "op": "ge", "value": 50000, "label": "管理面积"},
    {"fact": FUND, "op": "ge", "value": 500000000, "label": "孵化基金规模"},
]}


@pytest.fixture
def scheme(db):
    return sample_scheme("district-incubator", criteria=CRITERIA, level=SchemeLevel.MUNICIPAL)


def new_application(world, scheme, *, user="operator", park=None, on=REFERENCE):
    return services.application_create(user=world.users[user], data={
        "park": park or world.park_a, "scheme": scheme, "reference_date": on})


def attach(world, application, name="孵化基金证明.pdf"):
    return attachments.document_upload(user=world.users["operator"], record=application,
                                       kind="certification_evidence", upload=samples.upload(name, samples.PDF))


def ready(world, scheme, *, fund=600000000, **kwargs) -> Application:
    """A draft whose supplied fund has a value and its document."""
    application = new_application(world, scheme, **kwargs)
    document = attach(world, application).document_id
    return services.application_supplied_set(user=world.users["operator"], application=application,
                                             values={FUND: {"value": fund, "document": document}})


def take(verb, world, application, user, **inputs):
    declared = action_for(Application, verb)
    inputs = inputs or declared.example(application)
    return declared(user=world.users[user] if isinstance(user, str) else user, instance=application, **inputs)


# ----- the transition table ---------------------------------------------------------------------------------------
ROLES = ("admin", "officer", "leader", "operator", "enterprise", "expert")
ROLE_OF = {"admin": "bureau_admin", "officer": "bureau_officer", "leader": "leader", "operator": "park_operator",
           "enterprise": "enterprise", "expert": "expert"}


def test_the_declared_actions_follow_the_transition_table():
    assert set(services.APPLICATION_TRANSITIONS) == {"supply", "submit", "return", "accept", "approve", "reject"}
    for verb, (sources, target, roles) in services.APPLICATION_TRANSITIONS.items():
        declared = action_for(Application, verb)
        assert declared.sources == frozenset(sources) and declared.target == target, verb
        assert declared.roles == frozenset(roles), verb
        assert declared.event == f"certification.application.{verb}"


@pytest.mark.parametrize("verb", ["supply", "submit", "return", "accept", "approve", "reject"])
def test_every_state_and_role(world, scheme, verb):
    """From each of the six states, as each of the six roles: the action leads to its target only from its
    sources and only for its roles; otherwise PermissionDenied (the role) or Refused (the state), nothing changed."""
    sources, target, roles = services.APPLICATION_TRANSITIONS[verb]
    application = ready(world, scheme)
    reviewer = second_officer()
    outcomes = {}
    for state in ApplicationStatus.values:
        for role in ROLES:
            with transaction.atomic():
                Application.objects.filter(pk=application.pk).update(
                    status=state, reviewed_by=reviewer, decided_by=reviewer if state == "approved" else None)
                application.refresh_from_db()
                events = DomainEvent.objects.filter(name=f"certification.application.{verb}").count()
                try:
                    take(verb, world, application, role)
                except PermissionDenied:
                    outcomes[state, role] = "no permission"
                except Refused:
                    outcomes[state, role] = "refused"
                else:
                    application.refresh_from_db()
                    outcomes[state, role] = application.status
                if outcomes[state, role] != (target or state):
                    assert Application.objects.get(pk=application.pk).status == state
                    assert DomainEvent.objects.filter(name=f"certification.application.{verb}").count() == events
                transaction.set_rollback(True)
    expected = {(state, role): ((target or state) if state in sources else "refused") if ROLE_OF[role] in roles
                else "no permission" for state in ApplicationStatus.values for role in ROLES}
    assert outcomes == expected


def test_operator_b_can_take_no_step_on_operator_a_application(world, scheme):
    application = ready(world, scheme)
    with pytest.raises(PermissionDenied):
        take("submit", world, application, world.users["operator_b"])
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


# ----- submitting -------------------------------------------------------------------------------------------------
def test_submit_is_refused_while_a_supplied_value_has_no_value_or_no_document(world, scheme):
    application = new_application(world, scheme)
    with pytest.raises(Refused, match="提交前请填写以下数据并注明各自的证明材料：孵化基金规模"):
        take("submit", world, application, "operator")
    services.application_supplied_set(user=world.users["operator"], application=application,
                                      values={FUND: {"value": 600000000, "document": None}})
    with pytest.raises(Refused, match="孵化基金规模"):
        take("submit", world, application, "operator")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT
    assert not DomainEvent.objects.filter(name="certification.application.submit").exists()


def test_a_supplied_value_names_a_document_of_its_own_application(world, scheme):
    application, other = new_application(world, scheme), new_application(world, scheme)
    foreign = attach(world, other).document_id
    with pytest.raises(ValidationError) as caught:
        services.application_supplied_set(user=world.users["operator"], application=application,
                                          values={FUND: {"value": 1, "document": foreign}})
    assert caught.value.message_dict == {FUND: ["请选择已上传到本申请的证明材料。"]}


def test_submit_keeps_the_evaluation_with_the_version_and_its_hash(world, scheme):
    application = take("submit", world, ready(world, scheme), "operator")
    version = scheme.versions.get()
    assert application.status == ApplicationStatus.SUBMITTED and application.submitted_at is not None
    assert application.version == version
    evaluation = application.evaluation
    assert (evaluation["version"], evaluation["version_hash"], evaluation["passed"]) == (
        version.pk, version.content_hash, True)
    leaves = {leaf["fact"]: leaf for leaf in evaluation["outcome"]["leaves"]}
    assert leaves["subject.area_controlled"]["value"] == 100000 and leaves["subject.area_controlled"]["passed"]
    assert leaves[FUND]["value"] == 600000000 and leaves[FUND]["passed"]
    event = DomainEvent.objects.get(name="certification.application.submit")
    assert event.data["version"] == version.pk and event.user_name == "t_operator"


def test_a_failing_criterion_is_kept_with_its_sentence(world, scheme):
    application = take("submit", world, ready(world, scheme, fund=300000000), "operator")
    leaves = {leaf["fact"]: leaf for leaf in application.evaluation["outcome"]["leaves"]}
    assert application.evaluation["passed"] is False
    assert not leaves[FUND]["passed"] and "3,000,000" in leaves[FUND]["sentence"]


def test_the_version_in_force_on_the_reference_date_is_used(world, scheme):
    stricter = {"all": [{"fact": "subject.area_controlled", "op": "ge", "value": 500000, "label": "管理面积"}]}
    later = SchemeVersion.objects.create(scheme=scheme, number=2, status=VersionStatus.PUBLISHED,
                                         effective_from=datetime.date(2026, 1, 1), criteria=stricter,
                                         content_hash="2" * 64)
    SchemeVersion.objects.create(scheme=scheme, number=3, status=VersionStatus.DRAFT,
                                 effective_from=datetime.date(2026, 2, 1), criteria={}, content_hash="")
    before = take("submit", world, ready(world, scheme, on=datetime.date(2025, 12, 31)), "operator")
    assert before.version.number == 1 and before.evaluation["passed"] is True
    after = take("submit", world, ready(world, scheme, on=datetime.date(2026, 1, 1)), "operator")
    assert after.version == later and after.evaluation["version_hash"] == "2" * 64
    assert after.evaluation["passed"] is False  # 1,000 ㎡ is below the later version's 5,000 ㎡


def test_no_version_in_force_on_the_reference_date_refuses_the_submission(world, scheme):
    application = ready(world, scheme, on=datetime.date(2019, 12, 31))
    with pytest.raises(Refused, match="在基准日期2019-12-31没有生效的版本"):
        take("submit", world, application, "operator")


# ----- review and decision ----------------------------------------------------------------------------------------
def submitted(world, scheme, **kwargs):
    return take("submit", world, ready(world, scheme, **kwargs), "operator")


def test_returning_needs_a_comment_and_the_operator_submits_again(world, scheme):
    application = submitted(world, scheme)
    with pytest.raises(ValidationError) as caught:
        take("return", world, application, "officer", comment="  ")
    assert caught.value.message_dict == {"comment": ["请写明运营机构需要修改的内容。"]}
    application = take("return", world, application, "officer", comment="请补充基金托管协议")
    assert (application.status, application.review_comment) == (ApplicationStatus.RETURNED, "请补充基金托管协议")
    application = take("submit", world, application, "operator")
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_approver_cannot_be_the_officer_who_reviewed_it(world, scheme, client_for):
    application = take("accept", world, submitted(world, scheme), "officer")
    assert application.reviewed_by == world.users["officer"]
    with pytest.raises(Refused, match="审批人不能与初审人为同一人"):
        take("approve", world, application, "officer")
    assert not Certification.objects.exists()
    page = client_for(world.users["officer"]).get(application.get_absolute_url()).content.decode()
    assert reverse("certification:application_approve", args=[application.pk]) not in page


def test_approval_issues_the_certificate(world, scheme):
    application = take("accept", world, submitted(world, scheme), "officer")
    certification = take("approve", world, application, "admin", comment="同意")
    today = timezone.localdate()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.decided_by == world.users["admin"]
    assert certification.certificate_number == f"FTKC-RZ-{today.year}-0001"
    assert (certification.scheme, certification.park, certification.building) == (scheme, world.park_a, None)
    assert certification.level == SchemeLevel.MUNICIPAL and certification.status == CertificationStatus.VALID
    assert certification.valid_from == today
    assert certification.valid_until == services.valid_until_for(today, 3)
    assert certification.application == application and certification.version == scheme.versions.get()
    event = DomainEvent.objects.get(name="certification.application.approve")
    assert event.data["certificate_number"] == certification.certificate_number
    second = take("approve", world, take("accept", world, submitted(world, scheme), "officer"), "admin")
    assert second.certificate_number == f"FTKC-RZ-{today.year}-0002"


def test_validity_ends_the_day_before_the_anniversary():
    assert services.valid_until_for(datetime.date(2026, 3, 1), 3) == datetime.date(2029, 2, 28)
    assert services.valid_until_for(datetime.date(2026, 7, 15), 3) == datetime.date(2029, 7, 14)
    assert services.valid_until_for(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)


def test_rejecting_needs_a_reason(world, scheme):
    application = take("accept", world, submitted(world, scheme), "officer")
    with pytest.raises(ValidationError):
        take("reject", world, application, "admin", comment="")
    application = take("reject", world, application, "admin", comment="孵化基金未实缴")
    assert application.status == ApplicationStatus.REJECTED and application.decision_comment == "孵化基金未实缴"
    assert not Certification.objects.exists()


# ----- renewal ----------------------------------------------------------------------------------------------------
def certified(world, scheme, *, valid_until, status=CertificationStatus.VALID):
    return Certification.objects.create(
        scheme=scheme, version=scheme.versions.get(), park=world.park_a, level=scheme.level,
        certificate_number="FTKC-RZ-2023-0007", valid_from=valid_until - 3 * 365 * DAY, valid_until=valid_until,
        status=status)


def test_a_renewal_approved_before_the_end_starts_the_day_after_it(world, scheme, client_for):
    today = timezone.localdate()
    old = certified(world, scheme, valid_until=today + 40 * DAY)
    application = take("accept", world, submitted(world, scheme), "officer")
    assert services.application_renews(application) == old
    page = client_for(world.users["operator"]).get(application.get_absolute_url()).content.decode()
    assert "续期申请" in page and old.certificate_number in page
    new = take("approve", world, application, "admin")
    assert new.valid_from == old.valid_until + DAY == today + 41 * DAY
    assert new.valid_until == services.valid_until_for(new.valid_from, 3)


def test_after_the_old_certification_ended_the_new_one_starts_on_the_decision_day(world, scheme):
    today = timezone.localdate()
    certified(world, scheme, valid_until=today - DAY, status=CertificationStatus.EXPIRED)
    application = take("accept", world, submitted(world, scheme), "officer")
    assert services.application_renews(application) is None
    assert take("approve", world, application, "admin").valid_from == today


# ----- scope ------------------------------------------------------------------------------------------------------
def test_an_operator_sees_only_its_own_applications(world, scheme, client, client_for):
    mine, theirs = new_application(world, scheme), new_application(world, scheme, user="officer", park=world.park_b)
    operator = client_for(world.users["operator"])
    listed = operator.get(reverse("certification:application_list")).content.decode()
    assert mine.number in listed and theirs.number not in listed
    assert operator.get(theirs.get_absolute_url()).status_code == 404
    assert operator.get(reverse("certification:application_supplied", args=[theirs.pk])).status_code == 404
    assert operator.post(reverse("certification:application_submit", args=[theirs.pk])).status_code == 404
    api = bearer(world.users["operator"])
    assert client.get(f"/api/certification/applications/{theirs.pk}", **api).status_code == 404
    assert [row["id"] for row in client.get("/api/certification/applications", **api).json()["results"]] == [mine.pk]
    assert client.post(f"/api/certification/applications/{theirs.pk}/submit", data="{}",
                       content_type="application/json", **api).status_code == 404


def test_an_operator_applies_only_for_its_own_parks(world, scheme, client, client_for):
    response = client_for(world.users["operator"]).post(reverse("certification:application_add"), {
        "park": world.park_b.pk, "scheme": scheme.pk, "reference_date": "2026-03-31"})
    assert response.status_code == 400 and "park" in response.context["form"].errors
    response = client.post("/api/certification/applications", data=json.dumps({
        "park": world.park_b.pk, "scheme": scheme.pk, "reference_date": "2026-03-31"}),
        content_type="application/json", **bearer(world.users["operator"]))
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_building_scheme_needs_a_building_of_the_park(world, client_for):
    scheme = sample_scheme("tech-building", subject_kind="building")
    response = client_for(world.users["operator"]).post(reverse("certification:application_add"), {
        "park": world.park_a.pk, "scheme": scheme.pk, "reference_date": "2026-03-31"})
    assert response.context["form"].errors["building"] == ["该办法认定的是楼宇，请选择楼宇。"]
    response = client_for(world.users["admin"]).post(reverse("certification:application_add"), {
        "park": world.park_a.pk, "building": world.building_b.pk, "scheme": scheme.pk, "reference_date": "2026-03-31"})
    assert response.context["form"].errors["building"] == ["楼宇必须属于所选园区。"]
    response = client_for(world.users["operator"]).post(reverse("certification:application_add"), {
        "park": world.park_a.pk, "building": world.building_a.pk, "scheme": scheme.pk, "reference_date": "2026-03-31"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert re.fullmatch(rf"SQ-{timezone.localdate().year}-0001", application.number)


# ----- the pages ----------------------------------------------------------------------------------------------------
def test_the_supplied_values_page_takes_human_units_and_names_the_document(world, scheme, client_for):
    application = new_application(world, scheme)
    document = attach(world, application, "基金托管协议.pdf").document_id
    client = client_for(world.users["operator"])
    url = reverse("certification:application_supplied", args=[application.pk])
    page = client.get(url).content.decode()
    assert "孵化基金规模（元）" in page and "基金托管协议" in page
    response = client.post(url, {"subject__fund_size__value": "五百万", "subject__fund_size__document": document})
    assert response.status_code == 400 and "“五百万”不是数字。" in response.content.decode()
    response = client.post(url, {"subject__fund_size__value": "6,000,000.50",
                                 "subject__fund_size__document": str(document)})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.supplied == {FUND: {"value": 600000050, "document": document}}
    detail = client.get(application.get_absolute_url()).content.decode()
    assert "6,000,000.50 元" in detail and "满足" in detail


def test_the_detail_page_shows_the_criteria_live_before_submission(world, scheme, client_for):
    application = new_application(world, scheme)
    page = client_for(world.users["operator"]).get(application.get_absolute_url()).content.decode()
    assert "按当前记录实时评估" in page
    assert "管理面积" in page and "孵化基金规模：数据缺失" in page


def test_the_api_enters_one_supplied_value_in_human_units_with_its_document(world, scheme, client):
    application = new_application(world, scheme)
    document = attach(world, application).document_id
    api = bearer(world.users["operator"])
    url = f"/api/certification/applications/{application.pk}/supply"
    refused = client.post(url, data=json.dumps({"fact": FUND, "value": "6000000", "document": document + 999}),
                          content_type="application/json", **api)
    assert refused.status_code == 400
    assert [(e["field"], e["message"]) for e in refused.json()["errors"]] == [
        ("document", "文档：请选择已上传到本申请的证明材料。")]
    negative = client.post(url, data=json.dumps({"fact": FUND, "value": "-1"}), content_type="application/json", **api)
    assert negative.status_code == 400 and "数值不能为负数。" in json.dumps(negative.json(), ensure_ascii=False)
    done = client.post(url, data=json.dumps({"fact": FUND, "value": "6000000.5", "document": document}),
                       content_type="application/json", **api)
    assert done.status_code == 200, done.content
    application.refresh_from_db()
    assert application.supplied == {FUND: {"value": 600000050, "document": document}}
    assert DomainEvent.objects.filter(name="certification.application.supply").count() == 1
    other = client.post(url, data=json.dumps({"fact": FUND, "value": "1"}), content_type="application/json",
                        **bearer(world.users["operator_b"]))
    assert other.status_code == 404
    assert take("submit", world, application, "operator").status == ApplicationStatus.SUBMITTED
    late = client.post(url, data=json.dumps({"fact": FUND, "value": "1"}), content_type="application/json", **api)
    assert late.status_code == 409


def test_a_submitted_application_keeps_its_documents_until_it_is_returned(world, scheme, client_for):
    application = submitted(world, scheme)
    for role in ("operator", "officer"):
        with pytest.raises(PermissionDenied):
            attachments.document_upload(user=world.users[role], record=application, kind="certification_evidence",
                                        upload=samples.upload("补充材料.pdf", samples.PDF))
    kept = list(attachment_list(user=world.users["officer"], record=application))
    with pytest.raises(PermissionDenied):
        attachments.attachment_remove(user=world.users["operator"], attachment=kept[0])
    page = client_for(world.users["operator"]).get(application.get_absolute_url()).content.decode()
    assert "孵化基金证明.pdf" in page  # still read
    application = take("return", world, application, "officer", comment="请补充基金托管协议")
    attach(world, application, "基金托管协议.pdf")  # open again once returned


def test_the_change_record_of_a_submission_names_the_status_not_the_evaluation_text(world, scheme):
    from core.models import ObjectChange

    application = submitted(world, scheme)
    change = ObjectChange.objects.filter(object_id=str(application.pk), user_name="t_operator").latest("pk")
    assert change.data_after["status"] == ApplicationStatus.SUBMITTED
    assert "evaluation" not in change.data_after and "evaluation" not in (change.data_before or {})
    assert application.evaluation["outcome"]["leaves"]  # kept on the application itself


def test_a_document_added_from_a_page_opened_before_submission_is_refused_under_the_lock(world, scheme):
    application = ready(world, scheme)  # a draft, as the upload page saw it
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)  # submitted meanwhile
    with pytest.raises(PermissionDenied) as refused:
        attach(world, application, "迟到的材料.pdf")
    assert str(refused.value) == "只有草稿或被退回的申请可以修改。"
    assert [a.document.title for a in attachment_list(user=world.users["officer"], record=application)] == [
        "孵化基金证明"]
