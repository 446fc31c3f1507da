"""Concurrency tests: writers that run at the same moment, each in its own thread with its own connection.

Such a test needs committed rows that other connections can see (``transactional_db``) and a database that
runs transactions side by side: PostgreSQL. SQLite (IMMEDIATE transactions, yuanqu/settings.py) lets one
writer in at a time, so the races these tests provoke cannot happen there.
"""

import threading

import pytest
from django.db import connection, connections

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent transactions are PostgreSQL's; SQLite runs one write transaction at a time",
)


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
