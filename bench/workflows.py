"""Benchmark: the workflow seams of issue 9 — bulk edits, the daily reminders run, an action's overhead, the bell.

    uv run --group bench python bench/workflows.py [--parts bulk,reminders,action,bell] [--rows 200,1000]
        [--calls 200] [--unread 500] [--today 2025-06-30] [--database-url URL] [--district-url URL] [--reuse]
        [--no-profile]

Each part runs in a process of its own (one Django set-up per database) and compares what it measures with a
baseline measured in the same run; the report (Markdown) goes to stdout and to var/bench/workflows-<time>.md.
Never asserts on times.

- bulk: the asking rent of the first N units (``--rows``) set by ``objects_bulk_update`` as a bureau
  administrator, preview (``dry_run``) then commit, against the same N edits made one by one as N edit-page
  saves run them in the server (the record read in scope, the refusal check, the edit form bound and
  validated, the surface's update service), each in a request of its own. Demo district database.
- reminders: ``reminders_raise(today=D)`` at district scale (``generate --scale district --seed 1 --today D``
  into a scratch database): the first run (everything is raised), a second run the same day (nothing new) and
  a run on D + 1; baseline, the daily task that runs before it, ``lease_expire_due`` on D and on D + 1.
  Then (unless ``--no-profile``) a first run again under cProfile, in a transaction rolled back afterwards.
- action: ``--calls`` follow-ups of active leases through the action ``lease_follow_up`` (locks, the row
  locked in scope, permission and state checks, the body, the audited event) against the same data given to
  ``_follow_up_add`` in one transaction each, and against the action's body alone (``_follow_up_add`` and the
  lease's reminders refreshed); then the API, through Django's test client with a bearer token:
  ``POST /api/leasing/leases/{pk}/follow_up`` against ``PATCH /api/leasing/leases/{pk}`` (a plain update).
- bell: the home page and the unit list for an officer with ``--unread`` unread reminders, with and without
  the context processor ``core.context_processors.reminders`` (the top bar's bell).

Databases: the demo district (``load_demo --seed 2021``) in var/bench/workflows.sqlite3 or ``--database-url``;
the district in var/bench/workflows-district.sqlite3 or ``--district-url`` (PostgreSQL: a database its role
may drop and create). ``--reuse`` keeps both as an earlier run left them (the reminders part then needs
``--district-url`` pointing at a database with no reminders raised yet, or it measures a run that is no
longer the first).
"""

import argparse
import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
from bench.imports import BENCH, manage, setup_django  # noqa: E402

PARTS = ("bulk", "reminders", "action", "bell")


def product():
    """Every product module this benchmark uses, imported in this one place (after Django is set up)."""
    from core.access.permissions import CHANGE, record_refusal
    from core.accounts import tokens
    from core.models import Reminder, ReminderRule, User
    from core.reference.choices import Role
    from core.reminders.services import reminders_raise
    from core.runtime.context import end_memo, end_request, start_memo, start_request
    from core.surfaces import bulk, surface_for
    from leasing.choices import FollowUpStatus, LeaseStatus
    from leasing.models import Lease
    from leasing.services import _follow_up_add, lease_expire_due, lease_follow_up
    from spaces.models import Operator, Unit

    return SimpleNamespace(
        bulk=bulk, tokens=tokens, Role=Role, start_request=start_request, end_request=end_request,
        start_memo=start_memo, end_memo=end_memo, Reminder=Reminder, ReminderRule=ReminderRule, User=User,
        CHANGE=CHANGE, record_refusal=record_refusal, reminders_raise=reminders_raise, surface_for=surface_for,
        FollowUpStatus=FollowUpStatus, LeaseStatus=LeaseStatus, Lease=Lease, _follow_up_add=_follow_up_add,
        lease_expire_due=lease_expire_due, lease_follow_up=lease_follow_up, Unit=Unit,
        Operator=Operator)


# ----- measuring ------------------------------------------------------------------------------------------------
class Counted:
    """Counts the SQL statements run inside ``with`` (every connection's wrapper)."""

    def __init__(self):
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)


