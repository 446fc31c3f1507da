"""Pages of the attachments panel: upload, new version, attach an existing document, remove, download. Thin:
the services decide who may, the selectors what is seen."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access.permissions import VIEW, role_may
from core.access.uploads import limit_uploads
from core.attachments import files, selectors, services
from core.attachments.forms import AttachExistingForm, UploadForm, VersionForm
from core.attachments.registry import attachable_for
from core.models import Attachment
from core.surfaces import surface_for

# The two pages that take a document's file stop it at the limit while it arrives (core.access.uploads).
limit_uploads("attachment_upload", files.max_bytes)
limit_uploads("attachment_version", files.max_bytes)


def record_in_scope(user, label: str, pk: int):
    """(attachable, record) for a record the user may see; anything else does not exist for them."""
    attachable = attachable_for(label)
    if attachable is None or not role_may(user, VIEW, attachable.model):
        raise Http404
    return attachable, get_object_or_404(attachable.model._default_manager.for_user(user), pk=pk)


def _attachment(request, pk):
    return get_object_or_404(Attachment.objects.for_user(request.user).select_related("document"), pk=pk)


def _back(record):
    return HttpResponseRedirect(record.get_absolute_url() + "#attachments")


def _record_page(request, record, heading, form, action, status):
    surface = surface_for(type(record))
    return render(request, "core/attachments/form.html", {
        "record": record, "opts": type(record)._meta, "heading": heading, "form": form, "action": action,
        "list_url": reverse(surface.url_name("list")) if surface else "",
    }, status=status)


@login_required
def attachment_upload(request, label, pk):
    attachable, record = record_in_scope(request.user, label, pk)
    if not services.may_attach(request.user, record):
        raise PermissionDenied(_("You do not have permission to do this."))
    if request.method != "POST":
        return _record_page(request, record, _("Upload an attachment"), UploadForm(kinds=attachable.kinds),
                            request.path, 200)
    form = UploadForm(request.POST, request.FILES, kinds=attachable.kinds, request=request)
    if form.is_valid():
        try:
            attachment = services.document_upload(user=request.user, record=record, upload=form.cleaned_data["file"],
                                                  kind=form.cleaned_data["kind"], title=form.cleaned_data["title"])
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Attachment uploaded: %(title)s") % {"title": attachment.document.title})
            return _back(record)
    return _record_page(request, record, _("Upload an attachment"), form, request.path, 400)


@login_required
def attachment_version(request, pk):
    attachment = _attachment(request, pk)
    record = attachment.record
    if record is None:
        raise Http404
    if not services.may_attach(request.user, record):
        raise PermissionDenied(_("You do not have permission to do this."))
    heading = _("New version of %(title)s") % {"title": attachment.document.title}
    if request.method != "POST":
        return _record_page(request, record, heading, VersionForm(), request.path, 200)
    form = VersionForm(request.POST, request.FILES, request=request)
    if form.is_valid():
        try:
            version = services.document_version_add(user=request.user, attachment=attachment,
                                                    upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Version %(number)d of %(title)s uploaded.")
                             % {"number": version.number, "title": attachment.document.title})
            return _back(record)
    return _record_page(request, record, heading, form, request.path, 400)


@login_required
@require_POST
def attachment_attach(request, label, pk):
    _attachable, record = record_in_scope(request.user, label, pk)
    if not services.may_attach(request.user, record):
        raise PermissionDenied(_("You do not have permission to do this."))
    form = AttachExistingForm(request.POST, documents=selectors.reusable_documents(user=request.user, record=record))
    if form.is_valid():
        try:
            attachment = services.document_attach(user=request.user, record=record,
                                                  document=form.cleaned_data["document"])
        except ValidationError as error:
            form.apply_service_error(error)
        else:
            messages.success(request, _("Attached: %(title)s") % {"title": attachment.document.title})
            return _back(record)
    reasons = [f"{form.fields[name].label}：{message}" if name in form.fields else message
               for name, errors in form.errors.items() for message in errors]
    messages.error(request, _("Nothing was attached: %(errors)s") % {"errors": "；".join(reasons)})
    return _back(record)


@login_required
@require_POST
def attachment_detach(request, pk):
    attachment = _attachment(request, pk)
    record = attachment.record
    if record is None:
        raise Http404
    try:
        services.attachment_remove(user=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Attachment removed: %(title)s") % {"title": attachment.document.title})
    return _back(record)


@login_required
def attachment_download(request, pk, number=None):
    attachment = _attachment(request, pk)
    try:
        version, handle = services.version_open(user=request.user, attachment=attachment, number=number)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    return file_response(version, handle)


def file_response(version, handle) -> FileResponse:
    """The file as a download under its own name (RFC 5987 for a Chinese one) and its checked type, which the
    browser may not second-guess; were it ever shown in the page, it could run nothing."""
    response = FileResponse(handle, as_attachment=True, filename=version.download_name,
                            content_type=version.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
