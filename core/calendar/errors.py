from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CalendarMissing(ValidationError):
    """A working-day count reached a year whose holiday notice has not been entered: the platform says so and
    does not guess."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _("The holidays of %(year)s have not been entered yet: working-day deadlines cannot be computed.")
            % {"year": str(year)}, code="calendar_missing")
