"""Calendar months as commissioners name them ('2026-10')."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Month:
    first: dt.date
    last: dt.date

    @property
    def key(self) -> str:
        return f"{self.first.year:04d}-{self.first.month:02d}"

    @classmethod
    def parse(cls, text: str) -> Month:
        found = _MONTH.match(text.strip())
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise ValueError(f"'{text}' is not a month (use YYYY-MM, e.g. 2026-10)")
        return cls.of(dt.date(int(found.group(1)), int(found.group(2)), 1))

    @classmethod
    def of(cls, day: dt.date) -> Month:
        last = calendar.monthrange(day.year, day.month)[1]
        return cls(first=day.replace(day=1), last=day.replace(day=last))

    def previous(self) -> Month:
        return Month.of(self.first - dt.timedelta(days=1))

    def __str__(self) -> str:
        return self.key


def current_month(now: dt.datetime | None = None) -> Month:
    """The month it is now in London (the server clock is UTC)."""
    now = now or dt.datetime.now(dt.UTC)
    return Month.of(now.astimezone(LONDON).date())
