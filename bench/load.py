"""Load benchmark: locust users against granian (WSGI) on PostgreSQL at district scale (docs/benchmarks-load.md).

    uv sync --frozen --group bench       # once: granian and locust
    uv run python bench/load.py [--database-url URL] [--users 20] [--duration 60] [--scale district] [--skip-generate]

Without --database-url it starts the project's throwaway PostgreSQL (scripts/pg-test-server.sh) on
--pg-port (default 54331, not the test suite's 54329), uses a database `yuanqu_load` in it, and stops and
deletes the server at the end (--keep-pg keeps it for the next run; a server that was already running is
left alone). Then: migrate; `generate --scale <scale> --seed <seed>` when the database has no buildings
(never with --skip-generate); VACUUM ANALYZE; the users `load_officer` (bureau officer) and `load_operator` (park
operator of the operator with the most units), with a new random password each run; granian on a free
port of 127.0.0.1 (DEBUG off); a few warm-up requests; then for each user (--as) one headless locust run
(bench/load/locustfile.py) of --users users, spawned at --spawn-rate per second and measured for --duration
seconds after the last one started (--reset-stats drops the ramp and its logins).

Prints a Markdown report to stdout (progress to stderr) and writes it to var/bench/load-<timestamp>.md,
beside locust's CSV files and the raw samples. Never asserts on times: the ≤ 150 ms column is information.
"""

import argparse
import csv
import datetime
import json
import math
import os
import platform
import resource
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "var" / "bench"
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
BIN = Path(sys.executable).parent  # the project's virtualenv: granian and locust (the `bench` group)
TARGET_MS = 150
BASELINE = "/login/ (no session, baseline)"
DATABASE = "yuanqu_load"
USERS = {"officer": ("load_officer", "bureau_officer"), "operator": ("load_operator", "park_operator")}

sys.path.insert(0, str(ROOT))
from bench.pages import loadavg, read_first, scope_counts, source_revision, write_report  # noqa: E402


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL to use (default: a throwaway server, see --pg-port)")
    parser.add_argument("--pg-port", type=int, default=54331, help="port of the throwaway server (default 54331)")
    parser.add_argument("--keep-pg", action="store_true", help="leave the throwaway server and its data running")
    parser.add_argument("--users", type=int, default=20, help="concurrent locust users (default 20)")
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started per second (default 2)")
    parser.add_argument("--duration", type=int, default=60, help="measured seconds after the ramp (default 60)")
    parser.add_argument("--wait", default="1,3", help="pause between a user's pages, min,max seconds (default 1,3)")
    parser.add_argument("--scale", choices=("small", "district", "city"), default="district")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-generate", action="store_true", help="never generate data, use the database as is")
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes (default 2)")
    parser.add_argument("--blocking-threads", type=int, default=1, help="granian threads per worker (default 1)")
    parser.add_argument(
        "--as",
        dest="roles",
        default="officer,operator",
        help="the users to run the scenario as, in order: officer, operator or both (default officer,operator)",
    )
    args = parser.parse_args(argv)
    args.roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    if not args.roles or any(r not in USERS for r in args.roles):
        parser.error("--as takes officer, operator or officer,operator")
    if args.users < 1 or args.duration < 1 or args.spawn_rate <= 0:
        parser.error("--users, --duration and --spawn-rate must be positive")
    low, _, high = args.wait.partition(",")
    try:
        if not 0 <= float(low) <= float(high):
            raise ValueError
    except ValueError:
        parser.error("--wait takes min,max seconds, e.g. 1,3")
    return args


# ---------------------------------------------------------------------------------------------- database


def pg_script(action: str, port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "pg-test-server.sh"), action],
        env={**os.environ, "PGPORT": str(port)},
        capture_output=True,
        text=True,
    )


