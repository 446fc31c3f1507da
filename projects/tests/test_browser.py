"""In Chromium: an officer registers a renewal project, adds a milestone and marks it reached, records relocation
progress and reads the rate; the space the project will deliver shows as future supply on its zone's page."""

import datetime
import re

import pytest
from django.utils import timezone

from core.models import Department
from projects.models import Milestone, Project
from spaces.tests.test_browser import SHOTS, login

TODAY = timezone.localdate()


def take_action(page, verb, fields, lands):
    page.locator(f'[data-action="{verb}"]').click()
    page.wait_for_url(re.compile(rf"/{verb}/$"))
    for selector, value in fields.items():
        page.fill(selector, value)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(lands))


@pytest.mark.browser
def test_register_a_project_reach_a_milestone_record_relocation_and_see_future_supply(live_server,
                                                                                      transactional_db, world, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    login(page, live_server, "t_officer")

    # 1) Register the project.
    page.goto(f"{base}/projects/projects/add/")
    page.fill("#id_code", "PG-HFB")
    page.fill("#id_name", "华富北片区棚户区改造项目")
    page.select_option("#id_kind", "shantytown")
    page.select_option("#id_zone", str(world.area.pk))
    page.select_option("#id_park", str(world.park_a.pk))
    page.select_option("#id_department", str(Department.objects.get(code="zjj").pk))
    page.fill("#id_households_to_relocate", "1250")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/projects/projects/\d+/$"))
    project = Project.objects.get(code="PG-HFB")
    assert page.get_by_test_id("project-status").inner_text() == "谋划"
    take_action(page, "start", {"#id_day": (TODAY - datetime.timedelta(days=400)).isoformat()},
                r"/projects/projects/\d+/$")
    assert page.get_by_test_id("project-status").inner_text() == "推进中"

    # 2) A milestone, added from the project's page and reached.
    page.get_by_role("link", name="新增里程碑").click()
    page.wait_for_url(re.compile(r"/projects/milestones/add/"))
    assert page.input_value("#id_project") == str(project.pk)
    page.fill("#id_name", "房屋移交")
    page.fill("#id_planned_on", (TODAY - datetime.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/projects/milestones/\d+/$"))
    assert "逾期 20 天" in page.get_by_test_id("milestone-late").inner_text()
    take_action(page, "reach", {"#id_day": (TODAY - datetime.timedelta(days=2)).isoformat()},
                r"/projects/milestones/\d+/$")
    assert Milestone.objects.get(project=project).done_on == TODAY - datetime.timedelta(days=2)

    # 3) Relocation progress, and the rate on the project's page.
    page.goto(f"{base}{project.get_absolute_url()}")
    take_action(page, "record_progress", {"#id_as_of": TODAY.isoformat(), "#id_households_relocated": "1200"},
                r"/projects/projects/\d+/$")
    assert page.get_by_test_id("relocation-rate").inner_text() == "96.00%"
    page.screenshot(path=str(SHOTS / "projects-project.png"), full_page=True)

    # 4) Space it will deliver, then the zone's page shows it as future supply.
    page.get_by_role("link", name="新增待交付空间").click()
    page.wait_for_url(re.compile(r"/projects/space-to-deliver/add/"))
    page.select_option("#id_use", "research")
    page.fill("#id_area", "48000")
    page.fill("#id_expected_on", (TODAY + datetime.timedelta(days=400)).isoformat())
    page.select_option("#id_park", str(world.park_a.pk))
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/projects/space-to-deliver/\d+/$"))
    page.goto(f"{base}{world.area.get_absolute_url()}")
    supply = page.get_by_test_id("future-supply")
    assert "华富北片区棚户区改造项目" in supply.inner_text() and "48,000.00" in supply.inner_text()
    page.screenshot(path=str(SHOTS / "projects-zone-supply.png"), full_page=True)
