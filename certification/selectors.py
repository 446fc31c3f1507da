"""Reads of certification that matter, scoped to the user."""


# ===== schemes and their versions ==========================================================================
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
from django.contrib.contenttypes.models import ContentType  # noqa: E402

from core.models import Attachment  # noqa: E402

from .choices import CertificationStatus  # noqa: E402
from .models import Application, Certification  # noqa: E402


def application_document_ids(application) -> set[int]:
    """The documents attached to an application (those a supplied value may name)."""
    return set(Attachment.objects.filter(content_type=ContentType.objects.get_for_model(Application),
                                         object_id=application.pk).values_list("document_id", flat=True))


def application_documents(*, user, application) -> list:
    """The documents attached to an application that ``user`` may see, newest first: (id, title)."""
    return [(a.document_id, str(a.document)) for a in
            Attachment.objects.for_user(user).filter(content_type=ContentType.objects.get_for_model(Application),
                                                     object_id=application.pk)
            .select_related("document").order_by("-created", "-id")]


def certifications_of_subject(*, user, park, building=None):
    """The certifications of a park (``building`` None: the park's own and its buildings') or of one building,
    that ``user`` may see, valid first, latest first."""
    found = Certification.objects.for_user(user).filter(park=park).select_related("scheme", "building")
    if building is not None:
        found = found.filter(building=building)
    order = {CertificationStatus.VALID: 0, CertificationStatus.EXPIRED: 1, CertificationStatus.REVOKED: 2}
    return sorted(found, key=lambda c: (order.get(c.status, 3), -c.valid_until.toordinal(), c.pk))


# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
