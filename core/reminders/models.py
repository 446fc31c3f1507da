"""Reminder rules (data the administrator edits), reminders (one per person, record and occasion) and their
deliveries by the senders. Imported by core.models, so they belong to the core app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.base import BaseModel
from core.reference.choices import ReminderResolution
from core.reminders.kinds import applies_to_choices, kind_choices, kind_for


class ReminderRule(BaseModel):
    """When to remind whom of what: e.g. leases ending within 30 days, to the park's operator and the bureau.

    Rules of one kind with different ``days_before`` make bands: a person gets one reminder per record and
    occasion at a time, from the nearest rule that applies (a lease 30 days from its end gets the 30-day
    reminder, which replaces the 60-day one)."""

    admin_only = True

    kind = models.CharField(_("kind"), max_length=80, choices=kind_choices)
    title = models.CharField(_("rule name"), max_length=100)
    applies_to = models.CharField(_("applies to"), max_length=40, blank=True, choices=applies_to_choices,
                                  help_text=_("Leave empty for every record of the kind."))
    days_before = models.PositiveSmallIntegerField(
        _("days before"), help_text=_("Remind when the due date is this many days away or nearer (0: on the day)."))
    to_operators = models.BooleanField(_("park operators"), default=False,
                                       help_text=_("The operator accounts of the record's park."))
    to_enterprise = models.BooleanField(_("the enterprise"), default=False,
                                        help_text=_("The enterprise's own accounts."))
    to_bureau = models.BooleanField(_("bureau officers and administrators"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "-days_before", "pk"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.CheckConstraint(condition=Q(to_operators=True) | Q(to_enterprise=True) | Q(to_bureau=True),
                                   name="reminder_rule_has_audience"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("core:reminderrule_detail", args=[self.pk])

    def clean(self):
        if not (self.to_operators or self.to_enterprise or self.to_bureau):
            raise ValidationError({"to_bureau": _("Choose at least one audience.")})
        kind = kind_for(self.kind)
        if self.applies_to and kind is not None and self.applies_to not in dict(kind.applies_to):
            raise ValidationError({"applies_to": _("This kind of reminder cannot be limited so; choose one of "
                                                   "its own or leave it empty.")})

    @property
    def audience(self) -> str:
        names = [str(self._meta.get_field(name).verbose_name)
                 for name in ("to_operators", "to_enterprise", "to_bureau") if getattr(self, name)]
        return "、".join(names)


class Reminder(models.Model):
    """One person's reminder about one record on one occasion (its due date), raised by a rule.

    Open while the rule's condition holds; read or not, it stays in the inbox until resolved (the lease was
    renewed, ended or changed; a nearer rule replaced it)."""

    # No index of their own: the unique constraint below leads with the rule, and a content type alone says little.
    rule = models.ForeignKey(ReminderRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="reminders",
                             db_index=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="reminders")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)
    object_id = models.CharField(max_length=40)
    due_date = models.DateField(_("due date"))
    text = models.CharField(_("text"), max_length=300)
    link = models.CharField(max_length=200, blank=True)
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=12, choices=ReminderResolution.choices, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            # Raising twice on one day (two runs, a run and a service's refresh) cannot make a second one.
            models.UniqueConstraint(fields=["rule", "recipient", "content_type", "object_id", "due_date"],
                                    name="reminder_once_per_occasion"),
        ]
        indexes = [
            # The bell: a person's unread open reminders, counted from the index alone.
            models.Index(fields=["recipient"], condition=Q(resolved_at__isnull=True, read_at__isnull=True),
                         name="reminder_unread"),
            # The inbox: a person's open reminders, newest first.
            models.Index(fields=["recipient", "-raised_at", "-id"], condition=Q(resolved_at__isnull=True),
                         name="reminder_inbox"),
            # refresh_for(record): the open reminders about one record.
            models.Index(fields=["content_type", "object_id"], condition=Q(resolved_at__isnull=True),
                         name="reminder_record_open"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ReminderDelivery(models.Model):
    """What one sender (SMS, enterprise WeChat, the log) did with one reminder: sent, or failed and why."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    sender = models.CharField(_("sender"), max_length=200)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_attempt = models.DateTimeField(_("last attempt"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [models.UniqueConstraint(fields=["reminder", "sender"], name="reminder_delivery_once")]

    def __str__(self):
        return f"{self.sender}: {self.reminder_id}"
