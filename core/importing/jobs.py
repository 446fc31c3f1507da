"""Import batches: upload, check (the preview), commit, roll back. The web pages, the background worker and
``manage.py import_data`` all call these."""

import contextlib
import datetime
import logging
import os
import pickle
import threading
import uuid as uuid_module
from decimal import Decimal
from typing import NamedTuple

from django import forms
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

from core import actions, audit
from core.access.permissions import ADD, CHANGE, role_may
from core.access.personal import mask_field
from core.actions import Refused, action
from core.importing import reading, workbooks
from core.importing.engine import CREATE, ERROR, UPDATE, Importer, Outcome, StaleRows
from core.models import ImportBatch, ObjectChange
from core.reference.choices import IMPORT_RUNNING, ChangeAction, ImportStatus, Role, yes_no
from core.runtime.context import end_request, start_request
from core.surfaces import counting, navigation, surface_for
from core.surfaces.forms import ActionForm

CHECKED = audit.register_event("core.import.check", gettext_lazy("Import file checked"))
COMMITTED = audit.register_event("core.import.commit", gettext_lazy("Import committed"))
PRUNED = audit.register_event("core.import.prune", gettext_lazy("Old import files removed"))
FAILED = audit.register_event("core.import.fail", gettext_lazy("Import failed"))
RETRIED = audit.register_event("core.import.retry", gettext_lazy("Import file checked again"))
DISCARDED = audit.register_event("core.import.discard", gettext_lazy("Import discarded"))

logger = logging.getLogger(__name__)

SHOWN_ERRORS = 200
SHOWN_SAMPLES = 100


def may_import(user, surface) -> bool:
    return bool(surface is not None and surface.importer is not None and user.is_authenticated
                and (role_may(user, ADD, surface.model) or role_may(user, CHANGE, surface.model)))


def may_see_imports(user) -> bool:
    """Import history is for the bureau and the operators; an enterprise user imports nothing."""
    return user.is_authenticated and user.role != Role.ENTERPRISE


def batches_for(user):
    """Officers, leaders and the administrator see every batch; others their own (ImportBatch.objects.for_user)."""
    return ImportBatch.objects.for_user(user).select_related("user", "content_type")


def may_act(user, batch) -> bool:
    """Who may commit a batch: whoever uploaded it, and the administrator."""
    return batch.user_id == user.pk or user.role == Role.BUREAU_ADMIN


# A batch's own actions (core.actions) are offered at /imports/<pk>/<verb>/ and /api/core/imports/{pk}/<verb>.
actions.place(ImportBatch, slug="imports", url_prefix="import", list_url_name="import_list")
# Who may import at all; which batch is each one's is the condition (may_act).
IMPORTERS = [Role.BUREAU_ADMIN, Role.BUREAU_OFFICER, Role.PARK_OPERATOR, Role.ENTERPRISE]


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
    """Progress for the page; past the run's time limit, the run stops here (TimeUp, its writes undone)."""
    cache = caches["progress"]
    deadline = _deadline(batch)

    def report(done, total):
        if timezone.now() > deadline:
            raise TimeUp(_took_too_long(batch))
        cache.set(_progress_key(batch), {"phase": phase, "done": done, "total": total}, 3600)

    return report


# ----- runs: which check or commit works on a batch, and whether it is still alive ----------------------------
# Each check or commit of a batch is a run with an id of its own (ImportBatch.run), given to its queued task.
# A run writes to its batch only while the batch is still its own (_own); the rows of a commit and the status
# 已导入 are written in one transaction that first makes sure of that (_claim). While it works, a run touches a
# file of its own every quarter of YUANQU_IMPORT_STALE_SECONDS (_alive); the warden (batch_fail_if_stale: the
# worker, every batch page and the import list call it) fails a run silent for that long, whose process must
# have died, and a run or a wait for the worker longer than YUANQU_IMPORT_TIME_LIMIT_MINUTES.
class RunOver(Exception):
    """The batch is no longer this run's (the warden failed it, or it was checked again or discarded)."""


class TimeUp(RunOver):
    """The run went past its time limit; the message says so."""


def _deadline(batch) -> datetime.datetime:
    return (batch.started or timezone.now()) + datetime.timedelta(minutes=settings.YUANQU_IMPORT_TIME_LIMIT_MINUTES)


