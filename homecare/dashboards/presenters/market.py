"""The whole market's month, as the market page and the market pack show it:
the market totals, each provider's row with its stored rating, the providers
of concern and each lot's summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import QuerySet

from common.months import Month
from homecare.dashboards import rag, selectors
from homecare.dashboards.charts import Chart
from homecare.dashboards.presenters import figures as parts
from homecare.kpis.models import MonthlyKpi
from homecare.ui import formats
from providers.models import CqcRating, Provider

CQC_LABELS = dict(CqcRating.choices)
CONCERN_CQC = {CqcRating.INADEQUATE, CqcRating.REQUIRES_IMPROVEMENT}


def _provider(kpi: MonthlyKpi) -> Provider:
    if kpi.provider is None:
        raise ValueError(f"{kpi} is not a provider's row")
    return kpi.provider


def lots_of(kpi: MonthlyKpi) -> str:
    """The lots a provider holds contracts in (prefetched), named once each."""
    names = sorted({str(contract.lot.name) for contract in _provider(kpi).contracts.all()})
    return ", ".join(names)


def provider_row(kpi: MonthlyKpi) -> dict[str, Any]:
    """One provider's row of the market table: a sortable value, the stored
    rating of each measure, and the text to show."""
    provider = _provider(kpi)
    ratings = parts.stored_ratings(kpi)
    overall = parts.overall_of(ratings)
    people = kpi.figures.get("people_supported")
    row: dict[str, Any] = {
        "name": provider.name,
        "ref": provider.ref,
        "lots": lots_of(kpi),
        "cqc_rating": provider.cqc_rating,
        "cqc_label": CQC_LABELS.get(provider.cqc_rating, "Not rated"),
        "people_supported": people,
        "people_supported_text": formats.count(people or 0),
        "overall": overall,
        "overall_label": rag.STATUS_LABELS[overall],
        "overall_rank": rag.SEVERITY[overall],
        "ratings": ratings,
    }
    for key, rating in ratings.items():
        row[key] = rating.value
    return row


@dataclass
class MarketMonth:
    month: Month
    trend: dict[dt.date, MonthlyKpi]
    trend_months: list[dt.date]

    @classmethod
    def load(cls, month: Month, *, twelve_months: bool = False) -> MarketMonth:
        """One query: this month's and last month's market rows (the page), or
        the last twelve months' (the pack's charts)."""
        months = selectors.trend_months(month)
        first = months[0] if twelve_months else month.previous().first
        return cls(month, selectors.market_trend(first, month), months)

    @property
    def kpi(self) -> MonthlyKpi | None:
        return self.trend.get(self.month.first)

    @property
    def previous_kpi(self) -> MonthlyKpi | None:
        return self.trend.get(self.month.previous().first)

    @property
    def month_label(self) -> str:
        return formats.month_name(self.month.first)

    @property
    def since(self) -> str:
        return formats.month_name(self.month.previous().first)

    @cached_property
    def ratings(self) -> dict[str, rag.Rating]:
        return parts.stored_ratings(self.kpi)

    @cached_property
    def tiles(self) -> list[parts.Tile]:
        return parts.tiles(self.ratings, parts.stored_ratings(self.previous_kpi), self.since)

    @cached_property
    def headlines(self) -> list[parts.Headline]:
        return parts.headlines(
            self.kpi.figures if self.kpi else None,
            self.previous_kpi.figures if self.previous_kpi else None,
            self.since,
        )

    @cached_property
    def care_standards(self) -> list[parts.Headline]:
        """Time-critical visits, known care workers on short visits and missed
        visits of the most vulnerable (issue 15), with the change from last month."""
        return parts.headlines(
            self.kpi.figures if self.kpi else None,
            self.previous_kpi.figures if self.previous_kpi else None,
            self.since,
            parts.CARE_STANDARDS,
        )

    @cached_property
    def figures(self) -> list[parts.FigureRow]:
        return parts.figure_rows(self.kpi.figures, {}) if self.kpi else []

    def charts(self, slug: str = "market") -> list[Chart]:
        return parts.trend_charts(slug, "whole market", self.trend, self.trend_months, self.ratings)

    @property
    def stamp(self) -> str:
        return parts.stamp_of(self.kpi)

    # --- the providers and lots -------------------------------------------------------

    def provider_rows(self, providers: QuerySet[Provider]) -> list[dict[str, Any]]:
        """The month's row of each of `providers` with results (two queries)."""
        return [provider_row(kpi) for kpi in selectors.provider_kpis(self.month, providers)]

    @staticmethod
    def status_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
        return parts.status_counts([row["overall"] for row in rows])

    @staticmethod
    def concerns(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Providers with a red measure or a worrying CQC rating, most reasons first."""
        out = []
        for row in rows:
            reasons = [
                f"{r.measure.label}: {r.reason}"
                for r in row["ratings"].values()
                if r.status == rag.RED
            ]
            if row["cqc_rating"] in CONCERN_CQC:
                reasons.append(f"CQC rating is {row['cqc_label']}.")
            if reasons:
                out.append({**row, "reasons": reasons})
        out.sort(key=lambda r: (-len(r["reasons"]), r["name"]))
        return out

    def lots(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each lot's totals and stored rating, and how many of its providers are red."""
        out = []
        for lot_kpi in selectors.lot_totals(self.month):
            ratings = parts.stored_ratings(lot_kpi)
            overall = parts.overall_of(ratings)
            lot = lot_kpi.lot
            if lot is None:
                continue
            in_lot = [r for r in rows if lot.name in r["lots"].split(", ")]
            figures = lot_kpi.figures
            red = sum(1 for r in in_lot if r["overall"] == rag.RED)
            out.append(
                {
                    "lot": lot,
                    "ratings": list(ratings.values()),
                    "overall": overall,
                    "overall_label": rag.STATUS_LABELS[overall],
                    "summary": (
                        f"{formats.counted(len(in_lot), ('provider', 'providers'))} with "
                        f"results ({formats.count(red)} red overall); "
                        f"{formats.count(figures.get('people_supported'))} people supported; "
                        f"{formats.count(figures.get('scheduled_visits'))} visits scheduled, "
                        f"{formats.count(figures.get('delivered_visits'))} delivered; "
                        f"{formats.count(figures.get('missed_visits'))} missed."
                    ),
                }
            )
        return out
