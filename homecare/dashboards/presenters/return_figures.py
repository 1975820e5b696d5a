"""Figures from the monthly returns (issue 14), rated like the other KPIs:
staff turnover, vacancies, agency use, pay against the Real Living Wage,
complaints per 1,000 delivered hours and safeguarding concerns per 100
people. Delivered hours and people supported come from the month's stored
KPIs, so the rates use the same month's visits.

The limits are defaults here, overridden by a commissioner's RagThreshold row
of the same key (as the dashboard measures are); a figure on a limit takes
the kinder status (rag.status_for).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from common.months import Month
from homecare.dashboards import rag
from homecare.dashboards.models import RagThreshold
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.registry import MEAN, PERCENT, Kpi
from homecare.returns.models import ProviderReturn
from homecare.ui import formats
from providers.models import Provider

RETURN_MEASURES = (
    rag.Measure(
        Kpi(
            "annualised_turnover",
            "Care worker turnover (annualised)",
            PERCENT,
            "Care workers who left in the month, times twelve, as a share of the headcount.",
            lower_is_better=True,
        ),
        Decimal("30"),
        Decimal("40"),
    ),
    rag.Measure(
        Kpi(
            "vacancy_rate",
            "Vacancy rate",
            PERCENT,
            "Vacant care worker posts as a share of all posts (filled and vacant).",
            lower_is_better=True,
        ),
        Decimal("8"),
        Decimal("12"),
    ),
    rag.Measure(
        Kpi(
            "agency_share",
            "Care hours by agency staff",
            PERCENT,
            "The share of care hours delivered by agency staff, as the provider reports it.",
            lower_is_better=True,
        ),
        Decimal("5"),
        Decimal("10"),
    ),
    rag.Measure(
        Kpi(
            "pay_vs_living_wage",
            "Lowest pay against the Real Living Wage",
            PERCENT,
            "The lowest hourly pay of a care worker as a share of the Real Living Wage"
            " in force at the end of the month.",
            lower_is_better=False,
        ),
        Decimal("100"),
        Decimal("95"),
    ),
    rag.Measure(
        Kpi(
            "complaints_per_1000_hours",
            "Complaints per 1,000 delivered hours",
            MEAN,
            "Complaints received, per 1,000 hours of care delivered in the month.",
            lower_is_better=True,
        ),
        Decimal("0.5"),
        Decimal("1"),
    ),
    rag.Measure(
        Kpi(
            "safeguarding_per_100_people",
            "Safeguarding concerns per 100 people",
            MEAN,
            "Safeguarding concerns raised, per 100 people supported in the month.",
            lower_is_better=True,
        ),
        Decimal("2"),
        Decimal("4"),
    ),
)
KEYS = tuple(m.key for m in RETURN_MEASURES)


def living_wage(day: dt.date) -> Decimal | None:
    """The Real Living Wage in force on `day` (settings.REAL_LIVING_WAGE)."""
    rate = None
    for since, value in sorted(getattr(settings, "REAL_LIVING_WAGE", [])):
        if dt.date.fromisoformat(since) <= day:
            rate = Decimal(value)
    return rate


def _share(numerator: Any, denominator: Any) -> float | None:
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator)


@dataclass(frozen=True)
class Inputs:
    """What the figures are worked out from, added up over one or more returns."""

    leavers: int = 0
    headcount: int = 0
    vacancies: int = 0
    agency_weighted: float = 0.0  # agency share times headcount, for a market mean
    lowest_pay: Decimal | None = None
    complaints: int = 0
    safeguarding: int = 0
    delivered_hours: float = 0.0
    people: float = 0.0
    returns: int = 0

    def plus(self, ret: ProviderReturn, kpi: dict[str, Any] | None) -> Inputs:
        kpi = kpi or {}
        pay = ret.lowest_hourly_pay
        lowest = self.lowest_pay if pay is None else min(pay, self.lowest_pay or pay)
        return Inputs(
            self.leavers + (ret.leavers or 0),
            self.headcount + (ret.care_workers_headcount or 0),
            self.vacancies + (ret.vacancies or 0),
            self.agency_weighted
            + float(ret.agency_hours_share or 0) * (ret.care_workers_headcount or 0),
            lowest,
            self.complaints + (ret.complaints_received or 0),
            self.safeguarding + (ret.safeguarding_concerns or 0),
            self.delivered_hours + float(kpi.get("delivered_hours") or 0),
            self.people + float(kpi.get("people_supported") or 0),
            self.returns + 1,
        )

    def figures(self, wage: Decimal | None) -> dict[str, float | None]:
        """Stored-style figures: percentages as fractions, rates as numbers."""
        per_hours = _share(self.complaints, self.delivered_hours)
        per_people = _share(self.safeguarding, self.people)
        agency = _share(self.agency_weighted, self.headcount)
        return {
            "annualised_turnover": _share(self.leavers * 12, self.headcount),
            "vacancy_rate": _share(self.vacancies, self.headcount + self.vacancies),
            "agency_share": None if agency is None else agency / 100,
            "pay_vs_living_wage": _share(self.lowest_pay, wage),
            "complaints_per_1000_hours": None if per_hours is None else per_hours * 1000,
            "safeguarding_per_100_people": None if per_people is None else per_people * 100,
        }


def current_limits() -> dict[str, rag.Limits]:
    limits = {m.key: rag.Limits(float(m.green), float(m.red)) for m in RETURN_MEASURES}
    for row in RagThreshold.objects.filter(measure__in=KEYS):
        limits[row.measure] = rag.Limits(float(row.green_limit), float(row.red_limit))
    return limits


def ratings(figures: dict[str, Any], limits: dict[str, rag.Limits]) -> list[rag.Rating]:
    out = []
    for measure in RETURN_MEASURES:
        value = measure.value(figures)
        status = rag.status_for(measure, value, limits[measure.key])
        out.append(rag.Rating(measure, value, status, limits[measure.key]))
    return out


@dataclass(frozen=True)
class ReturnFigures:
    """One provider's (or the market's) figures from the month's returns."""

    month: Month
    ratings: list[rag.Rating]
    wage: Decimal | None
    returns: int
    provider_return: ProviderReturn | None = None

    @property
    def month_label(self) -> str:
        return formats.month_name(self.month.first)

    @property
    def wage_text(self) -> str:
        return f"£{self.wage:.2f} an hour" if self.wage is not None else "not set"


