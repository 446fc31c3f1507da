"""The yearly assessment round, rule by rule: opening and computing, operators' data, experts' declarations and
scores, officers' adjustments, closing with grades and ranks, revocation after two consecutive 不合格, what an
expert may see, the ranked list's export and the decision pack."""

import datetime
import io
import json
import re

import openpyxl
import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from certification import services
from certification.choices import CertificationStatus, Grade, RoundStatus, VersionStatus
from certification.models import (
    Application,
    Assessment,
    AssessmentRound,
    Certification,
    ExpertScore,
    SchemeVersion,
)
from core.actions import Refused
from core.models import DomainEvent, ObjectChange
from yuanqu.testing import bearer

from .generic_rounds import INDICATORS, assessment_of, certification_of, round_of, scheme_with_version

TODAY = datetime.date.today()


@pytest.fixture
def scheme(world):
    return scheme_with_version()


def closed_round(world, scheme, version, year, grades: dict):
    """A closed round of ``year`` in which each certification got the grade given."""
    round_ = round_of(world, "a", scheme, version, year=year, reference_date=datetime.date(year, 12, 31),
                      title=f"{year}年度考核", status=RoundStatus.CLOSED)
    for certification, grade in grades.items():
        assessment_of(round_, certification, grade=grade, score={"A": 9500, "C": 6500, "D": 3000}[grade])
    return round_


def post_action(client, user, obj, verb, body=None):
    slug = {AssessmentRound: "rounds", Assessment: "assessments", Certification: "certifications"}[type(obj)]
    return client.post(f"/api/certification/{slug}/{obj.pk}/{verb}", data=json.dumps(body or {}),
                       content_type="application/json", **bearer(user))


# ----- opening and computing ---------------------------------------------------------------------------------
def test_the_version_in_force_on_the_reference_date_is_fixed_at_opening(world, scheme):
    officer = world.users["officer"]
    scheme_, first = scheme
    second = SchemeVersion.objects.create(scheme=scheme_, number=2, status=VersionStatus.PUBLISHED,
                                          effective_from=datetime.date(2025, 7, 1), indicators=INDICATORS,
                                          grade_bands=first.grade_bands)
    data = {"scheme": scheme_, "year": 2025, "title": "2025年上半年考核", "reference_date": datetime.date(2025, 6, 30)}
    assert services.assessmentround_create(user=officer, data=data).version == first
    later = services.assessmentround_create(user=officer, data={**data, "year": 2026, "title": "2025年度考核",
                                                                "reference_date": datetime.date(2025, 12, 31)})
    assert later.version == second
    with pytest.raises(ValidationError) as refused:
        services.assessmentround_create(user=officer, data={**data, "year": 2019,
                                                            "reference_date": datetime.date(2019, 12, 31)})
    assert "reference_date" in refused.value.message_dict


