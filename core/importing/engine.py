"""One import, from bytes to a preview or a commit.

1. read the file and find its header (reading.py); 2. turn each cell into what the form expects
(values.py, spec.py); 3. resolve the objects rows name (buildings by code, floors within them, …) in a
few queries, inside the user's scope; 4. find each row's existing object by its natural key; 5. validate
the row with the surface's own edit form, so a rule is the same here as on the page; 6. write: in bulk
with audit rows (``ImportSpec.bulk``) or row by row through the surface's services; the preview of the
latter runs the services and rolls back, so it shows what a commit would refuse.
"""

import copy
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.access.permissions import ADD, CHANGE, role_may
from core.importing import reading, values
from core.importing.spec import MANY, RELATED, Layout
from core.reference import control_characters
from core.reference.choices import ChangeAction
from core.surfaces import counting


class StaleRows(ValidationError):
    """A bulk write found rows changed since they were validated; nothing of the write is kept."""


CREATE, UPDATE, UNCHANGED, DUPLICATE, ERROR = "create", "update", "unchanged", "duplicate", "error"
CHUNK = 500
ROW = ""  # the errors key of a problem with the whole row


@dataclass
class Row:
    line: int
    cells: list
    action: str = ""
    errors: dict[str, str] = field(default_factory=dict)  # column name (or ROW) → reason
    data: dict = field(default_factory=dict)  # form data: the columns given (non-blank) in this row
    key: tuple | None = None
    existing: object = None
    instance: object = None  # the validated, not yet saved object
    cleaned: dict | None = None
    changes: dict = field(default_factory=dict)  # column name → (before, after) for display
    many_stored: dict = field(default_factory=dict)  # many-to-many key field → stored ids
    warnings: dict[str, str] = field(default_factory=dict)  # column name (or ROW) → what to confirm


@dataclass
class Outcome:
    table: reading.Table | None = None
    rows: list[Row] = field(default_factory=list)
    file_error: str = ""
    committed: bool = False
    counts: dict = field(default_factory=dict)

    def error_rows(self) -> list[Row]:
        return [r for r in self.rows if r.action == ERROR]


def _nothing(*args, **kwargs):
    return None


def _passthrough(form_field):
    original = form_field.to_python

    def to_python(value):
        if isinstance(value, form_field.queryset.model):
            return value
        return original(value)

    return to_python


def _many_passthrough(form_field):
    original = form_field.clean

    def clean(value):
        if isinstance(value, list) and value and all(isinstance(v, form_field.queryset.model) for v in value):
            return value
        return original(value)

    return clean


def _light(instance, relation_names):
    """Related objects were resolved inside the user's scope and keys checked across file and database:
    spare the model its per-row existence, uniqueness and check-constraint queries (the database still
    enforces all of them on write)."""
    original = instance.clean_fields
    instance.clean_fields = lambda exclude=None: original(exclude=set(exclude or ()) | relation_names)
    instance.validate_constraints = _nothing
    instance.validate_unique = _nothing
    return instance


class FormRunner:
    """Validates rows with the surface's edit form. New rows share one form (its set-up costs more than the
    validation); a changed existing object gets a form of its own, since forms set up per instance."""

    def __init__(self, surface, user):
        self.surface, self.user, self.model = surface, user, surface.model
        self.relations = {f.name for f in self.model._meta.get_fields() if f.is_relation and f.concrete}
        self.shared = self._patched(surface.form(data={}, user=user))

    def _patched(self, form):
        for form_field in form.fields.values():
            if isinstance(form_field, forms.ModelMultipleChoiceField):
                form_field.clean = _many_passthrough(form_field)
            elif isinstance(form_field, forms.ModelChoiceField):
                form_field.to_python = _passthrough(form_field)
        form.validate_unique = _nothing
        return form

    def validate(self, data, existing=None, own_form=False):
        if own_form:
            form = self._patched(self.surface.form(data=data, instance=copy.copy(existing), user=self.user))
        else:
            form = self.shared  # its bound fields read form.data afresh; their cached initial is the blank form's
            form.data = data
            form.is_bound = True
            form._errors = None
            form.instance = copy.copy(existing) if existing is not None else self.model()
        _light(form.instance, self.relations)
        form.is_valid()
        for name in ("clean_fields", "validate_constraints", "validate_unique"):
            form.instance.__dict__.pop(name, None)  # the object goes on as a plain model instance
        return form


