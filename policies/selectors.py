"""Every read of policy support that matters, scoped to the user."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====
from django.db.models import Count as _AwardsCount  # noqa: E402

from core import audit as _awards_audit  # noqa: E402
from core.access.permissions import VIEW as _AWARDS_VIEW  # noqa: E402
from core.access.permissions import role_may as _awards_role_may  # noqa: E402

from .choices import ApplicationStatus as _AwardsStatus  # noqa: E402
from .models import Application as _AwardsApplication  # noqa: E402
from .models import Award as _AwardsAward  # noqa: E402
from .models import LedgerEntry as _AwardsLedgerEntry  # noqa: E402

# The steps of an application whose events its page lists, with the comment each kept.
APPLICATION_STEPS = ("submit", "return", "first_review", "second_review", "approve", "reject", "withdraw")


def application_queue(*, user) -> list[dict]:
    """How many applications the user sees wait at each step: [{status, label, count}], in workflow order."""
    counts = dict(_AwardsApplication.objects.for_user(user).values_list("status").annotate(n=_AwardsCount("pk"))
                  .order_by())
    return [{"status": value, "label": label, "count": counts.get(value, 0)}
            for value, label in _AwardsStatus.choices]


def application_steps(application) -> list:
    """The steps taken on an application, oldest first, each with who took it, when, and its comment."""
    names = [f"policies.application.{verb}" for verb in APPLICATION_STEPS]
    return list(_awards_audit.events_for(application).filter(name__in=names).order_by("created", "id"))


def awards_for(*, user):
    return (_AwardsAward.objects.for_user(user).select_related("policy", "enterprise", "application")
            .order_by("-year", "-id"))


def award_tranches(award):
    return list(award.tranches.order_by("number"))


def ledger_visible(user) -> bool:
    """The ledger is the bureau's books: administrators, officers and leaders read it."""
    return _awards_role_may(user, _AWARDS_VIEW, _AwardsLedgerEntry) and user.role in ("bureau_admin",
                                                                                       "bureau_officer", "leader")


def ledger_of(*, user, budget=None, award=None):
    if not ledger_visible(user):
        return _AwardsLedgerEntry.objects.none()
    entries = _AwardsLedgerEntry.objects.select_related("award__enterprise", "tranche")
    if budget is not None:
        entries = entries.filter(budget=budget)
    if award is not None:
        entries = entries.filter(award=award)
    return entries.order_by("id")


def budget_awards(*, user, budget):
    return awards_for(user=user).filter(budget=budget)

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