def _took_too_long(batch) -> str:
    minutes = settings.YUANQU_IMPORT_TIME_LIMIT_MINUTES
    if batch.status == ImportStatus.COMMITTING:
        return _("The import took longer than %(minutes)s minutes and was stopped; nothing was imported. Split the "
                 "file into smaller ones, or try again.") % {"minutes": minutes}
    return _("The check took longer than %(minutes)s minutes and was stopped; nothing was imported. Split the file "
             "into smaller ones, or check it again.") % {"minutes": minutes}


def _begin(batch, status) -> None:
    """A new run of the batch, in ``status`` (waiting for the worker, or starting at once)."""
    _set(batch, status=status, run=uuid_module.uuid4(), started=timezone.now(), message="")


COMMITTABLE = (ImportStatus.PENDING, ImportStatus.CHECKED)


def commit_claim(batch) -> bool:
    """Take the batch for one commit: a single atomic update from waiting or checked to 导入中 with a new run,
    which only one of two clicks (two workers, a click and a command) can make. False when another commit has
    it, or had it."""
    fields = {"status": ImportStatus.COMMITTING, "run": uuid_module.uuid4(), "started": timezone.now(),
              "message": ""}
    if not ImportBatch.objects.filter(pk=batch.pk, status__in=COMMITTABLE).exclude(file="").update(**fields):
        return False
    for name, value in fields.items():
        setattr(batch, name, value)
    return True


def _own(batch, **fields) -> None:
    """Set fields of the batch for the run working on it; RunOver if the batch is no longer that run's."""
    mine = ImportBatch.objects.filter(pk=batch.pk, run=batch.run).exclude(
        status__in=(ImportStatus.FAILED, ImportStatus.DISCARDED))
    if not mine.update(**fields):
        raise RunOver
    for name, value in fields.items():
        setattr(batch, name, value)


def _claim(batch) -> None:
    """Last in the transaction that writes a batch's rows: the batch must still be this run's, or the rows are
    undone; it becomes 已导入 in the same transaction, so that rows and status stand or fall together (the warden
    waits for the lock, then finds it imported)."""
    mine = ImportBatch.objects.select_for_update().filter(pk=batch.pk, run=batch.run,
                                                          status=ImportStatus.COMMITTING)
    if not list(mine.values_list("pk", flat=True)):
        raise RunOver
    _set(batch, status=ImportStatus.COMMITTED, committed_at=timezone.now(), message="")


def _alive_path(batch) -> str:
    return os.path.join(settings.MEDIA_ROOT, "imports", "running", str(batch.run))


def _last_sign_of_life(batch) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromtimestamp(os.path.getmtime(_alive_path(batch)), tz=datetime.UTC)
    except OSError:
        return None


