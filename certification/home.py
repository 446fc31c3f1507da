"""What certification shows on the home page (core.surfaces.home): the subjects certified today, by category
and level, with the floor area of the certified parks (the letter counts its cultural parks so)."""

from django.utils import timezone

from core.access.permissions import VIEW, role_may
from core.surfaces.home import add_section

from . import selectors
from .models import Certification


def summary(request, page):
    if not role_may(request.user, VIEW, Certification):
        return None
    rows = selectors.certified_summary(user=request.user, on=timezone.localdate())
    return {"certified_summary": rows} if rows else None


add_section("certification.summary", template="certification/home_summary.html", weight=150, context=summary)
