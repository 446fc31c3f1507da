"""Pages of the import: start (template + upload), a batch (progress, preview, commit, errors, rollback)
and the history."""

import os

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access.permissions import may
from core.importing import jobs, reading, tasks, workbooks
from core.importing.spec import Layout
from core.reference.choices import ImportStatus
from core.surfaces.exports import attachment_name
from core.surfaces.views import SurfaceView

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))
    valid_only = forms.BooleanField(
        label=gettext_lazy("Import the valid rows only"), required=False,
        help_text=gettext_lazy("Otherwise a file with any error row imports nothing."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            reading.refuse_type(upload.name)
        except reading.FileError as exc:
            raise ValidationError(str(exc)) from exc
        if upload.size > settings.YUANQU_IMPORT_MAX_BYTES:
            raise ValidationError(_("The file is larger than %(mb)d MB; split it into several files.")
                                  % {"mb": settings.YUANQU_IMPORT_MAX_BYTES // (1024 * 1024)})
        return upload


class ImportStartView(SurfaceView):
    template_name = "core/imports/start.html"

    def allowed(self):
        if not jobs.may_import(self.request.user, self.surface):
            raise PermissionDenied(_("You do not have permission to do this."))

    def context(self, form):
        layout = Layout(self.surface, self.request.user)
        recent = jobs.batches_for(self.request.user).filter(
            content_type__app_label=self.surface.app_label, content_type__model=self.surface.name)[:10]
        return self.base_context(form=form, layout=layout, recent=recent,
                                 describe={name: workbooks.describe(c) for name, c in layout.columns.items()})

    def get(self, request):
        self.allowed()
        return render(request, self.template_name, self.context(UploadForm()))

    def post(self, request):
        self.allowed()
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        upload = form.cleaned_data["file"]
        try:
            batch = jobs.batch_create(user=request.user, surface=self.surface, filename=upload.name,
                                      content=upload.read(), valid_only=form.cleaned_data["valid_only"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, self.template_name, self.context(form), status=400)
        tasks.start_check(batch)
        return redirect(batch.get_absolute_url())


class ImportTemplateView(SurfaceView):
    def get(self, request):
        if not jobs.may_import(request.user, self.surface):
            raise PermissionDenied(_("You do not have permission to do this."))
        content = workbooks.template(Layout(self.surface, request.user))
        name = _("%(kind)s import template") % {"kind": self.model._meta.verbose_name}
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = attachment_name(f"{name}.xlsx")
        return response


def _batch(request, pk):
    return get_object_or_404(jobs.batches_for(request.user), pk=pk)


@login_required
def import_detail(request, pk):
    batch = _batch(request, pk)
    jobs.batch_fail_if_stale(batch)
    surface = jobs.surface_of(batch)
    may_rollback = may(request.user, "rollback", batch)
    may_take_commit = may(request.user, "commit", batch)  # one action, offered as one of two forms
    return render(request, "core/imports/detail.html", {
        "batch": batch, "surface": surface, "opts": surface.model._meta,
        "progress": jobs.progress_of(batch),
        "may_commit": may_take_commit and jobs.may_commit(batch),
        "may_commit_valid_only": may_take_commit and jobs.offers_valid_only(batch),
        "may_upload": jobs.may_import(request.user, surface),
        "may_rollback": may_rollback,
        "may_retry": jobs.may_retry(request.user, batch),
        "may_discard": jobs.may_discard(request.user, batch),
        "blockers": jobs.rollback_blockers(batch) if may_rollback else [],
        "changes": jobs.changes_of(batch).select_related(None).count()
        if batch.status in (ImportStatus.COMMITTED, ImportStatus.ROLLED_BACK) else 0,
    })


@login_required
def import_progress(request, pk):
    """The progress bar (polled by htmx while the batch runs); once done, the page reloads itself."""
    batch = _batch(request, pk)
    jobs.batch_fail_if_stale(batch)
    response = render(request, "core/imports/progress.html",
                      {"batch": batch, "progress": jobs.progress_of(batch), "oob": True})
    if not batch.running:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_retry(request, pk):
    """Check a failed batch's file again."""
    batch = _batch(request, pk)
    try:
        batch = jobs.batch_retry(batch=batch, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        tasks.start_check(batch)
    return redirect(batch.get_absolute_url())


@login_required
@require_POST
def import_discard(request, pk):
    batch = _batch(request, pk)
    try:
        jobs.batch_discard(batch=batch, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The batch was discarded."))
    return redirect(batch.get_absolute_url())


@login_required
def import_errors(request, pk):
    batch = _batch(request, pk)
    if not batch.error_file:
        raise Http404
    path = os.path.join(settings.MEDIA_ROOT, batch.error_file.name)
    if not os.path.exists(path):
        raise Http404
    stem = os.path.splitext(batch.filename)[0]
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"{stem}-{_('errors')}.xlsx",
                        content_type=XLSX)


@login_required
def import_list(request):
    if not jobs.may_see_imports(request.user):
        raise PermissionDenied(_("You do not have permission to do this."))
    batches = jobs.batches_for(request.user)
    page = Paginator(batches, 25).get_page(request.GET.get("page"))
    for batch in page.object_list:
        if batch.running:
            jobs.batch_fail_if_stale(batch)
    return render(request, "core/imports/list.html", {"page": page})