@contextlib.contextmanager
def _alive(batch):
    """While the run works, a thread of its own touches its file (a long read or write does not hold it up);
    the file goes when the run ends. MEDIA_ROOT is shared by the web processes and the worker."""
    path = _alive_path(batch)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(f"{os.getpid()}\n")
    stop = threading.Event()
    interval = max(settings.YUANQU_IMPORT_STALE_SECONDS / 4, 0.2)

    def beat():
        while not stop.wait(interval):
            with contextlib.suppress(OSError):
                os.utime(path)

    thread = threading.Thread(target=beat, name=f"import-{batch.pk}-alive", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        with contextlib.suppress(OSError):
            os.remove(path)


def _fail(batch, message: str) -> None:
    """The run ends its batch as 失败 with the reason (if the batch is still its own)."""
    try:
        _own(batch, status=ImportStatus.FAILED, message=message[:2000])
    except RunOver:
        return
    audit.record_event(FAILED, user=None, data={"batch": str(batch.uuid), "file": batch.filename, "reason": message})


@contextlib.contextmanager
def _working(batch, status):
    """A run at work on its batch: alive, in ``status``; what stops it ends the batch as 失败 with its reason,
    never leaves it 检查中 or 导入中."""
    checking = status == ImportStatus.CHECKING
    with _alive(batch):
        try:
            _own(batch, status=status)
            yield
        except TimeUp as exc:
            _fail(batch, str(exc))
        except RunOver:
            pass  # the batch has moved on without this run
        except DatabaseError as exc:
            _fail(batch, (_("The check stopped on a database error: %(error)s") if checking else
                          _("Nothing was imported: %(error)s")) % {"error": exc})
        except Exception as exc:
            logger.exception("import batch %s: the run stopped", batch.pk)
            _fail(batch, (_("The check stopped on an error (%(error)s); nothing was imported. Check the file again "
                            "or discard the batch.") if checking else
                          _("The import stopped on an error (%(error)s); nothing was imported. Try again or discard "
                            "the batch.")) % {"error": f"{type(exc).__name__}: {exc}"[:300]})
        except BaseException:
            _fail(batch, _("The worker was stopped during the check; nothing was imported. Check the file again or "
                           "discard the batch.") if checking else
                  _("The worker was stopped during the import; nothing was imported. Try again or discard the "
                    "batch."))
            raise


def _start(batch, run, *, queued, status) -> bool:
    """Whether to work on the batch: a queued task (``run`` given) only if the batch still waits for that run;
    a direct call (the page for a small file, ``import_data``) starts a run of its own; a commit only if it takes
    the batch (commit_claim)."""
    if run is None:
        if status == ImportStatus.COMMITTING:
            if not commit_claim(batch):
                batch.refresh_from_db()
                return False
            return True
        _begin(batch, status)
        return True
    return str(batch.run) == str(run) and batch.status == queued


# ----- the steps ----------------------------------------------------------------------------------------------
def batch_create(*, user, surface, filename: str, content: bytes, valid_only=False) -> ImportBatch:
    """Store an upload as a batch to check. A file of a type that cannot be measured, or whose zip is not an
    ordinary workbook's, is refused here (``ValidationError`` on ``file``); the rest is measured when read."""
    if not may_import(user, surface):
        raise PermissionDenied
    try:
        reading.screen(content, filename)
    except reading.FileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    batch = ImportBatch(user=user, content_type=ContentType.objects.get_for_model(surface.model),
                        filename=os.path.basename(filename)[:200], valid_only=valid_only,
                        run=uuid_module.uuid4(), started=timezone.now())
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
        return yes_no(value)
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
    """A value as the preview shows it, personal data masked as on every other page (core.access.personal)."""
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
    _own(batch, **fields)


# ----- a check's result, kept for its commit ----------------------------------------------------------------
# Validating 100,000 rows costs seconds; when nothing has been written anywhere since the check began,
# the commit writes the rows the check validated instead of validating them again. Any change in between
# (the change-record id moved on) and the commit checks the whole file again.
def _checked_path(batch) -> str:
    return os.path.join(settings.MEDIA_ROOT, "imports", "checked", f"{batch.uuid}.pickle")


def _latest_change() -> tuple:
    """Where the data stand: the last change record, and the data version that every save (audited or not:
    `generate`, `load_demo`) moves on (core/surfaces/counting.py)."""
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
            _claim(batch)
    except StaleRows:
        return False
    finally:
        end_request(token)
    return True


def _run(batch, *, commit: bool) -> Outcome:
    surface = surface_of(batch)
    importer = Importer(surface, batch.user, valid_only=batch.valid_only,
                        progress=_reporter(batch, "commit" if commit else "check"),
                        confirm_warnings=batch.warnings_confirmed,
                        before_commit=(lambda: _claim(batch)) if commit else None)
    with batch.file.open("rb") as handle:
        content = handle.read()
    token = start_request(str(batch.uuid), batch_id=batch.pk)
    try:
        return importer.run(content, batch.filename, commit=commit), importer
    finally:
        end_request(token)


def batch_check(batch: ImportBatch, *, run=None) -> ImportBatch:
    """The preview: every row read, resolved and validated; nothing is kept. ``run``: that of a queued task."""
    if not _start(batch, run, queued=ImportStatus.PENDING, status=ImportStatus.CHECKING):
        return batch
    with _working(batch, ImportStatus.CHECKING):
        mark = _latest_change()
        outcome, importer = _run(batch, commit=False)
        if outcome.file_error:
            _own(batch, status=ImportStatus.REFUSED, message=outcome.file_error, checked_at=timezone.now())
            return batch
        _record(batch, outcome, importer)
        if importer.spec.bulk:
            _keep_checked(batch, outcome, mark)
        _own(batch, status=ImportStatus.CHECKED, checked_at=timezone.now(), message="")
        audit.record_event(CHECKED, user=batch.user, data={"batch": str(batch.uuid), "file": batch.filename,
                                                           **outcome.counts})
    return batch


def may_commit(batch) -> bool:
    if batch.status != ImportStatus.CHECKED or not batch.file:
        return False
    writes = batch.count(CREATE) + batch.count(UPDATE)
    return writes > 0 and (batch.count(ERROR) == 0 or batch.valid_only)


def offers_valid_only(batch) -> bool:
    """The other choice a checked file with errors offers: import its valid rows, leave the rest."""
    return batch.count(ERROR) > 0 and not batch.valid_only


class CommitForm(ActionForm):
    """The choices a commit takes: the valid rows only (when the file has errors and that was not chosen at
    upload), and the confirmation of rows with warnings (when it has some)."""

    valid_only = forms.BooleanField(
        label=gettext_lazy("Import the valid rows only"), required=False,
        help_text=gettext_lazy("The rows with errors are left out; they stay in the error workbook."))
    confirm_warnings = forms.BooleanField(
        label=gettext_lazy("I have checked the rows with warnings: import them as they are"), required=False)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        if obj is not None:
            if not offers_valid_only(obj):
                self.fields.pop("valid_only")
            if not obj.count("warning") or obj.warnings_confirmed:
                self.fields.pop("confirm_warnings")


def _commit_possible(user, batch) -> None:
    """The uploader's or the administrator's, with its file kept and rows to write."""
    if not may_act(user, batch):
        raise PermissionDenied(_("Only whoever uploaded the file, or the administrator, may import it."))
    if not batch.file:
        raise Refused(_("The uploaded file was removed when the retention period ended; upload it again."))
    if batch.count(CREATE) + batch.count(UPDATE) == 0:
        raise Refused(_("The file has no rows to add or change."))


def batch_summary(batch) -> dict:
    """What the API answers about a batch after an action: where it stands."""
    return {"id": batch.pk, "status": batch.status, "status_display": batch.get_status_display(),
            "message": batch.message, "counts": batch.counts}


# How a confirmed batch starts being written (now, or by the worker): core.importing.tasks hands its starter down
# when it is imported (CoreConfig.ready imports it), so that the jobs need nothing of the tasks that run them.
COMMIT_STARTER: dict = {}


def start_commits_with(starter) -> None:
    COMMIT_STARTER["start"] = starter


def _start_commit(*, user, instance, result):
    return COMMIT_STARTER["start"](result)


@action(ImportBatch, "commit", label=gettext_lazy("Confirm import"), roles=IMPORTERS,
        sources=[ImportStatus.CHECKED], target=ImportStatus.COMMITTED, form=CommitForm,
        event="core.import.confirm", event_label=gettext_lazy("Import confirmed"), button=False,
        condition=_commit_possible, after=_start_commit,
        help=gettext_lazy("The rows are written as the check showed them (checked again if the data changed "
                          "since); a large file is imported in the background."),
        event_data=lambda batch, _result: {"batch": str(batch.uuid), "file": batch.filename},
        message=lambda batch: _("%(file)s: %(status)s.") % {"file": batch.filename,
                                                            "status": batch.get_status_display()},
        api_response=lambda request, batch: batch_summary(batch),
        example=lambda batch: {"valid_only": False, "confirm_warnings": False})
def batch_commit_start(*, user, instance: ImportBatch, valid_only: bool = False,
                       confirm_warnings: bool = False) -> ImportBatch:
    """Confirm a checked batch: it is taken for its commit (导入中) by this request alone, and its rows are written
    once the confirmation is saved (``after``: at once for a small file, by the worker for a large one). With
    errors, only when the valid rows alone are imported (chosen now or at upload); with warnings, only when the
    uploader confirms them."""
    batch = instance
    if not request_commit(batch, user=user, valid_only=True if valid_only else None,
                          confirm_warnings=confirm_warnings):
        if batch.count("warning") and not batch.warnings_confirmed:
            raise ValidationError({"confirm_warnings": _("Confirm the rows with warnings before importing.")})
        raise ValidationError({"valid_only": _("The file has rows with errors: import the valid rows only, or "
                                               "correct the file and upload it again.")})
    if not commit_claim(batch):  # the batch is locked and checked: only a file removed meanwhile
        raise Refused(_("This batch cannot be imported: check its errors first."))
    return batch


def batch_commit(batch: ImportBatch, *, valid_only: bool | None = None, run=None) -> ImportBatch:
    """Write the file (checked again: the data may have changed since the preview). With errors nothing is
    written, unless the batch imports the valid rows only. ``run``: that of a queued task."""
    if valid_only is not None and valid_only != batch.valid_only:
        _set(batch, valid_only=valid_only)
    if not _start(batch, run, queued=ImportStatus.COMMITTING, status=ImportStatus.COMMITTING):
        return batch
    with _working(batch, ImportStatus.COMMITTING):
        try:
            if batch.checked_at and _commit_checked(batch):
                return _committed(batch, batch.counts)
            try:
                outcome, importer = _run(batch, commit=True)
            except StaleRows:  # rows changed between this run's own check and its write: once more, from the file
                outcome, importer = _run(batch, commit=True)
        except IntegrityError:
            _fail(batch, _(
                "Nothing was imported: changes saved by someone else while it was being imported conflict with "
                "this file (a code taken, a record deleted). Upload the file again to check it against the data."))
            return batch
        except ValidationError as exc:
            _fail(batch, _("Nothing was imported: %(error)s") % {"error": "；".join(exc.messages)})
            return batch
        finally:
            _drop_checked(batch)
        if outcome.file_error:
            _own(batch, status=ImportStatus.REFUSED, message=outcome.file_error)
            return batch
        _record(batch, outcome, importer)
        if outcome.committed:
            _committed(batch, outcome.counts)
        elif importer.awaiting_confirmation(outcome) and (batch.valid_only or not outcome.counts.get(ERROR)):
            # Only the confirmation is missing (the data changed since the preview): the batch stays checked.
            _own(batch, status=ImportStatus.CHECKED, message=_(
                "Nothing was imported: %(count)d row(s) have warnings to confirm.") % {"count": outcome.counts["warning"]})
        else:
            _own(batch, status=ImportStatus.REFUSED, message=_(
                "Nothing was imported: %(count)d row(s) have errors.") % {"count": outcome.counts.get(ERROR, 0)})
    return batch


def _committed(batch, counts) -> ImportBatch:
    """The commit's event (its rows and the status 已导入 were written together, by _claim)."""
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


class RolledBack(NamedTuple):
    batch: ImportBatch
    undone: int  # the changes undone


@action(ImportBatch, "rollback", label=gettext_lazy("Roll back"), roles=[Role.BUREAU_ADMIN],
        sources=[ImportStatus.COMMITTED], target=ImportStatus.ROLLED_BACK,
        event="core.import.rollback", event_label=gettext_lazy("Import rolled back"), button=False,
        style="outline-warning",
        help=gettext_lazy("Records the import added are removed and records it changed get their earlier values "
                          "back, unless someone changed them since."),
        event_data=lambda batch, done: {"batch": str(batch.uuid), "file": batch.filename, "undone": done.undone},
        message=lambda done: _("Rolled back: %(count)d change(s) undone.") % {"count": done.undone},
        result_of=lambda done: done.batch,
        api_response=lambda request, done: {**batch_summary(done.batch), "undone": done.undone},
        example=lambda batch: {})
def batch_rollback(*, user, instance: ImportBatch) -> RolledBack:
    """Undo an imported batch nothing else has changed since (the administrator only): created rows are deleted,
    changed ones get their earlier values back. The undoing is audited too (under its own request id)."""
    batch = instance  # locked by the action before the rows it touched (_lock_touched): the order every writer keeps
    _lock_touched(batch)
    blockers = rollback_blockers(batch)
    if blockers:
        raise Refused(_("Cannot be rolled back: %(reasons)s") % {"reasons": "；".join(blockers)})
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
    finally:
        end_request(token)
    return RolledBack(batch, undone)


# ----- runs that stopped: the warden, and what the user may do then ------------------------------------------
def _stale_reason(batch, now) -> str | None:
    """Why a running batch's run must have stopped, or None while it may still be at work."""
    if batch.status not in IMPORT_RUNNING:
        return None
    beat = _last_sign_of_life(batch)
    if now - (batch.started or batch.created) > datetime.timedelta(minutes=settings.YUANQU_IMPORT_TIME_LIMIT_MINUTES):
        if beat is None and batch.status != ImportStatus.CHECKING:
            return _("The batch waited more than %(minutes)s minutes for the background worker, which did not start "
                     "it; the worker may not be running (ask the system administrator). Nothing was imported; try "
                     "again or discard the batch.") % {"minutes": settings.YUANQU_IMPORT_TIME_LIMIT_MINUTES}
        return _took_too_long(batch)
    seconds = settings.YUANQU_IMPORT_STALE_SECONDS
    if beat is not None and (now - beat).total_seconds() > seconds:
        if batch.status == ImportStatus.COMMITTING:
            return _("The import stopped: the process doing it gave no sign of life for %(seconds)s seconds (it was "
                     "ended, or its server restarted). Nothing was imported, as an import is written whole or not "
                     "at all; try again or discard the batch.") % {"seconds": seconds}
        return _("The check stopped: the process doing it gave no sign of life for %(seconds)s seconds (it was "
                 "ended, or its server restarted). Nothing was imported; check the file again or discard the "
                 "batch.") % {"seconds": seconds}
    return None


def batch_fail_if_stale(batch, *, now: datetime.datetime | None = None) -> bool:
    """The warden, for one batch: a run that stopped (its process killed, or past the time limit) leaves the
    batch 失败 with the reason, not 检查中 or 导入中 for ever. True if it failed the batch."""
    reason = _stale_reason(batch, now or timezone.now())
    if reason is None:
        return False
    with transaction.atomic():
        # The run and status it was seen in: a run that just finished, or a batch checked again, is left alone
        # (a commit's transaction holds the row until its rows and 已导入 are written together).
        failed = ImportBatch.objects.filter(pk=batch.pk, run=batch.run, status=batch.status).update(
            status=ImportStatus.FAILED, message=reason)
        if failed:
            audit.record_event(FAILED, user=None, data={"batch": str(batch.uuid), "file": batch.filename,
                                                        "reason": reason, "was": batch.status})
    if failed:
        with contextlib.suppress(OSError):
            os.remove(_alive_path(batch))
        batch.status, batch.message = ImportStatus.FAILED, reason
    return bool(failed)


def batches_fail_stale(*, now: datetime.datetime | None = None) -> int:
    """The warden, for every running batch; the number it failed."""
    now = now or timezone.now()
    return sum(batch_fail_if_stale(batch, now=now)
               for batch in ImportBatch.objects.filter(status__in=IMPORT_RUNNING).order_by("pk"))


def may_retry(user, batch) -> bool:
    """A failed batch may be checked again by whoever may commit it, while its file is kept."""
    return may_act(user, batch) and batch.status == ImportStatus.FAILED and bool(batch.file)


def may_discard(user, batch) -> bool:
    return may_act(user, batch) and batch.status == ImportStatus.FAILED


def _failed_for_update(batch, user):
    if not may_act(user, batch):
        raise PermissionDenied
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.FAILED:
        raise ValidationError(_("Only a failed batch can be checked again or discarded."))
    return batch


def batch_retry(*, batch: ImportBatch, user) -> ImportBatch:
    """Check a failed batch's file again from the start, as if just uploaded (after a failed import too: its
    preview is shown again before anything is imported). The caller starts the check (tasks.start_check)."""
    with transaction.atomic():
        batch = _failed_for_update(batch, user)
        if not batch.file:
            raise ValidationError(_("The uploaded file was removed when the retention period ended; upload it "
                                    "again."))
        old_errors = batch.error_file.name
        _drop_checked(batch)
        _begin(batch, ImportStatus.PENDING)
        _set(batch, counts={}, errors=[], samples=[], warnings=[], warnings_confirmed=False, ignored_columns=[],
             error_file="", checked_at=None, committed_at=None)
        audit.record_event(RETRIED, user=user, data={"batch": str(batch.uuid), "file": batch.filename})
    if old_errors:
        with contextlib.suppress(OSError):
            os.remove(os.path.join(settings.MEDIA_ROOT, old_errors))
    return batch


def batch_discard(*, batch: ImportBatch, user) -> ImportBatch:
    """Give up a failed batch: it stays in the import history as 已放弃, without its files."""
    with transaction.atomic():
        batch = _failed_for_update(batch, user)
        _set(batch, status=ImportStatus.DISCARDED)
        audit.record_event(DISCARDED, user=user, data={"batch": str(batch.uuid), "file": batch.filename})
    for stored in (batch.file, batch.error_file):
        if stored:
            stored.delete(save=False)
    _drop_checked(batch)
    _set(batch, file="", error_file="")
    return batch


# ----- keeping the files within bounds ------------------------------------------------------------------------
def batches_prune(*, days: int, user=None, now: datetime.datetime | None = None) -> dict:
    """Remove the uploaded file, the error workbook and the kept check of every batch uploaded more than
    ``days`` days ago and not running. The batch stays in the history with its counts, and its change
    records still name it; a checked batch whose file is gone can no longer be committed."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    old = (ImportBatch.objects.filter(created__lt=cutoff)
           .exclude(status__in=IMPORT_RUNNING)
           .exclude(file="", error_file=""))
    batches = freed = 0
    for batch in old.iterator():
        # One atomic update, against commit_claim's: a commit that took the batch meanwhile keeps its file.
        if not ImportBatch.objects.filter(pk=batch.pk).exclude(status__in=IMPORT_RUNNING).update(file="", error_file=""):
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


navigation.add_entry("data", gettext_lazy("Import history"), "import_list", weight=10, visible=may_see_imports)
