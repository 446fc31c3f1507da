import time

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.reference import control_characters
from core.runtime.context import current_request_id, end_memo, end_request, start_memo, start_request


class RequestContextMiddleware:
    """Gives every request an id of the platform's own making (echoed as X-Request-ID) that its audit records
    carry, and reports the server's own time for it (Server-Timing: app;dur=milliseconds) for load tests and
    browser dev tools. A client's X-Request-ID is ignored: an id the client chose could make its change look
    like part of someone else's request or import batch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = start_request()
        kept = start_memo()
        started = time.perf_counter()
        try:
            request.request_id = current_request_id()
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            return response
        finally:
            end_memo(kept)
            end_request(token)


class QueryControlCharacterMiddleware:
    """A query parameter (a search, a filter, a sort, a page) holding a control character is refused with a
    400 naming it before any view reads it, as a form field would refuse it (core/reference/control_characters.py): no
    view can pass such a value to the database (PostgreSQL refuses NUL). Tabs and line breaks stay: a search
    reads them as blanks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, items in request.GET.lists():
            try:
                control_characters.refuse([name, *items])
            except ValidationError as error:
                return self.refused(request, name, error.messages[0])
        return self.get_response(request)

    @staticmethod
    def refused(request, name, message):
        shown = control_characters.removed(name)
        text = _("Query parameter “%(name)s”: %(message)s") % {"name": shown, "message": message}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Validation failed."),
                                 "errors": [{"field": shown, "label": shown, "message": text}]}, status=400)
        return render(request, "core/error_page.html", {"code": 400, "message": text}, status=400)
