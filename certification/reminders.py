"""What certification contributes to reminders and the daily run: certifications about to expire (90, 60 and 30
days ahead, to the park's operators and the bureau) and, each day, those past their last valid day marked expired
(registered in CertificationConfig.ready)."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import reminders
from core.reminders import daily
from spaces.selectors import operator_accounts_by_park

from .choices import CertificationStatus
from .models import Certification

CERTIFICATION_EXPIRING = "certification.certification_expiring"


def certification_expiring_due(today: datetime.date, rule, only=None):
    """Valid certifications whose last valid day is ``rule.days_before`` days away or nearer, unless the subject
    already holds a later certification under the same scheme (a renewal approved)."""
    later = Certification.objects.filter(scheme_id=OuterRef("scheme_id"), park_id=OuterRef("park_id"),
                                         status=CertificationStatus.VALID, valid_until__gt=OuterRef("valid_until"))
    found = Certification.objects.filter(
        status=CertificationStatus.VALID, valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=rule.days_before),
    ).exclude(  # a building's later certification, or the park's own (a NULL building matches no other)
        Exists(later.filter(building_id=OuterRef("building_id")))
        | Q(building__isnull=True) & Exists(later.filter(building__isnull=True)))
    if only is not None:
        found = found.filter(pk__in=only)
    found = list(found.select_related("scheme", "park", "building").order_by("valid_until", "pk"))
    operators = operator_accounts_by_park({c.park_id for c in found}) if rule.to_operators else {}
    for certification in found:
        yield reminders.Due(
            certification, certification.valid_until,
            reminders.audience_ids(rule, operators=operators.get(certification.park_id, ())),
            certification_expiring_text(certification, today))


def certification_expiring_text(certification, today: datetime.date) -> str:
    days = (certification.valid_until - today).days
    values = {"scheme": certification.scheme.name, "subject": str(certification.subject),
              "number": certification.certificate_number, "date": date_format(certification.valid_until),
              "days": days}
    if days == 0:
        return str(_("%(scheme)s of %(subject)s (certificate %(number)s) is valid until today, %(date)s")) % values
    return ngettext(
        "%(scheme)s of %(subject)s (certificate %(number)s) is valid until %(date)s, %(days)d day left",
        "%(scheme)s of %(subject)s (certificate %(number)s) is valid until %(date)s, %(days)d days left",
        days) % values


def certifications_refresh(today: datetime.date) -> dict:
    from .services import certifications_expire_due

    return {"expired": certifications_expire_due(today=today)}


def register() -> None:
    reminders.register_kind(CERTIFICATION_EXPIRING, _("Certification expiring"), due=certification_expiring_due,
                            model="certification.Certification")
    daily.register("certification.certifications_refresh", certifications_refresh, order=20)
