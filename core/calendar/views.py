"""The administrator's pages of the working-day calendar: the years, a year's months, entering a notice."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.access.permissions import CHANGE, VIEW, ensure_can
from core.calendar import selectors
from core.calendar.grid import month_grids
from core.calendar.models import WorkingCalendarYear
from core.calendar.notice import notice_lines
from core.calendar.services import FIRST_YEAR, LAST_YEAR, calendar_notice_enter
from core.surfaces.forms import DateInput, refuse_control_characters, refuse_implausible_dates, style_widget

WEEKDAY_HEADS = (
    pgettext_lazy("weekday in a month grid", "Mo"), pgettext_lazy("weekday in a month grid", "Tu"),
    pgettext_lazy("weekday in a month grid", "We"), pgettext_lazy("weekday in a month grid", "Th"),
    pgettext_lazy("weekday in a month grid", "Fr"), pgettext_lazy("weekday in a month grid", "Sa"),
    pgettext_lazy("weekday in a month grid", "Su"),
)


class NoticeForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    document_number = forms.CharField(
        label=gettext_lazy("Document number"), max_length=60,
        help_text=gettext_lazy("As printed on the notice, e.g. 国办发明电〔2025〕7号."))
    published_on = forms.DateField(label=gettext_lazy("Published on"), widget=DateInput())
    holidays = forms.CharField(
        label=gettext_lazy("Holidays"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("One holiday a line: its name, its first day and its last day, e.g. "
                               "“春节 2027-02-06 至 2027-02-13”; a single day: “元旦 2027-01-01”."))
    make_up = forms.CharField(
        label=gettext_lazy("Make-up working days"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One Saturday or Sunday that is worked a line, the holiday's name first if you "
                               "like, e.g. “春节 2027-02-20”."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field.widget)

    def full_clean(self):
        # guarded as every model form is: no control characters, no date outside the platform's years
        for field in self.fields.values():
            refuse_control_characters(field)
            refuse_implausible_dates(field)
        super().full_clean()


def _year_days(year: int) -> dict:
    return {day.date: (day.working, day.name) for day in selectors.calendar_year_days(year)}


@login_required
def calendar_years(request):
    ensure_can(request.user, VIEW, WorkingCalendarYear)
    years = list(selectors.calendar_years(user=request.user))
    counts = selectors.calendar_working_day_counts()
    for entry in years:
        entry.working_days = counts.get(entry.year)
    known = {entry.year for entry in years}
    this_year = timezone.localdate().year
    return render(request, "core/calendar_years.html", {
        "years": years, "missing": [year for year in (this_year, this_year + 1) if year not in known],
    })


@login_required
def calendar_year(request, year: int):
    ensure_can(request.user, VIEW, WorkingCalendarYear)
    entry = selectors.calendar_years(user=request.user).filter(year=year).first()
    days = _year_days(year) if entry else {}
    return render(request, "core/calendar_year.html", {
        "year": year, "entry": entry, "months": month_grids(year, days) if days else [],
        "working_days": sum(working for working, _name in days.values()),
        "weekdays": WEEKDAY_HEADS,
    })


@login_required
def calendar_notice(request):
    ensure_can(request.user, CHANGE, WorkingCalendarYear)
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = calendar_notice_enter(user=request.user, year=data["year"],
                                              document_number=data["document_number"],
                                              published_on=data["published_on"], holidays=data["holidays"],
                                              make_up=data["make_up"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The holidays of %(year)s are entered.") % {"year": entry.year})
                return HttpResponseRedirect(reverse("calendar_year", args=[entry.year]))
    else:
        form = NoticeForm(initial=_initial(request.user, request.GET.get("year")))
    return render(request, "core/calendar_notice.html", {"form": form})


def _initial(user, year_text) -> dict:
    """A year's present days as the notice's lists (to correct them), or an empty notice for the next year."""
    try:
        year = int(year_text)
    except (TypeError, ValueError):
        year = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= LAST_YEAR:
        year = timezone.localdate().year + 1
    initial = {"year": year}
    entry = selectors.calendar_years(user=user).filter(year=year).first()
    if entry is not None:
        holidays, make_up = notice_lines(_year_days(year))
        initial.update(holidays=holidays, make_up=make_up, document_number=entry.document_number,
                       published_on=entry.published_on)
    return initial