def test_starting_the_assessment_computes_every_subject_certified_on_the_reference_date(world, scheme, client,
                                                                                       client_for):
    scheme_, version = scheme
    valid_a = certification_of(world, "a", scheme_, version, valid_from=TODAY.replace(year=TODAY.year - 1),
                               valid_until=TODAY.replace(year=TODAY.year + 2))
    valid_b = certification_of(world, "b", scheme_, version, valid_from=TODAY.replace(year=TODAY.year - 1),
                               valid_until=TODAY.replace(year=TODAY.year + 2))
    certification_of(world, "a", scheme_, version, valid_from=TODAY.replace(year=TODAY.year - 4),
                     valid_until=TODAY - datetime.timedelta(days=1))  # lapsed before the reference date
    certification_of(world, "b", scheme_, version, status=CertificationStatus.REVOKED,
                     revoked_on=TODAY - datetime.timedelta(days=10))  # revoked before it
    round_ = round_of(world, "a", scheme_, version, reference_date=TODAY, year=TODAY.year)
    response = post_action(client, world.users["officer"], round_, "compute")
    assert response.status_code == 200, response.content.decode()
    assessments = {a.certification_id: a for a in round_.assessments.all()}
    assert set(assessments) == {valid_a.pk, valid_b.pk}
    # Park A: 1,000 m² of units, 600 m² leased today (the world's lease): 60.00%; no incubatee recorded (0, not
    # missing); park B: 300 m², all leased.
    assert assessments[valid_a.pk].computed == {"subject.incubatee_count": 0, "subject.occupancy": 6000}
    assert assessments[valid_b.pk].computed == {"subject.incubatee_count": 0, "subject.occupancy": 10000}
    assert assessments[valid_a.pk].park_id == world.park_a.pk
    # Each computed value links to the records behind it (facts' evidence page), for those who may read them.
    evidence = f"/certification/evidence/{world.park_a.pk}/subject.occupancy/?on={TODAY.isoformat()}"
    page = client_for(world.users["officer"]).get(assessments[valid_a.pk].get_absolute_url()).content.decode()
    assert evidence in page and "出租率 60%，未达满分标准 90%，得 20.00 分（满分 30 分）" in page
    assert client_for(world.users["officer"]).get(evidence).status_code == 200
    expert_page = client_for(world.users["expert"]).get(assessments[valid_a.pk].get_absolute_url()).content.decode()
    assert "出租率 60%" in expert_page and evidence not in expert_page
    # Computed again: the same assessments, nothing doubled.
    assert post_action(client, world.users["officer"], round_, "compute").status_code == 200
    assert round_.assessments.count() == 2


def test_scoring_starts_only_once_the_round_is_computed(world, scheme, client):
    round_ = round_of(world, "a", *scheme)
    response = post_action(client, world.users["officer"], round_, "score")
    assert response.status_code == 409 and "开始考核" in response.json()["detail"]
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


# ----- operators' data and officers' adjustments --------------------------------------------------------------
def test_the_operator_adds_what_the_records_lack_while_the_round_is_open(world, scheme, client):
    scheme_, version = scheme
    certification = certification_of(world, "a", scheme_, version)
    round_ = round_of(world, "a", scheme_, version)
    assessment = assessment_of(round_, certification, computed={"subject.incubatee_count": 42,
                                                                 "subject.occupancy": None})
    operator = world.users["operator"]
    refused = post_action(client, operator, assessment, "supply", {"fact": "subject.incubatee_count", "value": "50"})
    assert refused.status_code == 400  # the records give it: not offered
    response = post_action(client, operator, assessment, "supply", {"fact": "subject.occupancy", "value": "82.5"})
    assert response.status_code == 200, response.content.decode()
    assessment.refresh_from_db()
    assert assessment.supplied["subject.occupancy"]["value"] == 8250  # 82.5% in basis points
    assert services.assessment_values(assessment) == {"subject.incubatee_count": 42, "subject.occupancy": 8250}
    # 40 × 42/50 = 33.60, 30 × 8250/9000 = 27.50, no expert yet: 0 (数据缺失).
    result = services.assessment_result(assessment)
    assert [i.points for i in result.items] == [3360, 2750, 0]
    assert result.items[2].missing
    assert ObjectChange.objects.filter(object_id=str(assessment.pk), user_name=operator.username).exists()
    # Operator B sees nothing of it; once experts score, the operator adds nothing more.
    assert post_action(client, world.users["operator_b"], assessment, "supply",
                       {"fact": "subject.occupancy", "value": "90"}).status_code == 404
    AssessmentRound.objects.filter(pk=round_.pk).update(status=RoundStatus.SCORING)
    late = post_action(client, operator, assessment, "supply", {"fact": "subject.occupancy", "value": "90"})
    assert late.status_code == 409


