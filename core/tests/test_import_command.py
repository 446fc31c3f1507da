"""The import command's contract: non-zero exit whenever nothing was imported."""

import re

import pytest
from django.core.management import call_command

from core.importing.jobs import COMMITTED
from core.models import DomainEvent, ImportBatch, ImportStatus, ObjectChange
from core.tests.test_import import UNIT_HEADER, xlsx
from spaces.models import Unit


def test_valid_only_with_no_valid_row_commits_nothing_and_exits_non_zero(world, tmp_path, capsys):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([UNIT_HEADER, ["a-1", "12", "1290", "x", "办公", ""], ["no-such", "12", "1291", "90", "办公", ""]]))
    units, changes = Unit.objects.count(), ObjectChange.objects.count()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_data", "unit", str(path), "--valid-only", "--user", "t_officer")
    assert exit_info.value.code == 1
    assert "errors 2" in capsys.readouterr().out
    assert Unit.objects.count() == units and ObjectChange.objects.count() == changes
    batch = ImportBatch.objects.get()
    assert batch.status != ImportStatus.COMMITTED and batch.committed_at is None
    assert not DomainEvent.objects.filter(name=COMMITTED).exists()


def test_valid_only_imports_the_valid_rows_and_exits_zero(world, tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(xlsx([UNIT_HEADER, ["a-1", "12", "1290", "100", "办公", ""], ["a-1", "12", "1291", "x", "办公", ""]]))
    call_command("import_data", "unit", str(path), "--valid-only", "--user", "t_officer")
    assert Unit.objects.filter(code="1290").exists() and not Unit.objects.filter(code="1291").exists()
    assert ImportBatch.objects.get().status == ImportStatus.COMMITTED


def test_the_help_names_the_models_the_surfaces_open_to_imports(monkeypatch):
    from core.management.commands.import_data import Command
    from core.surfaces import surface_for

    def names():
        text = " ".join(Command().create_parser("manage.py", "import_data").format_help().split())
        listed = re.search(r"model ((\w+, )*\w+ or \w+)", text).group(1)  # "operator, zone, … or lease"
        return listed.replace(" or ", ", ").split(", ")

    always = ["operator", "zone", "park", "building", "floor", "unit", "enterprise", "qualification", "lease"]
    assert [name for name in names() if name in always] == always
    monkeypatch.setattr(surface_for(Unit), "importer", None)  # an app that takes a model out of imports
    assert "unit" not in names() and "floor" in names()
