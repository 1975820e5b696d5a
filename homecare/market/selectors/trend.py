"""Weekly waiting snapshots and monthly discharge figures over a year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from common.months import Month
from contracts.models import CareRequest, RequestSource
from homecare.market.models import WaitingSnapshot
from homecare.market.selectors.discharges import Discharges, starts
from homecare.market.selectors.waiting import month_end, month_start


def snapshots_since(since: dt.datetime) -> list[WaitingSnapshot]:
    return list(WaitingSnapshot.objects.filter(taken_for__gte=since).order_by("taken_for"))


def months_back(last: Month, count: int) -> list[Month]:
    months = [last]
    while len(months) < count:
        months.append(months[-1].previous())
    return months[::-1]


def discharges_by_month(
    months: list[Month], lot_id: int | None = None
) -> list[tuple[Month, Discharges]]:
    """The hospital discharges of each month, in one pass (four queries)."""
    requests = CareRequest.objects.filter(
        source=RequestSource.HOSPITAL,
        requested_at__gte=month_start(months[0]),
        requested_at__lt=month_end(months[-1]),
    )
    if lot_id is not None:
        requests = requests.filter(lot_id=lot_id)
    rows = list(requests.values_list("id", "ref", "requested_at", "lot_id", "package_id"))
    by_month: dict[str, Discharges] = defaultdict(Discharges)
    for started in starts(rows):
        key = Month.of(started.requested_at.astimezone(month_start(months[0]).tzinfo).date()).key
        by_month[key].requests += 1
        by_month[key].within_48h += started.within_48h
    return [(month, by_month.get(month.key, Discharges())) for month in months]
