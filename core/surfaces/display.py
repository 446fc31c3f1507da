"""How a value reads on a page: a field path followed through a record, and a value as text (dates in Chinese,
amounts with two decimals, 是/否). Table cells, attributes and template filters use the same."""

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def resolve(record, accessor: str):
    if accessor == "__str__":
        return str(record)
    value = record
    for part in accessor.replace("__", ".").split("."):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display else getattr(value, part, None)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value


def display(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")  # 2021年6月21日 in Chinese
    return str(value)