def start_pg(port: int) -> tuple[str, bool]:
    """(URL of the benchmark database, whether this run started the server)."""
    already = pg_script("status", port).returncode == 0
    started = pg_script("start", port)
    if started.returncode != 0:
        raise SystemExit(f"load: cannot start PostgreSQL on port {port}:\n{started.stderr}")
    admin_url = started.stdout.strip().splitlines()[-1]
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return admin_url.rsplit("/", 1)[0] + "/" + DATABASE, not already


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "yuanqu.settings"
    os.environ["YUANQU_DEBUG"] = "0"
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        log(f"load: warning: the database is {connection.vendor}, not PostgreSQL")


def prepare_database(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from spaces.models import Building

    log("load: migrate …")
    call_command("migrate", interactive=False, verbosity=0)
    if args.skip_generate:
        log("load: --skip-generate: data used as it is")
    elif Building.objects.exists():
        log("load: the database has buildings: not generated again")
    else:
        log(f"load: generate --scale {args.scale} --seed {args.seed} …")
        call_command("generate", scale=args.scale, seed=args.seed, stdout=sys.stderr)
    if connection.vendor == "postgresql":
        # What autovacuum does minutes after a bulk load: statistics, and the visibility map that lets an
        # index answer alone (the operator's lease and tenant scopes read the (park, enterprise) index).
        log("load: VACUUM ANALYZE …")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def prepare_users(password: str) -> dict:
    """The two load users with a fresh password; the operator user joins the operator with the most units."""
    from django.db.models import Count

    from core.models import LoginFailures, User
    from spaces.models import Operator

    users = {}
    for role_key, (username, role) in USERS.items():
        user, _ = User.objects.update_or_create(
            username=username, defaults={"role": role, "is_active": True, "display_name": f"load test {role_key}"}
        )
        user.set_password(password)
        user.save()
        users[role_key] = user
    LoginFailures.objects.filter(username__in=[u.username for u in users.values()]).delete()
    largest = Operator.objects.annotate(n=Count("parks__buildings__units")).order_by("-n", "pk").first()
    if largest:
        users["operator"].operators.set([largest])
    users["operator_name"] = str(largest) if largest else "(no operator)"
    return users


def data_scale(users) -> dict:
    from leasing.models import Lease

    return {"all": scope_counts(), "operator": scope_counts(users["operator"]),
            "links": Lease.units.through.objects.count()}



# ---------------------------------------------------------------------------------------------- machine


def versions() -> dict:
    import django
    from django.db import connection

    def tool(name):
        try:
            out = subprocess.run([str(BIN / name), "--version"], capture_output=True, text=True).stdout
            return out.split(" from ")[0].strip() or "?"
        except OSError:
            return "?"

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0].split()[0]
        cursor.execute("SHOW max_parallel_workers_per_gather")
        parallel = cursor.fetchone()[0]
    mem_kb = read_first("/proc/meminfo", "MemTotal").split()[0]
    return {
        "nproc": str(os.cpu_count() if not hasattr(os, "sched_getaffinity") else len(os.sched_getaffinity(0))),
        "cpu": read_first("/proc/cpuinfo", "model name"),
        "memory": f"{int(mem_kb) / 1024 / 1024:.1f} GiB" if mem_kb.isdigit() else "?",
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgres": f"PostgreSQL {pg} (max_parallel_workers_per_gather {parallel})",
        "granian": tool("granian"),
        "locust": tool("locust"),
        "revision": source_revision(),
    }


def cpu_jiffies() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def tree_cpu(root_pid: int) -> float:
    """CPU seconds used so far by a process and its living descendants (plus the children it has reaped)."""
    parents, times = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        times[pid] = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += times.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------- server


