"""The documented production settings pass `manage.py check --deploy`; the platform refuses to start without a
key of its own or on a known or weak one."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

MANAGE = os.path.join(settings.BASE_DIR, "manage.py")
OLD_DEVELOPMENT_KEY = "insecure-development-key-change-me-in-production"


def manage(tmp_path, *args, **env):
    """manage.py in a fresh process with only these settings (and no key file unless one is named): nothing of
    the test run's own environment."""
    base = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""), "LANG": "C.UTF-8",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
            "YUANQU_SECRET_KEY_FILE": str(tmp_path / "no-such-key-file"), **env}
    return subprocess.run([sys.executable, MANAGE, *args], env=base, cwd=settings.BASE_DIR, capture_output=True,
                          text=True, timeout=120)


PRODUCTION = {"YUANQU_DEBUG": "0", "YUANQU_HTTPS": "1", "YUANQU_ALLOWED_HOSTS": "yuanqu.example.gov.cn"}


def test_check_deploy_is_clean_under_the_documented_production_settings(tmp_path):
    done = manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING",
                  YUANQU_SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNINGS" not in done.stdout + done.stderr


def test_without_https_check_deploy_names_what_is_missing(tmp_path):
    settings = {**PRODUCTION, "YUANQU_HTTPS": "0"}
    done = manage(tmp_path, "check", "--deploy", YUANQU_SECRET_KEY=secrets.token_urlsafe(50), **settings)
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr


def test_https_settings_are_on_with_one_switch(tmp_path):
    done = manage(tmp_path, "shell", "--no-imports", "-c", "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
                  "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER)",
                  YUANQU_SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION)
    assert done.stdout.split() == ["True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')"]


def test_startup_refuses_the_old_development_key_and_weak_keys(tmp_path):
    for key in (OLD_DEVELOPMENT_KEY, "django-insecure-" + secrets.token_urlsafe(50), "short-key", "a" * 60):
        done = manage(tmp_path, "check", YUANQU_SECRET_KEY=key, YUANQU_DEBUG="0")
        assert done.returncode != 0
        assert "YUANQU_SECRET_KEY is a development key or too weak" in done.stderr, (key, done.stderr)


def test_startup_refuses_to_run_without_a_key(tmp_path):
    done = manage(tmp_path, "check", YUANQU_DEBUG="0")
    assert done.returncode != 0 and "YUANQU_SECRET_KEY is not set" in done.stderr


def test_a_clones_key_file_is_read_when_no_key_is_set(tmp_path):
    key = secrets.token_urlsafe(50)
    (tmp_path / "secret_key").write_text(key + "\n")
    done = manage(tmp_path, "shell", "--no-imports", "-c", "from django.conf import settings; print(settings.SECRET_KEY)",
                  YUANQU_SECRET_KEY_FILE=str(tmp_path / "secret_key"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == key
