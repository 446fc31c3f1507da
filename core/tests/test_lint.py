"""The project's own code uses none of the constructs that let text become markup or SQL, or that switch a
protection off, except where this file allows it and says why.

Scanned: every .py, .html and .js file of the project, except third-party code (.venv, static/vendor),
generated files (var/) and migrations (their SQL is schema: triggers and constraints reviewed with the
migration). A new use fails this test until it is removed or added to ALLOWED with its reason.
"""

import fnmatch
import os
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {".venv", ".git", "node_modules", "__pycache__", "var", "migrations"}
SKIPPED_PREFIXES = ("static/vendor/",)

# Text becoming markup without escaping.
MARKUP_RULES = {
    "mark_safe": (re.compile(r"\bmark_safe\b"), (".py", ".html")),
    "SafeString": (re.compile(r"\bSafe(String|Text)\s*\("), (".py",)),
    "|safe": (re.compile(r"\|\s*safe(seq)?\b"), (".html", ".py")),
    "autoescape off": (re.compile(r"{%\s*autoescape\s+off\s*%}"), (".html",)),
    "innerHTML": (re.compile(r"\.\s*innerHTML\b"), (".js", ".html")),
    "outerHTML": (re.compile(r"\.\s*outerHTML\b"), (".js", ".html")),
    "insertAdjacentHTML": (re.compile(r"\binsertAdjacentHTML\b"), (".js", ".html")),
    "document.write": (re.compile(r"\bdocument\s*\.\s*write(ln)?\s*\("), (".js", ".html")),
    "createContextualFragment": (re.compile(r"\bcreateContextualFragment\b"), (".js", ".html")),
    # A string literal holding a tag, joined with + ("<a href=" + url + ">"), or a template literal with a tag.
    "HTML by concatenation": (re.compile(
        r"""'[^'\n]*<\/?[A-Za-z][^'\n]*'\s*\+|"[^"\n]*<\/?[A-Za-z][^"\n]*"\s*\+"""
        r"""|\+\s*'[^'\n]*<\/?[A-Za-z]|\+\s*"[^"\n]*<\/?[A-Za-z]"""), (".js", ".html")),
    "HTML template literal": (re.compile(r"`[^`]*<\/?[A-Za-z][^`]*`"), (".js", ".html")),
}
# SQL written by hand, and protections switched off.
OTHER_RULES = {
    "raw SQL": (re.compile(r"\.raw\s*\(|\.extra\s*\(|\bRawSQL\s*\(|\.execute(many)?\s*\(|\.cursor\s*\("), (".py",)),
    "csrf_exempt": (re.compile(r"\bcsrf_exempt\b"), (".py",)),
}
RULES = {**MARKUP_RULES, **OTHER_RULES}

# (path or glob, rule): why it is allowed. Keep this short; an entry that no longer matches fails too.
ALLOWED = {
    ("core/audit/__init__.py", "raw SQL"):
        "bulk change records of an import: one executemany of a fixed INSERT with placeholders; the audit "
        "tables refuse UPDATE and DELETE, so the ORM's bulk_create (which may return rows) is not used",
    ("core/management/commands/grant_app_role.py", "raw SQL"):
        "GRANT/REVOKE for the application's database role, run by the owner from the command line; the role name "
        "is checked against a plain-name pattern and quoted by the backend, table names come from the models",
    ("demo/loader.py", "raw SQL"):
        "load_demo empties the demo tables with DELETE on table names quoted by the backend; no user input",
    ("demo/plan.py", "raw SQL"):
        "load_demo refreshes PostgreSQL's planner statistics (ANALYZE) of an app's tables after its part wrote them; "
        "table names come from the models, quoted by the backend; no user input",
    ("demo/generate.py", "raw SQL"):
        "the benchmark generator sets SQLite's page cache (a PRAGMA) and gathers planner statistics (ANALYZE) after loading; no user input",
    ("policies/snapshot.py", "raw SQL"):
        "the screening snapshot streams a queryset's own SQL and parameters (query.sql_with_params, built by the ORM) "
        "through fetchmany into numpy arrays, so millions of rows never become model instances; no text of its own",
    ("bench/*.py", "raw SQL"):
        "benchmarks run ANALYZE / SHOW / pg_backend_pid on their own database; never reached by a request",
    ("*/tests/*.py", "raw SQL"):
        "tests probe the database directly (privileges, triggers, locks); never reached by a request",
    ("core/tests/test_lint.py", "*"):
        "this file names every rule",
}


def project_files():
    for directory, subdirs, files in os.walk(ROOT):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = Path(directory) / name
            relative = path.relative_to(ROOT).as_posix()
            if path.suffix in (".py", ".html", ".js") and not relative.startswith(SKIPPED_PREFIXES):
                yield relative, path


def allowance(relative: str, rule: str):
    for pattern, allowed_rule in ALLOWED:
        if fnmatch.fnmatch(relative, pattern) and allowed_rule in (rule, "*"):
            return (pattern, allowed_rule)
    return None


def findings():
    found, used = [], set()
    for relative, path in project_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for rule, (pattern, suffixes) in RULES.items():
            if path.suffix not in suffixes:
                continue
            for match in pattern.finditer(text):
                entry = allowance(relative, rule)
                if entry:
                    used.add(entry)
                    continue
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{relative}:{line}: {rule}: {match.group(0)[:60]!r}")
    return found, used


def test_no_unsafe_markup_raw_sql_or_csrf_exemption_outside_the_allow_list():
    found, _used = findings()
    assert found == [], "\n".join(["not allowed (fix it, or add it to ALLOWED with its reason):", *found])


def test_every_allowance_has_a_reason_and_is_still_needed():
    _found, used = findings()
    assert all(len(reason) > 20 for reason in ALLOWED.values())
    stale = set(ALLOWED) - used - {("*/tests/*.py", "raw SQL"), ("core/tests/test_lint.py", "*")}
    assert stale == set(), f"allowed but no longer used: {sorted(stale)}"


def test_the_rules_catch_what_they_are_for():
    """Each rule on a sample of what it forbids, and not on its safe counterpart."""
    samples = {
        "innerHTML": ('el.innerHTML = name;', 'el.textContent = name; htmx.ajax("GET", u, {swap: "innerHTML"});'),
        "outerHTML": ("node.outerHTML = html;", 'hx-swap="outerHTML"'),
        "HTML by concatenation": ("'<a href=\"' + url + '\">'", "'Page ' + n + ' of ' + total"),
        "mark_safe": ("mark_safe(text)", "format_html('<b>{}</b>', text)"),
        "HTML template literal": ("`<strong>${name}</strong>`", "`${a} · ${b}`"),
        "|safe": ("{{ value|safe }}", "{{ value|default:'' }}"),
        "raw SQL": ('cursor.execute("DELETE FROM t")', "Unit.objects.filter(code=code)"),
        "document.write": ("document.write(x)", "document.title = x"),
    }
    for rule, (bad, good) in samples.items():
        pattern = RULES[rule][0]
        assert pattern.search(bad), rule
        assert not pattern.search(good), rule
