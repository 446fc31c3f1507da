"""Settings. Everything a deployment changes is read from the environment (see README, 配置)."""

import os
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("YUANQU_DEBUG", False)

# Keys that must never sign a running platform's sessions and tokens: the development key earlier versions
# shipped with, and Django's own placeholder.
KNOWN_KEYS = {"insecure-development-key-change-me-in-production"}


def secret_key() -> str:
    """YUANQU_SECRET_KEY; else the file YUANQU_SECRET_KEY_FILE names (var/secret_key, which `make install`
    fills with a random key for a local clone). There is no built-in key, so none can reach production; and
    with DEBUG off the platform refuses to start on a known or weak key (the measure of `check --deploy`)."""
    key = os.environ.get("YUANQU_SECRET_KEY", "").strip()
    path = Path(os.environ.get("YUANQU_SECRET_KEY_FILE") or BASE_DIR / "var" / "secret_key")
    if not key and path.is_file():
        key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise ImproperlyConfigured(
            f"YUANQU_SECRET_KEY is not set: set it to a long random value (production), or run `make install` "
            f"to keep a random key for this clone in {path}.")
    weak = key in KNOWN_KEYS or key.startswith("django-insecure-") or len(key) < 50 or len(set(key)) < 5
    if weak and not DEBUG:
        raise ImproperlyConfigured(
            "YUANQU_SECRET_KEY is a development key or too weak (at least 50 characters, not a published "
            "key): set a long random value, e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))'.")
    return key


SECRET_KEY = secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("YUANQU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("YUANQU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "ninja",
    "core",  # before django_tasks_db: its db_worker command is core's (with the import warden)
    "django_tasks",
    "django_tasks_db",
    "spaces",
    "enterprises",
    "leasing",
    "certification",
    "policies",
    "carriers",
    "finance",
    "projects",
    "demo",
]

MIDDLEWARE = [
    "core.access.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.runtime.middleware.RequestContextMiddleware",
    "core.runtime.middleware.QueryControlCharacterMiddleware",
    "core.accounts.lockout.IdleTimeoutMiddleware",
]

# Content-Security-Policy (core/access/csp.py): scripts only from the platform's own static files, no inline
# script or event handler, no eval; style sheets only from static files. Style attributes stay allowed:
# the templates use them for layout (no library needs them). The API docs (Swagger UI) need nothing more.
YUANQU_CSP = os.environ.get("YUANQU_CSP", "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
    "form-action 'self'", "frame-ancestors 'none'",
]))
YUANQU_CSP_REPORT_ONLY = env_bool("YUANQU_CSP_REPORT_ONLY", False)

AUTHENTICATION_BACKENDS = ["core.accounts.lockout.LockoutBackend"]

ROOT_URLCONF = "yuanqu.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
                "core.context_processors.reminders",
            ],
        },
    },
]

WSGI_APPLICATION = "yuanqu.wsgi.application"


