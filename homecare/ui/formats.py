"""How every number, date and change is written out, in one place (issue 11).

Presenters call these; templates print what presenters give them and never
format a figure themselves (the filters in ui/templatetags/formats.py are
for the few pages that print a model's own numbers).

- Whole numbers carry thousands separators: 21,115.
- Percentages have one decimal place: 12.5%.
- Hours read as hours and minutes, to the nearest minute: "10,904 hours
  20 minutes", "45 minutes", "1 hour". Stored hours are decimals (10904.33);
  nobody reads a third of an hour as ".33".
- Means have two decimal places (3.47), as stored.
- Dates read as "5 October 2026"; months as "October 2026".
- A figure with nothing to measure reads "No data".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

NO_DATA = "No data"


def _whole(value: float) -> int:
    # Half away from zero, as people round (Python's round() rounds half to even).
    return int(math.floor(abs(value) + 0.5)) * (1 if value >= 0 else -1)


def number(value: float | None, places: int = 0) -> str:
    if value is None:
        return NO_DATA
    if places == 0:
        return f"{_whole(float(value)):,}"
    return f"{float(value):,.{places}f}"


def count(value: float | None) -> str:
    """21,115"""
    return number(value)


def counted(value: float | None, noun: tuple[str, str]) -> str:
    """1 person, 21,115 people."""
    if value is None:
        return NO_DATA
    singular, plural = noun
    return f"{count(value)} {singular if _whole(float(value)) == 1 else plural}"


def percent(value: float | None, places: int = 1) -> str:
    """A percentage (12.5, not 0.125) to one decimal place: 12.5%."""
    if value is None:
        return NO_DATA
    return f"{float(value):,.{places}f}%"


def fraction(value: float | None) -> str:
    """A stored fraction as a percentage: 0.125 is 12.5%."""
    return NO_DATA if value is None else percent(float(value) * 100)


def share(value: float | None) -> str:
    """A threshold fraction as people set it: 0.1 is 10%, 0.125 is 12.5%."""
    if value is None:
        return NO_DATA
    return f"{float(value) * 100:,.2f}".rstrip("0").rstrip(".") + "%"


def mean(value: float | None) -> str:
    """3.47"""
    return number(value, 2)


def _plural(amount: int, singular: str) -> str:
    return f"{amount:,} {singular}{'' if amount == 1 else 's'}"


def hours(value: float | None) -> str:
    """Decimal hours as hours and minutes: 10904.33 is "10,904 hours 20 minutes"."""
    if value is None:
        return NO_DATA
    minutes = _whole(float(value) * 60)
    whole, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else ""
    if whole and rest:
        return f"{sign}{_plural(whole, 'hour')} {_plural(rest, 'minute')}"
    if rest:
        return f"{sign}{_plural(rest, 'minute')}"
    return f"{sign}{_plural(whole, 'hour')}"


def minutes(value: float | None) -> str:
    return NO_DATA if value is None else _plural(_whole(float(value)), "minute")


def days(value: float | None) -> str:
    return NO_DATA if value is None else _plural(_whole(float(value)), "day")


def display(value: float | None, unit: str) -> str:
    """A value in the unit people read (see homecare/kpis/registry.py)."""
    return WRITERS.get(unit, mean)(value)


WRITERS: dict[str, Callable[[float | None], str]] = {
    "count": count,
    "percent": percent,
    "hours": hours,
    "mean": mean,
    "minutes": minutes,
    "days": days,
    "share": share,
    "money": lambda value: money(value),
}


def axis(value: float, unit: str) -> str:
    """A chart's gridline label: a count axis may fall between whole numbers."""
    if unit == "count" and value != int(value):
        return number(value, 1)
    if unit == "money":
        # Whole pounds: a gridline label has no room for pence.
        return f"£{_whole(float(value)):,}"
    if unit == "mean" and value == int(value):
        return number(value)
    return display(value, unit)


def change(current: float | None, previous: float | None, unit: str, since: str) -> str:
    """The change from last month, rounded as the figures are shown, so a
    change too small to show reads as none."""
    if current is None or previous is None:
        return f"No figure for {since} to compare"
    places = {"percent": 1, "count": 0}.get(unit, 2)
    difference = round(current - previous, places)
    if difference == 0:
        return f"No change from {since}"
    word = "Up" if difference > 0 else "Down"
    size = abs(difference)
    if unit == "percent":
        amount = f"{size:.1f} percentage point{'' if size == 1 else 's'}"
    elif unit == "count":
        amount = count(size)
    elif unit == "hours":
        amount = hours(size)
    else:
        amount = f"{size:,.2f}"
    return f"{word} {amount} from {since}"


def month_name(day: dt.date) -> str:
    """October 2026"""
    return day.strftime("%B %Y")


def _as_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def date(value: Any, empty: str = "None") -> str:
    """5 October 2026, from a date or an ISO date string."""
    day = _as_date(value)
    return f"{day.day} {day:%B %Y}" if day else empty


def short_date(value: Any, empty: str = "None") -> str:
    """5 Oct 2026"""
    day = _as_date(value)
    return f"{day.day} {day:%b %Y}" if day else empty


def yes_no(value: bool | None) -> str:
    return "Not recorded" if value is None else ("Yes" if value else "No")


def money(value: Any) -> str:
    """£1,234.56 (money is Decimal, to the penny)."""
    if value is None:
        return NO_DATA
    amount = Decimal(value).quantize(Decimal("0.01"))
    return f"-£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"


def decimal_hours(value: Any) -> str:
    """Hours as a number to two places, as finance reads them: 1,234.50."""
    return NO_DATA if value is None else f"{Decimal(value):,.2f}"
