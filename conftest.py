"""Repository-wide pytest fixtures: a headless Chromium for browser tests.

Browser tests request ``live_server`` and ``transactional_db`` together with
``page`` (a fresh zh-CN context per test, 1400x900). Chromium is Debian's
/usr/bin/chromium; Playwright's own browser download does not work here.
"""

import os
import tempfile

import pytest

pytest_plugins = ["yuanqu.testing"]

# Playwright's sync API keeps an event loop running in the main thread, which
# makes Django's "async unsafe" check refuse ORM calls made by the test itself.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Background jobs run in-process in tests; uploads go to a throwaway directory.
os.environ.setdefault("YUANQU_TASKS", "immediate")
os.environ.setdefault("YUANQU_MEDIA_ROOT", tempfile.mkdtemp(prefix="yuanqu-media-"))
os.environ.setdefault("YUANQU_ATTACHMENT_ROOT", tempfile.mkdtemp(prefix="yuanqu-attachments-"))
os.environ.setdefault("YUANQU_COUNT_CACHE", tempfile.mkdtemp(prefix="yuanqu-counts-"))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _on_postgresql(config) -> bool:
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` run in the PostgreSQL half of make test; the SQLite half leaves them out
    (deselected, and counted in the summary), rather than reporting them as skipped."""
    if _on_postgresql(config):
        return
    left_out = [item for item in items if item.get_closest_marker("postgresql")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgresql")]
        config._yuanqu_postgresql_only = len(left_out)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = getattr(config, "_yuanqu_postgresql_only", 0)
    if count:
        terminalreporter.write_line(f"{count} PostgreSQL-only tests left out on SQLite; the PostgreSQL half runs them.")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} not found: install Debian's chromium (bash scripts/system-deps.sh)"
        if os.environ.get("CI") in {"true", "1"}:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_audit_tables():
    """Transactional tests end with a flush; the audit triggers would refuse it (core/audit/lock.py)."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from core.audit.lock import audit_unlocked, flush_statements

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with audit_unlocked():
            return original(self, flush_statements(self.connection, sql_list))

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    BaseDatabaseOperations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread; every test starts in Chinese."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """PBKDF2 is slow on purpose; tests log in hundreds of times."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_counts():
    """Each test's database is rolled back without a signal: its cached list counts go with it."""
    from django.core.cache import caches

    caches["counts"].clear()
    yield