def database_from_url(url: str) -> dict:
    parts = urlparse(url)
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            # Index reads cost little more than sequential ones on SSDs; PostgreSQL's default (4) assumes disks
            # and turns the building page's lease lookups into whole-table scans.
            "OPTIONS": {"options": os.environ.get("YUANQU_PG_OPTIONS", "-c random_page_cost=1.1 -c work_mem=64MB -c jit=off")},
        }
    if parts.scheme == "sqlite":
        # sqlite:////srv/yuanqu/db.sqlite3 is absolute, sqlite:///var/db.sqlite3 relative to the project.
        name = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
        return sqlite_database(BASE_DIR / name if name else BASE_DIR / "var" / "yuanqu.sqlite3")
    raise ValueError(f"DATABASE_URL: unsupported scheme {parts.scheme!r}")


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {
    "default": database_from_url(os.environ["DATABASE_URL"])
    if os.environ.get("DATABASE_URL")
    else sqlite_database(BASE_DIR / "var" / "yuanqu.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_URL_PATH = "/login/"
# MLPS 2.0 level 3: lock after repeated failures, log out when idle.
YUANQU_LOGIN_MAX_FAILURES = int(os.environ.get("YUANQU_LOGIN_MAX_FAILURES", 5))
YUANQU_LOGIN_LOCK_MINUTES = int(os.environ.get("YUANQU_LOGIN_LOCK_MINUTES", 15))
YUANQU_IDLE_MINUTES = int(os.environ.get("YUANQU_IDLE_MINUTES", 30))
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("YUANQU_SESSION_SECONDS", 8 * 3600))
# Django's database sessions; a cookie that names no possible key is never looked up (core/access/sessions.py).
SESSION_ENGINE = "core.access.sessions"
# An API token is valid for this many days after it is made; a new password, another role or a deactivation
# revokes it sooner (core.accounts.views.user_access_end).
YUANQU_TOKEN_DAYS = int(os.environ.get("YUANQU_TOKEN_DAYS", 90))
# Support payouts are due this many working days (core.calendar) after approval.
POLICY_PAYOUT_WORKING_DAYS = int(os.environ.get("YUANQU_PAYOUT_WORKING_DAYS", 20))

# Production behind HTTPS (YUANQU_HTTPS=1): cookies only over HTTPS, HTTP redirected to HTTPS, and browsers told
# to use nothing but HTTPS for a year (HSTS, subdomains included). The platform runs behind a reverse proxy
# that ends TLS and sets X-Forwarded-Proto (it must overwrite any value the client sent, and granian must not
# be reachable except through it); that header is how a request is known to have come over HTTPS.
if env_bool("YUANQU_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# HSTS preloading is a commitment of the whole registered domain (the district's gov.cn domain), submitted to
# the browsers' list by its owner; the platform cannot make it, so check --deploy's reminder is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Uploaded import files and the error workbooks made from them (served only through views that check scope).
MEDIA_ROOT = Path(os.environ.get("YUANQU_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
YUANQU_IMPORT_MAX_BYTES = int(os.environ.get("YUANQU_IMPORT_MAX_BYTES", 50 * 1024 * 1024))
# Every upload passes core.access.uploads.LimitedUploadHandler first: on a URL with a limit (attachments) a file is
# dropped the moment it passes it, before the rest is kept in memory or in a temporary file.
FILE_UPLOAD_HANDLERS = [
    "core.access.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Attachments (core/attachments/, ADR 0015): documents' files live here, under random names, served by no URL
# (only by the download view, which checks scope and records the download); a deployment backs it up with the
# database. A document's file may have at most YUANQU_ATTACHMENT_MAX_BYTES (20 MB: a scanned contract of a
# hundred pages at 200 dpi).
YUANQU_ATTACHMENT_ROOT = Path(os.environ.get("YUANQU_ATTACHMENT_ROOT", BASE_DIR / "var" / "attachments"))
YUANQU_ATTACHMENT_MAX_BYTES = int(os.environ.get("YUANQU_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
# Official documents as PDF (core/documents/, ADR 0022) take their fonts only from these folders (separated by
# ":"), not from whatever the system has: by default Debian's fonts-noto-cjk (Noto Serif and Sans CJK SC, which
# scripts/system-deps.sh installs), then Arphic's and WenQuanYi's folders.
YUANQU_PDF_FONT_PATHS = [p for p in os.environ.get("YUANQU_PDF_FONT_PATHS", ":".join([
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/arphic",
    "/usr/share/fonts/truetype/wqy",
])).split(":") if p]
# An uploaded file is measured before it is read (core/importing/measure.py). The defaults admit a sheet of a
# million data rows (plus up to a hundred rows of titles and headers) as wide as the widest template (10
# columns) with as many columns of one's own again; a wider sheet must be shorter. Columns stop at IV (256, the
# old Excel's last). Unzipped bytes: such a sheet written by Excel, WPS or openpyxl is under 1 GB of XML. Ratio:
# a part that inflates to more than this many times its packed size (past its first MB) is mostly empty cells;
# real sheets pack 5–20 times.
YUANQU_IMPORT_MAX_ROWS = int(os.environ.get("YUANQU_IMPORT_MAX_ROWS", 1_000_100))
YUANQU_IMPORT_MAX_COLUMNS = int(os.environ.get("YUANQU_IMPORT_MAX_COLUMNS", 256))
YUANQU_IMPORT_MAX_CELLS = int(os.environ.get("YUANQU_IMPORT_MAX_CELLS", 20_000_000))
YUANQU_IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("YUANQU_IMPORT_MAX_UNZIPPED_BYTES", 1_500_000_000))
YUANQU_IMPORT_MAX_RATIO = int(os.environ.get("YUANQU_IMPORT_MAX_RATIO", 100))
# Files up to this size are checked while the user waits; larger ones go to the background worker
# (`manage.py db_worker`, started by `make demo`).
YUANQU_IMPORT_INLINE_BYTES = int(os.environ.get("YUANQU_IMPORT_INLINE_BYTES", 200 * 1024))
# `manage.py import_prune` removes uploaded files, error workbooks and kept checks older than this; the
# batches themselves (who, when, counts, change records) stay in the import history.
YUANQU_IMPORT_KEEP_DAYS = int(os.environ.get("YUANQU_IMPORT_KEEP_DAYS", 180))
# A check or commit shows it is alive by touching a file every quarter of YUANQU_IMPORT_STALE_SECONDS; one
# silent for that long died (its process was killed) and its batch fails, as does a batch that has waited
# for the worker or run longer than YUANQU_IMPORT_TIME_LIMIT_MINUTES (core/importing/jobs.py). Either may then
# be checked again or discarded.
YUANQU_IMPORT_STALE_SECONDS = int(os.environ.get("YUANQU_IMPORT_STALE_SECONDS", 120))
YUANQU_IMPORT_TIME_LIMIT_MINUTES = int(os.environ.get("YUANQU_IMPORT_TIME_LIMIT_MINUTES", 60))

# Background jobs: django-tasks with its database backend; YUANQU_TASKS=immediate runs them in-process.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("YUANQU_TASKS") == "immediate"
        else "django_tasks_db.DatabaseBackend",
    }
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Import progress is written by the worker and read by the web server: a cache both processes see.
    "progress": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(BASE_DIR / "var" / "cache" / "progress"),
    },
    # Counts of long lists until the data change (core/surfaces/counting.py); shared by all processes.
    "counts": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("YUANQU_COUNT_CACHE", str(BASE_DIR / "var" / "cache" / "counts")),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
    if os.environ.get("YUANQU_COUNT_CACHE") != "off"
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},  # every list counts every time
}

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Map: no tile server by default (the district boundary and zones are drawn as vectors).
# A deployment with an approved tile service sets e.g. https://tiles.example.gov.cn/{z}/{x}/{y}.png
YUANQU_MAP_TILE_URL = os.environ.get("YUANQU_MAP_TILE_URL", "")
YUANQU_MAP_TILE_ATTRIBUTION = os.environ.get("YUANQU_MAP_TILE_ATTRIBUTION", "")

YUANQU_PAGE_SIZE = 25
# The most records one bulk edit or bulk delete may touch (core/surfaces/bulk.py): each goes through its services one by
# one, in one transaction that holds the rows' locks until it ends, within the web request (bench/bulk_edit.py:
# tens of milliseconds per unit, more per lease). Larger changes: narrow the filter, or import a spreadsheet.
YUANQU_BULK_MAX = int(os.environ.get("YUANQU_BULK_MAX", 1000))

# Data quality (issue 8, point 21). A unit larger than the ceiling is most likely a building's area typed as
# a unit's, or a figure with an extra zero: the district's largest floor plates are about 3,000 m² and a whole
# standard factory building let as one unit rarely reaches 20,000 m², while almost every building's gross
# floor area is above it. Saving such a unit asks for a confirmation. A rent is "far" from its building's
# median when it is below the median divided by the factor or above the median times it (2: below half,
# above double); a building needs YUANQU_RENT_MEDIAN_MIN_UNITS units with a rent for its median to count.
YUANQU_UNIT_AREA_CEILING = Decimal(os.environ.get("YUANQU_UNIT_AREA_CEILING", "20000"))
YUANQU_RENT_OUTLIER_FACTOR = Decimal(os.environ.get("YUANQU_RENT_OUTLIER_FACTOR", "2"))
YUANQU_RENT_MEDIAN_MIN_UNITS = int(os.environ.get("YUANQU_RENT_MEDIAN_MIN_UNITS", 3))
YUANQU_SITE_TITLE = _("Yuanqu industrial parks platform")

# Daily tasks (core/reminders/daily.py: expire leases, raise reminders): the worker (`manage.py db_worker`) runs them once a
# day from this hour (0-23, the platform's time zone), and at its start when they have not run that day.
YUANQU_DAILY_HOUR = int(os.environ.get("YUANQU_DAILY_HOUR", 6))
if not 0 <= YUANQU_DAILY_HOUR <= 23:
    raise ImproperlyConfigured("YUANQU_DAILY_HOUR must be an hour from 0 to 23.")
# Where reminders go besides the inbox (core/reminders/senders.py): dotted paths of Sender classes, separated by
# commas. The default only writes them to the log; a text-message or enterprise-WeChat sender is a class of its own.
YUANQU_REMINDER_SENDERS = [p.strip() for p in os.environ.get(
    "YUANQU_REMINDER_SENDERS", "core.reminders.senders.LogSender").split(",") if p.strip()]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YUANQU_LOG_LEVEL", "WARNING")},
}