def _message(error) -> str:
    return "；".join(str(m) for m in error) if isinstance(error, list) else str(error)


class Importer:
    def __init__(self, surface, user, *, valid_only=False, progress: Callable | None = None,
                 confirm_warnings=False, before_commit: Callable | None = None):
        self.surface, self.user, self.model = surface, user, surface.model
        # Called inside the transaction that writes the rows, last: it may refuse (raise) and so undo them.
        self.before_commit = before_commit or _nothing
        self.confirm_warnings = confirm_warnings
        self.layout = Layout(surface, user)
        self.spec = self.layout.spec
        self.valid_only = valid_only
        self.progress = progress or _nothing
        if self.spec.bulk and any(c.kind == MANY for c in self.layout.columns.values()):
            raise ImproperlyConfigured(f"{self.model.__name__}: a bulk import cannot set many-to-many fields")
        self.may_add = role_may(user, ADD, self.model)
        self.may_change = role_may(user, CHANGE, self.model)

    # ----- reading -------------------------------------------------------------------------------------
    def read(self, data: bytes, filename: str) -> Outcome:
        outcome = Outcome()
        try:
            table = reading.locate_header(reading.read_sheets(data, filename), self.layout)
        except reading.FileError as exc:
            outcome.file_error = str(exc)
            return outcome
        outcome.table = table
        present = set(table.columns.values())
        missing = [self.layout.columns[n].label for n in self.spec.key if n in self.layout.columns and n not in present]
        if missing:
            outcome.file_error = _("The file lacks the column(s) %(columns)s, which identify each row.") % {
                "columns": "、".join(missing)}
            return outcome
        example = self._example_cells(table)
        for line, cells in table.data_rows():
            if all(values.is_blank(c) for c in cells):
                continue
            row = Row(line=line, cells=cells)
            if example is not None and self._is_example(row, table, example):
                continue
            outcome.rows.append(row)
        return outcome

    def _example_cells(self, table):
        return {name: values.key(v) for name, v in self.spec.example.items()} if self.spec.example else None

    def _is_example(self, row, table, example) -> bool:
        first_col, first_name = next(iter(table.columns.items()))
        if first_name in example and first_col < len(row.cells) and (
                values.key(row.cells[first_col]) != example[first_name]):
            return False
        given = {name: values.key(row.cells[col]) for col, name in table.columns.items() if col < len(row.cells)}
        return all(given.get(name, "") == value for name, value in example.items())

    # ----- converting and resolving ------------------------------------------------------------------------
    def convert(self, outcome: Outcome) -> None:
        columns = self.layout.columns
        for row in outcome.rows:
            for col, name in outcome.table.columns.items():
                raw = row.cells[col] if col < len(row.cells) else ""
                if values.is_blank(raw):
                    continue
                column = columns[name]
                try:
                    # Before anything reads the cell: as the edit form, but tabs and line breaks are the
                    # spreadsheet's own (text() joins them).
                    control_characters.refuse(raw)
                    value = column.convert(raw)
                except (ValueError, ValidationError) as exc:
                    row.errors[name] = _message(getattr(exc, "messages", None) or str(exc))
                    continue
                if value in ("", [], None):
                    continue
                row.data[name] = value

    def _ordered_relations(self):
        done, order = set(), []
        pending = [c for c in self.layout.columns.values() if c.kind in (RELATED, MANY)]
        while pending:
            progress = False
            for column in list(pending):
                if column.extra.within is None or column.extra.within in done:
                    order.append(column)
                    done.add(column.name)
                    pending.remove(column)
                    progress = True
            if not progress:
                order.extend(pending)
                break
        return order

    def resolve(self, outcome: Outcome) -> None:
        for column in self._ordered_relations():
            self._resolve_column(column, outcome.rows)

    def _resolve_column(self, column, rows) -> None:
        related = column.field.queryset.model
        match = column.extra.match or ("pk",)
        within = column.extra.within
        parent_attr = None
        if within:
            parent_attr = related._meta.get_field(within).attname
        wanted = defaultdict(set)  # parent pk (or None) → values
        for row in rows:
            if column.name not in row.data:
                continue
            parent = row.data.get(within) if within else None
            if within and not hasattr(parent, "pk"):
                row.data.pop(column.name)
                if within not in row.errors:
                    row.errors[column.name] = _("Give the %(parent)s first.") % {
                        "parent": self.layout.columns[within].label}
                continue
            items = row.data[column.name] if column.kind == MANY else [row.data[column.name]]
            wanted[parent.pk if within else None].update(items)
        found, outside = self._lookup(related, match, parent_attr, wanted)
        for row in rows:
            if column.name not in row.data:
                continue
            parent_pk = row.data[within].pk if within else None
            items = row.data[column.name] if column.kind == MANY else [row.data[column.name]]
            objects, problems = [], []
            for item in items:
                hits = found.get((parent_pk, item))
                if hits and len(hits) == 1:
                    objects.append(hits[0])
                elif hits:
                    problems.append(_("“%(value)s” matches %(count)d records; use the code") %
                                    {"value": item, "count": len(hits)})
                elif (parent_pk, item) in outside:
                    problems.append(_("“%(value)s” is outside the data you manage") % {"value": item})
                else:
                    problems.append(_("no %(kind)s “%(value)s”") % {"kind": related._meta.verbose_name, "value": item})
            if problems:
                row.errors[column.name] = "；".join(problems)
                row.data.pop(column.name)
            else:
                row.data[column.name] = objects if column.kind == MANY else objects[0]

    def _lookup(self, related, match, parent_attr, wanted):
        """{(parent pk, cell value): [objects]} in the user's scope — by the first of ``match`` that finds any
        (a building's code before its name) — and the set of values that name only records out of scope."""
        by_field = [defaultdict(list) for _name in match]
        outside = set()
        manager = related._default_manager
        restricted = hasattr(manager, "for_user")
        scoped = manager.for_user(self.user) if restricted else manager.all()

        def query(base, parent_pk, items):
            condition = Q()
            for name in match:
                condition |= Q(**{f"{name}__in": items})
            found = base.filter(condition)
            return found.filter(**{parent_attr: parent_pk}) if parent_attr else found

        def keys_of(obj, items):
            for position, name in enumerate(match):
                value = obj
                for part in name.split("__"):  # a field of a related record: "enterprise__credit_code"
                    value = getattr(value, part, None)
                for candidate in (value, str(value)):
                    if candidate in items:
                        yield position, candidate
                        break

        for parent_pk, items in wanted.items():
            items = list(items)
            for start in range(0, len(items), CHUNK):
                chunk = set(items[start:start + CHUNK])
                seen = set()
                for obj in query(scoped, parent_pk, chunk):
                    for position, value in keys_of(obj, chunk):
                        by_field[position][(parent_pk, value)].append(obj)
                        seen.add(value)
                missing = chunk - seen
                if missing and restricted:
                    for obj in query(manager.all(), parent_pk, missing):
                        outside.update((parent_pk, value) for _position, value in keys_of(obj, missing))
        found = {}
        for hits in reversed(by_field):  # earlier fields win
            found.update(hits)
        return found, outside

    # ----- natural keys ------------------------------------------------------------------------------------
    def _key_of(self, data) -> tuple | None:
        parts = []
        for name in self.spec.key:
            value = data.get(name)
            if value in (None, "", []):
                return None
            if isinstance(value, list):
                parts.append(frozenset(v.pk for v in value))
            elif hasattr(value, "pk"):
                parts.append(value.pk)
            else:
                parts.append(value)
        return tuple(parts)

    def _stored_key(self, obj, many: dict) -> tuple:
        parts = []
        for name in self.spec.key:
            model_field = self.model._meta.get_field(name)
            if model_field.many_to_many:
                parts.append(frozenset(many.get(obj.pk, ())))
            else:
                parts.append(getattr(obj, model_field.attname))
        return tuple(parts)

    def find_existing(self, outcome: Outcome) -> None:
        for row in outcome.rows:
            row.key = self._key_of(row.data)
        keyed = [r for r in outcome.rows if r.key is not None]
        if not keyed:
            return
        model = self.model
        opts = model._meta
        # Narrow by the key field with the fewest distinct values, then match whole keys in Python.
        plain = [n for n in self.spec.key if not opts.get_field(n).many_to_many]
        index = min(range(len(plain)), key=lambda i: len({r.key[self.spec.key.index(plain[i])] for r in keyed}))
        name = plain[index]
        position = self.spec.key.index(name)
        attname = opts.get_field(name).attname
        distinct = list({r.key[position] for r in keyed})
        related = [c.name for c in self.layout.columns.values()
                   if c.kind == RELATED and self._model_field(c.name) is not None]
        m2m = [n for n in self.spec.key if opts.get_field(n).many_to_many]
        stored, many = {}, defaultdict(set)
        for start in range(0, len(distinct), CHUNK):
            chunk = distinct[start:start + CHUNK]
            objects = list(model._default_manager.filter(**{f"{attname}__in": chunk}).select_related(*related))
            for name_m2m in m2m:
                through = opts.get_field(name_m2m).remote_field.through
                source = opts.get_field(name_m2m).m2m_field_name() + "_id"
                target = opts.get_field(name_m2m).m2m_reverse_field_name() + "_id"
                for source_id, target_id in through.objects.filter(
                        **{f"{source}__in": [o.pk for o in objects]}).values_list(source, target):
                    many[source_id].add(target_id)
            for obj in objects:
                stored[self._stored_key(obj, many)] = obj
        found = [o for o in stored.values()]
        in_scope = set()
        for start in range(0, len(found), CHUNK):
            pks = [o.pk for o in found[start:start + CHUNK]]
            in_scope.update(model._default_manager.for_user(self.user).filter(pk__in=pks).values_list("pk", flat=True))
        for row in keyed:
            obj = stored.get(row.key)
            if obj is None:
                continue
            if obj.pk not in in_scope:
                row.errors[ROW] = _("This %(kind)s exists but is outside the data you manage.") % {
                    "kind": opts.verbose_name}
                continue
            row.existing = obj
            row.many_stored = {n: many.get(obj.pk, set()) for n in m2m}

    # ----- validation ------------------------------------------------------------------------------------------
    def _form_data(self, row) -> dict:
        data = dict(row.data)
        existing = row.existing
        if existing is None:
            for name in self.layout.columns:
                model_field = self._model_field(name)
                if name not in data and model_field is not None and model_field.has_default():
                    data[name] = model_field.get_default()  # as the edit form would start
            return data
        # A blank cell keeps what is stored: an import never erases a value by leaving a cell empty.
        for column in self.layout.columns.values():
            if column.name in data:
                continue
            model_field = self._model_field(column.name)
            if model_field is None:
                continue
            if model_field.many_to_many:
                data[column.name] = list(getattr(existing, column.name).all())
            elif model_field.is_relation:
                data[column.name] = getattr(existing, column.name)
            else:
                data[column.name] = model_field.value_from_object(existing)
        return data

    def _model_field(self, name):
        try:
            return self.model._meta.get_field(name)
        except Exception:
            return None

    def _changes(self, row, instance, cleaned) -> dict:
        changes = {}
        existing = row.existing
        for name in row.data:
            model_field = self._model_field(name)
            if model_field is None:
                continue
            if model_field.many_to_many:
                before = row.many_stored[name] if name in row.many_stored else set(
                    getattr(existing, name).values_list("pk", flat=True))
                after = {o.pk for o in cleaned.get(name, [])}
                if before != after:
                    changes[name] = (sorted(before), sorted(after))
                continue
            before = model_field.value_from_object(existing)
            after = model_field.value_from_object(instance)
            if before != after:
                changes[name] = (before, after)
        return changes

    def validate(self, outcome: Outcome) -> None:
        runner = FormRunner(self.surface, self.user)
        seen: dict[tuple, Row] = {}
        total = len(outcome.rows)
        for number, row in enumerate(outcome.rows, 1):
            if number % 1000 == 0:
                self.progress(number, total)
            if row.key is not None and row.key in seen:
                first = seen[row.key]
                if first.data == row.data:
                    row.action = DUPLICATE
                else:
                    row.errors[ROW] = _("Same %(key)s as row %(line)d but different values.") % {
                        "key": "、".join(self.layout.columns[n].label for n in self.spec.key), "line": first.line}
                    row.action = ERROR
                continue
            if row.key is not None:
                seen[row.key] = row
            if row.errors:
                self._add_form_errors(runner, row)
                row.action = ERROR
                continue
            if row.existing is None and not self.may_add:
                row.errors[ROW] = _("You may not add %(kind)s.") % {"kind": self.model._meta.verbose_name_plural}
                row.action = ERROR
                continue
            data = self._form_data(row)
            form = runner.validate(data, row.existing)
            if row.existing is not None:
                if form.is_valid() and not self._changes(row, form.instance, form.cleaned_data):
                    row.action = UNCHANGED
                    continue
                if not self.may_change:
                    row.errors[ROW] = _("You may not change %(kind)s.") % {"kind": self.model._meta.verbose_name_plural}
                    row.action = ERROR
                    continue
                form = runner.validate(data, row.existing, own_form=True)
            if not form.is_valid():
                for name, messages in form.errors.items():
                    target = name if name in self.layout.columns else ROW
                    row.errors[target] = "；".join(filter(None, [row.errors.get(target, ""), *messages]))
                row.action = ERROR
                continue
            row.instance = form.instance
            row.cleaned = dict(form.cleaned_data)
            if row.existing is None:
                row.action = CREATE
            else:
                row.changes = self._changes(row, form.instance, form.cleaned_data)
                row.action = UPDATE if row.changes else UNCHANGED
        self.progress(total, total)

    def _add_form_errors(self, runner, row) -> None:
        """A row whose cells could not be read is still checked by the form on the cells that could, so that one
        upload reports every error of the row. A column that failed to read keeps its own message; the form's
        complaints about the row as a whole are left out, since they may only follow from the unread cells."""
        if row.existing is None and not self.may_add:
            return
        if row.existing is not None and not self.may_change:
            return
        form = runner.validate(self._form_data(row), row.existing, own_form=row.existing is not None)
        for name, messages in form.errors.items():
            if name in self.layout.columns and name not in row.errors:
                row.errors[name] = "；".join(messages)

    # ----- warnings: allowed, but to be confirmed --------------------------------------------------------------
    def collect_warnings(self, outcome: Outcome) -> None:
        """Ask the surface's ``ImportSpec.warnings`` about the rows that would be written."""
        if self.spec.warnings is None:
            return
        rows = [r for r in outcome.rows if r.action in (CREATE, UPDATE)]
        if not rows:
            return
        for row, name, message in self.spec.warnings(rows, self.user):
            target = name if name in self.layout.columns else ROW
            row.warnings[target] = "；".join(filter(None, [row.warnings.get(target, ""), str(message)]))

    def awaiting_confirmation(self, outcome: Outcome) -> bool:
        """A commit with unconfirmed warnings writes nothing."""
        return not self.confirm_warnings and any(r.warnings for r in outcome.rows if r.action in (CREATE, UPDATE))

    def warning_list(self, outcome: Outcome, limit: int = 200) -> list[dict]:
        """The first rows with warnings, for the batch page: row number, column label, message."""
        label = {name: column.label for name, column in self.layout.columns.items()}
        listed = [r for r in outcome.rows if r.warnings and r.action in (CREATE, UPDATE)][:limit]
        return [{"line": r.line, "warnings": [[label.get(n, ""), m] for n, m in r.warnings.items()]} for r in listed]

    # ----- writing -----------------------------------------------------------------------------------------------
    def write(self, outcome: Outcome) -> None:
        """Inside the caller's transaction."""
        rows = [r for r in outcome.rows if r.action in (CREATE, UPDATE)]
        if self.spec.bulk:
            self._write_bulk(rows)
        else:
            self._write_each(rows)

    def _write_each(self, rows) -> None:
        total = len(rows)
        for number, row in enumerate(rows, 1):
            if number % 200 == 0:
                self.progress(number, total)
            try:
                with transaction.atomic():
                    if row.action == CREATE:
                        self.surface.create(user=self.user, model=self.model, data=dict(row.cleaned))
                    else:
                        self.surface.update(user=self.user, instance=row.existing, data=dict(row.cleaned))
            except ValidationError as exc:
                self._service_error(row, exc)
            except IntegrityError as exc:
                row.errors[ROW] = _("The database refused this row: %(error)s") % {"error": exc}
                row.action = ERROR
        self.progress(total, total)

    def _service_error(self, row, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                target = name if name in self.layout.columns else ROW
                row.errors[target] = "；".join(messages)
        else:
            row.errors[ROW] = "；".join(exc.messages)
        row.action = ERROR

    def _lock_unchanged(self, rows) -> dict:
        """Lock the stored rows that ``rows`` change and return their values; any that another writer changed
        or deleted since they were read for the check stops the whole write (StaleRows): the file was
        validated against values that are no longer there."""
        locked = self.model._default_manager.select_for_update().filter(pk__in=[r.existing.pk for r in rows])
        current = {obj.pk: audit.snapshot(obj, many=False) for obj in locked.order_by("pk")}
        stale = [str(r.existing) for r in rows if current.get(r.existing.pk) != audit.snapshot(r.existing, many=False)]
        if stale:
            raise StaleRows(_("%(count)d record(s) were changed by someone else after the file was checked "
                              "(%(objects)s); check the file again.")
                            % {"count": len(stale), "objects": "、".join(stale[:5])})
        return current

    def _write_bulk(self, rows) -> None:
        model = self.model
        now = timezone.now()
        creates = [r for r in rows if r.action == CREATE]
        updates = [r for r in rows if r.action == UPDATE]
        total, done = len(rows), 0
        for start in range(0, len(creates), 2000):
            chunk = creates[start:start + 2000]
            objects = []
            for row in chunk:
                obj = row.instance
                if self.spec.prepare:
                    for name, value in self.spec.prepare(row.cleaned, None, self.user).items():
                        setattr(obj, name, value)
                if hasattr(obj, "refresh_search_text"):
                    obj.refresh_search_text()
                objects.append(obj)
            model._default_manager.bulk_create(objects)
            # New rows have no many-to-many links yet (a bulk import sets none).
            empty = {f.name: [] for f in model._meta.many_to_many if f.name not in getattr(model, "audit_exclude", ())}
            audit.record_changes_bulk(model=model, user=self.user, rows=[
                (ChangeAction.CREATE, o.pk, str(o), None, {**audit.snapshot(o, many=False), **empty})
                for o in objects])
            done += len(chunk)
            self.progress(done, total)
        changed_later = []
        updates.sort(key=lambda r: r.existing.pk)  # rows are locked in id order, chunk after chunk
        for start in range(0, len(updates), 2000):
            chunk = updates[start:start + 2000]
            stored = self._lock_unchanged(chunk)
            objects, records, names = [], [], {"last_updated"}
            for row in chunk:
                obj = row.instance
                before = stored[row.existing.pk]
                if self.spec.prepare:
                    for name, value in self.spec.prepare(row.cleaned, row.existing, self.user).items():
                        setattr(obj, name, value)
                if hasattr(obj, "refresh_search_text"):
                    obj.refresh_search_text()
                    names.add("search_text")
                obj.last_updated = now
                after = audit.snapshot(obj, many=False)
                names.update(k for k in after if after[k] != before.get(k))
                objects.append(obj)
                records.append((ChangeAction.UPDATE, obj.pk, str(obj), before, after))
                if self.spec.on_changed:
                    changed_later.append((obj, set(row.changes)))
            concrete = {f.name for f in model._meta.concrete_fields}
            model._default_manager.bulk_update(objects, sorted(n for n in names if n in concrete))
            audit.record_changes_bulk(model=model, user=self.user, rows=records)
            done += len(chunk)
            self.progress(done, total)
        for obj, changed in changed_later:
            self.spec.on_changed(obj, changed, self.user)
        counting.data_changed()  # bulk writes send no signals

    # ----- the whole run -----------------------------------------------------------------------------------
    def run(self, data: bytes, filename: str, *, commit: bool) -> Outcome:
        outcome = self.read(data, filename)
        if outcome.file_error:
            return outcome
        self.convert(outcome)
        self.resolve(outcome)
        self.find_existing(outcome)
        self.validate(outcome)
        self.collect_warnings(outcome)
        commit = commit and not self.awaiting_confirmation(outcome)
        has_errors = any(r.action == ERROR for r in outcome.rows)
        if self.spec.bulk:
            if commit and (not has_errors or self.valid_only):
                with transaction.atomic():
                    self.write(outcome)
                    self.before_commit()
                outcome.committed = True
        else:
            # Services decide the rest (overlapping leases, …): the preview runs them and rolls back.
            with transaction.atomic():
                self.write(outcome)
                has_errors = any(r.action == ERROR for r in outcome.rows)
                if not commit or (has_errors and not self.valid_only):
                    transaction.set_rollback(True)
                else:
                    self.before_commit()
                    outcome.committed = True
        outcome.counts = self.counts(outcome)
        return outcome

    @staticmethod
    def counts(outcome: Outcome) -> dict:
        result = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, DUPLICATE: 0, ERROR: 0}
        for row in outcome.rows:
            result[row.action] = result.get(row.action, 0) + 1
        result["total"] = len(outcome.rows)
        warned = sum(1 for r in outcome.rows if r.warnings and r.action in (CREATE, UPDATE))
        if warned:
            result["warning"] = warned
        return result
