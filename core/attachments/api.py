"""The API of attachments (/api/attachments/…): list a record's attachments, upload to it or attach an existing
document, add a version, remove, download. The same services as the pages; the same scope, audit and messages."""

import datetime

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile

from core.access.uploads import refused_uploads
from core.attachments import files, selectors, services
from core.attachments.forms import AttachExistingForm, UploadForm, VersionForm
from core.attachments.views import file_response, record_in_scope
from core.models import Attachment, Document
from core.surfaces.api import api, error_list

router = Router(tags=["attachments"])

LARGEST_ID = 2**53


class VersionOut(Schema):
    number: int
    file_name: str
    download_name: str
    size: int
    sha256: str
    content_type: str
    uploaded_by: str
    uploaded_at: datetime.datetime


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    versions: list[VersionOut]


class AttachmentOut(Schema):
    id: int
    document: DocumentOut
    attached_by: str
    attached_at: datetime.datetime


class Message(Schema):
    detail: str


def _version(version) -> dict:
    return {"number": version.number, "file_name": version.original_name, "download_name": version.download_name,
            "size": version.size, "sha256": version.sha256, "content_type": version.content_type,
            "uploaded_by": str(version.uploaded_by), "uploaded_at": version.uploaded_at}


def _document(document) -> dict:
    versions = sorted(document.versions.all(), key=lambda v: -v.number)
    return {"id": document.pk, "kind": document.kind, "kind_label": document.kind_label, "title": document.title,
            "versions": [_version(v) for v in versions]}


def _attachment(attachment) -> dict:
    return {"id": attachment.pk, "document": _document(attachment.document), "attached_by": str(attachment.attached_by),
            "attached_at": attachment.created}


def _refused(request, error: ValidationError, form):
    return api.create_response(request, {"detail": _("Validation failed."), "errors": error_list(error, form)},
                               status=400)


def _scoped_attachment(request, attachment_id):
    return get_object_or_404(Attachment.objects.for_user(request.user).select_related("document"), pk=attachment_id)


def _ensure_may_attach(user, record):
    if not services.may_attach(user, record):
        raise PermissionDenied(_("You do not have permission to do this."))


FILE_DOC = "A PDF, JPEG, PNG, OFD, .docx or .xlsx file (its type is read from its content), at most " \
           "YUANQU_ATTACHMENT_MAX_BYTES."


# The upload is declared before the list on the same path: the path's URL takes the first operation's name, which
# core.access.uploads reads to stop a file at its limit while it arrives.
@router.post("/of/{record}/{int:pk}", url_name="attachment_upload", response={201: AttachmentOut, 400: dict},
             summary="Upload a document to a record, or attach an existing one",
             operation_id="core_attachment_upload")
def attachment_upload(request, record: str, pk: int, file: UploadedFile | None = File(None, description=FILE_DOC),
                      kind: str = Form("", description="The document's kind (see the record's kinds)"),
                      title: str = Form("", max_length=200, description="Left empty, the file's name"),
                      document: int | None = Form(None, ge=1, le=LARGEST_ID,
                                                  description="Attach this existing document instead of a file")):
    """`record` is the record's model label, "<app_label>.<model>" as the app registered it."""
    attachable, obj = record_in_scope(request.user, record, pk)
    _ensure_may_attach(request.user, obj)
    if document is not None:
        documents = selectors.reusable_documents(user=request.user, record=obj)
        form = AttachExistingForm(documents=documents)
        chosen = Document.objects.for_user(request.user).filter(pk=document).first()
        if chosen is None:
            return _refused(request, ValidationError({"document": _("Choose one of the documents offered.")}), form)
        try:
            attachment = services.document_attach(user=request.user, record=obj, document=chosen)
        except ValidationError as error:
            return _refused(request, error, form)
        return Status(201, _attachment(attachment))
    form = UploadForm(kinds=attachable.kinds)
    if "file" in refused_uploads(request):
        return _refused(request, ValidationError({"file": files.too_large_message()}), form)
    if file is None:
        return _refused(request, ValidationError({"file": _("Choose a file to upload.")}), form)
    try:
        attachment = services.document_upload(user=request.user, record=obj, upload=file, kind=kind, title=title)
    except ValidationError as error:
        return _refused(request, error, form)
    return Status(201, _attachment(attachment))


@router.get("/of/{record}/{int:pk}", response=list[AttachmentOut], summary="List a record's attachments",
            operation_id="core_attachment_list")
def attachment_list(request, record: str, pk: int):
    _attachable, obj = record_in_scope(request.user, record, pk)
    return [_attachment(a) for a in selectors.attachment_list(user=request.user, record=obj)]


@router.get("/of/{record}/{int:pk}/reusable", response=list[DocumentOut],
            summary="Documents that may be attached to a record without uploading them again",
            operation_id="core_attachment_reusable")
def attachment_reusable(request, record: str, pk: int):
    _attachable, obj = record_in_scope(request.user, record, pk)
    _ensure_may_attach(request.user, obj)
    documents = selectors.reusable_documents(user=request.user, record=obj).prefetch_related("versions__uploaded_by")
    return [_document(d) for d in documents]


@router.post("/{int:attachment_id}/versions", url_name="attachment_version", response={201: VersionOut, 400: dict},
             summary="Upload a new version of an attached document (earlier versions are kept)",
             operation_id="core_attachment_version_add")
def attachment_version_add(request, attachment_id: int, file: UploadedFile | None = File(None, description=FILE_DOC)):
    attachment = _scoped_attachment(request, attachment_id)
    record = attachment.record
    if record is None:
        raise Http404
    _ensure_may_attach(request.user, record)
    form = VersionForm()
    if "file" in refused_uploads(request):
        return _refused(request, ValidationError({"file": files.too_large_message()}), form)
    if file is None:
        return _refused(request, ValidationError({"file": _("Choose a file to upload.")}), form)
    try:
        version = services.document_version_add(user=request.user, attachment=attachment, upload=file)
    except ValidationError as error:
        return _refused(request, error, form)
    return Status(201, _version(version))


@router.delete("/{int:attachment_id}", response={204: None}, summary="Remove an attachment (the document is kept)",
               operation_id="core_attachment_remove")
def attachment_remove(request, attachment_id: int):
    attachment = _scoped_attachment(request, attachment_id)
    services.attachment_remove(user=request.user, attachment=attachment)
    return Status(204, None)


@router.get("/{int:attachment_id}/download", summary="Download an attachment's file (the latest version unless "
            "`version` is given)", operation_id="core_attachment_download",
            openapi_extra={"responses": {200: {"description": "The file", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}})
def attachment_download(request, attachment_id: int, version: int | None = Query(None, ge=1, le=LARGEST_ID)):
    attachment = _scoped_attachment(request, attachment_id)
    try:
        found, handle = services.version_open(user=request.user, attachment=attachment, number=version)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return file_response(found, handle)


def mount() -> None:
    """Serve these endpoints under /api/attachments/ (yuanqu/urls.py, after the surfaces)."""
    api.add_router("/attachments", router)