@contextmanager
def measured():
    """Yields a namespace that holds ``seconds`` and ``queries`` of the block once it ends."""
    from django.db import connection

    result = SimpleNamespace(seconds=0.0, queries=0)
    counter = Counted()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        try:
            yield result
        finally:
            result.seconds = time.perf_counter() - started
            result.queries = counter.queries


@contextmanager
def request_like(p):
    """What the middleware gives each request: its own request id and scope memo."""
    token, kept = p.start_request(), p.start_memo()
    try:
        yield
    finally:
        p.end_memo(kept)
        p.end_request(token)


def bench_user(p, username: str, role):
    user, _created = p.User.objects.get_or_create(username=username, defaults={"role": role})
    return user


# ----- 1. bulk edit -----------------------------------------------------------------------------------------------
def part_bulk(args) -> list[dict]:
    from django.conf import settings

    p = product()
    admin = bench_user(p, "bench_admin", p.Role.BUREAU_ADMIN)
    surface = p.surface_for(p.Unit)
    rows = []
    used = set()

    def new_rent(ids) -> str:
        """A rent none of the units has, so that every record changes."""
        held = {str(r) for r in p.Unit.objects.filter(pk__in=ids).values_list("asking_rent", flat=True)}
        for cents in range(12345, 99999, 1111):
            rent = f"{cents // 100}.{cents % 100:02d}"
            if rent not in held and rent not in used:
                used.add(rent)
                return rent
        raise RuntimeError("no unused rent")

    for count in args.rows:
        ids = list(p.Unit.objects.order_by("pk").values_list("pk", flat=True)[:count])
        settings.YUANQU_BULK_MAX = max(settings.YUANQU_BULK_MAX, len(ids))

        # Baseline: N edit-page saves. The browser's part (the edit page's form data) is made before the clock.
        rent = new_rent(ids)
        posted = {}
        for unit in surface.queryset(admin).filter(pk__in=ids):
            posted[unit.pk] = {**p.bulk.current_form_data(surface.form(instance=unit, user=admin)), "asking_rent": rent}
        with measured() as one_by_one:
            for pk in ids:
                with request_like(p):
                    unit = surface.queryset(admin).get(pk=pk)
                    if p.record_refusal(unit, p.CHANGE):
                        raise RuntimeError(f"unit {pk} refused")
                    form = surface.form(posted[pk], instance=unit, user=admin)
                    if not form.is_valid():
                        raise RuntimeError(f"unit {pk}: {form.errors.as_json()}")
                    surface.update(user=admin, instance=unit, data=form.cleaned_data)
        rows.append(dict(n=len(ids), step="baseline: one edit-page save per unit", seconds=one_by_one.seconds,
                         queries=one_by_one.queries, changed=len(ids)))

        rent = new_rent(ids)
        for label, dry_run in (("bulk edit: preview", True), ("bulk edit: commit", False)):
            with request_like(p), measured() as step:
                result = p.bulk.objects_bulk_update(user=admin, surface=surface, selection=ids,
                                                    values={"asking_rent": rent}, dry_run=dry_run)
            rows.append(dict(n=len(ids), step=label, seconds=step.seconds, queries=step.queries,
                             changed=result.changed))
        stored = p.Unit.objects.filter(pk__in=ids, asking_rent=Decimal(rent)).count()
        if stored != len(ids):
            raise RuntimeError(f"the commit stored {stored} of {len(ids)} rents")
    return rows


# ----- 2. the daily reminders run ---------------------------------------------------------------------------------
OFFICERS, OPERATOR_ACCOUNTS = 4, 2
ONE_DAY = datetime.timedelta(days=1)


def district_people(p, today) -> None:
    """What ``generate`` leaves out and the reminders need (not timed): the bureau's accounts (an administrator
    and OFFICERS officers), OPERATOR_ACCOUNTS accounts for each operator, and renewal talks on every other lease
    that ends within 90 days of ``today``, their next contact due 0–9 days ago."""
    bench_user(p, "bench_admin", p.Role.BUREAU_ADMIN)
    for i in range(OFFICERS):
        bench_user(p, f"bench_officer{i}", p.Role.BUREAU_OFFICER)
    for operator in p.Operator.objects.order_by("pk"):
        operator.users.add(*(bench_user(p, f"bench_op{operator.pk}_{i}", p.Role.PARK_OPERATOR)
                             for i in range(OPERATOR_ACCOUNTS)))
    ending = p.Lease.objects.filter(status=p.LeaseStatus.ACTIVE, end_date__gte=today,
                                    end_date__lte=today + datetime.timedelta(days=90), next_contact_on__isnull=True)
    for pk in list(ending.order_by("pk").values_list("pk", flat=True))[::2]:
        p.Lease.objects.filter(pk=pk).update(follow_up=p.FollowUpStatus.TALKING,
                                             next_contact_on=today - datetime.timedelta(days=pk % 10))


