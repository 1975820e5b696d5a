"""The visit-derived market figures, kept a while between page views.

Shares of delivered hours and when each request started are read from the
visits table (millions of rows); they change only when an import lands. So
they are kept in the cache under a key that names the last successful import:
a new import makes a new key, and a page never shows figures older than the
data. Waiting figures (requests only) are cheap and always read fresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Max

from common.months import Month
from homecare.market.selectors.concentration import delivered_hours
from homecare.market.selectors.discharges import StartsBetween, starts_between
from visits.models import ImportOutcome, ImportRecord

T = TypeVar("T")
KEEP_SECONDS = 60 * 60


def data_stamp() -> str:
    last = ImportRecord.objects.filter(outcome=ImportOutcome.SUCCEEDED).aggregate(
        last=Max("finished_at")
    )["last"]
    return last.isoformat() if last else "none"


def _kept(key: str, compute: Callable[[], T]) -> T:
    full = f"market:{data_stamp()}:{key}"
    found: T | None = cache.get(full)
    if found is None:
        found = compute()
        cache.set(full, found, KEEP_SECONDS)
    return found


def delivered_hours_kept(month: Month) -> dict[int, dict[int, dt.timedelta]]:
    return _kept(f"hours:{month.key}", lambda: dict(delivered_hours(month)))


def starts_kept(since: dt.datetime, until: dt.datetime) -> StartsBetween:
    # Whole hours in the key: the page asks for "the last year" at every view.
    key = f"starts:{since:%Y%m%d%H}:{until:%Y%m%d%H}"
    return _kept(key, lambda: starts_between(since, until))
