"""Every write of attachments — upload, new version, attaching an existing document, removal — and the
recorded download. Who may do what is decided here, for the pages and the API alike.

A write locks the record first (its row, within the user's scope), then the document: a record being deleted
and an attachment being added to it wait for each other (core.services.object_delete refuses to delete a record
that still has attachments), and two new versions of one document get different numbers.
"""

import os
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.access.permissions import CHANGE, in_scope, record_refusal, role_may
from core.attachments import files, selectors
from core.attachments.registry import KINDS, attachable_for
from core.attachments.storage import storage
from core.models import Attachment, Document, DocumentVersion
from core.reference import control_characters
from core.reference.choices import ChangeAction
from core.services import locked_for_user, save_or_explain

UPLOAD = audit.register_event("core.document.upload", gettext_lazy("Attachment uploaded"))
NEW_VERSION = audit.register_event("core.document.version_add", gettext_lazy("New version of an attachment uploaded"))
# The verb a record's ``refusal`` is asked about documents (attach, replace, remove).
ATTACH_VERB = "attach"

ATTACH = audit.register_event("core.document.attach", gettext_lazy("Existing document attached"))
DETACH = audit.register_event("core.document.detach", gettext_lazy("Attachment removed"))
DOWNLOAD = audit.register_event("core.document.download", gettext_lazy("Attachment downloaded"))


def may_attach(user, record) -> bool:
    """Whoever may change a record may attach documents to it, upload new versions of them and remove them
    (administrators, officers, a restricted role its model lets change it, within its scope); a record's app may
    let more in (an enterprise's own users, for their enterprise's certificates). A record's state may refuse
    the verb "attach" (``refusal("attach")``: a submitted application keeps what it was sent with). Leaders
    never."""
    attachable = attachable_for(type(record))
    if attachable is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    if record_refusal(record, ATTACH_VERB):
        return False
    if not in_scope(user, record):
        return False
    if role_may(user, CHANGE, type(record)):
        return True
    return bool(attachable.also_attach and attachable.also_attach(user, record))


def _ensure_may_attach(user, record):
    if not may_attach(user, record):
        raise PermissionDenied(record_refusal(record, ATTACH_VERB) or _("You do not have permission to do this."))


def _content_type(obj):
    return ContentType.objects.get_for_model(type(obj))


def _event_data(document, version=None) -> dict:
    data = {"document": document.pk, "title": document.title, "kind": document.kind}
    if version is not None:
        data.update(version=version.number, file=version.original_name, size=version.size, sha256=version.sha256)
    return data


@contextmanager
def _files_removed_on_error():
    """Files stored by a write that then fails are removed with it (the rows roll back; the files would stay)."""
    stored = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise


def _store_version(*, document, number, upload, file_type, user, stored) -> DocumentVersion:
    version = DocumentVersion(document=document, number=number, original_name=files.clean_name(upload.name),
                              size=upload.size, sha256=files.sha256_of(upload), content_type=file_type.content_type,
                              uploaded_by=user)
    version.file.save(f"document{file_type.extension}", upload, save=False)
    stored.append(version.file.name)
    version.full_clean(exclude=["file"])
    save_or_explain(version, user=user)
    audit.record_change(instance=version, action=ChangeAction.CREATE, user=user, before=None,
                        after=audit.snapshot(version))
    return version


def _clean_title(title: str, fallback: str) -> str:
    title = (title or "").strip()
    try:
        control_characters.refuse(title, multiline=False)
    except ValidationError as error:
        raise ValidationError({"title": error.messages}) from error
    if len(title) > 200:
        raise ValidationError({"title": _("At most 200 characters.")})
    return title or os.path.splitext(fallback)[0][:200]


def _attach(*, user, record, document) -> Attachment:
    attachment = Attachment(document=document, content_type=_content_type(record), object_id=record.pk,
                            attached_by=user)
    save_or_explain(attachment, user=user)
    audit.record_change(instance=attachment, action=ChangeAction.CREATE, user=user, before=None,
                        after=audit.snapshot(attachment))
    return attachment


