import time

from .context import current_request_id, end_memo, end_request, start_memo, start_request


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
