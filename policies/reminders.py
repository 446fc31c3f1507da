"""Reminder rules of policy support (core.reminders)."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from core import reminders

# ----- applications, awards, budgets and tranches --------------------------------------------------------------
# Awards with a tranche to pay: the payout deadline (N working days after approval) or a later tranche's date
# coming, or passed, to the bureau (seeded rule in policies/migrations/0004_awards_payout_reminders.py).


PAYOUT_DUE = "policies.payout_due"


def payout_due(today: datetime.date, rule, only=None):
    """Active awards whose next unpaid tranche falls due within ``rule.days_before`` days, or is overdue."""
    from .choices import AwardStatus, TrancheStatus
    from .models import Tranche

    tranches = (Tranche.objects.filter(status=TrancheStatus.SCHEDULED, award__status=AwardStatus.ACTIVE,
                                       due_on__isnull=False,
                                       due_on__lte=today + datetime.timedelta(days=rule.days_before))
                .select_related("award__policy", "award__enterprise").order_by("award_id", "due_on", "number"))
    if only is not None:
        tranches = tranches.filter(award_id__in=only)
    seen = set()
    for tranche in tranches:
        award = tranche.award
        if award.pk in seen:  # the award's earliest unpaid tranche speaks for it
            continue
        seen.add(award.pk)
        yield reminders.Due(award, tranche.due_on, reminders.audience_ids(rule),
                                    payout_due_text(tranche, today))


def payout_due_text(tranche, today) -> str:
    from .services import money_text

    values = {"award": str(tranche.award), "number": tranche.number, "amount": money_text(tranche.amount),
              "date": date_format(tranche.due_on)}
    if tranche.due_on < today:
        return gettext("%(award)s: tranche %(number)s, %(amount)s, was due for payment on %(date)s") % values
    return gettext("%(award)s: tranche %(number)s, %(amount)s, is due for payment on %(date)s") % values


def payout_due_refresh(today: datetime.date) -> dict:
    from .services import payout_due_fill

    return {"payout deadlines filled": payout_due_fill(today=today)}


def register_awards() -> None:
    from core.reminders import daily

    reminders.register_kind(PAYOUT_DUE, gettext_lazy("Award payment due"), due=payout_due,
                                    model="policies.Award")
    # Before the reminders are raised (order 90), so that a deadline filled today is reminded of today.
    daily.register("policies.payout_due_fill", payout_due_refresh, order=30)


# ----- obligations and clawback --------------------------------------------------------------------------------
CLAWBACK_RAISED = "policies.clawback_raised"


def clawback_raised_due(today, rule, only=None):
    """Clawback cases raised and not yet decided: the bureau confirms or waives each. The reminder is resolved
    when the case is decided."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from core import reminders
    from core.rules import yuan_text

    from .choices import ClawbackStatus
    from .models import ClawbackCase

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


# ----- government-owned space and the funds report -------------------------------------------------------------
def register() -> None:
    """The reminder kinds and rules of policy support, registered once when the app is ready."""
    register_awards()
    register_clawback()