@transaction.atomic
def document_upload(*, user, record, upload, kind: str, title: str = "") -> Attachment:
    """Upload a document to a record: checked by its size and content before it is read, stored under a random
    name, recorded. A reusable kind (a business licence) belongs to the record's owner and can then be attached
    to the owner's other records without uploading it again."""
    _ensure_may_attach(user, record)
    attachable = attachable_for(type(record))
    record = locked_for_user(user, type(record), record.pk)
    _ensure_may_attach(user, record)  # its state as it is now, under the lock
    if kind not in attachable.kinds:
        raise ValidationError({"kind": _("Choose one of the kinds offered.")})
    title = _clean_title(title, files.clean_name(upload.name))
    file_type = files.check(upload)  # its size, then its first bytes: nothing more is read before this passes
    owner = attachable.owner_of(record) if KINDS[kind].reusable else None
    document = Document(kind=kind, title=title, uploaded_by=user,
                        owner_type=_content_type(owner) if owner is not None else None,
                        owner_id=owner.pk if owner is not None else None)
    with _files_removed_on_error() as stored:
        document.full_clean()
        document.save()
        audit.record_change(instance=document, action=ChangeAction.CREATE, user=user, before=None,
                            after=audit.snapshot(document))
        version = _store_version(document=document, number=1, upload=upload, file_type=file_type, user=user,
                                 stored=stored)
        attachment = _attach(user=user, record=record, document=document)
        audit.record_event(UPLOAD, user=user, instance=record, data=_event_data(document, version))
    return attachment


@transaction.atomic
def document_attach(*, user, record, document) -> Attachment:
    """Attach a document already uploaded (its owner's business licence) to another of the owner's records."""
    _ensure_may_attach(user, record)
    record = locked_for_user(user, type(record), record.pk)
    _ensure_may_attach(user, record)  # its state as it is now, under the lock
    if not selectors.reusable_documents(user=user, record=record).filter(pk=document.pk).exists():
        raise ValidationError({"document": _("Choose one of the documents offered: a document of this record's "
                                             "owner that is not attached here yet.")})
    attachment = _attach(user=user, record=record, document=document)
    audit.record_event(ATTACH, user=user, instance=record, data=_event_data(document))
    return attachment


def _attachment_locked(user, attachment):
    """The attachment's record locked within the user's scope, and the attachment, still there."""
    record = attachment.record
    if record is None:
        raise ValidationError(_("This record was deleted, or moved outside the data you manage, while you were "
                                "working on it."))
    _ensure_may_attach(user, record)
    record = locked_for_user(user, type(record), record.pk)
    _ensure_may_attach(user, record)  # its state as it is now, under the lock
    try:
        attachment = Attachment.objects.select_related("document").get(pk=attachment.pk)
    except ObjectDoesNotExist as exc:
        raise ValidationError(_("This attachment was removed meanwhile.")) from exc
    return record, attachment


@transaction.atomic
def document_version_add(*, user, attachment, upload) -> DocumentVersion:
    """A new file for an attached document (a renewed licence, a better scan). Earlier versions are kept and
    stay downloadable; every record the document is attached to shows the new one."""
    record, attachment = _attachment_locked(user, attachment)
    file_type = files.check(upload)
    document = Document.objects.select_for_update().get(pk=attachment.document_id)
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    with _files_removed_on_error() as stored:
        version = _store_version(document=document, number=last + 1, upload=upload, file_type=file_type,
                                 user=user, stored=stored)
        document.save(update_fields=["last_updated"])
        audit.record_event(NEW_VERSION, user=user, instance=record, data=_event_data(document, version))
    return version


@transaction.atomic
def attachment_remove(*, user, attachment) -> None:
    """Take a document off a record. The document and its versions are kept, never deleted: a reusable one stays
    among its owner's documents, to be attached again."""
    record, attachment = _attachment_locked(user, attachment)
    before = audit.snapshot(attachment)
    document = attachment.document
    pk = attachment.pk
    attachment.delete()
    attachment.pk = pk
    audit.record_change(instance=attachment, action=ChangeAction.DELETE, user=user, before=before, after=None)
    audit.record_event(DETACH, user=user, instance=record, data=_event_data(document))


def version_open(*, user, attachment, number: int | None = None):
    """(version, open file) of an attached document for ``user`` to download — the latest version unless
    ``number`` is given —, recorded as downloaded before a byte is sent. ObjectDoesNotExist for an attachment
    outside the user's scope, a version that does not exist or a file gone from the disk: to them, none exists."""
    attachment = Attachment.objects.for_user(user).select_related("document").get(pk=attachment.pk)
    versions = attachment.document.versions.all()
    version = versions.get(number=number) if number is not None else versions.order_by("-number").first()
    if version is None:
        raise DocumentVersion.DoesNotExist
    try:
        handle = storage.open(version.file.name, "rb")
    except OSError as exc:
        raise DocumentVersion.DoesNotExist(f"file missing: {version.file.name}") from exc
    record = attachment.record
    audit.record_event(DOWNLOAD, user=user, instance=record if record is not None else attachment.document,
                       data=_event_data(attachment.document, version))
    return version, handle
