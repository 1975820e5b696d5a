"""One provider's month, as its dashboard and its PDF pack both show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from common.months import Month
from contracts.models import Contract
from homecare.dashboards import rag, selectors
from homecare.dashboards.charts import Chart
from homecare.dashboards.presenters import figures as parts
from homecare.dashboards.presenters import lists
from homecare.kpis.models import MonthlyKpi
from homecare.kpis.registry import THRESHOLDS
from homecare.ui import formats
from providers.models import Provider

# Figures with a list behind them on the dashboard: where it is, and the
# link's words (the figure's label follows, for screen readers).
VISITS_OF = "?month={month}&kind={kind}#visits"
LINKS = {
    "late_visits": (VISITS_OF.replace("{kind}", "late"), "View the visits"),
    "missed_visits": (VISITS_OF.replace("{kind}", "missed"), "View the visits"),
    "short_visits": (VISITS_OF.replace("{kind}", "short"), "View the visits"),
    "people_late_over_10pct": ("#people-late", "View the people"),
    "people_over_carer_limit": ("#over-carer-limit", "View the people"),
    "reviews_due": ("#reviews-due", "View the care packages"),
    "six_week_reviews_overdue": ("#reviews-overdue", "View the care packages"),
    "annual_reviews_overdue": ("#annual-reviews-overdue", "View the care packages"),
    # Care standards (issue 15).
    "time_critical_outside_window": ("#time-critical", "View the people"),
    "visits_15_min_or_less": ("#visits-15-minutes", "View the care packages"),
    "missed_visits_living_alone_lacking_capacity": ("#missed-follow-up", "View the visits"),
}
CARE_STANDARD_KEYS = (
    "time_critical_visits",
    "time_critical_outside_window",
    "time_critical_outside_rate",
    "visits_under_30_min_delivered",
    "visits_under_30_min_known_carer",
    "visits_under_30_min_known_carer_rate",
    "visits_15_min_or_less",
    "missed_visits_living_alone",
    "missed_visits_lacking_capacity",
    "missed_visits_living_alone_lacking_capacity",
)
# Every missed visit of someone living alone who lacks capacity is listed for
# follow-up; past this many the list points to the visits table for the rest.
FOLLOW_UP_LIMIT = 200
REVIEW_KEYS = (
    "reviews_due",
    "reviews_on_time",
    "six_week_reviews_overdue",
    "annual_reviews_overdue",
)


@dataclass
class ProviderMonth:
    """A provider's stored figures for a month with their stored RAG rating,
    last month's for the change, twelve months for the charts, and the lists
    behind the figures, every value written out once."""

    provider: Provider
    month: Month
    trend: dict[dt.date, MonthlyKpi]
    trend_months: list[dt.date]
    contracts: list[Contract]

    @classmethod
    def load(cls, provider: Provider, month: Month) -> ProviderMonth:
        """Two queries: the twelve months' rows (with ratings) and the contracts."""
        return cls(
            provider=provider,
            month=month,
            trend=selectors.provider_trend(provider, month),
            trend_months=selectors.trend_months(month),
            contracts=list(selectors.provider_contracts(provider)),
        )

    # --- the month and the one before -----------------------------------------------

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

    @property
    def details(self) -> dict[str, Any]:
        return (self.kpi.details if self.kpi else None) or {}

    @property
    def computed_at(self) -> str:
        return self.kpi.computed_at.strftime("%-d %B %Y %H:%M") if self.kpi else ""

    # --- RAG -------------------------------------------------------------------------

    @cached_property
    def ratings(self) -> dict[str, rag.Rating]:
        return parts.stored_ratings(self.kpi)

    @cached_property
    def previous_ratings(self) -> dict[str, rag.Rating]:
        return parts.stored_ratings(self.previous_kpi)

    @property
    def overall(self) -> str:
        return parts.overall_of(self.ratings)

    @property
    def overall_label(self) -> str:
        return rag.STATUS_LABELS[self.overall]

    @property
    def overall_tag(self) -> str:
        return rag.STATUS_TAGS[self.overall]

    @property
    def status_counts(self) -> dict[str, int]:
        return parts.status_counts([r.status for r in self.ratings.values()])

    @cached_property
    def tiles(self) -> list[parts.Tile]:
        return parts.tiles(self.ratings, self.previous_ratings, self.since)

    # --- every figure, the charts and the lists ---------------------------------------

    @cached_property
    def figures(self) -> list[parts.FigureRow]:
        if self.kpi is None:
            return []
        links = {
            key: (href.replace("{month}", self.month.key), words)
            for key, (href, words) in LINKS.items()
        }
        return parts.figure_rows(self.kpi.figures, links)

    @property
    def review_figures(self) -> list[parts.FigureRow]:
        return [row for row in self.figures if row.key in REVIEW_KEYS]

    @property
    def care_standard_figures(self) -> list[parts.FigureRow]:
        return [row for row in self.figures if row.key in CARE_STANDARD_KEYS]

    def charts(self, slug: str = "trend") -> list[Chart]:
        return parts.trend_charts(
            slug, self.provider.name, self.trend, self.trend_months, self.ratings
        )

    @cached_property
    def people_late(self) -> list[lists.LatePerson]:
        return lists.people_late(self.details)

    @cached_property
    def over_carer_limit(self) -> list[lists.OverLimitPerson]:
        return lists.over_carer_limit(self.details)

    @cached_property
    def time_critical_people(self) -> list[lists.TimeCriticalPerson]:
        return lists.time_critical_people(self.details)

    @cached_property
    def short_visit_packages(self) -> list[lists.ShortVisitPackage]:
        """Visits planned for 15 minutes or less, per care package (one query)."""
        if self.kpi is None or not self.kpi.figures.get("visits_15_min_or_less"):
            return []
        return lists.short_visit_packages(self.provider, self.month)

    @cached_property
    def missed_follow_up(self) -> tuple[list[lists.VisitRow], int]:
        """Each missed visit of someone living alone who lacks capacity, for
        follow-up, and how many there are (two queries, none if the figure is 0)."""
        if self.kpi is None or not self.kpi.figures.get(
            "missed_visits_living_alone_lacking_capacity"
        ):
            return [], 0
        condition = selectors.visit_kind(selectors.MISSED_ALONE_NO_CAPACITY, self.month)
        return lists.visit_rows(self.provider, self.month, condition, FOLLOW_UP_LIMIT)

    @property
    def missed_follow_up_rows(self) -> list[lists.VisitRow]:
        return self.missed_follow_up[0]

    @property
    def missed_follow_up_more(self) -> str:
        """ "and 12 more" when the list is cut, else empty."""
        rows, total = self.missed_follow_up
        return f"{formats.count(total - len(rows))} more" if total > len(rows) else ""

    @cached_property
    def reviews_due(self) -> list[lists.PackageRow]:
        return lists.packages(self.details, "reviews_due")

    @cached_property
    def six_week_overdue(self) -> list[lists.PackageRow]:
        return lists.packages(self.details, "six_week_reviews_overdue")

    @cached_property
    def annual_overdue(self) -> list[lists.PackageRow]:
        return lists.packages(self.details, "annual_reviews_overdue")

    def behind(self, limit: int) -> list[lists.BehindList]:
        """The lists behind each red or amber measure (the pack prints them)."""
        if self.kpi is None:
            return []
        return lists.behind_lists(self.provider, self.month, self.details, self.ratings, limit)

    @cached_property
    def thresholds(self) -> dict[str, Any]:
        """The KPI thresholds the figures were computed with, as stored."""
        stored = (self.kpi.thresholds if self.kpi else None) or {}
        if not stored:
            return {}
        person_level = stored.get("person_level") or {}
        by_contract = stored.get("by_contract") or {}
        rows = []
        for key, threshold in THRESHOLDS.items():
            rows.append(
                (
                    threshold.short_label,
                    formats.display(person_level.get(key), threshold.unit),
                    [formats.display(c.get(key), threshold.unit) for c in by_contract.values()],
                )
            )
        return {
            "rows": rows,
            "contracts": list(by_contract),
            "main_contract": stored.get("main_contract"),
        }

    @property
    def stamp(self) -> str:
        """What the rendered KPI section depends on, for the page's cache."""
        return ";".join(f"{day}={parts.stamp_of(kpi)}" for day, kpi in sorted(self.trend.items()))
