"""A year's days laid out as twelve month grids, weeks from Monday, for the year's page (no database)."""

import calendar as gregorian
import datetime
from dataclasses import dataclass

WORK, REST, HOLIDAY, MAKE_UP = "work", "rest", "holiday", "make-up"


@dataclass(frozen=True)
class Cell:
    day: datetime.date
    working: bool
    name: str

    @property
    def kind(self) -> str:
        """A plain working day, a weekend rest, a named holiday, or a make-up working day on a weekend."""
        if self.working:
            return MAKE_UP if self.day.weekday() >= 5 else WORK
        return HOLIDAY if self.name else REST


@dataclass(frozen=True)
class Month:
    first: datetime.date
    weeks: list  # of seven Cells or None (a day of the neighbouring month)
    working_days: int


def month_grids(year: int, days: dict[datetime.date, tuple[bool, str]]) -> list[Month]:
    """The months of ``year``; a day missing from ``days`` (no calendar) is left blank like a neighbour's."""
    weeks_from_monday = gregorian.Calendar(firstweekday=0)
    months = []
    for number in range(1, 13):
        rows = [[Cell(day, *days[day]) if day.month == number and day in days else None for day in week]
                for week in weeks_from_monday.monthdatescalendar(year, number)]
        months.append(Month(datetime.date(year, number, 1), rows, sum(cell.working for row in rows for cell in row if cell)))
    return months