def postmaster_pid() -> int | None:
    """The local PostgreSQL server's main process (the parent of this connection's backend), if it is local."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        text = Path(f"/proc/{backend}/stat").read_text()
        if "postgres" not in Path(f"/proc/{backend}/cmdline").read_text():
            return None
    except OSError:
        return None
    return int(text[text.rindex(")") + 2 :].split()[1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "yuanqu.settings",
        "YUANQU_DEBUG": "0",
        "YUANQU_SECRET_KEY": secrets.token_urlsafe(50),
        "YUANQU_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "YUANQU_LOG_LEVEL": "WARNING",
    }


def start_granian(args, url: str, port: int, log_path: Path):
    cmd = [
        str(BIN / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
        "--blocking-threads",
        str(args.blocking_threads),
        "--no-access-log",
        "--log-level",
        "warning",
        "yuanqu.wsgi:application",
    ]
    log(f"load: {shlex.join(cmd[1:])}")
    out = log_path.open("w")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=server_env(url), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    import requests

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"load: granian exited with {proc.returncode}; see {log_path}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/login/", timeout=2).status_code == 200:
                return proc, cmd
        except requests.RequestException:
            pass
        time.sleep(0.3)
    stop_process(proc)
    raise SystemExit(f"load: granian did not answer on port {port} within 60 s; see {log_path}")


def stop_process(proc) -> None:
    """Stop a process this script started, with the group it leads (granian's workers)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def warm_up(base: str, username: str, password: str) -> None:
    """Each worker loads its templates and opens its database connection before anything is measured."""
    import re

    import requests

    with requests.Session() as session:
        page = session.get(f"{base}/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        session.post(
            f"{base}/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/"},
        )
        paths = [
            "/spaces/units/",
            "/spaces/buildings/",
            "/enterprises/enterprises/",
            "/leasing/leases/",
            "/spaces/buildings/1/",
        ]
        for _ in range(4):
            for path in paths:
                session.get(base + path, allow_redirects=False)
    for _ in range(4):
        requests.get(f"{base}/login/")


# ---------------------------------------------------------------------------------------------- locust


def run_locust(args, base: str, url: str, role: str, password: str, stamp: str, pids: dict) -> dict:
    username = USERS[role][0]
    ramp = math.ceil(args.users / args.spawn_rate)
    prefix = OUT_DIR / f"load-{stamp}-{role}"
    samples = Path(f"{prefix}-samples.json")
    cmd = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE.relative_to(ROOT)),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{ramp + args.duration}s",
        "--reset-stats",
        "--host",
        base,
        "--csv",
        str(prefix.relative_to(ROOT)),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "YUANQU_DEBUG": "0",
        "YUANQU_LOAD_USERNAME": username,
        "YUANQU_LOAD_PASSWORD": password,
        "YUANQU_LOAD_WAIT": args.wait,
        "YUANQU_LOAD_SAMPLES": str(samples),
    }
    log(f"load: as {username}: {shlex.join(cmd[1:])}")
    load_start = loadavg()
    busy0, total0 = cpu_jiffies()
    cpu0 = {name: tree_cpu(pid) for name, pid in pids.items() if pid}
    started = time.monotonic()
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = proc.stdout.readlines()
    proc.wait()
    wall = time.monotonic() - started
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # locust is the only child reaped meanwhile
    locust_cpu = (children1.ru_utime + children1.ru_stime) - (children0.ru_utime + children0.ru_stime)
    busy1, total1 = cpu_jiffies()
    cpu = {name: (tree_cpu(pids[name]) - before) / wall for name, before in cpu0.items()}
    (prefix.parent / f"{prefix.name}-output.txt").write_text("".join(output), encoding="utf-8")
    stats_csv = Path(f"{prefix}_stats.csv")
    if not stats_csv.exists():
        raise SystemExit(f"load: locust wrote no statistics (exit {proc.returncode}):\n{''.join(output)[-3000:]}")
    raw = json.loads(samples.read_text(encoding="utf-8")) if samples.exists() else {}
    zone_line = next((line.strip() for line in output if line.startswith("locustfile:")), "")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "role": role,
        "username": username,
        "command": cmd,
        "exit": proc.returncode,
        "rows": read_stats(stats_csv),
        "raw": raw,
        "ramp": ramp,
        "duration": args.duration,
        "wall": wall,
        "zone_line": zone_line,
        "loadavg": f"{load_start} → {loadavg()}",
        "cpu_busy": 100 * (busy1 - busy0) / max(1, total1 - total0),
        "server_cores": cpu.get("granian"),
        "pg_cores": cpu.get("postgres"),
        "locust_cores": locust_cpu / wall,
        "cores": cores,
        "csv": stats_csv.relative_to(ROOT),
    }


