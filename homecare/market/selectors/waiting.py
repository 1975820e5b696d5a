"""Who is waiting for care at an instant, in the spec's wait bands.

Requests are few (thousands, not millions), so the waiting ones at an instant
are read in one query and grouped here; visits are never read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from common.months import LONDON, Month
from contracts.models import CareRequest, RequestSource

HOUR = dt.timedelta(hours=1)
# (key, label, lower edge inclusive, upper edge exclusive)
BANDS: tuple[tuple[str, str, dt.timedelta, dt.timedelta | None], ...] = (
    ("under_48h", "Under 48 hours", dt.timedelta(0), dt.timedelta(hours=48)),
    ("48h_to_7d", "48 hours to 7 days", dt.timedelta(hours=48), dt.timedelta(days=7)),
    ("7d_to_28d", "7 to 28 days", dt.timedelta(days=7), dt.timedelta(days=28)),
    ("28d_and_over", "28 days and over", dt.timedelta(days=28), None),
)
BAND_KEYS = tuple(key for key, *_ in BANDS)
BAND_LABELS = {key: label for key, label, *_ in BANDS}
SOURCES = tuple(RequestSource.values)
SOURCE_LABELS = dict(RequestSource.choices)


def band_of(wait: dt.timedelta) -> str:
    """Each band includes its lower edge and excludes its upper one."""
    for key, _label, _lower, upper in BANDS:
        if upper is None or wait < upper:
            return key
    raise AssertionError("the last band has no upper edge")


def month_end(month: Month) -> dt.datetime:
    """00:00 Europe/London on the first day of the next month."""
    following = month.last + dt.timedelta(days=1)
    return dt.datetime(following.year, following.month, 1, tzinfo=LONDON)


def month_start(month: Month) -> dt.datetime:
    return dt.datetime(month.first.year, month.first.month, 1, tzinfo=LONDON)


def waiting_at(at: dt.datetime) -> QuerySet[CareRequest]:
    """Requests waiting at `at`: requested before it, and neither placed nor
    withdrawn before it."""
    return CareRequest.objects.filter(requested_at__lt=at).filter(
        Q(placed_at__isnull=True) | Q(placed_at__gte=at),
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=at),
    )


@dataclass
class Cell:
    """People, requests and weekly hours of one group of waiting requests."""

    requests: int = 0
    hours: Decimal = Decimal(0)
    people_ids: set[int] = field(default_factory=set)

    @property
    def people(self) -> int:
        return len(self.people_ids)

    def add(self, person_id: int, hours: Decimal | None) -> None:
        self.requests += 1
        self.hours += hours or Decimal(0)
        self.people_ids.add(person_id)


@dataclass
class Group:
    """One row of a waiting table (a source, a lot or everyone), by band."""

    total: Cell = field(default_factory=Cell)
    bands: dict[str, Cell] = field(default_factory=lambda: {key: Cell() for key in BAND_KEYS})

    def add(self, band: str, person_id: int, hours: Decimal | None) -> None:
        self.total.add(person_id, hours)
        self.bands[band].add(person_id, hours)


@dataclass
class Waiting:
    at: dt.datetime
    everyone: Group
    by_source: dict[str, Group]
    by_lot: dict[int | None, Group]
    waits: list[dt.timedelta]

    @property
    def median_wait_hours(self) -> float | None:
        return hours_of(median(self.waits)) if self.waits else None

    @property
    def longest_wait_hours(self) -> float | None:
        return hours_of(max(self.waits)) if self.waits else None


def median(spans: list[dt.timedelta]) -> dt.timedelta:
    """The middle wait; with an even number, the mean of the two middle ones."""
    ordered = sorted(spans)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def hours_of(span: dt.timedelta) -> float:
    return round(span / HOUR, 2)


Row = tuple[int, dt.datetime, str, int | None, Decimal | None]


def measure(at: dt.datetime, rows: Iterable[Row]) -> Waiting:
    result = Waiting(
        at=at,
        everyone=Group(),
        by_source={source: Group() for source in SOURCES},
        by_lot={},
        waits=[],
    )
    for person_id, requested_at, source, lot_id, hours in rows:
        wait = at - requested_at
        band = band_of(wait)
        result.waits.append(wait)
        result.everyone.add(band, person_id, hours)
        result.by_source[source].add(band, person_id, hours)
        result.by_lot.setdefault(lot_id, Group()).add(band, person_id, hours)
    return result


def waiting(at: dt.datetime, *, lot_id: int | None = None) -> Waiting:
    requests = waiting_at(at)
    if lot_id is not None:
        requests = requests.filter(lot_id=lot_id)
    rows = requests.order_by().values_list(
        "person_id", "requested_at", "source", "lot_id", "weekly_hours"
    )
    return measure(at, rows)
