"""Load scenario: signed-in users browsing the list pages and building pages (results: docs/benchmarks-load.md).

Run by bench/load.py, which prepares the database, the users and a granian server. By hand:

    DATABASE_URL=postgres://… YUANQU_LOAD_USERNAME=load_officer YUANQU_LOAD_PASSWORD=… \\
        uv run locust -f bench/load/locustfile.py --headless -u 20 -r 2 -t 70s --host http://127.0.0.1:8000

Each user logs in once (GET /login/ for the CSRF token, then POST), then picks one page at a time, every
page equally often, with a pause between pages (YUANQU_LOAD_WAIT, default "1,3": 1 to 3 s, uniformly).
Every page must answer 200 without a redirect; anything else is a failure.

Each response's ``Server-Timing: app;dur=<ms>`` (the server's own time, see core/runtime/middleware.py) is reported
as a second locust request of type SERVER under the same name, so locust's statistics show the client's
time (GET) and the server's time (SERVER) side by side. The trivial login page, requested without a session
by each user through a second, cookie-less client, is the baseline of the same run.

The ids the pages need (the user's buildings, a zone with at least two pages of buildings) are read once
from DATABASE_URL at the start of the test, scoped to the user.

With YUANQU_LOAD_SAMPLES=<path>, every GET and SERVER time recorded after spawning completed (the moment
locust's --reset-stats resets its own statistics) is written there as JSON at the end: locust rounds the
times it keeps for percentiles (to 10 ms between 100 and 1,000 ms), the orchestrator computes exact ones.
"""

import json
import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, events, task
from locust.clients import HttpSession

ROOT = Path(__file__).resolve().parents[2]
SERVER_TIMING = re.compile(r"(?:^|,)\s*app;dur=([0-9.]+)")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

USERNAME = os.environ.get("YUANQU_LOAD_USERNAME", "load_officer")
PASSWORD = os.environ.get("YUANQU_LOAD_PASSWORD", "")
WAIT_MIN, WAIT_MAX = (float(x) for x in os.environ.get("YUANQU_LOAD_WAIT", "1,3").split(","))
SAMPLES_PATH = os.environ.get("YUANQU_LOAD_SAMPLES", "")

BASELINE = "/login/ (no session, baseline)"

# Filled once at test start from the database (see read_ids).
IDS: dict = {"buildings": [], "zone": None}
# name -> {"GET": [ms, …], "SERVER": [ms, …]}, from the moment spawning completed.
SAMPLES: dict[str, dict[str, list[float]]] = {}
RECORDING = {"on": False}


def read_ids() -> dict:
    """The user's building ids and the zone whose buildings fill most pages, read with the project's scoping."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from core.models import User
    from spaces.models import Building, Zone

    user = User.objects.get(username=USERNAME)
    buildings = Building.objects.for_user(user)
    ids = list(buildings.order_by("pk").values_list("pk", flat=True))
    # Buildings per zone, then summed up the tree: a zone filter takes the zone and every zone below it.
    direct = dict(
        buildings.order_by().values_list("park__zone_id").annotate(n=Count("pk")).values_list("park__zone_id", "n")
    )
    parents = dict(Zone.objects.values_list("pk", "parent_id"))
    total: dict[int, int] = {}
    for zone_id, n in direct.items():
        while zone_id is not None:
            total[zone_id] = total.get(zone_id, 0) + n
            zone_id = parents.get(zone_id)
    # The smallest zone with at least two pages (26+ buildings), so that page 2 exists; else the largest.
    paged = sorted((n, z) for z, n in total.items() if n > 25)
    zone = paged[0][1] if paged else max(total, key=total.get)
    connection.close()
    return {"buildings": ids, "zone": zone, "zone_buildings": total[zone]}


@events.test_start.add_listener
def _test_start(environment, **_kwargs):
    if not IDS["buildings"]:
        IDS.update(read_ids())
    print(
        f"locustfile: {USERNAME}: {len(IDS['buildings'])} buildings; zone {IDS['zone']} "
        f"({IDS['zone_buildings']} buildings) for the filtered building list",
        file=sys.stderr,
    )


@events.spawning_complete.add_listener
def _spawning_complete(user_count, **_kwargs):
    SAMPLES.clear()  # the ramp (and its logins) is not measured; locust's --reset-stats drops it too
    RECORDING["on"] = True


@events.request.add_listener
def _record(request_type, name, response_time, exception=None, **_kwargs):
    if RECORDING["on"] and exception is None and request_type in ("GET", "SERVER"):
        SAMPLES.setdefault(name, {"GET": [], "SERVER": []})[request_type].append(response_time)


@events.quitting.add_listener
def _write_samples(environment, **_kwargs):
    if SAMPLES_PATH:
        Path(SAMPLES_PATH).write_text(json.dumps(SAMPLES), encoding="utf-8")


class ParkOfficer(HttpUser):
    """Someone at the bureau (or at a park operator) browsing lists and buildings."""

    def wait_time(self):
        return random.uniform(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        # A second client without cookies for the baseline (the login page as an anonymous visitor).
        self.anonymous = HttpSession(base_url=self.host, request_event=self.environment.events.request, user=self)
        response = self.client.get("/login/", name="login: form")
        token = CSRF_INPUT.search(response.text)
        if not token:
            raise RuntimeError("locustfile: no CSRF token in /login/")
        with self.client.post(
            "/login/",
            name="login: post",
            data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1), "next": "/"},
            allow_redirects=False,
            catch_response=True,
        ) as posted:
            if posted.status_code != 302:
                posted.failure(f"login as {USERNAME} answered {posted.status_code}, not a redirect")
                raise RuntimeError(f"locustfile: cannot log in as {USERNAME}")

    def page(self, path: str, name: str | None = None, client=None):
        name = name or path
        with (client or self.client).get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}".strip())
                return
            match = SERVER_TIMING.search(response.headers.get("Server-Timing", ""))
            if not match:
                response.failure("no Server-Timing header")
                return
            self.environment.events.request.fire(
                request_type="SERVER",
                name=name,
                response_time=float(match.group(1)),
                response_length=len(response.content),
                exception=None,
                context={},
            )

    # Every page equally often.

    @task
    def unit_list(self):
        self.page("/spaces/units/")

    @task
    def unit_list_filtered(self):
        self.page("/spaces/units/?status=vacant&sort=-area&page=2")

    @task
    def building_list(self):
        self.page("/spaces/buildings/")

    @task
    def building_list_filtered(self):
        self.page(
            f"/spaces/buildings/?zone={IDS['zone']}&sort=-gross_floor_area&page=2",
            "/spaces/buildings/?zone=<zone>&sort=-gross_floor_area&page=2",
        )

    @task
    def enterprise_list(self):
        self.page("/enterprises/enterprises/")

    @task
    def enterprise_search(self):
        self.page("/enterprises/enterprises/?q=科技&sort=-registered_capital")

    @task
    def lease_list(self):
        self.page("/leasing/leases/")

    @task
    def lease_list_filtered(self):
        self.page("/leasing/leases/?status=active&sort=-end_date&page=2")

    @task
    def building_page(self):
        self.page(f"/spaces/buildings/{random.choice(IDS['buildings'])}/", "/spaces/buildings/<random id>/")

    @task
    def login_page(self):
        self.page("/login/", BASELINE, client=self.anonymous)