def read_stats(path: Path) -> dict:
    """{(type, name): row} from locust's *_stats.csv."""
    with path.open(newline="", encoding="utf-8") as f:
        return {(row["Type"], row["Name"]): row for row in csv.DictReader(f)}


def nearest_rank(values, pct: float):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


# ---------------------------------------------------------------------------------------------- report


def ms(value) -> str:
    """An exact time: 1 decimal below 100 ms."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def locust_ms(value) -> str:
    """A percentile from locust's CSV, as locust rounded it."""
    return "—" if value in (None, "", "N/A") else f"{float(value):,.0f}"


def run_table(run: dict) -> list[str]:
    rows, raw = run["rows"], run["raw"]
    pages = [name for (kind, name) in rows if kind == "GET" and not name.startswith("login:")]
    pages.sort(key=lambda name: (name == BASELINE, name))
    base_p95 = nearest_rank(raw.get(BASELINE, {}).get("SERVER", []), 95)
    base_p50 = nearest_rank(raw.get(BASELINE, {}).get("SERVER", []), 50)
    out = [
        "| page | requests | failures | client p50 | client p95 | server p50 | server p95 | server p95 exact "
        f"| p95 ÷ baseline | p95 ≤ {TARGET_MS} ms |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    total = failures = 0
    rps = 0.0
    for name in pages:
        get = rows[("GET", name)]
        server = rows.get(("SERVER", name), {})
        samples = raw.get(name, {}).get("SERVER", [])
        exact = nearest_rank(samples, 95)
        total += int(get["Request Count"])
        failures += int(get["Failure Count"])
        rps += float(get["Requests/s"])
        ratio = f"{exact / base_p95:,.0f}×" if exact is not None and base_p95 else "—"
        verdict = "—" if exact is None else ("met" if exact <= TARGET_MS else "**missed**")
        if name == BASELINE:
            ratio, verdict = "1×", ""
        out.append(
            f"| `{name}` | {get['Request Count']} | {get['Failure Count']} | {locust_ms(get['50%'])} "
            f"| {locust_ms(get['95%'])} | {locust_ms(server.get('50%'))} | {locust_ms(server.get('95%'))} "
            f"| {ms(exact)} | {ratio} | {verdict} |"
        )
    out += [
        "",
        f"All pages: {total:,} requests in the {run['duration']} s measured ({rps:.1f} requests/s), "
        f"{failures} failures; baseline (`/login/` without a session): server p50 {ms(base_p50)} ms, "
        f"p95 {ms(base_p95)} ms (exact).",
    ]
    return out


def cpu_line(run: dict) -> str:
    """Where the CPU went during the run, in cores (CPU seconds ÷ wall seconds)."""
    busy = run["cpu_busy"] / 100 * run["cores"]
    parts = [("granian", run["server_cores"]), ("PostgreSQL", run["pg_cores"]), ("locust", run["locust_cores"])]
    known = [(name, value) for name, value in parts if value is not None]
    rest = busy - sum(value for _, value in known)
    shown = ", ".join(f"{name} {value:.2f}" for name, value in known)
    return (
        f"CPU in use during the run: {busy:.2f} of {run['cores']} cores ({shown}, anything else on the machine "
        f"{max(rest, 0):.2f})."
    )


def render(args, facts, scale, users, runs, url, granian_cmd, started_at) -> str:
    a, o = scale["all"], scale["operator"]
    shown_url = url.split("@")[-1] if "@" in url else url
    cmd = "uv run python bench/load.py " + shlex.join(sys.argv[1:])
    out = [
        f"## Load on PostgreSQL, {started_at:%Y-%m-%d %H:%M} UTC",
        "",
        f"- command: `{cmd.strip()}`",
        f"- machine: {facts['cpu']}, {facts['nproc']} cores, {facts['memory']} RAM; {facts['os']}",
        f"- software: Python {facts['python']}, Django {facts['django']}, {facts['postgres']}, {facts['granian']}, "
        f"{facts['locust']}; Yuanqu at {facts['revision']}",
        f"- database: `…@{shown_url}`; data: {a['zones']} zones, {a['parks']} parks, {a['buildings']:,} buildings, "
        f"{a['floors']:,} floors, {a['units']:,} units, {a['enterprises']:,} enterprises, {a['leases']:,} leases, "
        f"{scale['links']:,} lease–unit links",
        f"- operator user: scoped to {users['operator_name']}: {o['parks']} parks, {o['buildings']} buildings, "
        f"{o['units']:,} units, {o['enterprises']:,} enterprises, {o['leases']:,} leases",
        f"- server: `{shlex.join(granian_cmd[1:])}` (DEBUG off, on the same machine as locust)",
        f"- load: {args.users} users started at {args.spawn_rate:g}/s, each requesting one page at a time with a "
        f"pause of {args.wait.replace(',', '–')} s (uniform) between pages, every page equally often; "
        f"{args.duration} s measured after the last user started (locust `--reset-stats`)",
        "",
        "Times in ms. *client*: locust's time for the request (queueing in granian, the network, locust's own "
        "CPU on the same 2 cores); *server*: the response's `Server-Timing: app;dur` (Django's view and the "
        "middleware from `core.runtime.middleware.RequestContextMiddleware` inwards). p50 and p95 are locust's, from its "
        "CSV (it rounds times between 100 and 1,000 ms to 10 ms); *server p95 exact* is the nearest rank of the "
        "raw samples; p95 ÷ baseline = server p95 exact ÷ the login page's.",
    ]
    for run in runs:
        out += [
            "",
            f"### As {run['username']} ({run['role']})",
            "",
            *run_table(run),
            "",
            f"Locust exit status {run['exit']} (1 when any request failed); "
            f"{run['zone_line'].replace('locustfile: ', '')}. Load average {run['loadavg']}. {cpu_line(run)} "
            f"CSV: `{run['csv']}`.",
        ]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- main


def main(argv=None) -> int:
    args = parse_args(argv)
    missing = [name for name in ("granian", "locust") if not (BIN / name).exists()]
    if missing:
        raise SystemExit(f"load: {' and '.join(missing)} not in {BIN}: run `uv sync --frozen --group bench` first")
    started_at = datetime.datetime.now(datetime.UTC)
    stamp = started_at.strftime("%Y%m%d-%H%M%S")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stop_pg = False
    if args.database_url:
        url = args.database_url
    else:
        log(f"load: throwaway PostgreSQL on port {args.pg_port} …")
        url, stop_pg = start_pg(args.pg_port)
        stop_pg = stop_pg and not args.keep_pg
    granian = None
    try:
        setup_django(url)
        prepare_database(args)
        password = secrets.token_urlsafe(18)
        users = prepare_users(password)
        scale = data_scale(users)
        facts = versions()
        pg_pid = postmaster_pid()
        from django.db import connections

        connections.close_all()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        granian, granian_cmd = start_granian(args, url, port, OUT_DIR / f"load-{stamp}-granian.log")
        runs = []
        for role in args.roles:
            warm_up(base, USERS[role][0], password)
            pids = {"granian": granian.pid, "postgres": pg_pid}
            runs.append(run_locust(args, base, url, role, password, stamp, pids))
    finally:
        if granian is not None:
            log("load: stopping granian …")
            stop_process(granian)
        if stop_pg:
            log(f"load: stopping the throwaway PostgreSQL on port {args.pg_port} …")
            from django.db import connections

            connections.close_all()
            pg_script("stop", args.pg_port)

    write_report(render(args, facts, scale, users, runs, url, granian_cmd, started_at), f"load-{stamp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
