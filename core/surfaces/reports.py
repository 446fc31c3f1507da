"""Report pages (the expiry queue, long vacancy): their filters, pages of rows and exports.

A report is not a model's list, but it is filtered, paged and exported the same way: the filters are a
FilterSet on the user's scoped rows, a page holds PAGE_SIZE rows and links to the next with the filters
kept, and an export writes every filtered row through the list exports' writer (core/surfaces/exports.py), so what
that writer guarantees for a cell holds here too, and the export is recorded like any other.
"""

from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.access.permissions import VIEW, role_may
from core.surfaces.counting import CountingPaginator
from core.surfaces.exports import EXPORT, csv_response, xlsx_response

PAGE_SIZE = 100
FORMATS = ("xlsx", "csv")


def filtered(filterset_class, request, queryset):
    """(filterset, rows): rows narrowed by the valid filters; invalid ones (e.g. another operator's park,
    which the user is not offered) are ignored, as on the list pages: the rows stay within the scope."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    for name, field in list(filterset.form.fields.items()):
        choices = getattr(field, "queryset", None)
        if choices is not None and not role_may(request.user, VIEW, choices.model):
            # A choice of parks means nothing to a user who sees none (an enterprise): not offered.
            del filterset.form.fields[name]
            del filterset.filters[name]
            continue
        field.widget.attrs["class"] = "form-select form-select-sm" if hasattr(field.widget, "choices") \
            else "form-control form-control-sm"
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    return filterset, rows


def page_of(request, rows, *, param: str = "page", size: int = PAGE_SIZE, count: int | None = None):
    """A page of ``rows`` chosen by the ``param`` query parameter; ``count`` when the page already knows
    how many rows there are, else they are counted (once per data version)."""
    paginator = CountingPaginator(rows, size)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get(param))


def querystring(request, *drop: str) -> str:
    """The request's query without ``drop`` (the page numbers), for page and export links."""
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def export(request, *, title: str, model, headers: list[str], rows, count: int, about: dict | None = None):
    """Every filtered row as .xlsx or .csv (``?format=``), through the list exports' writer; audited (with
    ``about``: what else names the rows, e.g. which data-quality list)."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Export format must be xlsx or csv."))
    audit.record_event(EXPORT, user=request.user, data={
        "model": model._meta.label_lower, "report": title, "format": fmt,
        "query": request.GET.urlencode(), "rows": count, **(about or {}),
    })
    filename = f"{title}-{timezone.localtime().strftime('%Y%m%d-%H%M')}.{fmt}"
    if fmt == "csv":
        return csv_response(headers, rows, filename)
    return xlsx_response(headers, rows, filename, title=model._meta.verbose_name_plural)
