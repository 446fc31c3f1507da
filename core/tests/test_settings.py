from pathlib import Path

from yuanqu.settings import BASE_DIR, database_from_url


def test_sqlite_urls_absolute_and_relative():
    assert database_from_url("sqlite:////srv/yuanqu/db.sqlite3")["NAME"] == Path("/srv/yuanqu/db.sqlite3")
    assert database_from_url("sqlite:///var/x.sqlite3")["NAME"] == BASE_DIR / "var" / "x.sqlite3"


def test_postgres_url():
    db = database_from_url("postgres://yq:p%40ss@db.example:5433/yuanqu")
    assert (db["ENGINE"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "django.db.backends.postgresql", "yq", "p@ss", "db.example", "5433", "yuanqu")
