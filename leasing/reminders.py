"""What leasing contributes to the daily run and to reminders (registered in LeasingConfig.ready)."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import reminders
from core.reminders import daily
from enterprises.selectors import accounts_by_enterprise
from spaces.selectors import operator_accounts_by_park

from .choices import OPEN_FOLLOW_UPS, LeaseStatus
from .models import Lease

LEASE_EXPIRING = "leasing.lease_expiring"
FOLLOW_UP_OVERDUE = "leasing.renewal_followup_overdue"


def lease_expiring_due(today: datetime.date, rule, only=None):
    """Active leases whose end date is ``rule.days_before`` days away or nearer (today included): for the
    operator accounts of the lease's park, the tenant's accounts and the bureau, as the rule says."""
    leases = Lease.objects.filter(status=LeaseStatus.ACTIVE, end_date__gte=today,
                                  end_date__lte=today + datetime.timedelta(days=rule.days_before))
    if only is not None:
        leases = leases.filter(pk__in=only)
    leases = list(leases.select_related("enterprise").order_by("end_date", "pk"))
    operators, tenants = _audiences(rule, leases)
    for lease in leases:
        yield reminders.Due(
            lease, lease.end_date,
            reminders.audience_ids(rule, operators=operators.get(lease.park_id, ()),
                                   enterprise=tenants.get(lease.enterprise_id, ())),
            lease_expiring_text(lease, today))


def lease_expiring_text(lease, today: datetime.date) -> str:
    days = (lease.end_date - today).days
    values = {"number": lease.contract_number or f"#{lease.pk}", "tenant": lease.enterprise.name,
              "date": date_format(lease.end_date), "days": days}
    if days == 0:
        return str(_("Lease %(number)s (%(tenant)s) ends today, %(date)s")) % values
    return ngettext("Lease %(number)s (%(tenant)s) ends on %(date)s, in %(days)d day",
                     "Lease %(number)s (%(tenant)s) ends on %(date)s, in %(days)d days", days) % values


def _audiences(rule, leases):
    """{park id: operator account ids}, {enterprise id: its account ids} for the leases, as the rule asks."""
    operators = operator_accounts_by_park({lease.park_id for lease in leases if lease.park_id}) if rule.to_operators else {}
    tenants = accounts_by_enterprise({lease.enterprise_id for lease in leases}) if rule.to_enterprise else {}
    return operators, tenants


def follow_up_overdue_due(today: datetime.date, rule, only=None):
    """Renewal follow-ups still open (待跟进, 洽谈中) whose next-contact date has come (``rule.days_before`` days
    ahead, 0: from that day on), of leases still running or just expired: whoever follows the lease up is
    reminded to call the tenant. Recording the follow-up with a later date, or renewing, resolves it."""
    leases = Lease.objects.filter(follow_up__in=OPEN_FOLLOW_UPS, next_contact_on__isnull=False,
                                  next_contact_on__lte=today + datetime.timedelta(days=rule.days_before),
                                  status__in=(LeaseStatus.ACTIVE, LeaseStatus.EXPIRED))
    if only is not None:
        leases = leases.filter(pk__in=only)
    leases = list(leases.select_related("enterprise").order_by("next_contact_on", "pk"))
    operators, tenants = _audiences(rule, leases)
    for lease in leases:
        values = {"number": lease.contract_number or f"#{lease.pk}", "tenant": lease.enterprise.name,
                  "date": date_format(lease.next_contact_on), "status": lease.get_follow_up_display()}
        yield reminders.Due(
            lease, lease.next_contact_on,
            reminders.audience_ids(rule, operators=operators.get(lease.park_id, ()),
                                   enterprise=tenants.get(lease.enterprise_id, ())),
            str(_("Renewal follow-up of lease %(number)s (%(tenant)s, %(status)s): the next contact was due on "
                  "%(date)s")) % values)


def leases_refresh(today: datetime.date) -> dict:
    from .services import lease_expire_due

    return {"expired": lease_expire_due(today=today)}


def register() -> None:
    reminders.register_kind(LEASE_EXPIRING, _("Lease expiring"), due=lease_expiring_due, model="leasing.Lease")
    reminders.register_kind(FOLLOW_UP_OVERDUE, _("Renewal follow-up due"), due=follow_up_overdue_due,
                            model="leasing.Lease")
    daily.register("leasing.leases_refresh", leases_refresh, order=10)
