"""Reminder rules of policy support (core.reminders)."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====
CLAWBACK_RAISED = "policies.clawback_raised"


def clawback_raised_due(today, rule, only=None):
    """Clawback cases raised and not yet decided: the bureau confirms or waives each. The reminder is resolved
    when the case is decided."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from core import reminders

    from .choices import ClawbackStatus
    from .models import ClawbackCase
    from .obligations import yuan_text

    cases = ClawbackCase.objects.filter(status=ClawbackStatus.RAISED)
    if only is not None:
        cases = cases.filter(pk__in=only)
    for case in cases.select_related("award__policy", "enterprise").order_by("breached_on", "pk"):
        yield reminders.Due(case, case.breached_on, reminders.audience_ids(rule), str(_(
            "%(enterprise)s broke an obligation of %(policy)s (%(obligation)s) on %(date)s: %(amount)s to recover; "
            "confirm or waive the case")) % {
                "enterprise": case.enterprise.name, "policy": case.award.policy.name,
                "obligation": case.get_obligation_display(), "date": date_format(case.breached_on),
                "amount": yuan_text(case.amount_due)})


def clawback_daily(today) -> dict:
    from .services import clawback_scan

    return clawback_scan(on=today)


def register_clawback():
    from django.utils.translation import gettext_lazy as _

    from core import reminders
    from core.reminders import daily

    reminders.register_kind(CLAWBACK_RAISED, _("Clawback case to decide"), due=clawback_raised_due,
                            model="policies.ClawbackCase")
    # Before the reminders are raised (order 90), so that a case found today is reminded of today.
    daily.register("policies.clawback_scan", clawback_daily, order=40)

# (end of this part)


# ===== govspace ====

# (end of this part)