def test_a_count_the_operator_adds_is_whole_as_in_the_applications(world, scheme, client):
    scheme_, version = scheme
    assessment = assessment_of(round_of(world, "a", scheme_, version), certification_of(world, "a", scheme_, version),
                               computed={"subject.incubatee_count": None, "subject.occupancy": 8000})
    operator = world.users["operator"]
    half = post_action(client, operator, assessment, "supply", {"fact": "subject.incubatee_count", "value": "42.5"})
    assert half.status_code == 400
    assert half.json()["errors"][0]["message"] == "值：在孵企业（家）须为整数。"
    assessment.refresh_from_db()
    assert assessment.supplied == {}
    assert post_action(client, operator, assessment, "supply",
                       {"fact": "subject.incubatee_count", "value": "42"}).status_code == 200
    assessment.refresh_from_db()
    assert assessment.supplied["subject.incubatee_count"]["value"] == 42


def test_adjustment_needs_a_reason(world, scheme, client):
    scheme_, version = scheme
    assessment = assessment_of(round_of(world, "a", scheme_, version), certification_of(world, "a", scheme_, version))
    officer = world.users["officer"]
    response = post_action(client, officer, assessment, "adjust", {"points": "2.5", "reason": ""})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "reason"
    beyond = post_action(client, officer, assessment, "adjust", {"points": "10.01", "reason": "现场核查"})
    assert beyond.status_code == 400 and beyond.json()["errors"][0]["field"] == "points"
    assessment.refresh_from_db()
    assert (assessment.adjustment, assessment.adjustment_reason) == (0, "")
    done = post_action(client, officer, assessment, "adjust", {"points": "-2.5", "reason": "现场核查台账不全"})
    assert done.status_code == 200, done.content.decode()
    assessment.refresh_from_db()
    assert (assessment.adjustment, assessment.adjustment_reason) == (-250, "现场核查台账不全")
    event = DomainEvent.objects.get(name="certification.assessment.adjust", object_id=str(assessment.pk))
    assert event.data["reason"] == "现场核查台账不全"
    assert post_action(client, world.users["operator"], assessment, "adjust",
                       {"points": "5", "reason": "自评"}).status_code == 403


# ----- experts ------------------------------------------------------------------------------------------------
@pytest.fixture
def scoring_round(world, scheme):
    """A round in expert scoring with subjects in park A and park B; the world's expert is assigned."""
    scheme_, version = scheme
    round_ = round_of(world, "a", scheme_, version, status=RoundStatus.SCORING)
    mine = assessment_of(round_, certification_of(world, "a", scheme_, version))
    theirs = assessment_of(round_, certification_of(world, "b", scheme_, version))
    return round_, mine, theirs


def test_an_expert_does_not_see_a_subject_it_declared_a_conflict_with(world, scoring_round, client_for, client):
    round_, mine, theirs = scoring_round
    expert = world.users["expert"]
    web = client_for(expert)
    assert web.get(theirs.get_absolute_url()).status_code == 200
    response = web.post(reverse("certification:round_declare", args=[round_.pk]),
                        {"certifications": [str(theirs.certification_id)], "reason": "本人曾任该园区运营机构顾问"})
    assert response.status_code == 302
    assert web.get(theirs.get_absolute_url()).status_code == 404
    assert web.get(reverse("certification:assessment_score", args=[theirs.pk])).status_code == 404
    assert client.get(f"/api/certification/assessments/{theirs.pk}", **bearer(expert)).status_code == 404
    listed = client.get("/api/certification/assessments", **bearer(expert)).json()["results"]
    assert {row["id"] for row in listed} == {mine.pk}
    page = web.get(round_.get_absolute_url()).content.decode()
    assert mine.get_absolute_url() in page and theirs.get_absolute_url() not in page
    with pytest.raises(Exception) as refused:
        services.expert_scores_save(user=expert, assessment=theirs, scores={"E1": (90, "")})
    assert type(refused.value).__name__ == "Http404"
    assert not ExpertScore.objects.filter(assessment=theirs).exists()
    # Officers still see the subject.
    officer_page = client_for(world.users["officer"]).get(round_.get_absolute_url()).content.decode()
    assert theirs.get_absolute_url() in officer_page


