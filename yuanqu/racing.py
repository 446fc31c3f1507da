"""Concurrency tests: writers that run at the same moment, each in its own thread with its own connection.

Such a test needs committed rows that other connections can see (``transactional_db``) and a database that
runs transactions side by side: PostgreSQL. SQLite (IMMEDIATE transactions, yuanqu/settings.py) lets one
writer in at a time, so the races these tests provoke cannot happen there.
"""

import json
import threading
import urllib.error
import urllib.request

import pytest
from django.db import connections

# Concurrent transactions are PostgreSQL's; SQLite runs one write transaction at a time. The SQLite half of
# make test leaves these out (conftest.py), the PostgreSQL half runs them.
postgres_only = pytest.mark.postgresql


def race(functions, rounds: int = 1, timeout: float = 60) -> list[list]:
    """Call every function ``rounds`` times, all of them together in each round (a barrier releases them at
    once), each in a thread of its own with its own database connection. Returns, per round, what each call
    returned or the exception it raised."""
    barrier = threading.Barrier(len(functions))
    outcomes = [[None] * len(functions) for _round in range(rounds)]

    def run(index, function):
        try:
            for number in range(rounds):
                barrier.wait(timeout=timeout)
                try:
                    outcomes[number][index] = function(number)
                except Exception as exc:  # the test looks at what each writer met
                    outcomes[number][index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f), daemon=True) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * rounds)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("a racing writer did not finish")
    return outcomes


def call_api(base_url: str, path: str, body: dict, *, key: str | None = None, method: str = "POST") -> tuple:
    """One JSON request to the live server: (status, decoded body); an error status is returned, not raised."""
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(f"{base_url}{path}", data=json.dumps(body).encode(), method=method,
                                     headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        content = error.read()
        try:
            return error.code, json.loads(content or b"{}")
        except ValueError:
            return error.code, {"detail": content.decode(errors="replace")[:500]}
