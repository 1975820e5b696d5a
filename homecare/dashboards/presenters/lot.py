"""A lot's month: its providers side by side with the lot's total."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from common.months import Month
from contracts.models import Lot
from homecare.dashboards import rag, selectors
from homecare.dashboards.presenters import figures as parts
from homecare.kpis.models import MonthlyKpi
from homecare.kpis.registry import KPIS
from homecare.ui import formats
from providers.models import Provider

# The counts shown above the measures.
COUNTS = (
    "people_supported",
    "scheduled_visits",
    "missed_visits",
    "people_late_over_10pct",
    # Care standards (issue 15); the two shares are rated measures below.
    "time_critical_visits",
    "time_critical_outside_window",
    "visits_under_30_min_delivered",
    "missed_visits_living_alone",
    "missed_visits_lacking_capacity",
    "missed_visits_living_alone_lacking_capacity",
)


@dataclass
class LotMonth:
    lot: Lot
    month: Month
    total: MonthlyKpi | None
    provider_kpis: list[MonthlyKpi]

    @classmethod
    def load(cls, lot: Lot, month: Month) -> LotMonth:
        """Two queries: the lot's total and its providers' rows, with ratings."""
        total, providers = selectors.lot_kpis(lot, month)
        return cls(lot, month, total, providers)

    @property
    def month_label(self) -> str:
        return formats.month_name(self.month.first)

    @property
    def providers(self) -> list[Provider]:
        return [kpi.provider for kpi in self.provider_kpis if kpi.provider is not None]

    @cached_property
    def _ratings(self) -> list[dict[str, rag.Rating]]:
        return [parts.stored_ratings(kpi) for kpi in self.provider_kpis]

    @cached_property
    def _total_ratings(self) -> dict[str, rag.Rating]:
        return parts.stored_ratings(self.total)

    @property
    def overall(self) -> list[str]:
        return [parts.overall_of(ratings) for ratings in self._ratings]

    @cached_property
    def count_rows(self) -> list[dict[str, Any]]:
        rows = []
        for key in COUNTS:
            kpi = KPIS[key]
            rows.append(
                {
                    "label": kpi.label,
                    "cells": [
                        formats.display(kpi.value(row.figures), kpi.unit)
                        for row in self.provider_kpis
                    ],
                    "total": formats.display(
                        kpi.value(self.total.figures) if self.total else None, kpi.unit
                    ),
                }
            )
        return rows

    @cached_property
    def measure_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "measure": measure,
                "cells": [ratings[measure.key] for ratings in self._ratings],
                "total": self._total_ratings.get(measure.key),
            }
            for measure in rag.MEASURE_LIST
        ]
