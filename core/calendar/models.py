"""The working-day calendar: one row per year saying where its days come from, one row per day saying whether
people work on it. Imported by core.models, so they belong to the core app."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models.base import BaseModel
from core.reference.choices import CalendarSource


class WorkingCalendarYear(BaseModel):
    """A year whose days are known: seeded from the ``chinese-calendar`` library, or entered by the
    administrator from the State Council's holiday notice (e.g. 国办发明电〔2025〕7号). A year without a row
    has no calendar, and no deadline that reaches it is computed."""

    admin_only = True

    year = models.PositiveSmallIntegerField(pgettext_lazy("working calendar", "year"), unique=True)
    source = models.CharField(pgettext_lazy("working calendar", "source"), max_length=10, choices=CalendarSource.choices)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("working calendar year")
        verbose_name_plural = _("working calendar years")
        constraints = [
            models.CheckConstraint(condition=Q(year__gte=1949) & Q(year__lte=2200), name="calendar_year_in_range"),
            models.CheckConstraint(condition=Q(source=CalendarSource.SEED) | ~Q(document_number=""),
                                   name="calendar_notice_has_number"),
        ]

    def __str__(self):
        return f"{self.year}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("calendar_year", args=[self.year])

    @property
    def source_color(self):
        return CalendarSource.color(self.source)


class CalendarDay(models.Model):
    """One day of a year that has a calendar: a working day or a rest day, with the holiday's name when it is
    one (春节) or when it is a make-up working day for one."""

    changes_lists = False  # no list counts them; a year is written whole, audited as one event

    date = models.DateField(_("date"), primary_key=True)
    working = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return self.date.isoformat()
