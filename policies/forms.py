"""Forms of policy support."""


# ===== versions ====

# (end of this part)


# ===== screening ====
import datetime as _datetime  # noqa: E402

from django.utils.translation import gettext_lazy as _  # noqa: E402

from core.surfaces.forms import BaseModelForm, DateInput  # noqa: E402

from .models import Offer, ScreeningRun  # noqa: E402


class ScreeningRunForm(BaseModelForm):
    """A screening: the period supported (normally last calendar year) and the day its facts are taken on."""

    class Meta:
        model = ScreeningRun
        fields = ["period_start", "period_end", "decided_on"]
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "decided_on": DateInput()}
        help_texts = {"decided_on": _("Facts such as leases, qualifications and certifications are taken as of "
                                      "this day; normally the period's last day.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            last_year = _datetime.date.today().year - 1
            self.initial.setdefault("period_start", _datetime.date(last_year, 1, 1))
            self.initial.setdefault("period_end", _datetime.date(last_year, 12, 31))
            self.initial.setdefault("decided_on", _datetime.date(last_year, 12, 31))

    def clean(self):
        data = super().clean()
        start, end, on = data.get("period_start"), data.get("period_end"), data.get("decided_on")
        if start and end and end < start:
            self.add_error("period_end", _("The period cannot end before it starts."))
        if start and on and on < start:
            self.add_error("decided_on", _("The screening day cannot be before the period starts."))
        return data


class OfferForm(BaseModelForm):
    """Offers are made by screenings and answered by their actions (confirm, decline); no field is edited."""

    class Meta:
        model = Offer
        fields = ["status"]

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