def received_returns(month: Month) -> Any:
    return ProviderReturn.objects.filter(
        month=month.first, first_submitted_at__isnull=False
    ).select_related("provider")


def provider_figures(provider: Provider, month: Month | None = None) -> ReturnFigures | None:
    """The provider's figures for `month`, or for its latest received return;
    None if it has none. Three queries."""
    returns = ProviderReturn.objects.filter(provider=provider, first_submitted_at__isnull=False)
    ret = (returns.filter(month=month.first) if month else returns.order_by("-month")).first()
    if ret is None:
        return None
    period = Month.of(ret.month)
    kpi = MonthlyKpi.objects.filter(
        scope=KpiScope.PROVIDER, provider=provider, month=period.first
    ).first()
    wage = living_wage(period.last)
    inputs = Inputs().plus(ret, kpi.figures if kpi else None)
    return ReturnFigures(period, ratings(inputs.figures(wage), current_limits()), wage, 1, ret)


@dataclass(frozen=True)
class ProviderRow:
    provider: Provider
    ratings: list[rag.Rating]


def market_figures(month: Month) -> tuple[ReturnFigures, list[ProviderRow]]:
    """The whole market's figures (every received return added up) and each
    provider's row. Three queries, whatever the number of providers."""
    returns = list(received_returns(month).order_by("provider__name"))
    kpis = {
        k.provider_id: k.figures
        for k in MonthlyKpi.objects.filter(
            scope=KpiScope.PROVIDER,
            month=month.first,
            provider__in=[r.provider_id for r in returns],
        ).only("provider_id", "figures")
    }
    wage = living_wage(month.last)
    limits = current_limits()
    total = Inputs()
    rows = []
    for ret in returns:
        figures = kpis.get(ret.provider_id)
        total = total.plus(ret, figures)
        own = Inputs().plus(ret, figures).figures(wage)
        rows.append(ProviderRow(ret.provider, ratings(own, limits)))
    return ReturnFigures(month, ratings(total.figures(wage), limits), wage, len(returns)), rows
