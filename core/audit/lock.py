"""The one way the audit tables may be emptied: the test suite's flush between transactional tests.

SQLite (core/migrations/0002): the UPDATE and DELETE triggers ask ``yuanqu_audit_locked()``, a function each
Django connection registers; it answers 1 except inside ``audit_unlocked``.
PostgreSQL (core/migrations/0009): the TRUNCATE trigger lets the tables' owner through in a transaction that
has set ``yuanqu.audit_unlocked``; ``flush_statements`` puts that setting in front of the flush.
"""

import contextlib

UNLOCK_SETTING = "yuanqu.audit_unlocked"

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


def flush_statements(connection, sql_list) -> list[str]:
    """A flush's statements; on PostgreSQL after the transaction-local setting that lets the owner of the
    audit tables (the test suite's role) empty them. Django runs a flush in one transaction."""
    if connection.vendor == "postgresql":
        return [f"SELECT set_config('{UNLOCK_SETTING}', 'on', true)", *sql_list]
    return list(sql_list)


def register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("yuanqu_audit_locked", 0, audit_locked, deterministic=False)