def part_reminders(args) -> dict:
    from django.db import transaction
    from django.db.models import Count

    p = product()
    today = args.today
    district_people(p, today)
    scale = {
        "leases": p.Lease.objects.count(),
        "active leases": p.Lease.objects.filter(status=p.LeaseStatus.ACTIVE).count(),
        "users": dict(p.User.objects.values_list("role").annotate(n=Count("pk")).order_by("role")),
        "rules": list(p.ReminderRule.objects.filter(active=True).order_by("kind", "days_before")
                      .values_list("kind", "days_before")),
        "reminders before": p.Reminder.objects.count(),
    }
    runs = []

    def run(label, function, day):
        with measured() as step:
            result = function(today=day)
        runs.append(dict(step=label, day=day.isoformat(), seconds=step.seconds, queries=step.queries,
                         result=result, open=p.Reminder.objects.filter(resolved_at__isnull=True).count()))

    next_day = today + ONE_DAY
    run("baseline: lease_expire_due", p.lease_expire_due, today)
    run("reminders_raise, first run", p.reminders_raise, today)
    run("reminders_raise, again the same day", p.reminders_raise, today)
    run("baseline: lease_expire_due", p.lease_expire_due, next_day)
    run("reminders_raise, the next day", p.reminders_raise, next_day)

    profiles = {}
    if not args.no_profile:
        # Profiled again, each in a transaction that is rolled back: a first run (every reminder deleted before
        # it), and a run on the day after the last.
        for label, day, clear in (("a first run", today, True), ("a next day's run", next_day + ONE_DAY, False)):
            profiler = cProfile.Profile()
            with transaction.atomic():
                if clear:
                    p.Reminder.objects.all().delete()
                profiler.enable()
                p.reminders_raise(today=day)
                profiler.disable()
                transaction.set_rollback(True)
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(20)
            stats.sort_stats("tottime").print_stats(10)
            profiles[f"{label} ({day})"] = out.getvalue()
    return {"scale": scale, "runs": runs, "profiles": profiles}


