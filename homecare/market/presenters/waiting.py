"""The waiting-for-care figures of the market or a lot, as pages and packs show them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from common.months import LONDON, Month
from contracts.models import Lot
from homecare.dashboards.charts import Chart
from homecare.market.selectors.cached import starts_kept
from homecare.market.selectors.capacity import capacity_by_lot, current_capacity
from homecare.market.selectors.discharges import Discharges, provider_starts
from homecare.market.selectors.register import embargoed_provider_ids
from homecare.market.selectors.trend import months_back, snapshots_since
from homecare.market.selectors.waiting import (
    BAND_KEYS,
    BAND_LABELS,
    SOURCE_LABELS,
    SOURCES,
    Group,
    Waiting,
    month_start,
    waiting,
)
from homecare.ui import formats
from providers.models import Provider

YEAR = dt.timedelta(days=366)


def wait(hours: float | None) -> str:
    """A wait as people say it: hours under two days, days from then on."""
    if hours is None or hours < 48:
        return formats.hours(hours)
    return f"{formats.days(hours / 24)} ({formats.count(hours)} hours)"


def _hours(value: Decimal | float) -> str:
    return formats.number(float(value), 2).rstrip("0").rstrip(".") if value else "0"


@dataclass
class Row:
    label: str
    href: str = ""
    people: str = "0"
    requests: str = "0"
    hours: str = "0"
    bands: list[tuple[str, str]] = field(default_factory=list)  # (people, hours)
    extra: list[str] = field(default_factory=list)


def _row(label: str, group: Group | None, href: str = "", extra: list[str] | None = None) -> Row:
    group = group or Group()
    return Row(
        label=label,
        href=href,
        people=formats.count(group.total.people),
        requests=formats.count(group.total.requests),
        hours=_hours(group.total.hours),
        bands=[
            (formats.count(group.bands[k].people), _hours(group.bands[k].hours)) for k in BAND_KEYS
        ],
        extra=extra or [],
    )


def _share(figures: Discharges) -> str:
    if not figures.requests:
        return "No requests"
    return f"{figures.within_48h:,} of {figures.requests:,} ({formats.fraction(figures.share)})"


@dataclass
class WaitingView:
    at: dt.datetime
    now: Waiting
    lot: Lot | None
    source_rows: list[Row]
    lot_rows: list[Row]
    discharge_rows: list[tuple[str, str]]
    trend: Chart
    start_rows: list[tuple[str, str, str, str]]
    band_labels: list[str] = field(default_factory=lambda: [BAND_LABELS[k] for k in BAND_KEYS])

    @property
    def at_label(self) -> str:
        local = self.at.astimezone(LONDON)
        return f"{local:%H:%M} on {formats.date(local.date())}"

    @property
    def headline(self) -> dict[str, Any]:
        total = self.now.everyone.total
        return {
            "people": formats.counted(total.people, ("person", "people")),
            "requests": formats.counted(total.requests, ("request", "requests")),
            "hours": formats.hours(float(total.hours)),
            "median": wait(self.now.median_wait_hours),
            "longest": wait(self.now.longest_wait_hours),
        }

    @classmethod
    def load(cls, at: dt.datetime, lot: Lot | None = None) -> WaitingView:
        now = waiting(at, lot_id=lot.pk if lot else None)
        source_rows = [_row(SOURCE_LABELS[s], now.by_source[s]) for s in SOURCES]
        lots = {x.pk: x for x in Lot.objects.select_related("framework")}
        capacity = capacity_by_lot(current_capacity())
        this_month = Month.of(at.astimezone(LONDON).date())
        months = months_back(this_month, 12)
        year = starts_kept(month_start(months[0]), at)
        by_month = year.by_month(months, lot_id=lot.pk if lot else None)
        lot_rows = []
        if lot is None:
            current_discharges = year.lots_in(this_month)
            for lot_id in sorted(lots, key=lambda pk: lots[pk].name):
                lot_rows.append(
                    _row(
                        lots[lot_id].name,
                        now.by_lot.get(lot_id),
                        href=f"/market/waiting/lots/{lot_id}/",
                        extra=[
                            _hours(capacity.get(lot_id, Decimal(0))),
                            _share(current_discharges.get(lot_id, Discharges())),
                        ],
                    )
                )
            if None in now.by_lot:
                lot_rows.append(_row("Lot not known", now.by_lot[None], extra=["", ""]))
        snapshots = snapshots_since(at - YEAR)
        key = str(lot.pk) if lot else None
        points: list[tuple[str, float | None]] = []
        for snap in snapshots:
            label = snap.taken_for.astimezone(LONDON).strftime("%d %b %y")
            if key is None:
                points.append((label, float(snap.people)))
            else:
                points.append((label, float(snap.by_lot.get(key, {}).get("people", 0))))
        trend = Chart(
            slug="waiting-trend",
            title="People waiting for care at Monday 00:00, each week over the year",
            description=(
                f"{len(points)} weekly snapshots"
                + (f"; latest {formats.count(points[-1][1])} people" if points else "")
            ),
            points=points,
            unit="count",
        )
        starts = provider_starts(year.started)
        names = dict(Provider.objects.values_list("pk", "name"))
        embargoed = embargoed_provider_ids()
        start_rows = [
            (
                names[s.provider_id]
                + (" (placement embargo)" if s.provider_id in embargoed else ""),
                formats.count(s.started),
                wait(s.median_hours),
                wait(s.longest_hours),
            )
            for s in sorted(starts, key=lambda s: names[s.provider_id])
        ]
        return cls(
            at=at,
            now=now,
            lot=lot,
            source_rows=source_rows,
            lot_rows=lot_rows,
            discharge_rows=[(formats.month_name(m.first), _share(d)) for m, d in by_month],
            trend=trend,
            start_rows=start_rows,
        )
