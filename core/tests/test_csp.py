"""Every response carries a Content-Security-Policy that runs only the platform's own scripts; pages, API
answers and exports are never stored by the browser or a proxy; static files stay cacheable."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.runtime.project import project_apps
from yuanqu.testing import bearer


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


def assert_strict_scripts(response):
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy.get("default-src", []) and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def assert_no_store(response):
    assert "no-store" in response.headers.get("Cache-Control", ""), response.headers.get("Cache-Control")


def test_login_page_has_the_policy_and_is_not_stored(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_strict_scripts(response)
    assert_no_store(response)


@pytest.mark.parametrize("name", ["home", "spaces:map", "spaces:unit_list", "enterprises:enterprise_list",
                                  "leasing:lease_list", "token_list"])
def test_authenticated_pages_have_the_policy_and_are_not_stored(world, client_for, name):
    response = client_for(world.users["officer"]).get(reverse(name))
    assert response.status_code == 200
    assert_strict_scripts(response)
    assert_no_store(response)


def test_detail_pages_and_live_filter_fragments_have_the_policy(world, client_for):
    client = client_for(world.users["officer"])
    detail = client.get(world.building_a.get_absolute_url())
    fragment = client.get(reverse("spaces:unit_list"), {"status": "vacant"}, HTTP_HX_REQUEST="true")
    for response in (detail, fragment):
        assert response.status_code == 200
        assert_strict_scripts(response)
        assert_no_store(response)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_exports_have_the_policy_and_are_not_stored(world, client_for, fmt):
    response = client_for(world.users["officer"]).get(reverse("spaces:unit_export"), {"format": fmt})
    assert response.status_code == 200
    assert_strict_scripts(response)
    assert_no_store(response)


def test_api_answers_have_the_policy_and_are_not_stored(world, client):
    response = client.get("/api/spaces/units", **bearer(world.users["officer"]))
    assert response.status_code == 200
    assert_strict_scripts(response)
    assert_no_store(response)
    refused = client.get("/api/spaces/units")
    assert refused.status_code == 401
    assert_strict_scripts(refused)


def test_error_pages_have_the_policy(world, client_for):
    response = client_for(world.users["officer"]).get(world.building_b.get_absolute_url().replace(
        str(world.building_b.pk), "999999"))
    assert response.status_code == 404
    assert_strict_scripts(response)


def test_api_docs_have_the_same_policy(world, client_for):
    """Swagger UI (django-ninja's local copy) runs under the pages' policy: measured in Chromium below."""
    response = client_for(world.users["officer"]).get("/api/docs")
    assert response.status_code == 200
    assert_strict_scripts(response)
    assert_no_store(response)


def test_static_files_keep_the_policy_but_may_be_cached(client, db):
    response = client.get(settings.STATIC_URL + "js/yuanqu.js")
    assert response.status_code == 200
    assert_strict_scripts(response)
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_favicon_is_linked_and_served(client, db):
    page = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in page
    redirect = client.get("/favicon.ico")
    assert redirect.status_code in (301, 302)
    icon = client.get(redirect["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_a_configured_tile_service_may_serve_images_and_nothing_else(settings):
    from core.access.csp import page_policy

    settings.YUANQU_MAP_TILE_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    policy = dict((part.split()[0], part.split()[1:]) for part in page_policy().split(";") if part.strip())
    assert "https://tiles.example.gov.cn" in policy["img-src"]
    assert policy["script-src"] == ["'self'"] and policy["connect-src"] == ["'self'"]
    settings.YUANQU_MAP_TILE_URL = ""
    assert "tiles.example.gov.cn" not in page_policy()


def test_no_template_has_inline_script_or_event_handler():
    """The policy would block them: every script is a static file, data passes by json_script or data-."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
    handler = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
    javascript_url = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)
    offenders = []
    # The project's templates and those an app keeps in its own package.
    directories = [Path(settings.BASE_DIR) / "templates", *(Path(c.path) / "templates" for c in project_apps())]
    for path in sorted(p for directory in directories for p in directory.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (inline_script, handler, javascript_url):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:80]}")
    assert offenders == []


# ----------------------------------------------------------------------------------------------- in Chromium

CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


class Watch:
    """Console errors, page errors and CSP violations of everything the page loads."""

    def __init__(self, page):
        self.page = page
        self.errors = []
        page.add_init_script(CSP_WATCH)
        page.on("console", lambda message: self.errors.append(f"console: {message.text}")
                if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def check(self):
        violations = self.page.evaluate("window.__cspViolations || []")
        problems = [e for e in self.errors if "favicon" not in e] + [f"csp: {v}" for v in violations]
        self.errors.clear()
        return problems


def browser_login(page, live_server, username):
    from yuanqu.testing import PASSWORD

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.browser
def test_main_pages_work_under_the_policy_without_a_violation(live_server, transactional_db, world, page):
    watch = Watch(page)
    browser_login(page, live_server, "t_admin")
    base = live_server.url
    assert page.evaluate("document.querySelector('meta[name=htmx-config]') !== null")

    # Home: the zone chart draws (a canvas in the chart box) and its tooltip opens.
    page.wait_for_selector("#zone-chart[data-ready] canvas")
    box = page.locator("#zone-chart").bounding_box()
    page.mouse.move(box["x"] + 250, box["y"] + 60)
    assert watch.check() == []

    # Map: the boundary and the parks draw; a park's popup opens.
    page.goto(f"{base}/spaces/map/")
    page.wait_for_selector("#yq-map[data-ready]")
    assert page.locator("path.leaflet-interactive").count() >= 1
    assert watch.check() == []

    # A list filters live (htmx), and the count follows.
    page.goto(f"{base}/spaces/units/")
    assert page.get_by_test_id("record-count").get_attribute("data-count") == "4"
    with page.expect_response(lambda r: "/spaces/units/" in r.url and r.request.headers.get("hx-request")):
        page.select_option("select[name=status]", "vacant")
    page.wait_for_function("() => document.querySelector('[data-testid=record-count]').dataset.count === '1'")
    assert page.locator("#yq-table tbody tr").count() == 1
    assert "form-select-sm" in page.locator("select[name=status]").get_attribute("class")
    assert watch.check() == []

    # Stacking plan, an enterprise with a contact revealed over htmx, leases, users, change records, imports.
    page.goto(f"{base}{world.building_a.get_absolute_url()}")
    assert page.locator(".yq-unit").count() == 3
    page.goto(f"{base}{world.tenant_a.get_absolute_url()}")
    page.get_by_role("button", name="查看").first.click()
    page.wait_for_function("() => document.body.innerText.includes('13812345678')")
    for path in ("/leasing/leases/", "/users/", "/changes/", "/imports/", "/spaces/units/import/",
                 reverse("spaces:unit_add")):
        assert page.goto(f"{base}{path}").status == 200, path
    assert watch.check() == []
    assert page.goto(f"{base}/no-such-page/").status == 404  # the error page itself: only its own 404 is logged
    assert [e for e in watch.check() if "status of 404" not in e] == []

    # The language switch submits without an inline handler.
    page.goto(f"{base}/spaces/units/")
    page.select_option("select[name=language]", "en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.select_option("select[name=language]", "zh-hans")
    page.wait_for_function("() => document.documentElement.lang === 'zh-hans'")
    assert watch.check() == []

    # The API docs (Swagger UI, served locally) still render under the same policy.
    page.goto(f"{base}/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert watch.check() == []
