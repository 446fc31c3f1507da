import time

from .context import end_memo, end_request, start_memo, start_request


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) that its audit records carry, and reports the
    server's own time for it (Server-Timing: app;dur=milliseconds) for load tests and browser dev tools."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")[:36]
        token = start_request(incoming or None)
        kept = start_memo()
        started = time.perf_counter()
        try:
            from .context import current_request_id

            request.request_id = current_request_id()
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
            return response
        finally:
            end_memo(kept)
            end_request(token)
