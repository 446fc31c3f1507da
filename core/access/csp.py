"""Content-Security-Policy and Cache-Control on every response.

The browser runs only scripts served by the platform itself: no inline <script>, no event-handler
attributes, no eval. A value that slips into a page as markup therefore still cannot run. Pages pass
data to their scripts with ``json_script`` or data- attributes; each script lives under static/js/.

Every response that is not a static file is marked ``no-store``: pages, API answers and exports carry
data from the user's scope, and a shared computer or proxy must not keep them.
"""

from urllib.parse import urlparse

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def _tile_origin() -> str:
    """The configured map tile service's origin, so that its images may load."""
    parts = urlparse(getattr(settings, "YUANQU_MAP_TILE_URL", "") or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def page_policy() -> str:
    policy = settings.YUANQU_CSP
    origin = _tile_origin()
    if origin and "img-src" in policy:
        policy = policy.replace("img-src", f"img-src {origin}", 1)
    return policy


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = page_policy()
        self.static_url = settings.STATIC_URL

    def __call__(self, request):
        response = self.get_response(request)
        header = "Content-Security-Policy-Report-Only" if settings.YUANQU_CSP_REPORT_ONLY else "Content-Security-Policy"
        if "Content-Security-Policy" not in response and "Content-Security-Policy-Report-Only" not in response:
            response[header] = self.policy
        if not request.path.startswith(self.static_url) and request.path != "/favicon.ico":
            add_never_cache_headers(response)
        return response
