"""The SQLite side of the append-only audit tables (see core/migrations/0002)."""

import contextlib

_unlocked = False


def audit_locked() -> int:
    return 0 if _unlocked else 1


@contextlib.contextmanager
def audit_unlocked():
    """Only for the test suite's flush between transactional tests: lets it empty the audit tables."""
    global _unlocked
    previous, _unlocked = _unlocked, True
    try:
        yield
    finally:
        _unlocked = previous


def register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("yuanqu_audit_locked", 0, audit_locked, deterministic=False)
