"""Forms of policy support."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====
from django import forms as dj_forms  # noqa: E402
from django.utils.translation import gettext_lazy as _awards_

from core.surfaces.forms import ActionForm as _AwardsActionForm  # noqa: E402
from core.surfaces.forms import BaseModelForm as _AwardsModelForm  # noqa: E402
from core.surfaces.forms import DateInput as _AwardsDateInput  # noqa: E402

from .models import Application as _AwardsApplication  # noqa: E402
from .models import Budget as _AwardsBudget  # noqa: E402


class ApplicationForm(_AwardsModelForm):
    """The enterprise names the policy, the year supported (the period is that calendar year) and, when the
    support is for one lease, the lease; a statement says what it asks for."""

    class Meta:
        model = _AwardsApplication
        fields = ["policy", "enterprise", "year", "lease", "statement"]
        help_texts = {"year": _awards_("The period supported is this calendar year."),
                      "lease": _awards_("Only when the support is for one lease of the enterprise.")}


class YuanField(dj_forms.DecimalField):
    """An amount typed in yuan (two decimals), stored in fen."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


class BudgetForm(_AwardsModelForm):
    """A policy's budget for a year, typed in yuan; it cannot fall below what is committed already."""

    total = YuanField(label=_awards_("budget (yuan)"))

    class Meta:
        model = _AwardsBudget
        fields = ["policy", "year", "total"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from core.rules import money_to_yuan

        if self.instance.pk and not self.is_bound:
            self.initial["total"] = money_to_yuan(self.instance.total)

    def clean_total(self):
        from core.rules import money_from_yuan

        total = money_from_yuan(self.cleaned_data["total"])
        if self.instance.pk and total < self.instance.committed:
            raise dj_forms.ValidationError(_awards_("The budget cannot be less than what is committed already."))
        return total


class ApplicationCommentForm(_AwardsActionForm):
    """Returning or rejecting says why."""

    comment = dj_forms.CharField(label=_awards_("comments"), widget=dj_forms.Textarea(attrs={"rows": 3}),
                                 max_length=2000)


class ApplicationNoteForm(_AwardsActionForm):
    comment = dj_forms.CharField(label=_awards_("comments"), widget=dj_forms.Textarea(attrs={"rows": 3}),
                                 max_length=2000, required=False)


class TranchePayForm(dj_forms.Form):
    paid_on = dj_forms.DateField(label=_awards_("paid on"), widget=_AwardsDateInput())
    reference = dj_forms.CharField(label=_awards_("payment reference"), max_length=60)


class AwardCancelForm(dj_forms.Form):
    reason = dj_forms.CharField(label=_awards_("reason"), widget=dj_forms.Textarea(attrs={"rows": 2}),
                                max_length=300)


class TranchePlanForm(dj_forms.Form):
    """The award's tranches before the first payment: one amount (yuan) and an optional due date per line,
    "500000.00 2027-01-31"; the amounts must add up to the award."""

    plan = dj_forms.CharField(label=_awards_("tranches"), widget=dj_forms.Textarea(attrs={"rows": 3}),
                              max_length=2000)


# (end of this part)


# ===== clawback ====
from django import forms as _cb_forms  # noqa: E402
from django.utils.translation import gettext_lazy as _cb_lazy  # noqa: E402

from core.rules import money_from_yuan as _cb_from_yuan  # noqa: E402
from core.rules import money_to_yuan as _cb_to_yuan  # noqa: E402
from core.surfaces.forms import ActionForm as _CbActionForm  # noqa: E402
from core.surfaces.forms import BaseModelForm as _CbModelForm  # noqa: E402
from core.surfaces.forms import DateInput as _CbDateInput  # noqa: E402

from .models import ClawbackCase as _CbCase  # noqa: E402


class ClawbackYuanField(_cb_forms.DecimalField):
    """An amount typed in yuan with at most two decimals; its cleaned value is in fen (the policies' unit)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return _cb_to_yuan(value)
        return value

    def clean(self, value):
        yuan = super().clean(value)
        return None if yuan is None else _cb_from_yuan(yuan)


class ClawbackCaseForm(_CbModelForm):
    """A case raised by hand, or a raised case corrected: the award, the obligation, when and what happened, and
    the amount to recover in yuan."""

    amount_due = ClawbackYuanField(label=_cb_lazy("amount to recover (yuan)"))

    class Meta:
        model = _CbCase
        fields = ["award", "obligation", "breached_on", "detail", "amount_due"]
        widgets = {"breached_on": _CbDateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["amount_due"] = _cb_to_yuan(self.instance.amount_due)


class ClawbackWaiveForm(_CbActionForm):
    reason = _cb_forms.CharField(label=_cb_lazy("reason"), max_length=300,
                                 widget=_cb_forms.Textarea(attrs={"rows": 3}),
                                 error_messages={"required": _cb_lazy("Give the reason for waiving the recovery.")})


class ClawbackRepayForm(_CbActionForm):
    amount = ClawbackYuanField(label=_cb_lazy("amount repaid (yuan)"))
    repaid_on = _cb_forms.DateField(label=_cb_lazy("repaid on"), widget=_CbDateInput())
    reference = _cb_forms.CharField(label=_cb_lazy("payment reference"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.obj is not None and not self.is_bound:
            self.initial.setdefault("amount", _cb_to_yuan(self.obj.amount_due - self.obj.repaid))


class ClawbackScanForm(_CbActionForm):
    on = _cb_forms.DateField(label=_cb_lazy("as of"), widget=_CbDateInput())

# (end of this part)


# ===== govspace ====

# (end of this part)
