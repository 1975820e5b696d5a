"""The pieces every view of a month is made of: RAG tiles with their change
from last month, headline figures, the row of every exported figure and the
twelve-month charts. Each value is written out here, once, by
homecare/ui/formats.py with the KPI's unit from homecare/kpis/registry.py;
pages and packs print these strings as they are."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from homecare.dashboards import rag, selectors
from homecare.dashboards.charts import Chart
from homecare.kpis.models import MonthlyKpi
from homecare.kpis.registry import FIGURE_KEYS, KPIS
from homecare.ui import formats


def stored_ratings(kpi: MonthlyKpi | None) -> dict[str, rag.Rating]:
    """The RAG rating stored with a month's figures (see dashboards/services.py).
    Rows must come with `select_related("rag_result")`, so this runs no query."""
    if kpi is None:
        return {}
    try:
        result = kpi.rag_result
    except ObjectDoesNotExist:
        result = None
    return rag.from_stored(result.measures if result else None)


def overall_of(ratings: dict[str, rag.Rating]) -> str:
    return rag.overall(ratings) if ratings else rag.NO_DATA


def status_counts(statuses: list[str]) -> dict[str, int]:
    return {
        status: sum(1 for s in statuses if s == status)
        for status in (rag.RED, rag.AMBER, rag.GREEN, rag.NO_DATA)
    }


def stamp_of(kpi: MonthlyKpi | None) -> str:
    """What a cached rendering of this row depends on: its figures and its rating."""
    return selectors.kpi_stamp(kpi)


@dataclass(frozen=True)
class Tile:
    """One RAG measure of a month: figure, status and why, and the change."""

    key: str
    label: str
    help: str
    value: str
    status: str
    status_label: str
    tag_class: str
    reason: str
    limits_text: str
    previous: str
    change: str


def tiles(
    ratings: dict[str, rag.Rating], previous: dict[str, rag.Rating], since: str
) -> list[Tile]:
    out = []
    for key, rating in ratings.items():
        before = previous.get(key)
        out.append(
            Tile(
                key=key,
                label=rating.measure.label,
                help=rating.measure.why,
                value=rating.display,
                status=rating.status,
                status_label=rating.label,
                tag_class=rating.tag_class,
                reason=rating.reason,
                limits_text=rating.limits_text,
                previous=before.display if before else formats.NO_DATA,
                change=formats.change(
                    rating.value, before.value if before else None, rating.measure.unit, since
                ),
            )
        )
    return out


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: str
    change: str
    note: str = ""


# The market's headline figures.
HEADLINES = (
    "people_supported",
    "people_late_over_10pct",
    "missed_visits",
    "six_week_reviews_overdue",
    "mean_carers_per_person",
    "delivered_hours_share",
)


# Care standards (issue 15), shown together on the market page and pack.
CARE_STANDARDS = (
    "time_critical_outside_window",
    "time_critical_outside_rate",
    "visits_under_30_min_known_carer_rate",
    "missed_visits_living_alone",
    "missed_visits_lacking_capacity",
    "missed_visits_living_alone_lacking_capacity",
)


def headlines(
    figures: dict[str, Any] | None,
    previous: dict[str, Any] | None,
    since: str,
    keys: tuple[str, ...] = HEADLINES,
) -> list[Headline]:
    out = []
    for key in keys:
        kpi = KPIS[key]
        value = kpi.value(figures) if figures else None
        before = kpi.value(previous) if previous else None
        note = ""
        if key == "delivered_hours_share" and figures:
            delivered = formats.hours(figures.get("delivered_hours") or 0)
            planned = formats.hours(figures.get("planned_hours") or 0)
            note = f"{delivered} delivered of {planned} planned"
        out.append(
            Headline(
                key,
                kpi.label,
                formats.display(value, kpi.unit),
                formats.change(value, before, kpi.unit, since),
                note,
            )
        )
    return out


@dataclass(frozen=True)
class FigureRow:
    """One exported figure: as people read it, and as the export has it."""

    key: str
    label: str
    help: str
    value: str
    export: str
    # Where the list behind it is, on the dashboard (empty: no list).
    link: str = ""
    link_text: str = ""


def figure_rows(figures: dict[str, Any], links: dict[str, tuple[str, str]]) -> list[FigureRow]:
    rows = []
    for key in FIGURE_KEYS:
        kpi = KPIS[key]
        link, link_text = links.get(key, ("", ""))
        rows.append(
            FigureRow(
                key=key,
                label=kpi.label,
                help=kpi.help,
                value=formats.display(kpi.value(figures), kpi.unit),
                export=json.dumps(figures.get(key)),
                link=link,
                link_text=link_text,
            )
        )
    return rows


def trend_charts(
    slug: str,
    who: str,
    trend: dict[dt.date, MonthlyKpi],
    months: list[dt.date],
    ratings: dict[str, rag.Rating],
) -> list[Chart]:
    """A chart per measure over the twelve months, with the limits the month
    shown was rated against drawn across it."""
    charts = []
    for measure in rag.MEASURE_LIST:
        points = [
            (
                day.strftime("%b %y"),
                measure.value(trend[day].figures) if day in trend else None,
            )
            for day in months
        ]
        shown = [
            f"{label}: {measure.display(value)}" for label, value in points if value is not None
        ]
        rating = ratings.get(measure.key)
        limits = rating.limits if rating else rag.default_limits()[measure.key]
        direction = "Lower is better" if measure.lower_is_better else "Higher is better"
        charts.append(
            Chart(
                slug=f"{slug}-{measure.key}",
                title=f"{measure.label}, {who}, {formats.month_name(months[0])} to "
                f"{formats.month_name(months[-1])}",
                description=(
                    f"Bar chart by month. {direction}. Green limit "
                    f"{measure.display(limits.green)}, red limit "
                    f"{measure.display(limits.red)}. "
                    + ("; ".join(shown) if shown else "No results yet.")
                ),
                points=points,
                unit=measure.unit,
                limits=[("Green limit", limits.green), ("Red limit", limits.red)],
                key=measure.key,
            )
        )
    return charts
