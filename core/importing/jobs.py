"""Import batches: upload, check (the preview), commit, roll back. The web pages, the background worker and
``manage.py import_data`` all call these."""

import contextlib
import datetime
import os
import pickle
import uuid as uuid_module
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import audit, counting
from ..choices import ChangeAction, ImportStatus, Role
from ..context import end_request, start_request
from ..models import UNRESTRICTED_ROLES, ImportBatch, ObjectChange
from ..permissions import ADD, CHANGE, role_may
from ..personal import mask_field
from ..surfaces import surface_for
from . import workbooks
from .engine import CREATE, ERROR, UPDATE, Importer, Outcome, StaleRows

CHECKED = audit.register_event("core.import.check", gettext_lazy("Import file checked"))
COMMITTED = audit.register_event("core.import.commit", gettext_lazy("Import committed"))
ROLLED_BACK = audit.register_event("core.import.rollback", gettext_lazy("Import rolled back"))
PRUNED = audit.register_event("core.import.prune", gettext_lazy("Old import files removed"))

SHOWN_ERRORS = 200
SHOWN_SAMPLES = 100


def may_import(user, surface) -> bool:
    return bool(surface is not None and surface.importer is not None and user.is_authenticated
                and (role_may(user, ADD, surface.model) or role_may(user, CHANGE, surface.model)))


def may_see_imports(user) -> bool:
    """Import history is for the bureau and the operators; an enterprise user imports nothing."""
    return user.is_authenticated and user.role != Role.ENTERPRISE


def batches_for(user):
    """Officers, leaders and the administrator see every batch; others their own."""
    batches = ImportBatch.objects.select_related("user", "content_type")
    if user.role in UNRESTRICTED_ROLES:
        return batches
    return batches.filter(user=user)


def may_act(user, batch) -> bool:
    """Who may commit a batch: whoever uploaded it, and the administrator."""
    return batch.user_id == user.pk or user.role == Role.BUREAU_ADMIN


def request_commit(batch, *, user, valid_only: bool | None = None, confirm_warnings: bool = False) -> bool:
    """The user confirms the preview (choosing, perhaps, the valid rows only, and confirming its warnings);
    False if the batch cannot be committed as it stands."""
    if not may_act(user, batch):
        raise PermissionDenied
    if valid_only is not None and valid_only != batch.valid_only:
        _set(batch, valid_only=valid_only)
    if confirm_warnings and not batch.warnings_confirmed:
        _set(batch, warnings_confirmed=True)
    if batch.count("warning") and not batch.warnings_confirmed:
        return False
    return may_commit(batch)


def surface_of(batch: ImportBatch):
    return surface_for(batch.content_type.model_class())


# ----- progress, shared between the worker and the web processes --------------------------------------------
def _progress_key(batch) -> str:
    return f"import-progress:{batch.uuid}"


def progress_of(batch) -> dict:
    return caches["progress"].get(_progress_key(batch)) or {"done": 0, "total": 0}


def _reporter(batch, phase):
    cache = caches["progress"]

    def report(done, total):
        cache.set(_progress_key(batch), {"phase": phase, "done": done, "total": total}, 3600)

    return report


# ----- the steps ----------------------------------------------------------------------------------------------
def batch_create(*, user, surface, filename: str, content: bytes, valid_only=False) -> ImportBatch:
    if not may_import(user, surface):
        raise PermissionDenied
    batch = ImportBatch(user=user, content_type=ContentType.objects.get_for_model(surface.model),
                        filename=os.path.basename(filename)[:200], valid_only=valid_only)
    batch.file.save(filename, ContentFile(content), save=False)
    batch.save()
    return batch


def mark(batch, **fields) -> None:
    """Set fields of a batch at once, outside any transaction of the import (its page polls them)."""
    _set(batch, **fields)


def _set(batch, **fields):
    for name, value in fields.items():
        setattr(batch, name, value)
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)


def _display(value):
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, set, tuple)):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def _shown(column, value):
    """A value as the preview shows it: choice labels, not codes."""
    if column is not None and column.choices:
        return dict(column.choices).get(str(value), _display(value))
    return _display(value)


