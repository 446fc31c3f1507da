"""Uploads stopped at their limit while they arrive, before a byte past it is kept in memory or on disk.

Django hands a view an uploaded file only after its handlers have received all of it. ``LimitedUploadHandler``
stands first among them (FILE_UPLOAD_HANDLERS): for a URL with a limit (``limit_uploads``) it drops a file the
moment it passes the limit — at once, when the request's declared length already says so — and passes on only
what is within it. The dropped file is missing from ``request.FILES``; ``refused_uploads(request)`` names it,
and the view says why. A URL without a limit is not touched.
"""

from collections.abc import Callable

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

# What a request may carry besides its file: the CSRF token, a kind, a title, the multipart boundaries.
FORM_ALLOWANCE = 64 * 1024

_limits: dict[str, Callable[[], int]] = {}


def limit_uploads(url_name: str, limit: Callable[[], int]) -> None:
    """Files posted to URLs named ``url_name`` (a page or an API operation) may have at most ``limit()`` bytes."""
    _limits[url_name] = limit


def limit_for(request) -> int | None:
    match = getattr(request, "resolver_match", None)
    limit = _limits.get(match.url_name) if match is not None else None
    return limit() if limit else None


def refused_uploads(request) -> dict[str, int]:
    """{field name: limit} of the files this request's upload handler dropped for being too large."""
    return getattr(request, "refused_uploads", {})


class LimitedUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = limit_for(self.request) if self.request is not None else None
        self.declared = content_length or 0

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        if getattr(self, "limit", None) is not None and self.declared > self.limit + FORM_ALLOWANCE:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        if getattr(self, "limit", None) is not None and start + len(raw_data) > self.limit:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) makes the file

    def _refuse(self):
        refused = getattr(self.request, "refused_uploads", {})
        refused[self.field_name] = self.limit
        self.request.refused_uploads = refused
        raise SkipFile
