"""The rows of a condition builder, as forms: criteria over a fact catalogue and parameters with dated values,
typed in the units people write (㎡, %, 元, 家, dates). Every app that keeps rules as data builds them here
(certification's schemes, policies' versions); ``core.rules.rows`` turns the rows into JSON and back.

A page binds one formset per table (``builder_rows``), keeps the rows that hold something (``filled_rows``),
converts them, and puts each conversion error on the row it names (``put_row_errors``); the template
``core/builder_rows.html`` shows a formset as an editable table."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.rules import FactType
from core.rules.operators import OPERATORS

from .forms import DateInput, style_widget

# The unit a person types a fact's values in, shown beside the fact's name.
HUMAN_UNIT_LABELS = {FactType.AREA: "㎡", FactType.SHARE: "%", FactType.MONEY: "元", FactType.RATIO: "比率",
                     FactType.COUNT: "个", FactType.DATE: "日期", FactType.CODE: "代码", FactType.BOOL: "是/否"}
# Every choice of a row starts blank, so that an empty row posts nothing and is left out.
BLANK = [("", "—")]
OPERATOR_CHOICES = BLANK + [(op.code, f"{op.symbol} {op.label}") for op in OPERATORS.values()]
TYPE_CHOICES = BLANK + [(t.value, t.label) for t in FactType]

# The width a column of the builder's tables needs to show what is typed in it.
WIDTHS = {"label": "min-width: 12rem", "fact": "min-width: 15rem", "op": "min-width: 8.5rem",
          "value": "min-width: 8rem", "param": "min-width: 9rem", "group": "width: 4.5rem",
          "note": "min-width: 11rem", "code": "width: 5rem", "kind": "min-width: 10rem", "weight": "width: 5.5rem",
          "full_at": "min-width: 7rem", "name": "min-width: 10rem", "type": "min-width: 6rem"}


def fact_choices(catalogue, *, numbers_only: bool = False):
    """A select's choices of the catalogue's facts, each with the unit its values are typed in."""
    return BLANK + [(fact.name, f"{fact.label}（{fact.unit or HUMAN_UNIT_LABELS[fact.type]}）")
                    for fact in catalogue if not numbers_only or fact.type.is_number]


class RowForm(forms.Form):
    """A row of a builder formset, styled as the edit forms are."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            style_widget(field.widget)
            field.widget.attrs.setdefault("aria-label", str(field.label))
            if name in WIDTHS:
                field.widget.attrs["style"] = WIDTHS[name]


class CriterionRowForm(RowForm):
    """A criterion: a fact of ``catalogue`` (set by the app's subclass), a comparison, and a threshold typed in the
    fact's unit or a parameter's name."""

    catalogue = ()

    label = forms.CharField(label=_lazy("criterion"), max_length=100, required=False)
    fact = forms.ChoiceField(label=_lazy("fact"), choices=())
    op = forms.ChoiceField(label=_lazy("comparison"), choices=OPERATOR_CHOICES)
    value = forms.CharField(label=_lazy("threshold"), max_length=200, required=False,
                            help_text=_lazy("In ㎡, %, 元, 家 or a date; a~b for a range, 、 between listed values."))
    param = forms.CharField(label=_lazy("or parameter"), max_length=60, required=False)
    group = forms.IntegerField(label=_lazy("group"), min_value=1, max_value=99, required=False)
    negate = forms.BooleanField(label=_lazy("NOT"), required=False)
    note = forms.CharField(label=_lazy("note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fact"].choices = fact_choices(self.catalogue)


class ParameterRowForm(RowForm):
    name = forms.SlugField(label=_lazy("parameter"), max_length=60)
    label = forms.CharField(label=_lazy("name"), max_length=100, required=False)
    type = forms.ChoiceField(label=_lazy("kind of value"), choices=TYPE_CHOICES)
    effective_from = forms.DateField(label=_lazy("effective from"), widget=DateInput())
    value = forms.CharField(label=_lazy("value"), max_length=100)


def builder_rows(form, *, extra=2, most=64):
    """A formset of builder rows: the rows read from the record, ``extra`` empty ones, each row removable."""
    return forms.formset_factory(form, extra=extra, can_delete=True, max_num=most, validate_max=True)


def criteria_initial(tree, catalogue) -> tuple[list[dict], bool]:
    """The criterion rows of a condition tree as the form shows them, and whether the tree has the builder's shape
    (one that does not is replaced by the rows when saved)."""
    from core.rules.rows import threshold_text, tree_to_rows

    rows = tree_to_rows(tree)
    shaped = rows is not None if tree else True
    initial = []
    for row in rows or []:
        fact = catalogue.get(row["fact"])
        text = threshold_text(fact.type, row["op"], row["raw"]) if fact and row["raw"] is not None else ""
        initial.append({"label": row["label"], "fact": row["fact"], "op": row["op"], "value": text,
                        "param": row["param"], "group": row["group"], "negate": row["negate"], "note": row["note"]})
    return initial, shaped


def filled_rows(formset) -> list:
    """The formset's rows that hold something (rows read from the record, changed or not, and new rows typed
    in) and are not ticked for deletion, in order. An empty new row has no cleaned data."""
    return [form for form in formset.forms
            if any(value not in (None, "", False) for name, value in form.cleaned_data.items() if name != "DELETE")
            and not form.cleaned_data.get("DELETE")]


def put_row_errors(formset, rows, errors) -> None:
    """Put each error of a conversion (numbered by the rows that hold something; 0 for the whole) on its row,
    named by the number the page shows beside it."""
    for number, messages_ in errors.items():
        for message in messages_:
            if number and number <= len(rows):
                shown = formset.forms.index(rows[number - 1]) + 1
                rows[number - 1].add_error(None, _("Row %(row)s: %(error)s") % {"row": shown, "error": message})
            else:
                formset.non_form_errors().append(message)
