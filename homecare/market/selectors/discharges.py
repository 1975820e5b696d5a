"""Hospital discharges started within 48 hours, and time from request to start.

A request started at the earliest actual start among the delivered visits of
its package: the package the request names, or a package naming the request
(packages.csv request_ref). Found in three grouped queries per month.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Min, Q

from common.months import LONDON, Month
from contracts.models import CarePackage, CareRequest, RequestSource
from homecare.market.selectors.waiting import HOUR, median, month_end, month_start
from visits.models import Visit, VisitStatus

WITHIN = dt.timedelta(hours=48)


@dataclass(frozen=True)
class Started:
    request_id: int
    requested_at: dt.datetime
    lot_id: int | None
    started_at: dt.datetime | None
    provider_id: int | None

    @property
    def within_48h(self) -> bool:
        return self.started_at is not None and self.started_at - self.requested_at <= WITHIN


RequestRow = tuple[int, str, dt.datetime, int | None, int | None]


def starts(requests: Sequence[RequestRow]) -> list[Started]:
    """(id, ref, requested_at, lot_id, package_id) of requests -> when each started."""
    refs = {ref for _, ref, *_ in requests}
    named: dict[str, set[int]] = defaultdict(set)
    for named_id, request_ref in CarePackage.objects.filter(request_ref__in=refs).values_list(
        "id", "request_ref"
    ):
        named[request_ref].add(named_id)
    package_ids = {row[4] for row in requests if row[4]} | {
        pk for ids in named.values() for pk in ids
    }
    first: dict[int, tuple[dt.datetime, int]] = {}
    for row in (
        Visit.objects.filter(package_id__in=package_ids, status=VisitStatus.COMPLETED)
        .exclude(actual_start__isnull=True)
        .values("package_id", "provider_id")
        .annotate(first=Min("actual_start"))
        .order_by()
    ):
        first[row["package_id"]] = (row["first"], row["provider_id"])
    out = []
    for pk, ref, requested_at, lot_id, package_id in requests:
        linked = named[ref] | ({package_id} if package_id else set())
        candidates = [first[p] for p in linked if p in first]
        start = min(candidates) if candidates else None
        out.append(
            Started(
                request_id=pk,
                requested_at=requested_at,
                lot_id=lot_id,
                started_at=start[0] if start else None,
                provider_id=start[1] if start else None,
            )
        )
    return out


@dataclass
class Discharges:
    requests: int = 0
    within_48h: int = 0

    @property
    def share(self) -> float | None:
        return self.within_48h / self.requests if self.requests else None


def discharge_starts(month: Month) -> list[Started]:
    rows = list(
        CareRequest.objects.filter(
            source=RequestSource.HOSPITAL,
            requested_at__gte=month_start(month),
            requested_at__lt=month_end(month),
        ).values_list("id", "ref", "requested_at", "lot_id", "package_id")
    )
    return starts(rows)


def discharges(month: Month) -> tuple[Discharges, dict[int | None, Discharges]]:
    """The market's figures for the month, and each lot's."""
    market = Discharges()
    lots: dict[int | None, Discharges] = {}
    for started in discharge_starts(month):
        for figures in (market, lots.setdefault(started.lot_id, Discharges())):
            figures.requests += 1
            figures.within_48h += started.within_48h
    return market, lots


@dataclass
class ProviderStarts:
    provider_id: int
    started: int
    median_hours: float
    longest_hours: float


@dataclass
class StartsBetween:
    """When each request of a span started (one pass over the visits), and
    which of them came from hospital: the pages' discharge and time-to-start
    figures are both read from it."""

    started: list[Started]
    hospital: set[int]

    def by_month(
        self, months: list[Month], lot_id: int | None = None
    ) -> list[tuple[Month, Discharges]]:
        found: dict[str, Discharges] = defaultdict(Discharges)
        for one in self.started:
            if one.request_id in self.hospital and (lot_id is None or one.lot_id == lot_id):
                key = Month.of(one.requested_at.astimezone(LONDON).date()).key
                found[key].requests += 1
                found[key].within_48h += one.within_48h
        return [(month, found.get(month.key, Discharges())) for month in months]

    def lots_in(self, month: Month) -> dict[int | None, Discharges]:
        found: dict[int | None, Discharges] = defaultdict(Discharges)
        for one in self.started:
            if (
                one.request_id in self.hospital
                and Month.of(one.requested_at.astimezone(LONDON).date()) == month
            ):
                found[one.lot_id].requests += 1
                found[one.lot_id].within_48h += one.within_48h
        return dict(found)


def starts_between(since: dt.datetime, until: dt.datetime) -> StartsBetween:
    """Requests made in [since, until) that are hospital discharges or were
    placed, and when each started."""
    rows = list(
        CareRequest.objects.filter(requested_at__gte=since, requested_at__lt=until)
        .filter(Q(source=RequestSource.HOSPITAL) | Q(package__isnull=False) | Q(status="placed"))
        .values_list("id", "ref", "requested_at", "lot_id", "package_id", "source")
    )
    hospital = {row[0] for row in rows if row[5] == RequestSource.HOSPITAL}
    return StartsBetween(started=starts([row[:5] for row in rows]), hospital=hospital)


def request_to_start(since: dt.datetime, until: dt.datetime) -> list[ProviderStarts]:
    """Per provider, hours from request to first delivered visit, for requests
    made in [since, until) that have started."""
    return provider_starts(starts_between(since, until).started)


def provider_starts(started_requests: list[Started]) -> list[ProviderStarts]:
    spans: dict[int, list[dt.timedelta]] = defaultdict(list)
    for started in started_requests:
        if started.started_at is not None and started.provider_id is not None:
            spans[started.provider_id].append(started.started_at - started.requested_at)
    return [
        ProviderStarts(
            provider_id=pid,
            started=len(values),
            median_hours=round(median(values) / HOUR, 2),
            longest_hours=round(max(values) / HOUR, 2),
        )
        for pid, values in spans.items()
    ]