def test_an_expert_declares_before_scoring_and_scores_0_to_100(world, scoring_round, client_for):
    round_, mine, _theirs = scoring_round
    expert = world.users["expert"]
    web = client_for(expert)
    url = reverse("certification:assessment_score", args=[mine.pk])
    early = web.post(url, {"score_E1": "85.5", "comment_E1": "服务体系健全"})
    assert early.status_code == 409 and "申报" in early.content.decode()
    assert not ExpertScore.objects.exists()
    both = web.post(reverse("certification:round_declare", args=[round_.pk]), {"none": "on"})
    assert both.status_code == 302
    assert DomainEvent.objects.filter(name="certification.assessmentround.declare", user_name=expert.username).exists()
    again = web.post(reverse("certification:round_declare", args=[round_.pk]), {"none": "on"})
    assert again.status_code == 409
    too_high = web.post(url, {"score_E1": "100.5"})
    assert too_high.status_code == 400 and not ExpertScore.objects.exists()
    assert web.post(url, {"score_E1": "85.5", "comment_E1": "服务体系健全"}).status_code == 302
    score = ExpertScore.objects.get(assessment=mine, expert=expert)
    assert (score.indicator, score.score, score.comment) == ("E1", 8550, "服务体系健全")
    assert web.post(url, {"score_E1": "80"}).status_code == 302  # a second save replaces its own
    assert ExpertScore.objects.get(assessment=mine, expert=expert).score == 8000
    # 30 × 80% = 24.00 points
    assert services.assessment_result(mine).items[2].points == 2400
    AssessmentRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    assert web.post(url, {"score_E1": "90"}).status_code == 409
    assert ExpertScore.objects.get(assessment=mine, expert=expert).score == 8000


def test_an_expert_sees_only_its_rounds(world, scheme, client_for, client):
    scheme_, version = scheme
    mine = round_of(world, "a", scheme_, version, title="我参与的考核")
    other_scheme, other_version = scheme_with_version()
    other = round_of(world, "b", other_scheme, other_version, title="与我无关的考核")
    other_assessment = assessment_of(other, certification_of(world, "b", other_scheme, other_version))
    expert = world.users["expert"]
    web = client_for(expert)
    reviews = web.get(reverse("certification:my_reviews")).content.decode()
    assert "我参与的考核" in reviews and "与我无关的考核" not in reviews
    assert web.get(other.get_absolute_url()).status_code == 404
    assert web.get(reverse("certification:round_declare", args=[other.pk])).status_code == 404
    assert web.get(other_assessment.get_absolute_url()).status_code == 404
    assert client.get(f"/api/certification/rounds/{other.pk}", **bearer(expert)).status_code == 404
    assert client.get(f"/api/certification/rounds/{mine.pk}", **bearer(expert)).status_code == 200
    assert web.get(reverse("certification:my_reviews")).status_code == 200
    assert client_for(world.users["officer"]).get(reverse("certification:my_reviews")).status_code == 403


@pytest.mark.parametrize(("page", "api"), [
    ("enterprises:enterprise_list", "/api/enterprises/enterprises"),
    ("leasing:lease_list", "/api/leasing/leases"),
    ("spaces:park_list", "/api/spaces/parks"),
    ("spaces:unit_list", "/api/spaces/units"),
    ("certification:incubatee_list", "/api/certification/incubatees"),
])
def test_an_expert_cannot_see_enterprises_leases_or_parks(world, client_for, client, page, api):
    expert = world.users["expert"]
    assert client_for(expert).get(reverse(page)).status_code == 403
    assert client.get(api, **bearer(expert)).status_code == 403


