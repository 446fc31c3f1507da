"""Every read of policy support that matters, scoped to the user."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====
from core.rules import money_to_yuan as _cb_money_to_yuan  # noqa: E402

from .models import ClawbackCase as _CbCase  # noqa: E402
from .models import LedgerEntry as _CbLedgerEntry  # noqa: E402


def clawback_cases(*, user, award=None, enterprise=None):
    """The clawback cases ``user`` sees (an enterprise its own), of one award or one enterprise."""
    cases = _CbCase.objects.for_user(user).select_related("award__policy", "enterprise")
    if award is not None:
        cases = cases.filter(award=award)
    if enterprise is not None:
        cases = cases.filter(enterprise=enterprise)
    return cases.order_by("-breached_on", "-id")


def clawback_repayments(*, user, case):
    """The repayments recorded on a case (ledger entries of kind 'recovered'): the bureau's books, which an
    enterprise does not read (it sees the case's repaid total)."""
    from core.access.permissions import role_may

    if not role_may(user, "view", _CbLedgerEntry):
        return _CbLedgerEntry.objects.none()
    return _CbLedgerEntry.objects.filter(clawback=case).order_by("id")


def clawback_evidence_rows(case) -> list[tuple[str, str]]:
    """The case's evidence as (label, value) rows a person reads: the records and dates it rests on and how the
    amount was reached."""
    import datetime

    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from .obligations import yuan_text

    evidence = case.evidence or {}

    def day(key):
        value = evidence.get(key)
        return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT") if value else None

    rows = [
        (_("lease"), evidence.get("contract_number") or (f"#{evidence['lease']}" if evidence.get("lease") else None)),
        (_("terminated on"), day("terminated_on")),
        (_("subtenant"), evidence.get("subtenant_name")),
        (_("sublet from"), day("starts_on")),
        (_("sublet found on"), day("found_on")),
        (_("moved out of the district on"), day("moved_out_on")),
        (_("qualification"), evidence.get("qualification_label")),
        (_("no longer valid from"), day("lapsed_on")),
        (_("supported period"), f"{day('period_start')} — {day('period_end')}" if evidence.get("period_start") else None),
        (_("obligation holds until"), day("holds_until")),
        (_("recovery"), {"all": _("everything paid"), "pro_rata": _("pro rata by days")}.get(evidence.get("recover"))),
        (_("paid under the award when raised"),
         yuan_text(evidence["paid"]) if "paid" in evidence else None),
    ]
    if evidence.get("recover") == "pro_rata" and evidence.get("term_days"):
        rows.append((_("days of the term after the breach"),
                     _("%(after)s of %(days)s days") % {"after": evidence["days_after"], "days": evidence["term_days"]}))
    if "computed" in evidence and evidence["computed"] != case.amount_due:
        rows.append((_("computed amount (capped by what remains to recover)"),
                     yuan_text(evidence["computed"])))
    return [(label, value) for label, value in rows if value]


def clawback_yuan(fen) -> object:
    return None if fen is None else _cb_money_to_yuan(fen)

# (end of this part)


# ===== govspace ====

# (end of this part)
