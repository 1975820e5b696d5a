"""The reference period of the demo: the three months of visits it holds."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from common.months import LONDON

MONTHS_OF_VISITS = 3


def parse_month(text: str) -> tuple[int, int]:
    """'2026-10' -> (2026, 10), or ValueError."""
    year_text, _, month_text = text.strip().partition("-")
    year, month = int(year_text), int(month_text)
    if not (1 <= month <= 12 and 2000 <= year <= 2100) or len(month_text) != 2:
        raise ValueError(f"'{text}' is not a month (use YYYY-MM, e.g. 2026-10)")
    return year, month


def default_end_month(now: datetime | None = None) -> tuple[int, int]:
    """The last complete month in London: the demo shows the three months before this one."""
    today = (now or datetime.now(LONDON)).astimezone(LONDON).date()
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def visit_period(end_month: tuple[int, int], months: int = MONTHS_OF_VISITS) -> tuple[date, date]:
    """First and last day of the three months of visits ending with end_month."""
    first = date(*_add_months(*end_month, -(months - 1)), 1)
    after = date(*_add_months(*end_month, 1), 1)
    return first, after - timedelta(days=1)


def demo_now(end_month: tuple[int, int] | None) -> datetime:
    """The demo's "now" for waits: now itself, or the end of the chosen month
    when the demo is built for a month in the past (tests, benchmarks)."""
    now = datetime.now(LONDON)
    if end_month is None:
        return now
    year, month = _add_months(*end_month, 1)
    month_end = datetime(year, month, 1, tzinfo=LONDON)
    return min(now, month_end)
