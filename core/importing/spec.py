"""What a model's import looks like: its columns come from the surface's edit form (labels, kinds, choices,
required), a surface adds only what a form cannot say — the natural key, how a related object is named in a
spreadsheet, header aliases and an example row."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext as _

from core.importing import values

TEXT, CODE, NUMBER, INTEGER, DATE, BOOLEAN, CHOICE, RELATED, MANY = (
    "text", "code", "number", "integer", "date", "boolean", "choice", "related", "many",
)


@dataclass
class ImportColumn:
    """Extra facts about one form field in a spreadsheet."""

    aliases: tuple[str, ...] = ()
    # For a related object: the fields of the related model a cell may give (first match wins), and the
    # column naming the parent within which to look (a floor within its building).
    match: tuple[str, ...] = ()
    within: str | None = None
    parse: Callable | None = None  # raw cell → value compared with ``match`` (e.g. "B1" → -1)
    kind: str | None = None  # force a kind (CODE for identifiers kept in CharFields)
    unit_scale: int = 1  # 10000 for an amount kept in 万元
    help: str = ""  # the format, for the template's instructions sheet


@dataclass
class ImportSpec:
    key: tuple[str, ...]  # the natural key, as form field names
    columns: dict[str, ImportColumn] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()  # form fields not imported (e.g. a map boundary)
    example: dict[str, str] = field(default_factory=dict)  # the template's example row, by field name
    # Write new and changed rows in bulk with audit rows, instead of through the surface's services one by
    # one. Only for models whose services add nothing but ``prepare`` (defaults) and plain create/update.
    bulk: bool = False
    prepare: Callable | None = None  # (cleaned data, stored object or None, user) → fields the service would set
    on_changed: Callable | None = None  # (object, changed field names, user) after a bulk update, as the service
    # Values the form accepts but a person should confirm (an implausible area): (rows about to be written,
    # user) → [(row, column name, message)]. Rows with warnings are listed in the preview, and the commit
    # needs the uploader's confirmation (engine.Importer.confirm_warnings).
    warnings: Callable | None = None


@dataclass
class Column:
    """One importable column, resolved against the form for the current language."""

    name: str
    label: str
    kind: str
    required: bool
    field: forms.Field
    extra: ImportColumn
    choices: list[tuple[str, str]] = field(default_factory=list)
    headers: set[str] = field(default_factory=set)  # compared keys: label, aliases, field name
    choice_keys: dict[str, str] = field(default_factory=dict)  # label or value, compared → value

    def convert(self, raw):
        """A cell → the value the form field gets (related objects are resolved later)."""
        if self.extra.parse is not None and self.kind not in (RELATED, MANY):
            raw = self.extra.parse(raw)
        if self.kind == NUMBER:
            return values.number(raw, unit_scale=self.extra.unit_scale)
        if self.kind == INTEGER:
            number = values.number(raw)
            if number != number.to_integral_value():
                raise ValueError(_("“%(value)s” is not a whole number") % {"value": raw})
            return int(number)
        if self.kind == DATE:
            return values.date(raw)
        if self.kind == BOOLEAN:
            return values.boolean(raw)
        if self.kind == CHOICE:
            found = self.choice_keys.get(values.key(raw))
            if found is not None:
                return found
            raise ValueError(_("“%(value)s” is not one of: %(choices)s")
                             % {"value": values.text(raw), "choices": "、".join(str(lb) for _, lb in self.choices)})
        if self.kind == CODE:
            return values.code(raw)
        if self.kind == MANY:
            return values.split_list(raw)
        if self.kind == RELATED:
            if self.extra.parse:
                return self.extra.parse(raw)
            # A name (科技楼 A座) keeps its inner spaces; a code (ａ－１ → a-1) loses them and its width.
            return values.text(raw) if values.has_cjk(raw) else values.code(raw)
        return values.text(raw)


def kind_of(form_field: forms.Field, extra: ImportColumn) -> str:
    if extra.kind:
        return extra.kind
    if isinstance(form_field, forms.ModelMultipleChoiceField):
        return MANY
    if isinstance(form_field, forms.ModelChoiceField):
        return RELATED
    if isinstance(form_field, (forms.BooleanField, forms.NullBooleanField)):
        return BOOLEAN
    if isinstance(form_field, forms.DateField):
        return DATE
    if isinstance(form_field, (forms.DecimalField, forms.FloatField)):  # before IntegerField, their base
        return NUMBER
    if isinstance(form_field, forms.IntegerField):
        return INTEGER
    if isinstance(form_field, forms.ChoiceField):
        return CHOICE
    return TEXT


class Layout:
    """The columns of one surface's import for one user (a form drops fields some roles may not set)."""

    def __init__(self, surface, user):
        self.surface = surface
        self.spec: ImportSpec = surface.importer
        self.user = user
        form = surface.form(user=user)
        self.columns: dict[str, Column] = {}
        self._by_header: dict[str, str] = {}
        for name, form_field in form.fields.items():
            if name in self.spec.exclude or isinstance(form_field, forms.JSONField):
                continue
            if form_field.disabled or isinstance(getattr(form_field, "widget", None), forms.HiddenInput):
                continue
            extra = self.spec.columns.get(name, ImportColumn())
            kind = kind_of(form_field, extra)
            if kind in (RELATED, MANY) and not extra.match and not getattr(form_field, "takes_codes", False):
                continue  # a relation without a spreadsheet name (user accounts) is set in the app
            choices = []
            if kind == CHOICE:
                choices = [(str(v), str(lb)) for v, lb in form_field.choices if v not in ("", None)]
            model_field = next((f for f in surface.model._meta.fields if f.name == name), None)
            has_default = model_field is not None and model_field.has_default()
            column = Column(
                name=name, label=str(form_field.label or name), kind=kind,
                required=(form_field.required and not has_default) or name in self.spec.key, field=form_field,
                extra=extra, choices=choices,
            )
            # Every value the model knows is read (an exported 已出租 comes back); the form then decides which
            # a row may set, as on the page (a unit becomes leased only through a lease).
            known = [(str(v), str(lb)) for v, lb in (model_field.choices or [])] if model_field else []
            for value, label in choices + known:
                column.choice_keys.setdefault(values.key(label), value)
                column.choice_keys.setdefault(values.key(value), value)
            column.headers = {values.key(column.label), values.key(name)} | {values.key(a) for a in extra.aliases}
            self.columns[name] = column
            for header in column.headers:
                self._by_header.setdefault(header, name)

        for column in list(self.columns.values()):
            parent = self.columns.get(column.extra.within or "")
            if parent is not None:
                parent.required = True  # units are named within their building

    def column_for_header(self, cell) -> str | None:
        if values.is_blank(cell):
            return None
        return self._by_header.get(values.key(cell))

    def header_examples(self) -> list[str]:
        return [self.columns[name].label for name in self.spec.key if name in self.columns]