def test_an_expert_cannot_open_a_park_or_an_enterprise_of_its_round(world, scoring_round, client_for):
    web = client_for(world.users["expert"])
    assert web.get(world.park_a.get_absolute_url()).status_code in (403, 404)
    assert web.get(world.tenant_a.get_absolute_url()).status_code in (403, 404)
    assert web.get(reverse("certification:certification_pack", args=[scoring_round[1].certification_id])
                   ).status_code == 403


# ----- closing ----------------------------------------------------------------------------------------------
def test_closing_fixes_scores_grades_and_ranks_ties_sharing_a_rank(world, scheme, client):
    scheme_, version = scheme
    round_ = round_of(world, "a", scheme_, version, status=RoundStatus.SCORING)
    full = {"subject.incubatee_count": 50, "subject.occupancy": 9000}
    top = assessment_of(round_, certification_of(world, "a", scheme_, version), computed=full)
    tie_1 = assessment_of(round_, certification_of(world, "a", scheme_, version),
                          computed={"subject.incubatee_count": 25, "subject.occupancy": 9000})
    tie_2 = assessment_of(round_, certification_of(world, "b", scheme_, version),
                          computed={"subject.incubatee_count": 50, "subject.occupancy": 4500})
    last = assessment_of(round_, certification_of(world, "b", scheme_, version), computed={})
    expert = world.users["expert"]
    for assessment, value in ((top, 9000), (tie_1, 9000), (tie_2, 10000)):
        ExpertScore.objects.create(assessment=assessment, expert=expert, indicator="E1", score=value)
    Assessment.objects.filter(pk=tie_2.pk).update(adjustment=-300, adjustment_reason="台账不全")
    response = post_action(client, world.users["officer"], round_, "close")
    assert response.status_code == 200, response.content.decode()
    got = {a.pk: (a.score, a.grade, a.rank) for a in round_.assessments.all()}
    # top: 40 + 30 + 27 = 97 (A); tie_1: 20 + 30 + 27 = 77 (B); tie_2: 40 + 15 + 30 − 3 = 82 (B)
    assert got[top.pk] == (9700, Grade.A, 1)
    assert got[tie_2.pk] == (8200, Grade.B, 2)
    assert got[tie_1.pk] == (7700, Grade.B, 3)
    assert got[last.pk] == (0, Grade.D, 4)
    last.refresh_from_db()
    assert [i["sentence"] for i in last.result["items"]] == [
        "在孵企业数量：数据缺失，得 0 分", "出租率：数据缺失，得 0 分", "服务体系与团队：数据缺失（无专家评分），得 0 分"]
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED and round_.closed_at is not None
    again = post_action(client, world.users["officer"], round_, "close")
    assert again.status_code == 409


def test_two_consecutive_fails_revoke_the_certification(world, scheme, client):
    scheme_, version = scheme
    failing = certification_of(world, "a", scheme_, version)
    recovering = certification_of(world, "a", scheme_, version)
    first_fail = certification_of(world, "b", scheme_, version)
    closed_round(world, scheme_, version, 2024, {failing: "D", recovering: "D", first_fail: "C"})
    round_ = round_of(world, "a", scheme_, version, year=2025, title="2025年度考核", status=RoundStatus.SCORING)
    assessment_of(round_, failing, computed={})  # nothing: 0 points, D
    assessment_of(round_, recovering, computed={"subject.incubatee_count": 50, "subject.occupancy": 9000})  # 70: C
    assessment_of(round_, first_fail, computed={})  # D, after a C
    response = post_action(client, world.users["officer"], round_, "close")
    assert response.status_code == 200, response.content.decode()
    for certification in (failing, recovering, first_fail):
        certification.refresh_from_db()
    assert failing.status == CertificationStatus.REVOKED
    assert failing.revoked_on == datetime.date.today()
    assert "2024年度考核" in failing.revocation_reason and "2025年度考核" in failing.revocation_reason
    assert recovering.status == first_fail.status == CertificationStatus.VALID
    event = DomainEvent.objects.get(name="certification.certification.revoke", object_id=str(failing.pk))
    assert event.user_name == world.users["officer"].username
    assert ObjectChange.objects.filter(object_id=str(failing.pk), content_type__model="certification").exists()
    close = DomainEvent.objects.get(name="certification.assessmentround.close", object_id=str(round_.pk))
    assert close.data["revoked"] == [failing.pk]


