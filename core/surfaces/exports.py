"""Every list page exports its current rows — the user's scope, the page's filters and sort — with the
table's columns and Chinese headers, as .xlsx or .csv. Rows are read in chunks and written as they
come (CSV straight to the response, xlsx through openpyxl's write-only mode into a temporary file),
so a large export never sits in memory. Cells are written by core/reference/spreadsheets.py: a stored value never
becomes a formula, and a control character never breaks the file."""

import datetime
import decimal
import tempfile
from urllib.parse import quote

from django.db import models
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.styles import Font

from core import audit
from core.access.permissions import VIEW
from core.reference import spreadsheets
from core.reference.choices import yes_no
from core.surfaces.views import SurfaceView, filtered_list

EXPORT = audit.register_event("core.export", gettext_lazy("List exported"))
CHUNK = 2000


def export_value(record, column):
    """A cell as people read it: labels for codes, names for objects, several names joined by 、."""
    accessor = column.export or column.name
    if accessor == "__str__":
        return str(record)
    value = record
    for part in accessor.replace("__", ".").split("."):
        if value is None:
            return ""
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display else getattr(value, part, None)
        if isinstance(value, models.Manager):
            return "、".join(str(v) for v in value.all())
        if callable(value):
            value = value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, decimal.Decimal, datetime.date)):
        return value
    return str(value)


def attachment_name(filename: str) -> str:
    """A Content-Disposition that keeps a Chinese file name in every browser."""
    return f"attachment; filename*=UTF-8''{quote(filename)}"


def choice_labels(model, column) -> dict | None:
    """{stored value: label} for a column that shows one of the model's own choice fields, translated once
    per export (Django's get_FOO_display translates on every call: half the time of a large export)."""
    name = column.export or column.name
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    return {value: str(label) for value, label in field.flatchoices} if field.choices else None


def rows_of(queryset, columns):
    labels = [choice_labels(queryset.model, column) for column in columns]
    names = [column.export or column.name for column in columns]
    # iterator() with a chunk size keeps prefetch_related working and memory flat.
    for record in queryset.iterator(chunk_size=CHUNK):
        yield [
            mapping.get(getattr(record, name), "") if mapping is not None else export_value(record, column)
            for column, name, mapping in zip(columns, names, labels, strict=True)
        ]


class ObjectExportView(SurfaceView):
    def get(self, request):
        self.require(VIEW)
        fmt = request.GET.get("format", "xlsx")
        if fmt not in ("xlsx", "csv"):
            return HttpResponseBadRequest(_("Export format must be xlsx or csv."))
        _filterset, queryset, _sort = filtered_list(self.surface, request)
        columns = self.surface.columns
        headers = [column.verbose(self.model) for column in columns]
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        filename = f"{self.model._meta.verbose_name_plural}-{stamp}.{fmt}"
        audit.record_event(EXPORT, user=request.user, data={
            "model": self.model._meta.label_lower, "format": fmt,
            "query": request.GET.urlencode(), "rows": queryset.count(),
        })
        rows = rows_of(queryset, columns)
        if fmt == "csv":
            return csv_response(headers, rows, filename)
        return xlsx_response(headers, rows, filename, title=self.model._meta.verbose_name_plural)


def csv_response(headers, rows, filename):
    response = StreamingHttpResponse(spreadsheets.csv_lines(headers, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_name(filename)
    return response


def xlsx_response(headers, rows, filename, *, title):
    book = spreadsheets.Book(write_only=True)
    sheet = book.sheet(title)
    sheet.freeze("A2")
    bold = Font(bold=True)
    sheet.append([sheet.styled(text, font=bold) for text in headers])
    for column in range(1, len(headers) + 1):
        sheet.width(column, 18)
    for row in rows:
        sheet.append(row)
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
