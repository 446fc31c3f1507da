"""Benchmark of the main pages at demo scale (``make bench``; results in docs/benchmarks.md).

    uv run python bench/pages.py [--runs 30] [--warmup 3] [--db PATH | --database-url URL] [--reload]

Runs in-process with django.test.Client (no WSGI server, no network): for each page and for two users
(``officer``, unrestricted; ``operator``, scoped to its operator's parks) it makes ``--warmup`` untimed
requests, then ``--runs`` timed ones (time.perf_counter around client.get), and reports p50 / p95 in ms
and the number of SQL queries of one further request. A baseline measured in the same run, the bare ORM
query for the page's rows, gives the ratio page ÷ baseline; operator ÷ officer is the cost of scoping.
An N+1 probe requests each page at two sizes and compares the query counts.

The database is its own SQLite file (default var/bench/bench.sqlite3), migrated and loaded with
``load_demo --seed 2021`` when it has no parks; ``--database-url postgres://…`` runs against PostgreSQL
(same rule: migrated, loaded if empty; then ANALYZE). --reload replaces the demo data. The report (Markdown) goes to stdout and to
var/bench/pages-<timestamp>.md; progress goes to stderr. Never asserts on times.
"""

import argparse
import datetime
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "var" / "bench" / "bench.sqlite3"
OUT_DIR = ROOT / "var" / "bench"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page and user (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first (default 3)")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--db", type=Path, default=None, help=f"SQLite file (default {DEFAULT_DB.relative_to(ROOT)})")
    target.add_argument("--database-url", default=None, help="e.g. postgres://yuanqu@127.0.0.1:54340/yuanqu")
    parser.add_argument(
        "--scale",
        choices=("full", "small"),
        default="full",
        help="load_demo scale when the database must be loaded (default full)",
    )
    parser.add_argument(
        "--reload", action="store_true", help="replace the demo data (load_demo --flush) even if the database has parks"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be ≥ 1 and --warmup ≥ 0")
    return args


def setup_django(args) -> str:
    """Point DATABASE_URL at the benchmark database, then django.setup(). Returns the URL."""
    if args.database_url:
        url = args.database_url
    else:
        db = (args.db or DEFAULT_DB).expanduser().resolve()
        db.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{db}"  # four slashes in all: an absolute path
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "yuanqu.settings"
    os.environ["YUANQU_DEBUG"] = "0"  # production-like: no debug cursor, no debug pages
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    if not args.database_url and Path(name).resolve() != db:
        raise SystemExit(f"bench: settings chose database {name}, expected {db}")
    return url


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare_database(scale: str, reload: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    from spaces.models import Park

    log("bench: migrate …")
    call_command("migrate", interactive=False, verbosity=0)
    if Park.objects.exists() and not reload:
        log("bench: demo data present, not reloaded (--reload replaces it)")
    else:
        log(f"bench: load_demo --seed 2021 --scale {scale}{' --flush' if reload else ''} …")
        call_command("load_demo", seed=2021, scale=scale, flush=reload, stdout=sys.stderr)
    if connection.vendor == "postgresql":
        # Fresh planner statistics whatever autovacuum has done since the load, so runs compare.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# ---------------------------------------------------------------------------------------------- facts


def read_first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def machine_facts() -> dict:
    import django
    from django.db import connection

    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        nproc = str(os.cpu_count())
    mem_kb = read_first("/proc/meminfo", "MemTotal").split()[0]
    memory = f"{int(mem_kb) / 1024 / 1024:.1f} GiB" if mem_kb.isdigit() else "?"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            db_version = "PostgreSQL " + cursor.fetchone()[0].split()[0]
    elif connection.vendor == "sqlite":
        db_version = "SQLite " + connection.Database.sqlite_version + " (WAL, synchronous=NORMAL)"
    else:
        db_version = connection.vendor
    now = datetime.datetime.now(datetime.UTC)
    local = now.astimezone()  # Django sets the process time zone to TIME_ZONE
    return {
        "date": f"{now:%Y-%m-%d %H:%M} UTC ({local:%Y-%m-%d %H:%M} {local.tzname()})",
        "nproc": nproc,
        "cpu": read_first("/proc/cpuinfo", "model name"),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": db_version,
        "loadavg": loadavg(),
        "revision": source_revision(),
    }


def source_revision() -> str:
    """The checked-out commit (read from .git, no git command) and whether tracked files differ from it."""
    git = ROOT / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        commit = head
        if head.startswith("ref: "):
            ref = head[5:]
            if (git / ref).exists():
                commit = (git / ref).read_text().strip()
            else:
                packed = (git / "packed-refs").read_text().splitlines()
                commit = next(line.split()[0] for line in packed if line.endswith(" " + ref))
    except (OSError, StopIteration):
        return "unknown"
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout
    except OSError:
        return commit[:12]
    changed = [line[3:] for line in status.splitlines() if line.strip()]
    return commit[:12] + (f" + uncommitted changes to {', '.join(changed)}" if changed else " (clean)")


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def scope_counts(user=None) -> dict:
    """Rows of each space and tenancy model, all of them (``user`` None) or in ``user``'s scope."""
    from enterprises.models import Enterprise
    from leasing.models import Lease
    from spaces.models import Building, Floor, Park, Unit, Zone

    models = {"zones": Zone, "parks": Park, "buildings": Building, "floors": Floor, "units": Unit,
              "enterprises": Enterprise, "leases": Lease}
    return {name: (model.objects.for_user(user) if user else model.objects.all()).count()
            for name, model in models.items()}


def data_scale(officer, operator) -> dict:
    from spaces.models import Park

    first = Park.objects.order_by("created").values_list("created", flat=True).first()
    return {
        "all": scope_counts(),
        "operator": scope_counts(operator),
        "loaded": first.astimezone().date().isoformat() if first else "?",
    }


# ---------------------------------------------------------------------------------------------- pages


@dataclass
class Page:
    key: str
    path: str
    baseline_label: str
    baseline: object  # () -> rows
    probe: tuple | None = None  # ((label, path, rows), (label, path, rows)) for the N+1 probe


@dataclass
class Result:
    index: int  # the page's position in pages_for(), the same for both users
    page: Page
    user: str
    samples: list  # ms
    baseline: list  # ms
    queries: int
    kb: float
    sql: list = field(default_factory=list)  # [Query] of the captured request

    @property
    def sql_ms(self) -> float:
        return sum(q.ms for q in self.sql)

    @property
    def slowest(self):
        return max(self.sql, key=lambda q: q.ms, default=None)


@dataclass
class Probe:
    page: str
    user: str
    small: tuple  # (label, rows, queries)
    large: tuple
    same_path: bool
    repeats: list  # [(times, Query)] in the larger request

    def verdict(self) -> str:
        (_sl, small_rows, small_q), (label, rows, q) = self.small, self.large
        if not self.same_path:
            if q > small_q:
                return f"**yes**: +{q - small_q} queries for +{rows - small_rows} rows"
            return "no (constant)"
        if self.repeats and rows >= 2 and self.repeats[0][0] >= rows:
            return f"**yes**: {self.repeats[0][0]}× one query for {rows} {label}"
        return "no"


def p50(samples):
    return statistics.median(samples)


def p95(samples):
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank


def list_rows(user, path) -> int:
    """How many rows a list page (or API list) shows for ``user``: the view's own filtering, counted."""
    from django.core.paginator import Paginator
    from django.test import RequestFactory

    from core.surfaces import REGISTRY
    from core.surfaces.views import filtered_list

    request = RequestFactory().get(path)
    request.user = user
    api = path.startswith("/api/")
    slug = path.split("?")[0].strip("/").split("/")[-1]
    surface = next(s for s in REGISTRY.values() if s.slug == slug)
    _filterset, qs, _sort = filtered_list(surface, request)
    size = int(request.GET.get("page_size" if api else "per_page", 50 if api else 25))
    return len(Paginator(qs, size).page(1).object_list)


def pages_for(user, scope_label: str) -> list[Page]:
    from django.db.models import Count, Sum
    from django.urls import reverse

    from enterprises.models import Enterprise
    from leasing import selectors as lease_selectors
    from leasing.models import Lease
    from spaces import selectors as space_selectors
    from spaces.models import Building, Unit, Zone

    today = datetime.date.today()
    cutoff6 = space_selectors.months_before(today, 6)
    buildings = Building.objects.for_user(user).annotate(n=Count("units"))
    big = buildings.order_by("-n", "pk").first()
    small = buildings.filter(n__gt=0).order_by("n", "pk").first()
    big_url = reverse("spaces:building_detail", args=[big.pk])
    small_url = reverse("spaces:building_detail", args=[small.pk])
    top_zones = Zone.objects.for_user(user).filter(parent__isnull=True).count()
    all_zones = Zone.objects.for_user(user).count()

    def lst(path, per_page=100):
        sep = "&" if "?" in path else "?"
        bigger = f"{path}{sep}per_page={per_page}"
        return (("25/page", path, list_rows(user, path)), (f"{per_page}/page", bigger, list_rows(user, bigger)))

    def vacancy_rows(months):
        units = space_selectors.long_vacant_units(user=user, months=months)
        return min(units.count(), 200) + space_selectors.long_vacant_buildings(user=user, months=months)[:50].count()

    return [
        Page(
            "unit list",
            "/spaces/units/",
            "Unit.objects.order_by('pk')[:25]",
            lambda: list(Unit.objects.order_by("pk")[:25]),
            lst("/spaces/units/"),
        ),
        Page(
            "unit list, vacant by area",
            "/spaces/units/?status=vacant&sort=-area",
            "Unit.objects.filter(status='vacant').order_by('-area', 'pk')[:25]",
            lambda: list(Unit.objects.filter(status="vacant").order_by("-area", "pk")[:25]),
            lst("/spaces/units/?status=vacant&sort=-area"),
        ),
        Page(
            "building list",
            "/spaces/buildings/",
            "Building.objects.all()[:25]",
            lambda: list(Building.objects.all()[:25]),
            lst("/spaces/buildings/"),
        ),
        Page(
            "enterprise list",
            "/enterprises/enterprises/",
            "Enterprise.objects.order_by('name', 'pk')[:25]",
            lambda: list(Enterprise.objects.order_by("name", "pk")[:25]),
            lst("/enterprises/enterprises/"),
        ),
        Page(
            "enterprise search q=ryzd",
            "/enterprises/enterprises/?q=ryzd",
            "Enterprise.objects.filter(search_text__contains='ryzd').order_by('name', 'pk')[:25]",
            lambda: list(Enterprise.objects.filter(search_text__contains="ryzd").order_by("name", "pk")[:25]),
        ),
        Page(
            "lease list",
            "/leasing/leases/",
            "Lease.objects.order_by('-start_date', 'pk')[:25]",
            lambda: list(Lease.objects.order_by("-start_date", "pk")[:25]),
            lst("/leasing/leases/"),
        ),
        Page(
            f"building page ({scope_label} largest: {big.n} units)",
            big_url,
            "list(Unit.objects.filter(building=b))",
            lambda: list(Unit.objects.filter(building=big)),
            ((f"{small.n} units", small_url, small.n), (f"{big.n} units", big_url, big.n)),
        ),
        Page(
            "home",
            "/",
            "Unit.objects.values('status').annotate(Sum('area'), Count('pk'))",
            lambda: list(Unit.objects.order_by().values("status").annotate(area=Sum("area"), n=Count("pk"))),
            (("top-level zones", "/", top_zones), ("top-level zones", "/", top_zones)),
        ),
        Page(
            "expiry queue (90 days)",
            "/leasing/expiring/",
            "Lease.objects.filter(status='active', end_date in [today, today+90])",
            lambda: list(
                Lease.objects.filter(
                    status="active", end_date__gte=today, end_date__lte=today + datetime.timedelta(days=90)
                )
            ),
            (
                ("leases", "/leasing/expiring/", lease_selectors.lease_expiring(user=user, days=90).count()),
                ("leases", "/leasing/expiring/", lease_selectors.lease_expiring(user=user, days=90).count()),
            ),
        ),
        Page(
            "zone tree",
            "/spaces/zones/tree/",
            "Zone.objects.all()",
            lambda: list(Zone.objects.all()),
            (("zones", "/spaces/zones/tree/", all_zones), ("zones", "/spaces/zones/tree/", all_zones)),
        ),
        Page(
            "long vacancy (6 months)",
            "/spaces/vacancy/?months=6",
            "Unit.objects.filter(status='vacant', vacant_since<=cutoff).order_by('vacant_since', 'pk')[:200]",
            lambda: list(
                Unit.objects.filter(status="vacant", vacant_since__lte=cutoff6).order_by("vacant_since", "pk")[:200]
            ),
            (
                ("12 months", "/spaces/vacancy/?months=12", vacancy_rows(12)),
                ("6 months", "/spaces/vacancy/?months=6", vacancy_rows(6)),
            ),
        ),
        Page(
            "API unit list",
            "/api/spaces/units?page_size=50",
            "Unit.objects.order_by('pk')[:50]",
            lambda: list(Unit.objects.order_by("pk")[:50]),
            (
                ("10/page", "/api/spaces/units?page_size=10", list_rows(user, "/api/spaces/units?page_size=10")),
                ("200/page", "/api/spaces/units?page_size=200", list_rows(user, "/api/spaces/units?page_size=200")),
            ),
        ),
    ]


# ---------------------------------------------------------------------------------------------- measuring


def get_ok(client, path):
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"bench: GET {path} answered {response.status_code}, expected 200")
    return response


def time_calls(fn, runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def time_page(client, path, runs, warmup) -> list[float]:
    for _ in range(warmup):
        get_ok(client, path)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:  # checked outside the timed span
            raise SystemExit(f"bench: GET {path} answered {response.status_code}, expected 200")
    return samples


PLACEHOLDERS = re.compile(r"%s(?:, %s)*|'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


@dataclass
class Query:
    sql: str  # as executed, with its parameters (from CaptureQueriesContext)
    raw: str  # with placeholders
    ms: float
    origin: str  # innermost project frame that ran it, e.g. "leasing/selectors.py:52 tenant_industries"

    @property
    def shape(self) -> str:
        """The SQL without its parameters: the same query for another row has the same shape."""
        return PLACEHOLDERS.sub("?", self.raw)


def project_frame() -> str:
    for frame in reversed(traceback.extract_stack()):
        path = Path(frame.filename)
        if ROOT in path.parents and ".venv" not in path.parts and path.parent.name != "bench":
            return f"{path.relative_to(ROOT)}:{frame.lineno} {frame.name}"
    return "?"


def captured(client, path):
    """(response, number of queries, [Query]) of one untimed request.

    The count comes from CaptureQueriesContext; an execute wrapper adds each query's own time and the project
    line that ran it (evidence for the report only: this request is never one of the timed ones).
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    raw = []

    def wrapper(execute, sql, params, many, context):
        origin = project_frame()
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            raw.append((sql, (time.perf_counter() - start) * 1000, origin))

    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(wrapper):
        response = get_ok(client, path)
    executed = [q["sql"] for q in ctx.captured_queries]
    if len(executed) != len(raw):
        executed = [sql for sql, _ms, _origin in raw]
    queries = [Query(shown, sql, ms, origin) for shown, (sql, ms, origin) in zip(executed, raw, strict=True)]
    return response, len(ctx.captured_queries), queries


def repeated(queries, top: int = 2) -> list[tuple[int, Query]]:
    """The SQL shapes run more than once in one request, most often first: (times, an example)."""
    counts = Counter(q.shape for q in queries)
    example = {}
    for q in queries:
        example.setdefault(q.shape, q)
    return [(n, example[shape]) for shape, n in counts.most_common(top) if n > 1]


# ---------------------------------------------------------------------------------------------- report


def fmt(ms: float) -> str:
    return f"{ms:.1f}" if ms >= 1 else f"{ms:.2f}"


JOIN = re.compile(r"(?:INNER|LEFT OUTER) JOIN (\S+) (?:\S+ )?ON \([^()]*\)")


def short_sql(sql: str, width: int = 160) -> str:
    """A query made readable in a table: no quotes, select list elided, joins as ⋈ table."""
    sql = sql.replace('"', "")
    depth = 0
    for i, char in enumerate(sql):  # the select list ends at the first FROM outside parentheses
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sql.startswith(" FROM ", i) and sql.startswith("SELECT "):
            sql = "SELECT …" + sql[i:]
            break
    sql = JOIN.sub(r"⋈ \1", sql)
    sql = sql.replace("|", "\\|")
    return (sql[: width - 1] + "…") if len(sql) > width else sql


def render(facts, scale, results, probes, args, url) -> str:
    from django.db import connection

    vendor = connection.vendor
    db_shown = re.sub(r"//([^:@/]+):[^@/]*@", r"//\1:***@", url)
    cmd = ("uv run python bench/pages.py " + " ".join(sys.argv[1:])).strip()
    a, o = scale["all"], scale["operator"]
    out = [
        f"## Pages on {facts['database'].split()[0]}, {facts['date']}",
        "",
        f"- command: `{cmd}` ({args.warmup} warm-up + {args.runs} timed requests per page and user)",
        f"- machine: {facts['cpu']}, nproc {facts['nproc']}, {facts['memory']} RAM; {facts['os']}; "
        f"load average {facts['loadavg']} at start, {facts['loadavg_end']} at end",
        f"- software: Python {facts['python']}, Django {facts['django']}, {facts['database']}; "
        f"Yuanqu at {facts['revision']}",
        f"- database: `{db_shown}` ({vendor}; demo data loaded {scale['loaded']} with `load_demo --seed 2021`)",
        f"- data: {a['units']:,} units, {a['buildings']} buildings, {a['floors']:,} floors, {a['parks']} parks, "
        f"{a['zones']} zones, {a['enterprises']:,} enterprises, {a['leases']:,} leases; "
        f"the operator's scope: {o['units']:,} units, {o['buildings']} buildings, {o['parks']} parks, "
        f"{o['enterprises']:,} enterprises, {o['leases']:,} leases",
        "",
        "Times in ms, django.test.Client in-process (URL routing, middleware, session and user, view, ORM, "
        "template; no WSGI server, no network). p95 is the nearest rank. queries and SQL ms: one further request "
        "(CaptureQueriesContext; SQL ms = the time spent executing them). KB: the response body. "
        "× baseline = page p50 ÷ baseline p50. op ÷ off = operator p50 ÷ officer p50 (the cost of scoping).",
        "",
        "| page | user | p50 | p95 | queries | SQL ms | KB | baseline p50 | × baseline | op ÷ off |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    officer_p50 = {r.index: p50(r.samples) for r in results if r.user == "officer"}
    for r in results:
        page_p50, base_p50 = p50(r.samples), p50(r.baseline)
        scoping = f"{page_p50 / officer_p50[r.index]:.2f}" if r.user != "officer" and r.index in officer_p50 else ""
        out.append(
            f"| {r.page.key} | {r.user} | {fmt(page_p50)} | {fmt(p95(r.samples))} | {r.queries} | "
            f"{fmt(r.sql_ms)} | {r.kb:.0f} | {fmt(base_p50)} | {page_p50 / base_p50:,.0f}× | {scoping} |"
        )
    out += [
        "",
        "Paths and baselines (the bare ORM query for the page's rows: no scope, no select_related, no "
        "count, no template):",
        "",
        "| page | path | baseline |",
        "|---|---|---|",
    ]
    seen = set()
    for r in results:
        if (r.page.key, r.page.path) not in seen:
            seen.add((r.page.key, r.page.path))
            out.append(f"| {r.page.key} | `{r.page.path}` | `{r.page.baseline_label}` |")
    out += [
        "",
        "Slowest query of each page whose slowest query took ≥ 5 ms (the captured request):",
        "",
        "| page | user | page p50 | SQL ms | slowest ms | run by | query |",
        "|---|---|--:|--:|--:|---|---|",
    ]
    slow = [r for r in results if r.slowest and r.slowest.ms >= 5]
    for r in slow:
        q = r.slowest
        out.append(
            f"| {r.page.key} | {r.user} | {fmt(p50(r.samples))} | {fmt(r.sql_ms)} | {fmt(q.ms)} | "
            f"`{q.origin}` | `{short_sql(q.sql, 220)}` |"
        )
    if not slow:
        out.append("| (none) | | | | | | |")
    out += [
        "",
        "N+1 probe: each page at two sizes (rows shown → queries), or, where the size cannot change, the rows "
        "against the query run most often. A count that grows with the rows is an N+1.",
        "",
        "| page | user | smaller | larger | N+1? | run more than once (larger request) |",
        "|---|---|---|---|---|---|",
    ]
    for p in probes:
        (sl, sr, sq), (ll, lr, lq) = p.small, p.large
        smaller = "—" if p.same_path else f"{sl}: {sr} rows → {sq} q"
        reps = "; ".join(f"{n}× `{short_sql(q.shape, 110)}` ({q.origin})" for n, q in p.repeats) or "none"
        out.append(f"| {p.page} | {p.user} | {smaller} | {ll}: {lr} rows → {lq} q | {p.verdict()} | {reps} |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- main


def main(argv=None) -> int:
    args = parse_args(argv)
    url = setup_django(args)
    prepare_database(args.scale, args.reload)

    from django.test import Client

    import yuanqu.urls  # noqa: F401  (registers the surfaces)
    from core.models import User

    users = {name: User.objects.get(username=name) for name in ("officer", "operator")}
    facts = machine_facts()
    scale = data_scale(users["officer"], users["operator"])
    log(
        f"bench: {facts['database']}, {scale['all']['units']:,} units; "
        f"{args.warmup} + {args.runs} requests per page and user"
    )

    results, probes = [], []
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        for index, page in enumerate(pages_for(user, name)):
            log(f"bench: {name:8} {page.path}")
            samples = time_page(client, page.path, args.runs, args.warmup)
            baseline = time_calls(page.baseline, args.runs, args.warmup)
            response, count, queries = captured(client, page.path)
            results.append(Result(index, page, name, samples, baseline, count, len(response.content) / 1024, queries))
            if page.probe:
                (sl, sp, sr), (ll, lp, lr) = page.probe
                _, small_q, _ = captured(client, sp)
                _, large_q, large_queries = captured(client, lp)
                probes.append(
                    Probe(page.key, name, (sl, sr, small_q), (ll, lr, large_q), sp == lp, repeated(large_queries))
                )
    facts["loadavg_end"] = loadavg()

    write_report(render(facts, scale, results, probes, args, url), f"pages-{datetime.datetime.now():%Y%m%d-%H%M%S}")
    return 0


def write_report(report: str, name: str) -> Path:
    """The Markdown report to stdout and to var/bench/<name>.md (where it went, to stderr)."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out_file = OUT_DIR / f"{name}.md"
    out_file.write_text(report, encoding="utf-8")
    sys.stdout.write(report)
    print(f"bench: written to {out_file.relative_to(ROOT)}", file=sys.stderr, flush=True)
    return out_file


if __name__ == "__main__":
    sys.exit(main())
