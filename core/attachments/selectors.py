"""Reads of attachments, always within the reader's scope."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch

from core.attachments.registry import KINDS, attachable_for
from core.models import Attachment, Document, DocumentVersion


def attachment_list(*, user, record):
    """The record's attachments the user may see, newest first, each with its document's versions (newest
    first) and who uploaded them."""
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    return (Attachment.objects.for_user(user)
            .filter(content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk)
            .select_related("document", "attached_by")
            .prefetch_related(Prefetch("document__versions", queryset=versions))
            .order_by("-created", "-id"))


def reusable_documents(*, user, record):
    """Documents the user may attach to ``record`` without uploading them again: the reusable ones of its owner
    (an enterprise's business licence) that the user may see and that are not attached to it yet."""
    attachable = attachable_for(type(record))
    owner = attachable.owner_of(record) if attachable else None
    if owner is None:
        return Document.objects.none()
    kinds = [code for code in attachable.kinds if KINDS[code].reusable]
    attached = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(type(record)),
                                         object_id=record.pk).values("document_id")
    return (Document.objects.for_user(user)
            .filter(owner_type=ContentType.objects.get_for_model(type(owner)), owner_id=owner.pk, kind__in=kinds)
            .exclude(pk__in=attached).order_by("-created", "-id"))