def test_an_officer_revokes_a_certification_by_hand_with_a_reason(world, scheme, client):
    certification = certification_of(world, "a", *scheme)
    officer = world.users["officer"]
    blank = post_action(client, officer, certification, "revoke", {"revoked_on": "2025-03-01", "reason": ""})
    assert blank.status_code == 400
    done = post_action(client, officer, certification, "revoke",
                       {"revoked_on": "2025-03-01", "reason": "园区运营机构申请退出认定"})
    assert done.status_code == 200, done.content.decode()
    certification.refresh_from_db()
    assert (certification.status, certification.revoked_on, certification.revocation_reason) == (
        CertificationStatus.REVOKED, datetime.date(2025, 3, 1), "园区运营机构申请退出认定")
    assert post_action(client, world.users["operator"], certification, "revoke",
                       {"revoked_on": "2025-03-01", "reason": "x"}).status_code == 403
    twice = post_action(client, officer, certification, "revoke", {"revoked_on": "2025-04-01", "reason": "再次撤销"})
    assert twice.status_code == 409 and "不能撤销" in twice.json()["detail"]
    certification.refresh_from_db()
    assert certification.revoked_on == datetime.date(2025, 3, 1)


def test_a_round_in_scoring_cannot_be_closed_by_an_operator_and_a_closed_one_is_kept(world, scoring_round, client,
                                                                                   client_for):
    round_ = scoring_round[0]
    assert post_action(client, world.users["operator"], round_, "close").status_code == 403
    services.round_close(user=world.users["officer"], instance=round_)
    response = client_for(world.users["officer"]).post(reverse("certification:assessmentround_delete",
                                                               args=[round_.pk]))
    assert response.status_code in (200, 400, 409)
    assert AssessmentRound.objects.filter(pk=round_.pk).exists()
    with pytest.raises(Refused):
        services.round_score(user=world.users["officer"], instance=round_)


