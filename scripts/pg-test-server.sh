#!/usr/bin/env bash
# Throwaway PostgreSQL server for the test suite (never for real data).
#
#   scripts/pg-test-server.sh start   # init (if needed) + start; prints the DATABASE_URL
#   scripts/pg-test-server.sh url     # prints the DATABASE_URL
#   scripts/pg-test-server.sh status  # exit 0 if running
#   scripts/pg-test-server.sh stop    # stop and delete the data directory
#
# Uses Debian's binaries in /usr/lib/postgresql/<highest>/bin (not whatever
# pg_ctl is first on PATH). Data, socket and log live in /tmp/yuanqu-pg-$PGPORT.
# Trust auth on 127.0.0.1 and the unix socket only; durability is switched off
# for speed. Role `yuanqu` (CREATEDB, so pytest-django can create test_yuanqu)
# owns database `yuanqu`. Env: PGPORT (default 54329).
set -euo pipefail

PORT="${PGPORT:-54329}"
BASE="/tmp/yuanqu-pg-${PORT}"
DATA="${BASE}/data"
LOG="${BASE}/server.log"
URL="postgres://yuanqu@127.0.0.1:${PORT}/yuanqu"

find_bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$dir" || ! -x "$dir/initdb" || ! -x "$dir/pg_ctl" ]]; then
        echo "pg-test-server: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin" \
             "(apt-get install postgresql, or run: bash scripts/system-deps.sh)" >&2
        exit 3
    fi
    echo "$dir"
}

# initdb and postgres refuse to run as root: run them as the `postgres` user then.
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            # from a directory postgres may enter (a fresh clone under a private /tmp folder is not one)
            (cd / && runuser -u postgres -- "$@")
        else
            (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
        fi
    else
        "$@"
    fi
}

is_running() {
    [[ -f "$DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

psql_admin() {
    "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$BASE" -p "$PORT" -U postgres -d postgres "$@"
}

start() {
    if is_running; then
        echo "$URL"
        return 0
    fi
    if [[ "$(id -u)" -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        echo "pg-test-server: running as root but there is no 'postgres' user (install Debian's postgresql package)" >&2
        exit 3
    fi
    if [[ ! -f "$DATA/PG_VERSION" ]]; then
        rm -rf "$BASE"
        mkdir -p "$BASE"
        if [[ "$(id -u)" -eq 0 ]]; then chown postgres: "$BASE"; fi
        chmod 700 "$BASE"
        as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C >"$BASE/initdb.log" 2>&1 || {
            cat "$BASE/initdb.log" >&2
            echo "pg-test-server: initdb failed" >&2
            exit 1
        }
        cat >>"$DATA/postgresql.conf" <<CONF

# --- yuanqu throwaway test server ---
listen_addresses = '127.0.0.1'
port = ${PORT}
unix_socket_directories = '${BASE}'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
log_min_messages = warning
CONF
        cat >"$DATA/pg_hba.conf" <<HBA
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
HBA
    fi
    if ! as_owner "$BIN/pg_ctl" start -D "$DATA" -l "$LOG" -w -t 60 >/dev/null; then
        tail -n 30 "$LOG" >&2 || true
        echo "pg-test-server: failed to start on port $PORT (is the port in use? try PGPORT=...)" >&2
        exit 1
    fi
    psql_admin <<'SQL'
SELECT 'CREATE ROLE yuanqu LOGIN CREATEDB'
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yuanqu') \gexec
SELECT 'CREATE DATABASE yuanqu OWNER yuanqu'
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'yuanqu') \gexec
SQL
    echo "$URL"
}

stop() {
    if [[ -f "$DATA/PG_VERSION" ]] && is_running; then
        as_owner "$BIN/pg_ctl" stop -D "$DATA" -m fast -w -t 60 >/dev/null
    fi
    rm -rf "$BASE"
}

case "${1:-}" in
    start) BIN="$(find_bindir)"; start ;;
    stop)
        if [[ -d "$BASE" ]]; then BIN="$(find_bindir)"; stop; fi ;;
    status) BIN="$(find_bindir)"; is_running ;;
    url) echo "$URL" ;;
    *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
