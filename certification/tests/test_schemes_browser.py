"""In Chromium: an officer builds a draft's criteria in rows, a wrong value is refused naming its row, and the
version page reads the criteria back in their units."""

import re

import pytest

from certification import demo as certification_demo
from certification.models import SchemeVersion
from spaces.tests.test_browser import SHOTS, login

from .generic_schemes import a_scheme, a_version


@pytest.mark.browser
def test_an_officer_builds_criteria_in_rows_and_reads_them_back(live_server, transactional_db, world, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    scheme = a_scheme("a", name="福田区科技园区（孵化器）", category="science_park")
    version = a_version(scheme, criteria=certification_demo.DISTRICT_SCIENCE_V2,
                        parameters=certification_demo.DISTRICT_SCIENCE_PARAMETERS,
                        indicators=certification_demo.DISTRICT_SCIENCE_INDICATORS,
                        source_document="福田区科技园区（孵化器）认定暂行办法（修订）[assume]",
                        notes=certification_demo.DISTRICT_SCIENCE_NOTES)
    login(page, live_server, "t_officer")
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto(f"{live_server.url}/certification/scheme-versions/{version.pk}/rules/")
    rows = page.locator("#criteria tbody tr")
    assert rows.count() == len(certification_demo.DISTRICT_SCIENCE_V2["all"]) + 2
    # A new row in the first empty line: 运营年限 ≥ "三年" is refused, naming the row.
    new = len(certification_demo.DISTRICT_SCIENCE_V2["all"])
    page.select_option(f"#id_criteria-{new}-fact", "subject.operating_years")
    page.select_option(f"#id_criteria-{new}-op", "ge")
    page.fill(f"#id_criteria-{new}-value", "三年")
    page.fill(f"#id_criteria-{new}-group", "20")
    page.get_by_role("button", name="保存").click()
    page.screenshot(path=str(SHOTS / "certification-builder.png"), full_page=True)
    assert f"第 {new + 1} 行：“三年”不是数字" in page.content()
    page.screenshot(path=str(SHOTS / "certification-builder.png"), full_page=True)
    page.fill(f"#id_criteria-{new}-value", "2")
    page.fill(f"#id_criteria-{new}-note", "[assume] 运营满两年")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(rf"/certification/scheme-versions/{version.pk}/$"))
    stored = SchemeVersion.objects.get(pk=version.pk).criteria["all"][-1]
    assert stored == {"fact": "subject.operating_years", "op": "ge", "value": 2, "note": "[assume] 运营满两年"}
    text = page.locator("#criteria").inner_text()
    for expected in ("在孵企业数量下限（20 家）", "5,000 ㎡", "60%", "7 类", "5", "[assume] 运营满两年"):
        assert expected in text, expected
    # The version as people read it, down to its grade bands (the changes panel left out).
    page.set_viewport_size({"width": 1320, "height": 900})
    top, bottom = page.locator("nav[aria-label=breadcrumb]").bounding_box(), page.locator("#grade-bands").bounding_box()
    page.screenshot(path=str(SHOTS / "certification-scheme.png"), full_page=True,
                    clip={"x": top["x"] - 8, "y": top["y"] - 8, "width": 1320 - top["x"] + 8,
                          "height": bottom["y"] + bottom["height"] - top["y"] + 24})
