"""In Chromium: an expert declares no conflict and scores a subject; the officer closes the round and reads the
ranked list."""

import re

import pytest

from certification.choices import RoundStatus
from certification.models import ExpertScore
from spaces.models import Park
from spaces.tests.test_browser import SHOTS, login

from .generic_rounds import assessment_of, certification_of, round_of, scheme_with_version

PARKS = [("深圳湾科技生态园", 48, 8800, 9000), ("福田国际电子商务产业园", 50, 9300, 8200),
         ("车公庙天安数码城", 31, 7600, 7500), ("华强北科技创新园", 22, 6100, 6000)]


@pytest.mark.browser
def test_an_expert_scores_and_the_officer_reads_the_ranked_list(live_server, transactional_db, world, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    scheme, version = scheme_with_version(name="福田区科技园区认定办法")
    round_ = round_of(world, "a", scheme, version, title="2025年度科技园区考核", status=RoundStatus.SCORING)
    first = None
    for number, (name, incubatees, occupancy, expert_score) in enumerate(PARKS):
        park = world.park_a if number == 0 else Park.objects.create(
            code=f"round-park-{number}", name=name, zone=world.area, operator=world.op_a)
        if number == 0:
            Park.objects.filter(pk=park.pk).update(name=name)
        certification = certification_of(world, "a", scheme, version)
        certification.park = park
        certification.save()
        assessment = assessment_of(round_, certification, computed={"subject.incubatee_count": incubatees,
                                                                     "subject.occupancy": occupancy})
        if number == 0:
            first = assessment
        else:
            ExpertScore.objects.create(assessment=assessment, expert=world.users["admin"], indicator="E1",
                                       score=expert_score)
    login(page, live_server, "t_expert")
    page.get_by_role("link", name="我的评审").first.click()
    page.get_by_role("link", name="申报利益冲突").click()
    page.get_by_label("本人与本次考核的所有对象均无利益冲突").check()
    page.get_by_role("button", name="提交申报").click()
    page.wait_for_url(re.compile(rf"/certification/rounds/{round_.pk}/$"))
    assert "您已声明与本次考核的所有对象均无利益冲突" in page.content()
    page.get_by_role("link", name="深圳湾科技生态园").click()
    page.get_by_test_id("score").click()
    page.get_by_label("E1 服务体系与团队").fill("90")
    page.fill("#id_comment_E1", "服务体系健全，创业导师队伍稳定")
    page.screenshot(path=str(SHOTS / "certification-expert-score.png"), full_page=True)
    page.get_by_role("button", name="保存评分").click()
    page.wait_for_url(re.compile(rf"/certification/assessments/{first.pk}/$"))
    assert ExpertScore.objects.get(assessment=first, expert=world.users["expert"]).score == 9000
    assert "服务体系与团队：1 位专家平均 90.00 分，得 27.00 分（满分 30 分）" in page.content()

    page.context.clear_cookies()
    login(page, live_server, "t_officer")
    page.goto(f"{live_server.url}{round_.get_absolute_url()}")
    page.get_by_role("link", name="结束考核").click()
    page.get_by_role("button", name="结束考核").click()
    page.wait_for_url(re.compile(rf"/certification/rounds/{round_.pk}/$"))
    page.get_by_test_id("results").click()
    rows = page.get_by_test_id("ranked-list").locator("tbody tr, tr").all_inner_texts()
    ranked = [row for row in rows if row.strip()[:1].isdigit()]
    # 深圳湾: 40×48/50 + 30×8800/9000 + 27 = 38.40 + 29.33 + 27 = 94.73 (A) …
    assert ranked[0].split()[:2] == ["1", "深圳湾科技生态园"] and "94.73" in ranked[0] and "优秀（A）" in ranked[0]
    assert "不合格（D）" in ranked[3]
    assert [row.split()[1] for row in ranked] == ["深圳湾科技生态园", "福田国际电子商务产业园", "车公庙天安数码城",
                                                   "华强北科技创新园"]
    page.set_viewport_size({"width": 1280, "height": 620})
    page.screenshot(path=str(SHOTS / "certification-round.png"), full_page=False)
