"""Every read of policy support that matters, scoped to the user."""


# ===== versions ====

# (end of this part)


# ===== screening ====
from django.db.models import Count as _Count  # noqa: E402
from django.db.models import Sum as _Sum  # noqa: E402

from .choices import OfferStatus as _OfferStatus  # noqa: E402
from .models import Offer as _Offer  # noqa: E402


def offers_proposed(*, user):
    """The offers still open to ``user`` (an enterprise user: its own), best first."""
    return (_Offer.objects.for_user(user).filter(status=_OfferStatus.PROPOSED)
            .select_related("policy", "version", "run", "enterprise", "decision").order_by("-amount", "policy__code"))


def offers_answered(*, user):
    return (_Offer.objects.for_user(user).exclude(status=_OfferStatus.PROPOSED)
            .select_related("policy", "enterprise").order_by("-answered_at", "-id"))


def offers_summary(*, user) -> dict:
    """How many offers are open to ``user`` and their likely total (fen): the home page's block."""
    totals = _Offer.objects.for_user(user).filter(status=_OfferStatus.PROPOSED).aggregate(
        count=_Count("id"), amount=_Sum("amount"))
    return {"count": totals["count"] or 0, "amount": totals["amount"] or 0}

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