# ----- the ranked list and the decision pack -------------------------------------------------------------------
def test_the_ranked_list_exports_a_formula_like_subject_name_as_text(world, scheme, client_for):
    scheme_, version = scheme
    world.park_a.name = "=cmd|' /C calc'!A0"
    world.park_a.save()
    round_ = round_of(world, "a", scheme_, version, status=RoundStatus.SCORING)
    assessment_of(round_, certification_of(world, "a", scheme_, version),
                  computed={"subject.incubatee_count": 50, "subject.occupancy": 9000})
    services.round_close(user=world.users["officer"], instance=round_)
    web = client_for(world.users["officer"])
    page = web.get(reverse("certification:round_results", args=[round_.pk])).content.decode()
    assert "70.00" in page
    response = web.get(reverse("certification:round_results_export", args=[round_.pk]), {"format": "xlsx"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    row = [cell for cell in sheet[2]]
    subject = row[header.index("认定对象")]
    assert subject.value == "=cmd|' /C calc'!A0" and subject.data_type == "s"
    assert row[0].value == 1 and row[header.index("得分")].value == 70
    assert DomainEvent.objects.filter(name="core.export", data__round=round_.pk).exists()
    # An operator exports only its own parks' rows; an expert of another round cannot export it.
    assert web.get(reverse("certification:round_results", args=[round_.pk])).status_code == 200
    assert client_for(world.users["operator_b"]).get(
        reverse("certification:round_results_export", args=[round_.pk])).status_code == 404


def _pdf_text(content: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages))


def test_the_decision_pack_renders_as_an_official_document_whose_chinese_text_reads_back(world, scheme, client_for):
    scheme_, version = scheme
    leaves = [{"label": "在孵企业数量", "fact": "subject.incubatee_count", "passed": True, "missing": False,
               "sentence": "在孵企业 60 家，达到要求的 50 家"},
              {"label": "运营团队人数", "fact": "subject.team_size", "passed": False, "missing": True,
               "sentence": "运营团队人数：数据缺失"}]
    application = Application.objects.create(
        number="SQ-2024-0001", scheme=scheme_, version=version, park=world.park_a, status="approved",
        reference_date=datetime.date(2023, 12, 31), decided_by=world.users["officer"],
        evaluation={"passed": False, "leaves": leaves})
    certification = certification_of(world, "a", scheme_, version, application=application)
    services.certification_revoke(user=world.users["officer"], instance=certification,
                                  revoked_on=datetime.date(2026, 1, 15), reason="运营机构申请退出")
    round_ = round_of(world, "a", scheme_, version, status=RoundStatus.SCORING, title="2025年度科技园区考核")
    assessment_of(round_, certification, computed={"subject.incubatee_count": 42, "subject.occupancy": 8100})
    # 40 × 42/50 = 33.60, 30 × 8100/9000 = 27.00, no expert score: 60.60, 合格 (C)
    services.round_close(user=world.users["officer"], instance=round_)
    response = client_for(world.users["operator"]).get(reverse("certification:certification_pack",
                                                               args=[certification.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert f"关于国际金融科技生态园的{scheme_.name}认定与考核情况" in text
    assert "深圳市福田区科技创新局" in text
    from core.documents import arabic_date

    assert arabic_date(local_today()) in text  # 成文日期 in Arabic numerals, as GB/T 9704-2012 sets it
    from certification.facts import Records, compute_one

    counted = compute_one(certification.park_id, certification.building_id, local_today())
    served = Records(certification.park_id, certification.building_id, local_today()).services().count()
    assert f"在孵企业记录{counted['subject.incubatee_count']}家；近12个月服务记录{served}条" in text  # as the criteria count
    for words in ("认定标准", "在孵企业60家，达到要求的50家", "满足", "运营团队人数：数据缺失", "SQ-2024-0001",
                  "2026年1月15日撤销，理由：运营机构申请退出", "认定历程", "撤销认定", "t_officer",
                  "认定情况", "年度考核", "2025年度科技园区考核", "60.60", "合格", "在孵企业数量42",
                  certification.certificate_number):
        assert words in text, words
    assert DomainEvent.objects.filter(name="certification.certification.pack",
                                      object_id=str(certification.pk)).exists()
    assert client_for(world.users["operator_b"]).get(
        reverse("certification:certification_pack", args=[certification.pk])).status_code == 404
    assert client_for(world.users["enterprise"]).get(
        reverse("certification:certification_pack", args=[certification.pk])).status_code == 403


def local_today():
    from django.utils import timezone

    return timezone.localdate()


def test_the_certification_page_lists_its_assessments_and_links_the_pack(world, scheme, client_for):
    scheme_, version = scheme
    certification = certification_of(world, "a", scheme_, version)
    round_ = round_of(world, "a", scheme_, version, status=RoundStatus.SCORING, title="2025年度科技园区考核")
    assessment_of(round_, certification, computed={"subject.incubatee_count": 50, "subject.occupancy": 9000})
    services.round_close(user=world.users["officer"], instance=round_)
    pack = reverse("certification:certification_pack", args=[certification.pk])
    page = client_for(world.users["operator"]).get(certification.get_absolute_url()).content.decode()
    assert "2025年度科技园区考核" in page and "70.00" in page and "合格（C）" in page and pack in page


def test_the_operator_attaches_the_document_behind_what_it_adds(world, scheme, client, attachment_root):
    from core.attachments.services import document_upload
    from core.tests import attachment_files as samples

    scheme_, version = scheme
    round_ = round_of(world, "a", scheme_, version)
    assessment = assessment_of(round_, certification_of(world, "a", scheme_, version),
                               computed={"subject.incubatee_count": None, "subject.occupancy": 8000})
    other = assessment_of(round_of(world, "a", *scheme_with_version()), certification_of(world, "a", scheme_, version))
    operator = world.users["operator"]
    attached = document_upload(user=operator, record=assessment, kind="assessment_evidence",
                               upload=samples.upload("在孵企业名单.pdf", samples.PDF), title="在孵企业名单")
    elsewhere = document_upload(user=operator, record=other, kind="assessment_evidence",
                                upload=samples.upload("其他.pdf", samples.PDF))
    wrong = post_action(client, operator, assessment, "supply",
                        {"fact": "subject.incubatee_count", "value": "45", "document": elsewhere.document_id})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "document"
    done = post_action(client, operator, assessment, "supply",
                       {"fact": "subject.incubatee_count", "value": "45", "document": attached.document_id})
    assert done.status_code == 200, done.content.decode()
    assessment.refresh_from_db()
    assert assessment.supplied["subject.incubatee_count"] == {"value": 45, "document": attached.document_id,
                                                              "by": operator.username}
    # Once experts score, the operator attaches nothing more to it.
    AssessmentRound.objects.filter(pk=round_.pk).update(status=RoundStatus.SCORING)
    with pytest.raises(PermissionDenied):
        document_upload(user=operator, record=Assessment.objects.get(pk=assessment.pk), kind="assessment_evidence",
                        upload=samples.upload("迟交.pdf", samples.PDF))


def test_a_subject_added_by_hand_is_computed_and_keeps_its_round(world, scheme, client):
    scheme_, version = scheme
    round_ = round_of(world, "a", scheme_, version, reference_date=TODAY, year=TODAY.year)
    certification = certification_of(world, "a", scheme_, version, valid_from=TODAY.replace(year=TODAY.year - 1))
    officer = world.users["officer"]
    response = client.post("/api/certification/assessments", data=json.dumps(
        {"round": round_.pk, "certification": certification.pk, "opinion": ""}), content_type="application/json",
        **bearer(officer))
    assert response.status_code == 201, response.content.decode()
    assessment = Assessment.objects.get(pk=response.json()["id"])
    assert (assessment.park_id, assessment.computed) == (
        world.park_a.pk, {"subject.incubatee_count": 0, "subject.occupancy": 6000})
    other = certification_of(world, "a", scheme_, version)
    moved = client.patch(f"/api/certification/assessments/{assessment.pk}", data=json.dumps(
        {"certification": other.pk}), content_type="application/json", **bearer(officer))
    assert moved.status_code == 400 and moved.json()["errors"][0]["field"] == "certification"
    AssessmentRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED)
    gone = client.delete(f"/api/certification/assessments/{assessment.pk}", **bearer(officer))
    assert gone.status_code == 400
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_an_expert_is_not_swayed_by_the_other_experts_scores(world, scoring_round, client_for):
    round_, mine, _theirs = scoring_round
    expert = world.users["expert"]
    ExpertScore.objects.create(assessment=mine, expert=world.users["admin"], indicator="E1", score=4000)
    web = client_for(expert)
    page = web.get(round_.get_absolute_url()).content.decode()
    assert "未评分" in page and "当前得分" not in page
    detail = web.get(mine.get_absolute_url()).content.decode()
    assert "数据缺失（无专家评分）" in detail and "40.00" not in detail
    services.conflicts_declare(user=expert, round=round_)
    services.expert_scores_save(user=expert, assessment=mine, scores={"E1": (90, "")})
    assert "已评分" in web.get(round_.get_absolute_url()).content.decode()
    detail = web.get(mine.get_absolute_url()).content.decode()
    assert "1 位专家平均 90.00 分" in detail
    officer = client_for(world.users["officer"]).get(mine.get_absolute_url()).content.decode()
    assert "2 位专家平均 65.00 分" in officer