# ----- 3. an action's overhead ------------------------------------------------------------------------------------
def part_action(args) -> list[dict]:
    from django.db import transaction
    from django.test import Client

    p = product()
    officer = bench_user(p, "bench_officer", p.Role.BUREAU_OFFICER)
    leases = list(p.Lease.objects.filter(status=p.LeaseStatus.ACTIVE).order_by("pk")[:args.calls])
    if len(leases) < args.calls:
        raise RuntimeError(f"only {len(leases)} active leases")
    # The follow-up's next contact cannot be before the real today (the service checks it).
    next_contact = datetime.date.today() + datetime.timedelta(days=7)
    data = {"status": p.FollowUpStatus.TALKING, "note": "已约企业下周面谈续约条件", "next_contact_on": next_contact}
    body = p.lease_follow_up.action.body
    rows = []

    def record(label, step, calls):
        rows.append(dict(step=label, calls=calls, seconds=step.seconds, queries=step.queries))

    spare = list(p.Lease.objects.filter(status=p.LeaseStatus.ACTIVE).order_by("-pk")[:3])
    for lease in spare:  # warm-up of each variant, untimed, on other leases
        with request_like(p), transaction.atomic():
            p._follow_up_add(lease=lease, user=officer, **data)
            body(user=officer, instance=lease, **data)
        p.lease_follow_up(user=officer, instance=lease, **data)
    # Untimed: the leases' follow-up and reminders brought to where the timed calls leave them, so that every
    # variant finds the same state (the first refresh of a lease may raise its reminders; later ones keep them).
    for lease in leases:
        with request_like(p), transaction.atomic():
            body(user=officer, instance=lease, **data)
    with measured() as step:
        for lease in leases:
            with request_like(p), transaction.atomic():
                p._follow_up_add(lease=lease, user=officer, **data)
    record("baseline: `_follow_up_add`, one transaction each", step, len(leases))
    with measured() as step:
        for lease in leases:
            with request_like(p), transaction.atomic():
                body(user=officer, instance=lease, **data)
    record("the action's body alone (adds the lease's reminders refreshed)", step, len(leases))
    with measured() as step:
        for lease in leases:
            with request_like(p):
                p.lease_follow_up(user=officer, instance=lease, **data)
    record("the action `lease_follow_up` (locks, check, body, event)", step, len(leases))

    # The API, through the test client (no server): an action's endpoint against a plain update.
    _token, key = p.tokens.token_create(user=officer, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    payload = json.dumps({**data, "next_contact_on": next_contact.isoformat()})
    for lease in leases[:3]:  # warm-up, untimed
        client.post(f"/api/leasing/leases/{lease.pk}/follow_up", payload, content_type="application/json")
    with measured() as step:
        for lease in leases:
            response = client.post(f"/api/leasing/leases/{lease.pk}/follow_up", payload,
                                   content_type="application/json")
            if response.status_code != 200:
                raise RuntimeError(f"follow_up {lease.pk}: {response.status_code} {response.content[:300]!r}")
    record("API: `POST /api/leasing/leases/{pk}/follow_up`", step, len(leases))
    for lease in leases[:3]:  # warm-up, untimed (a rent the lease does not have)
        client.patch(f"/api/leasing/leases/{lease.pk}", json.dumps({"monthly_rent": f"{lease.monthly_rent + 1}"}),
                     content_type="application/json")
    with measured() as step:
        for lease in leases:
            rent = f"{lease.monthly_rent + 2}"
            response = client.patch(f"/api/leasing/leases/{lease.pk}", json.dumps({"monthly_rent": rent}),
                                    content_type="application/json")
            if response.status_code != 200:
                raise RuntimeError(f"PATCH {lease.pk}: {response.status_code} {response.content[:300]!r}")
    record("API: `PATCH /api/leasing/leases/{pk}` (monthly rent, a plain update)", step, len(leases))
    return rows


ROUNDS = 3


# ----- 4. the bell ------------------------------------------------------------------------------------------------
def part_bell(args) -> dict:
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    p = product()
    officer = bench_user(p, "bench_bell_officer", p.Role.BUREAU_OFFICER)
    rule = p.ReminderRule.objects.order_by("pk").first()
    content_type = ContentType.objects.get_for_model(p.Lease)
    p.Reminder.objects.filter(recipient=officer).delete()
    leases = list(p.Lease.objects.order_by("pk").values_list("pk", "end_date")[:args.unread])
    p.Reminder.objects.bulk_create([
        p.Reminder(rule=rule, recipient=officer, content_type=content_type, object_id=str(pk), due_date=end,
                   text=f"租约 #{pk} 即将到期", link=f"/leasing/leases/{pk}/") for pk, end in leases], batch_size=500)
    unread = p.Reminder.objects.filter(recipient=officer, resolved_at__isnull=True, read_at__isnull=True).count()
    client = Client()
    client.force_login(officer)
    pages = {"home": reverse("home"), "unit list": reverse(p.surface_for(p.Unit).url_name("list"))}
    engines = settings.TEMPLATES
    without = [dict(engine, OPTIONS=dict(engine["OPTIONS"], context_processors=[
        name for name in engine["OPTIONS"].get("context_processors", []) if name != "core.context_processors.reminders"]))
        for engine in engines]
    rows = []
    variants = (("with the bell", engines), ("without the bell", without))
    for page, path in pages.items():
        times, queries, shown = {label: [] for label, _t in variants}, {}, {}
        # Rounds that alternate the two, so that the busy machine's changes fall on both alike.
        for _round in range(ROUNDS):
            for label, templates in variants:
                with override_settings(TEMPLATES=templates):
                    for _ in range(args.warmup):
                        client.get(path)
                    for _ in range(args.runs):
                        with measured() as step:
                            response = client.get(path)
                        if response.status_code != 200:
                            raise RuntimeError(f"{path}: {response.status_code}")
                        times[label].append(step.seconds)
                        queries[label] = step.queries
                        shown[label] = "99+" in response.content.decode()
        for label, _t in variants:
            rows.append(dict(page=page, path=path, variant=label, median_ms=1000 * statistics.median(times[label]),
                             mean_ms=1000 * statistics.fmean(times[label]), queries=queries[label],
                             badge=shown[label], requests=len(times[label])))
    return {"unread": unread, "rows": rows}


# ----- running and reporting --------------------------------------------------------------------------------------
def child(part: str, args) -> None:
    """In the part's own process: set up Django on the part's database, run it, print its result as JSON."""
    setup_django()
    result = {"bulk": part_bulk, "reminders": part_reminders, "action": part_action, "bell": part_bell}[part](args)
    from django.db import connection

    result = {"vendor": connection.vendor, "result": result}
    print("RESULT " + json.dumps(result, default=str))


def run_part(part: str, env: dict, argv: list[str]) -> dict:
    started = time.perf_counter()
    print(f"… {part}", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, __file__, "--child", part, *argv], env=env, cwd=ROOT, check=True,
                          stdout=subprocess.PIPE, text=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    print(f"  {part}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return json.loads(line[len("RESULT "):])


def scratch(database_url: str | None, name: str, reuse: bool) -> dict:
    """The environment of a database: ``database_url`` (PostgreSQL: dropped and created again unless reused), or
    a SQLite file under var/bench (removed unless reused)."""
    BENCH.mkdir(parents=True, exist_ok=True)
    if database_url:
        if not reuse and database_url.startswith("postgres"):
            from urllib.parse import urlsplit, urlunsplit

            import psycopg

            parts = urlsplit(database_url)
            with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')
                connection.execute(f'CREATE DATABASE "{parts.path.lstrip("/")}"')
        return dict(os.environ, DATABASE_URL=database_url)
    path = BENCH / name
    if not reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return dict(os.environ, DATABASE_URL=f"sqlite:///{path}")


def outcome(result) -> str:
    """reminders_raise's counts in short: per kind that did anything, what it did; or lease_expire_due's number."""
    if not isinstance(result, dict):
        return f"{result} leases expired"
    parts = []
    for kind, counts in sorted(result.items()):
        if isinstance(counts, dict) and any(counts.values()):
            parts.append(f"{kind.split('.')[-1]}: " + ", ".join(f"{n:,} {what}" for what, n in counts.items() if n))
    if result.get("deliveries retried"):
        parts.append(f"{result['deliveries retried']} deliveries retried")
    return "; ".join(parts) or "nothing"


def ms(seconds: float, calls: int) -> str:
    return f"{1000 * seconds / calls:.1f}"


def report(args, results: dict, timings: dict) -> str:
    lines = [f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
             f"{os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end; "
             f"command: `{' '.join(['python', 'bench/workflows.py', *sys.argv[1:]])}`", ""]
    for name, seconds in timings.items():
        lines.append(f"- setup: {name} {seconds:.0f} s")
    lines.append("")
    if "bulk" in results:
        rows, vendor = results["bulk"]["result"], results["bulk"]["vendor"]
        lines += [f"### Bulk edit of the units' asking rent ({vendor}, demo district)", "",
                  "| N | step | seconds | records/s | queries/record | ÷ one by one |", "|--:|---|--:|--:|--:|--:|"]
        for row in rows:
            base = next(r for r in rows if r["n"] == row["n"] and r["step"].startswith("baseline"))
            lines.append(f"| {row['n']} | {row['step']} | {row['seconds']:.2f} | {row['n'] / row['seconds']:.0f} | "
                         f"{row['queries'] / row['n']:.1f} | {row['seconds'] / base['seconds']:.2f} |")
        lines.append("")
    if "reminders" in results:
        data, vendor = results["reminders"]["result"], results["reminders"]["vendor"]
        scale = data["scale"]
        lines += [f"### The daily reminders run at district scale ({vendor})", "",
                  f"{scale['leases']:,} leases, {scale['active leases']:,} active; accounts by role "
                  f"{scale['users']}; active rules {scale['rules']}; reminders before: {scale['reminders before']}", "",
                  "| step | day | seconds | queries | result | open reminders after | ÷ lease_expire_due that day |",
                  "|---|---|--:|--:|---|--:|--:|"]
        for row in data["runs"]:
            base = next(r for r in data["runs"] if r["day"] == row["day"] and r["step"].startswith("baseline"))
            lines.append(f"| {row['step']} | {row['day']} | {row['seconds']:.2f} | {row['queries']:,} | "
                         f"{outcome(row['result'])} | {row['open']:,} | "
                         f"{row['seconds'] / base['seconds']:.1f} |")
        lines.append("")
        for label, text in data["profiles"].items():
            lines += [f"<details><summary>cProfile of {label}, rolled back</summary>", "", "```",
                      text.strip(), "```", "</details>", ""]
    if "action" in results:
        rows, vendor = results["action"]["result"], results["action"]["vendor"]
        base = rows[0]
        plain = next(r for r in rows if r["step"].startswith("API: `PATCH"))
        lines += [f"### An action's overhead ({vendor}, demo district)", "",
                  "| step | calls | ms per call | queries per call | ÷ `_follow_up_add` | ÷ PATCH |",
                  "|---|--:|--:|--:|--:|--:|"]
        for row in rows:
            api = row["step"].startswith("API")
            to_base = "" if api else f"{row['seconds'] / base['seconds']:.2f}"
            to_plain = f"{row['seconds'] / plain['seconds']:.2f}" if api else ""
            lines.append(f"| {row['step']} | {row['calls']} | {ms(row['seconds'], row['calls'])} | "
                         f"{row['queries'] / row['calls']:.1f} | {to_base} | {to_plain} |")
        lines.append("")
    if "bell" in results:
        data, vendor = results["bell"]["result"], results["bell"]["vendor"]
        lines += [f"### The bell ({vendor}, demo district, an officer with {data['unread']} unread reminders)", "",
                  "| page | variant | median ms | mean ms | queries | badge 99+ shown | with ÷ without |",
                  "|---|---|--:|--:|--:|---|--:|"]
        for row in data["rows"]:
            other = next(r for r in data["rows"] if r["page"] == row["page"] and r["variant"] == "without the bell")
            lines.append(f"| {row['page']} (`{row['path']}`) | {row['variant']} | {row['median_ms']:.1f} | "
                         f"{row['mean_ms']:.1f} | {row['queries']} | {'yes' if row['badge'] else 'no'} | "
                         f"{row['median_ms'] / other['median_ms']:.2f} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--rows", default="200,1000", help="bulk edit sizes (comma-separated)")
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--unread", type=int, default=500)
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page, variant and round (bell; 3 rounds)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=datetime.date(2025, 6, 30))
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--district-url", default=None)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--child", choices=PARTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.rows = [int(n) for n in str(args.rows).split(",") if n]
    if args.child:
        child(args.child, args)
        return
    parts = [part for part in args.parts.split(",") if part]
    argv = [a for a in sys.argv[1:]]
    results, timings = {}, {}
    demo_parts = [part for part in parts if part != "reminders"]
    if demo_parts:
        env = scratch(args.database_url, "workflows.sqlite3", args.reuse)
        if not args.reuse:
            started = time.perf_counter()
            manage("migrate", "--noinput", env=env)
            manage("load_demo", "--seed", "2021", "--flush", env=env)
            timings["load_demo --seed 2021"] = time.perf_counter() - started
        for part in demo_parts:
            results[part] = run_part(part, env, argv)
    if "reminders" in parts:
        env = scratch(args.district_url, "workflows-district.sqlite3", args.reuse)
        if not args.reuse:
            started = time.perf_counter()
            manage("migrate", "--noinput", env=env)
            manage("generate", "--scale", "district", "--seed", "1", "--today", args.today.isoformat(), env=env)
            timings[f"generate --scale district --seed 1 --today {args.today}"] = time.perf_counter() - started
        results["reminders"] = run_part("reminders", env, argv)
    text = report(args, results, timings)
    print(text)
    path = BENCH / f"workflows-{datetime.datetime.now():%Y%m%d-%H%M%S}.md"
    path.write_text(text + "\n", encoding="utf-8")
    print(f"report: {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
