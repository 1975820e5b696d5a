"""Shapes stored results for the pages: headline figures with their change
from last month, a provider's row of the market table, tiles and charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from homecare.dashboards import rag
from homecare.dashboards.charts import Chart
from homecare.kpis.models import MonthlyKpi


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    value: str
    change: str
    unit: str
    note: str = ""


# The market's headline figures, named as commissioners say them.
HEADLINES: tuple[tuple[str, str, str], ...] = (
    ("people_supported", "People supported", "count"),
    ("people_late_over_10pct", "People with a late visit more than 10% of the time", "count"),
    ("missed_visits", "Missed visits", "count"),
    ("six_week_reviews_overdue", "Six-week reviews overdue", "count"),
    ("mean_carers_per_person", "Mean carers per person", "number"),
    ("delivered_hours_share", "Delivered against planned hours", "percent"),
)


def month_name(day: dt.date) -> str:
    return day.strftime("%B %Y")


def _headline_value(figures: dict[str, Any] | None, key: str) -> float | None:
    if not figures:
        return None
    if key in rag.MEASURES and key not in figures:
        return rag.MEASURES[key].value(figures)
    value = figures.get(key)
    return None if value is None else float(value)


def change_text(current: float | None, previous: float | None, unit: str, since: str) -> str:
    if current is None or previous is None:
        return f"No figure for {since} to compare"
    # Rounded as it will be shown, so a change too small to show reads as none.
    difference = round(current - previous, 1 if unit == "percent" else 2)
    if difference == 0:
        return f"No change from {since}"
    word = "Up" if difference > 0 else "Down"
    size = abs(difference)
    if unit == "percent":
        amount = f"{size:.1f} percentage point{'' if size == 1 else 's'}"
    elif unit == "count":
        amount = f"{int(size):,}"
    else:
        amount = f"{size:.2f}"
    return f"{word} {amount} from {since}"


def headlines(
    figures: dict[str, Any] | None, previous: dict[str, Any] | None, previous_month: dt.date
) -> list[Headline]:
    since = month_name(previous_month)
    out = []
    for key, label, unit in HEADLINES:
        value = _headline_value(figures, key)
        shown = rag.format_value(value, unit)
        note = ""
        if key == "delivered_hours_share" and figures:
            note = (
                f"{figures.get('delivered_hours') or 0:,.1f} of"
                f" {figures.get('planned_hours') or 0:,.1f} hours"
            )
        change = change_text(value, _headline_value(previous, key), unit, since)
        out.append(Headline(key, label, shown, change, unit, note))
    return out


def lots_of(kpi: MonthlyKpi) -> str:
    """The lots a provider holds contracts in (prefetched), named once each."""
    names = sorted({str(contract.lot.name) for contract in kpi.provider.contracts.all()})
    return ", ".join(names)


def market_row(kpi: MonthlyKpi, limits: dict[str, rag.Limits]) -> dict[str, Any]:
    """One provider's row: a sortable value and a rating for each measure."""
    ratings = rag.rate(kpi.figures, limits)
    row: dict[str, Any] = {
        "name": kpi.provider.name,
        "ref": kpi.provider.ref,
        "lots": lots_of(kpi),
        "cqc_rating": kpi.provider.cqc_rating,
        "people_supported": kpi.figures.get("people_supported"),
        "overall": rag.overall(ratings),
        "overall_rank": rag.SEVERITY[rag.overall(ratings)],
        "ratings": ratings,
    }
    for key, rating in ratings.items():
        row[key] = rating.value
    return row


def trend_charts(
    slug: str, who: str, trend: dict[dt.date, MonthlyKpi], months: list[dt.date], limits: dict
) -> list[Chart]:
    """A chart per measure over the twelve months, with its RAG limits drawn."""
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
        limit = limits[measure.key]
        direction = "Lower is better" if measure.lower_is_better else "Higher is better"
        charts.append(
            Chart(
                slug=f"{slug}-{measure.key}",
                title=f"{measure.label}, {who}, {months[0]:%B %Y} to {months[-1]:%B %Y}",
                description=(
                    f"Bar chart by month. {direction}. Green limit "
                    f"{rag.format_value(limit.green, measure.unit)}, red limit "
                    f"{rag.format_value(limit.red, measure.unit)}. "
                    + ("; ".join(shown) if shown else "No results yet.")
                ),
                points=points,
                unit=measure.unit,
                limits=[("Green limit", limit.green), ("Red limit", limit.red)],
            )
        )
    return charts
