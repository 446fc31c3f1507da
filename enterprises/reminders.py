"""What enterprises contributes to reminders: certificates about to lapse (registered in EnterprisesConfig.ready)."""

import datetime
from collections import defaultdict

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import reminders
from spaces.selectors import operator_accounts_by_park

from .choices import QualificationKind
from .models import Enterprise, Qualification
from .selectors import accounts_by_enterprise

QUALIFICATION_LAPSING = "enterprises.qualification_lapsing"


def qualification_lapsing_due(today: datetime.date, rule, only=None):
    """Certificates (of the rule's kind, e.g. 国家高新技术企业) whose last valid day is ``rule.days_before``
    days away or nearer, unless the enterprise already holds a later certificate of that kind (renewed)."""
    renewed = Qualification.objects.filter(
        enterprise_id=OuterRef("enterprise_id"), kind=OuterRef("kind"), issued_on__gt=OuterRef("issued_on"),
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until")))
    certificates = Qualification.objects.filter(
        valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=rule.days_before),
    ).exclude(Exists(renewed))
    if rule.applies_to:
        certificates = certificates.filter(kind=rule.applies_to)
    if only is not None:
        certificates = certificates.filter(pk__in=only)
    certificates = list(certificates.select_related("enterprise").order_by("valid_until", "pk"))
    enterprise_ids = {c.enterprise_id for c in certificates}
    own = accounts_by_enterprise(enterprise_ids) if rule.to_enterprise else {}
    operators = _operators_of(enterprise_ids) if rule.to_operators else {}
    for certificate in certificates:
        yield reminders.Due(
            certificate, certificate.valid_until,
            reminders.audience_ids(rule, operators=operators.get(certificate.enterprise_id, ()),
                                   enterprise=own.get(certificate.enterprise_id, ())),
            qualification_lapsing_text(certificate, today))


def _operators_of(enterprise_ids) -> dict[int, list[int]]:
    """The operator accounts of the parks where each enterprise holds an active lease, and of the operator
    that registered it (leasing builds on enterprises: its model is looked up, not imported)."""
    found = defaultdict(set)
    Lease = apps.get_model("leasing", "Lease")
    park_of = defaultdict(set)
    # "active": leasing's LeaseStatus.ACTIVE (enterprises cannot import leasing).
    for enterprise_id, park_id in Lease.objects.filter(enterprise_id__in=enterprise_ids, status="active").values_list(
            "enterprise_id", "park_id"):
        park_of[park_id].add(enterprise_id)
    for park_id, user_ids in operator_accounts_by_park(park_of).items():
        for enterprise_id in park_of[park_id]:
            found[enterprise_id].update(user_ids)
    for enterprise_id, user_id in Enterprise.objects.filter(
            pk__in=enterprise_ids, registered_by__isnull=False).values_list("pk", "registered_by__users"):
        if user_id:
            found[enterprise_id].add(user_id)
    return {k: sorted(v) for k, v in found.items()}


def qualification_lapsing_text(certificate, today: datetime.date) -> str:
    days = (certificate.valid_until - today).days
    values = {"kind": certificate.get_kind_display(), "number": certificate.certificate_number or f"#{certificate.pk}",
              "enterprise": certificate.enterprise.name, "date": date_format(certificate.valid_until), "days": days}
    if days == 0:
        return str(_("%(kind)s certificate %(number)s (%(enterprise)s) is valid until today, %(date)s")) % values
    return ngettext(
        "%(kind)s certificate %(number)s (%(enterprise)s) is valid until %(date)s, %(days)d day left",
        "%(kind)s certificate %(number)s (%(enterprise)s) is valid until %(date)s, %(days)d days left", days) % values


def register() -> None:
    reminders.register_kind(QUALIFICATION_LAPSING, _("Qualification certificate lapsing"),
                            due=qualification_lapsing_due, model="enterprises.Qualification",
                            applies_to=QualificationKind.choices)
