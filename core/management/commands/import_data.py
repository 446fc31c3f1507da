"""Import a spreadsheet from the command line, with the same templates, checks and audit as the web page.

    python manage.py import_data --template unit units-template.xlsx
    python manage.py import_data unit units.xlsx [--dry-run] [--valid-only] [--user NAME]
"""

import os

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from core.importing import jobs, workbooks
from core.importing.engine import CREATE, DUPLICATE, ERROR, UNCHANGED, UPDATE
from core.importing.spec import Layout
from core.reference.choices import ImportStatus, Role
from core.surfaces import discover


def importable():
    return {s.name: s for s in discover().values() if s.importer is not None}


def model_choices() -> str:
    """The models that take imports, as the apps' surfaces declare them: "operator, zone, … or lease"."""
    names = list(importable())
    return " or ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)


def find_surface(name: str):
    surfaces = importable()
    wanted = name.lower().rstrip("s") if name.lower().rstrip("s") in surfaces else name.lower()
    for surface in surfaces.values():
        names = {surface.name, surface.slug, surface.opts.label_lower, str(surface.opts.verbose_name),
                 str(surface.opts.verbose_name_plural)}
        if wanted in names or name in names:
            return surface
    raise CommandError(f"Unknown model {name!r}; one of: {', '.join(sorted(surfaces))}")


class Command(BaseCommand):
    help = "Import .xlsx/.csv rows into a model (or write its template with --template)."

    def add_arguments(self, parser):
        parser.add_argument("model", help=model_choices())
        parser.add_argument("file")
        parser.add_argument("--template", action="store_true", help="write the template to FILE and stop")
        parser.add_argument("--dry-run", action="store_true", help="check and report; change nothing")
        parser.add_argument("--valid-only", action="store_true", help="import the valid rows even if others fail")
        parser.add_argument("--confirm-warnings", action="store_true",
                            help="import rows with implausible values (warnings) too; otherwise they stop the import")
        parser.add_argument("--user", help="import as this user (default: the first administrator); "
                                           "the user's scope and permissions apply")

    def handle(self, *args, model, file, template, dry_run, valid_only, user, confirm_warnings=False, **options):
        translation.activate("zh-hans")
        surface = find_surface(model)
        account = self.account(user)
        if template:
            with open(file, "wb") as handle:
                handle.write(workbooks.template(Layout(surface, account)))
            self.stdout.write(f"template written: {file}")
            return
        if not os.path.exists(file):
            raise CommandError(f"No such file: {file}")
        with open(file, "rb") as handle:
            content = handle.read()
        try:
            batch = jobs.batch_create(user=account, surface=surface, filename=os.path.basename(file),
                                      content=content, valid_only=valid_only)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        if confirm_warnings:
            jobs.mark(batch, warnings_confirmed=True)
        if dry_run:
            batch = jobs.batch_check(batch)
        elif valid_only:
            # Checked first: a file without one valid row is not committed at all (no empty "imported" batch).
            batch = jobs.batch_check(batch)
            if batch.status == ImportStatus.CHECKED and self.valid_rows(batch.counts):
                batch = jobs.batch_commit(batch)
        else:
            batch = jobs.batch_commit(batch)
        counts = batch.counts
        self.stdout.write(
            f"{surface.opts.verbose_name_plural}: {counts.get('total', 0)} rows — created {counts.get(CREATE, 0)}, "
            f"updated {counts.get(UPDATE, 0)}, unchanged {counts.get(UNCHANGED, 0)}, "
            f"repeated {counts.get(DUPLICATE, 0)}, errors {counts.get(ERROR, 0)}"
        )
        if batch.error_file:
            stem = os.path.splitext(file)[0]
            target = f"{stem}.errors.xlsx"
            with batch.error_file.open("rb") as source, open(target, "wb") as handle:
                handle.write(source.read())
            self.stdout.write(f"error workbook: {target}")
        if batch.message:
            self.stdout.write(batch.message)
        if dry_run:
            self.stdout.write("dry run: nothing was changed")
            if counts.get(ERROR) or batch.status != ImportStatus.CHECKED:
                raise SystemExit(1)
            return
        if batch.status != ImportStatus.COMMITTED:
            if valid_only and batch.status == ImportStatus.CHECKED:
                self.stdout.write(_("Nothing was imported: no row is valid."))
            raise SystemExit(1)
        self.stdout.write(f"batch {batch.uuid} committed")

    @staticmethod
    def valid_rows(counts) -> int:
        return sum(counts.get(outcome, 0) for outcome in (CREATE, UPDATE, UNCHANGED))

    def account(self, username):
        users = get_user_model().objects.filter(is_active=True)
        if username:
            try:
                return users.get(username=username)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No active user {username!r}") from exc
        account = users.filter(role=Role.BUREAU_ADMIN).order_by("pk").first()
        if account is None:
            raise CommandError("No administrator account: give --user NAME")
        return account
