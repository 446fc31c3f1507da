"""Core's layers are real: no module imports one of a higher layer, at module level or inside a function, and no
two modules import each other, however far round (decisions/0020-core-in-rooms-that-name-what-they-hold.md).

A module's layer is that of the longest prefix below that names it; modules that answer HTTP (``views``, ``api``,
``exports``, ``reports``, ``bulk_views``) sit in the pages layer whatever package holds them.
"""

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent

# Lowest first. A module may import its own layer and those below it.
LAYERS = [
    # The rule language is pure: the standard library and numpy, nothing of core above it, no Django.
    ("rules", ["core.rules"]),
    ("reference", ["core.reference"]),
    ("runtime", ["core.runtime"]),
    # core.models imports the models kept with their feature; what those need sits in this layer too: the kinds
    # of reminder, an attachment's storage and its file type and name.
    ("models", ["core.models", "core.reminders.models", "core.reminders.kinds", "core.attachments.storage",
                "core.attachments.files", "core.calendar.models"]),
    ("access", ["core.access"]),
    ("audit", ["core.audit"]),
    ("services", ["core.services"]),
    ("actions", ["core.actions"]),
    ("surfaces", ["core.surfaces"]),
    ("features", ["core.accounts", "core.attachments", "core.calendar", "core.documents", "core.importing",
                  "core.reminders", "core.versions"]),
    ("pages", []),
    ("project", ["core.urls", "core.apps", "core.admin", "core.context_processors", "core.templatetags",
                 "core.management", "core.demo"]),
]
PAGES = {"views", "api", "exports", "reports", "bulk_views", "urls"}

# Imports that go up or round, each with the reason it cannot go: (importer, imported): reason.
ALLOWED: dict[tuple[str, str], str] = {
    ("core.models", "core.attachments.registry"):
        "a document's scope and kinds come from the records it may be attached to, which each app registers at "
        "ready; Document.objects.for_user and Document.clean ask the registry when they run",
    ("core.services", "core.attachments.registry"):
        "deleting a record counts its attachments only if its model takes attachments (a query saved for every "
        "other model); which models do is in the registry",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CORE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def core_modules() -> dict[str, Path]:
    found = {}
    for path in CORE.rglob("*.py"):
        if {"tests", "migrations"} & set(path.relative_to(CORE).parts) or path == CORE / "__init__.py":
            continue  # core/__init__.py is empty
        found[module_name(path)] = path
    return found


def imports_of(name: str, path: Path, known: set[str], *, top: bool = False) -> set[str]:
    """The core modules ``name`` imports anywhere in its text, or at module level only with ``top`` (``from
    core.x import y`` counts core.x.y when that is a module, else core.x)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(), str(path))
    for node in tree.body if top else ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                target = f"{source}.{alias.name}"
                found.add(target if target in known else source)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {target for target in found if target in known and target != name}


def layer_of(name: str) -> int:
    if name.rpartition(".")[2] in PAGES:
        return next(i for i, (layer, _) in enumerate(LAYERS) if layer == "pages")
    best, best_length = None, -1
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    assert best is not None, f"{name} is in no layer: give its package one in core/tests/test_layers.py"
    return best


def graph(*, top: bool = False) -> dict[str, set[str]]:
    modules = core_modules()
    return {name: imports_of(name, path, set(modules), top=top) for name, path in modules.items()}


def upward_imports(edges) -> list[str]:
    return sorted(
        f"{name} ({LAYERS[layer_of(name)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for name, targets in edges.items()
        for target in targets
        if layer_of(target) > layer_of(name) and (name, target) not in ALLOWED
    )


def cycles(edges, *, allowed=ALLOWED) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), leaving out the ``allowed`` imports."""
    edges = {name: {t for t in targets if (name, t) not in allowed} for name, targets in edges.items()}
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_every_core_module_has_a_layer():
    for name in core_modules():
        layer_of(name)


def test_no_module_imports_a_higher_layer():
    assert upward_imports(graph()) == []


def test_no_import_cycles():
    assert cycles(graph()) == []


def test_allowed_imports_still_exist_and_say_why():
    edges = graph()
    for (name, target), reason in ALLOWED.items():
        assert target in edges.get(name, ()), f"{name} no longer imports {target}: remove it from ALLOWED"
        assert len(reason) > 20, f"say why {name} must import {target}"


def test_the_check_sees_an_import_inside_a_function():
    """The walk would miss a lazy import if it only read module level; it finds the ones it is shown."""
    edges = {"core.reference.search": {"core.models"}, "core.models": {"core.reference.search"}}
    assert upward_imports(edges) == ["core.reference.search (reference) imports core.models (models)"]
    assert cycles(edges) == [["core.models", "core.reference.search"]]


def test_the_rule_language_imports_only_the_standard_library_and_numpy():
    """core.rules is evaluated in screenings over millions of rows and in tests without a database: no Django, no
    ORM, nothing of the project outside its own package (decisions/0021-the-rule-language-a-pure-room-of-core.md)."""
    allowed = set(sys.stdlib_module_names) | {"numpy"}
    found = []
    for path in sorted((CORE / "rules").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            found += [f"{path.relative_to(CORE.parent)}: {name}" for name in names
                      if name.split(".")[0] not in allowed]
    assert found == []
    assert list((CORE / "rules").rglob("*.py")), "core/rules is where the rule language lives"
