"""Core names no app: the apps plug in through what they declare (surfaces, menu entries, home figures, field
templates, user links, detail-page panels), so that a new app needs no line in core.

The apps are read from INSTALLED_APPS (every app of the project but core itself and the demo loader), so an
app added later is held to the same rule."""

import re
from pathlib import Path

from django.conf import settings

from core.runtime.project import project_apps

ROOT = Path(settings.BASE_DIR)
# Where a use is truly needed: path relative to the project → the reason.
ALLOWED: dict[str, str] = {}


def app_labels() -> list[str]:
    return [config.label for config in project_apps() if config.label not in ("core", "demo")]


def patterns(labels):
    names = "|".join(map(re.escape, labels))
    return [
        re.compile(rf"\b({names})\s*[.:]"),  # a module, a model label, a URL namespace: spaces.Unit, 'leasing:…'
        re.compile(rf"\b(from|import)\s+({names})\b"),
        re.compile(rf"[\"']({names})[./:]"),  # "spaces.Park", 'leasing:unit_options', "enterprises/…html"
    ]


def core_files():
    for path in sorted((ROOT / "core").rglob("*")):
        parts = path.relative_to(ROOT).parts
        if path.is_file() and path.suffix in {".py", ".html", ".txt", ".js"} and "tests" not in parts \
                and "migrations" not in parts:
            yield path
    templates = ROOT / "templates"
    yield from sorted((templates / "core").rglob("*.html"))
    yield from sorted((templates / "registration").rglob("*.html"))
    yield from sorted(templates.glob("*.html"))  # base.html, home.html and the error pages


def offences(files, labels):
    found = []
    for path in files:
        name = str(path.relative_to(ROOT))
        if name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(pattern.search(line) for pattern in patterns(labels)):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_the_apps_are_read_from_the_settings():
    assert {"spaces", "enterprises", "leasing"} <= set(app_labels())
    assert "core" not in app_labels() and "django_tasks" not in app_labels()


def test_core_and_its_templates_name_no_app():
    assert offences(core_files(), app_labels()) == []


def test_the_check_finds_what_it_looks_for(tmp_path, monkeypatch):
    monkeypatch.setattr("core.tests.test_core_names_no_app.ROOT", tmp_path)
    lines = ['from parking.models import Space', 'import parking', 'url = reverse("parking:space_list")',
             "{% url 'parking:space_list' %}", '{% include "parking/free.html" %}', 'label = "parking.Space"',
             'hook = "parking.space.freed"']
    for i, line in enumerate(lines):
        (tmp_path / f"f{i}.py").write_text(line, encoding="utf-8")
    fine = tmp_path / "fine.py"
    fine.write_text('"""Spaces, parking and enterprises are words; the parking lot."""\nparking_spaces = 3\n',
                    encoding="utf-8")
    files = [tmp_path / f"f{i}.py" for i in range(len(lines))]
    assert len(offences(files, ["parking"])) == len(lines)
    assert offences([fine], ["parking", "enterprises", "spaces"]) == []
