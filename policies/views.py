"""Pages of policy support: thin, calling selectors and services."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====
import io as _io  # noqa: E402

from django.contrib.auth.decorators import login_required as _login_required  # noqa: E402
from django.core.exceptions import PermissionDenied as _PermissionDenied  # noqa: E402
from django.http import HttpResponse as _HttpResponse  # noqa: E402
from django.shortcuts import render as _render  # noqa: E402
from django.utils import timezone as _timezone  # noqa: E402
from django.utils.translation import gettext as _gettext  # noqa: E402

from core import audit as _audit  # noqa: E402
from core.reference import spreadsheets as _spreadsheets  # noqa: E402
from core.rules import money_to_yuan as _yuan  # noqa: E402
from core.surfaces.exports import EXPORT as _EXPORT  # noqa: E402
from core.surfaces.exports import attachment_name as _attachment_name  # noqa: E402
from core.surfaces.reports import querystring as _querystring  # noqa: E402

from . import selectors as _selectors  # noqa: E402
from .forms import FundsReportFilterForm as _FundsReportFilterForm  # noqa: E402
from .models import Budget as _Budget  # noqa: E402


def _funds_report_of(request):
    """(filter form, report) for the page and its export: invalid filters are ignored."""
    if not _selectors.funds_report_visible(request.user):
        raise _PermissionDenied
    form = _FundsReportFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    report = _selectors.funds_report(user=request.user, policy=chosen.get("policy"), year=chosen.get("year"),
                                     zone=chosen.get("zone"), division=chosen.get("division") or "")
    return form, report


@_login_required
def funds_report(request):
    """Budget and payout by policy and year, by zone and by industry, with the filters and the .xlsx export."""
    form, report = _funds_report_of(request)
    return _render(request, "policies/govspace/funds_report.html", {
        "form": form, "report": report, "querystring": _querystring(request, "format")})


def _money_row(row) -> list:
    return [_yuan(row.committed), _yuan(row.paid), _yuan(row.recovered), _yuan(row.net_paid), _yuan(row.unpaid),
            row.enterprises]


def funds_report_headers():
    money = [_gettext("committed (yuan)"), _gettext("paid (yuan)"), _gettext("recovered (yuan)"),
             _gettext("paid less recovered (yuan)"), _gettext("committed, not yet paid (yuan)"),
             _gettext("enterprises supported")]
    return {
        "budgets": [_gettext("policy"), _gettext("year"), _gettext("budget (yuan)"), *money,
                    _gettext("available (yuan)")],
        "zones": [_gettext("zone"), *money],
        "divisions": [_gettext("industry (GB/T 4754 division)"), *money],
    }


@_login_required
def funds_report_export(request):
    """The report's three tables as three sheets of one .xlsx, written by core's spreadsheet writer (values, never
    formulas); audited as every export is."""
    form, report = _funds_report_of(request)
    headers = funds_report_headers()
    book = _spreadsheets.Book()
    sheets = (
        (_gettext("By policy and year"), headers["budgets"],
         [[str(row.budget.policy), row.budget.year, _yuan(row.budget.total), *_money_row(row), _yuan(row.available)]
          for row in report.budgets]),
        (_gettext("By zone"), headers["zones"], [[row.label, *_money_row(row)] for row in report.zones]),
        (_gettext("By industry"), headers["divisions"], [[row.label, *_money_row(row)] for row in report.divisions]),
    )
    for title, heads, rows in sheets:
        sheet = book.sheet(title)
        sheet.append(heads)
        for row in rows:
            sheet.append(row)
        for column in range(1, len(heads) + 1):
            sheet.width(column, 18)
        sheet.freeze("A2")
    buffer = _io.BytesIO()
    book.save(buffer)
    title = _gettext("Budget and payout report")
    _audit.record_event(_EXPORT, user=request.user, data={
        "model": _Budget._meta.label_lower, "report": title, "format": "xlsx", "query": request.GET.urlencode(),
        "rows": len(report.budgets)})
    response = _HttpResponse(buffer.getvalue(),
                             content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _attachment_name(
        f"{title}-{_timezone.localtime().strftime('%Y%m%d-%H%M')}.xlsx")
    return response
# (end of this part)