def _previewed(model, name, column, value):
    """A value as the preview shows it, personal data masked as on every other page (core.personal)."""
    masked = mask_field(model, name, value) if value not in (None, "") else None
    return _shown(column, value) if masked is None else masked


def _record(batch, outcome: Outcome, importer: Importer) -> None:
    layout = importer.layout
    columns = layout.columns
    label = {name: column.label for name, column in columns.items()}
    model = importer.model
    errors, samples = [], []
    for row in outcome.rows:
        if row.action == ERROR and len(errors) < SHOWN_ERRORS:
            errors.append({"line": row.line, "errors": [[label.get(n, ""), m] for n, m in row.errors.items()]})
        elif row.action in (CREATE, UPDATE) and len(samples) < SHOWN_SAMPLES:
            if row.action == CREATE:
                shown = [[label[n], "", _previewed(model, n, columns[n],
                                                   row.cleaned.get(n) if n in row.cleaned else row.data.get(n))]
                         for n in columns if n in row.data and n not in importer.spec.key]
            else:
                shown = [[label.get(n, n), _previewed(model, n, columns.get(n), before),
                          _previewed(model, n, columns.get(n), after)]
                         for n, (before, after) in row.changes.items()]
            key = " · ".join(_previewed(model, n, columns.get(n), getattr(row.data.get(n), "label", row.data.get(n)))
                             for n in importer.spec.key)
            samples.append({"line": row.line, "action": row.action, "key": key, "fields": shown})
    fields = {"counts": outcome.counts, "errors": errors, "samples": samples,
              "ignored_columns": outcome.table.ignored if outcome.table else []}
    bad = outcome.error_rows()
    if bad:
        name = f"imports/errors/{timezone.now():%Y/%m}/{batch.uuid}-errors.xlsx"
        path = os.path.join(settings.MEDIA_ROOT, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        workbooks.error_workbook(outcome.table, bad, layout, path)
        fields["error_file"] = name
    else:
        fields["error_file"] = ""
    fields["warnings"] = importer.warning_list(outcome)
    _set(batch, **fields)


# ----- a check's result, kept for its commit ----------------------------------------------------------------
# Validating 100,000 rows costs seconds; when nothing has been written anywhere since the check began,
# the commit writes the rows the check validated instead of validating them again. Any change in between
# (the change-record id moved on) and the commit checks the whole file again.
def _checked_path(batch) -> str:
    return os.path.join(settings.MEDIA_ROOT, "imports", "checked", f"{batch.uuid}.pickle")


def _latest_change() -> tuple:
    """Where the data stand: the last change record, and the data version that every save (audited or not:
    `generate`, `load_demo`) moves on (core/counting.py)."""
    return (ObjectChange.objects.order_by("-id").values_list("id", flat=True).first() or 0,
            counting.data_version())


def _keep_checked(batch, outcome: Outcome, mark: int) -> None:
    path = _checked_path(batch)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    rows = [r for r in outcome.rows if r.action in (CREATE, UPDATE)]
    for row in rows:  # what the write needs: the validated object, its cleaned data, the stored one
        row.cells, row.data, row.key = [], {}, None
    with open(path, "wb") as handle:
        pickle.dump({"mark": mark, "user": batch.user_id, "rows": rows, "counts": outcome.counts}, handle,
                    protocol=pickle.HIGHEST_PROTOCOL)


def _drop_checked(batch) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(_checked_path(batch))


def _commit_checked(batch) -> bool:
    """Write what the check validated, if the data are as the check saw them; False when they may not be."""
    path = _checked_path(batch)
    surface = surface_of(batch)
    if not surface.importer.bulk or not os.path.exists(path):
        return False
    with open(path, "rb") as handle:
        kept = pickle.load(handle)
    if kept["user"] != batch.user_id or (kept["counts"].get(ERROR) and not batch.valid_only):
        return False
    if kept["counts"].get("warning") and not batch.warnings_confirmed:
        return False
    importer = Importer(surface, batch.user, valid_only=batch.valid_only, progress=_reporter(batch, "commit"))
    token = start_request(str(batch.uuid), batch_id=batch.pk)
    try:
        with transaction.atomic():
            if _latest_change() != kept["mark"]:
                return False
            # The mark only says nothing was written before this transaction began; the write itself locks
            # the rows it changes and finds any changed since the check (StaleRows): then it checks again.
            importer.write(Outcome(rows=kept["rows"]))
    except StaleRows:
        return False
    finally:
        end_request(token)
    return True


def _run(batch, *, commit: bool) -> Outcome:
    surface = surface_of(batch)
    importer = Importer(surface, batch.user, valid_only=batch.valid_only,
                        progress=_reporter(batch, "commit" if commit else "check"),
                        confirm_warnings=batch.warnings_confirmed)
    with batch.file.open("rb") as handle:
        content = handle.read()
    token = start_request(str(batch.uuid), batch_id=batch.pk)
    try:
        return importer.run(content, batch.filename, commit=commit), importer
    finally:
        end_request(token)


def batch_check(batch: ImportBatch) -> ImportBatch:
    """The preview: every row read, resolved and validated; nothing is kept."""
    _set(batch, status=ImportStatus.CHECKING)
    mark = _latest_change()
    try:
        outcome, importer = _run(batch, commit=False)
    except DatabaseError as exc:
        _set(batch, status=ImportStatus.FAILED, message=str(exc)[:2000])
        return batch
    if outcome.file_error:
        _set(batch, status=ImportStatus.REFUSED, message=outcome.file_error, checked_at=timezone.now())
        return batch
    _record(batch, outcome, importer)
    if importer.spec.bulk:
        _keep_checked(batch, outcome, mark)
    _set(batch, status=ImportStatus.CHECKED, checked_at=timezone.now(), message="")
    audit.record_event(CHECKED, user=batch.user, data={"batch": str(batch.uuid), "file": batch.filename,
                                                       **outcome.counts})
    return batch


def may_commit(batch) -> bool:
    if batch.status != ImportStatus.CHECKED or not batch.file:
        return False
    writes = batch.count(CREATE) + batch.count(UPDATE)
    return writes > 0 and (batch.count(ERROR) == 0 or batch.valid_only)


def may_commit_valid_only(user, batch) -> bool:
    """The other choice a checked file with errors offers: import its valid rows, leave the rest."""
    return (may_act(user, batch) and batch.status == ImportStatus.CHECKED and bool(batch.file)
            and batch.count(ERROR) > 0 and not batch.valid_only and batch.count(CREATE) + batch.count(UPDATE) > 0)


def may_roll_back(user, batch) -> bool:
    """Only the administrator undoes an import, and only one that was imported (rollback_blockers says
    whether anything since stands in the way)."""
    return user.role == Role.BUREAU_ADMIN and batch.status == ImportStatus.COMMITTED


def commit_claim(batch: ImportBatch) -> bool:
    """Take the batch for one commit: a single atomic update from waiting or checked to 导入中, which only one of
    two clicks (two workers, a click and a command) can make. False when another commit has it, or had it."""
    claimed = (ImportBatch.objects.filter(pk=batch.pk, status__in=(ImportStatus.PENDING, ImportStatus.CHECKED))
               .exclude(file="").update(status=ImportStatus.COMMITTING))
    if claimed:
        batch.status = ImportStatus.COMMITTING
    return bool(claimed)


def batch_commit(batch: ImportBatch, *, valid_only: bool | None = None, claimed: bool = False) -> ImportBatch:
    """Write the file (checked again: the data may have changed since the preview). With errors nothing is
    written, unless the batch imports the valid rows only. A batch is committed once: a second commit started
    at the same moment finds it taken (commit_claim) and leaves it; ``claimed`` when the caller took it."""
    if valid_only is not None and valid_only != batch.valid_only:
        _set(batch, valid_only=valid_only)
    if not claimed and not commit_claim(batch):
        batch.refresh_from_db()
        return batch
    try:
        if batch.checked_at and _commit_checked(batch):
            _drop_checked(batch)
            return _committed(batch, batch.counts)
        try:
            outcome, importer = _run(batch, commit=True)
        except StaleRows:  # rows changed between this run's own check and its write: once more, from the file
            outcome, importer = _run(batch, commit=True)
    except IntegrityError:
        _set(batch, status=ImportStatus.FAILED, message=_(
            "Nothing was imported: changes saved by someone else while it was being imported conflict with "
            "this file (a code taken, a record deleted). Upload the file again to check it against the data."))
        return batch
    except ValidationError as exc:
        _set(batch, status=ImportStatus.FAILED,
             message=_("Nothing was imported: %(error)s") % {"error": "；".join(exc.messages)})
        return batch
    except DatabaseError as exc:
        _set(batch, status=ImportStatus.FAILED, message=_("Nothing was imported: %(error)s") % {"error": exc})
        return batch
    finally:
        _drop_checked(batch)
    if outcome.file_error:
        _set(batch, status=ImportStatus.REFUSED, message=outcome.file_error)
        return batch
    _record(batch, outcome, importer)
    if outcome.committed:
        _committed(batch, outcome.counts)
    elif importer.awaiting_confirmation(outcome) and (batch.valid_only or not outcome.counts.get(ERROR)):
        # Only the confirmation is missing (the data changed since the preview): the batch stays checked.
        _set(batch, status=ImportStatus.CHECKED, message=_(
            "Nothing was imported: %(count)d row(s) have warnings to confirm.") % {"count": outcome.counts["warning"]})
    else:
        _set(batch, status=ImportStatus.REFUSED,
             message=_("Nothing was imported: %(count)d row(s) have errors.") % {"count": outcome.counts.get(ERROR, 0)})
    return batch


def _committed(batch, counts) -> ImportBatch:
    _set(batch, status=ImportStatus.COMMITTED, committed_at=timezone.now(), message="")
    token = start_request(str(batch.uuid), batch_id=batch.pk)
    try:
        audit.record_event(COMMITTED, user=batch.user, data={"batch": str(batch.uuid), "file": batch.filename,
                                                             **counts, **_confirmed_warnings(batch)})
    finally:
        end_request(token)
    return batch


def _confirmed_warnings(batch) -> dict:
    """What the uploader confirmed, for the commit's audit event."""
    if not batch.warnings:
        return {}
    return {"warnings_confirmed": batch.warnings_confirmed, "warnings": batch.warnings}


# ----- rolling back ------------------------------------------------------------------------------------------
def changes_of(batch):
    """The change records the batch wrote, by their batch reference (never by request id)."""
    return ObjectChange.objects.filter(batch_id=batch.pk).select_related("content_type")


def rollback_blockers(batch) -> list[str]:
    """Why the batch cannot be rolled back (empty: it can)."""
    if batch.status != ImportStatus.COMMITTED:
        return [_("Only an imported batch can be rolled back.")]
    own = changes_of(batch)
    touched = set(own.values_list("content_type_id", "object_id"))
    if not touched:
        return []
    first = own.order_by("id").values_list("id", flat=True).first()
    later = (ObjectChange.objects.filter(id__gt=first).exclude(batch_id=batch.pk)
             .values_list("content_type_id", "object_id", "object_repr", "time"))
    blockers = []
    for content_type_id, object_id, object_repr, time in later.iterator():
        if (content_type_id, object_id) in touched:
            blockers.append(_("%(object)s was changed after the import (%(time)s).")
                            % {"object": object_repr, "time": timezone.localtime(time).strftime("%Y-%m-%d %H:%M")})
            if len(blockers) >= 10:
                break
    return blockers


def _restore(instance, data: dict) -> None:
    for name, value in data.items():
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            continue
        setattr(instance, model_field.attname, model_field.to_python(value) if value is not None else None)


def _lock_touched(batch) -> None:
    """Lock the rows the batch changed, model by model and in id order, before looking for later changes: a
    commit or an edit of one of them either came first (and stands in the way) or waits until the rollback
    is over and then finds the row as the rollback left it."""
    touched: dict[int, list[int]] = {}
    for content_type_id, object_id in changes_of(batch).values_list("content_type_id", "object_id"):
        touched.setdefault(content_type_id, []).append(int(object_id))
    for content_type_id in sorted(touched):
        manager = ContentType.objects.get_for_id(content_type_id).model_class()._default_manager
        ids = sorted(set(touched[content_type_id]))
        for start in range(0, len(ids), 2000):
            list(manager.select_for_update().filter(pk__in=ids[start:start + 2000]).order_by("pk")
                 .values_list("pk", flat=True))


@transaction.atomic
def batch_rollback(batch: ImportBatch, *, user) -> int:
    """Undo a batch nothing else has changed since: created rows are deleted, changed ones get their earlier
    values back. The undoing is audited too (under its own request id)."""
    if user.role != Role.BUREAU_ADMIN:  # may_roll_back's role part; its status part is the first blocker
        raise PermissionDenied
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _lock_touched(batch)
    blockers = rollback_blockers(batch)
    if blockers:
        raise ValidationError(blockers)
    undone = 0
    token = start_request(str(uuid_module.uuid4()))
    try:
        changes = list(changes_of(batch).order_by("-id"))
        by_model: dict = {}
        for change in changes:
            by_model.setdefault(change.content_type.model_class(), []).append(change)
        for model, model_changes in by_model.items():
            objects = model._default_manager.in_bulk([int(c.object_id) for c in model_changes])
            for change in model_changes:
                obj = objects.get(int(change.object_id))
                if obj is None:
                    continue
                before = audit.snapshot(obj)
                if change.action == ChangeAction.CREATE:
                    try:
                        with transaction.atomic():
                            obj.delete()
                    except (ProtectedError, RestrictedError) as exc:
                        raise ValidationError(_("%(object)s is now used by other records and cannot be removed.")
                                              % {"object": obj}) from exc
                    obj.pk = int(change.object_id)
                    audit.record_change(instance=obj, action=ChangeAction.DELETE, user=user, before=before, after=None)
                elif change.action == ChangeAction.UPDATE:
                    _restore(obj, change.data_before or {})
                    if hasattr(obj, "refresh_search_text"):
                        obj.refresh_search_text()
                    obj.save()
                    for name, ids in (change.data_before or {}).items():
                        if obj._meta.get_field(name).many_to_many:
                            getattr(obj, name).set(ids)
                    audit.record_change(instance=obj, action=ChangeAction.UPDATE, user=user, before=before,
                                        after=audit.snapshot(obj))
                undone += 1
        _set(batch, status=ImportStatus.ROLLED_BACK, rolled_back_at=timezone.now(), rolled_back_by=user)
        audit.record_event(ROLLED_BACK, user=user, data={"batch": str(batch.uuid), "file": batch.filename,
                                                         "undone": undone})
    finally:
        end_request(token)
    return undone


# ----- keeping the files within bounds ------------------------------------------------------------------------
def batches_prune(*, days: int, user=None, now: datetime.datetime | None = None) -> dict:
    """Remove the uploaded file, the error workbook and the kept check of every batch uploaded more than
    ``days`` days ago and not running. The batch stays in the history with its counts, and its change
    records still name it; a checked batch whose file is gone can no longer be committed."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    old = (ImportBatch.objects.filter(created__lt=cutoff)
           .exclude(status__in=(ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.COMMITTING))
           .exclude(file="", error_file=""))
    batches = freed = 0
    running = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.COMMITTING)
    for batch in old.iterator():
        # One atomic update, against commit_claim's: a commit that took the batch meanwhile keeps its file.
        if not ImportBatch.objects.filter(pk=batch.pk).exclude(status__in=running).update(file="", error_file=""):
            continue
        for stored in (batch.file, batch.error_file):
            if stored:
                with contextlib.suppress(OSError):
                    freed += stored.size
                stored.delete(save=False)
        _drop_checked(batch)
        batches += 1
    if batches:
        audit.record_event(PRUNED, user=user, data={"batches": batches, "bytes": freed, "days": days})
    return {"batches": batches, "bytes": freed}
