"""Reads for the dashboards: stored monthly results and visits. Every function
runs a fixed number of queries whatever the number of providers or visits."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from common.months import Month
from contracts.models import Contract, Lot
from homecare.kpis import engine
from homecare.kpis.engine import ThresholdPlan
from homecare.kpis.models import KpiScope, MonthlyKpi
from providers.models import Provider
from visits.models import CareWorker, Visit, VisitCarer, VisitStatus

TREND_MONTHS = 12


def computed_months() -> list[dt.date]:
    """Months with stored results, newest first (the market row marks a finished run)."""
    return list(
        MonthlyKpi.objects.filter(scope=KpiScope.MARKET)
        .order_by("-month")
        .values_list("month", flat=True)
    )


def pick_month(asked: str | None, months: list[dt.date]) -> Month | None:
    """The month asked for if it parses, else the latest month with results."""
    if asked:
        try:
            return Month.parse(asked)
        except ValueError:
            pass
    return Month.of(months[0]) if months else None


def market_kpis(month: Month) -> dict[dt.date, MonthlyKpi]:
    """This month's and last month's market rows, in one query."""
    rows = MonthlyKpi.objects.filter(
        scope=KpiScope.MARKET, month__in=[month.first, month.previous().first]
    )
    return {row.month: row for row in rows}


def _contracts_with_lots() -> Prefetch:
    return Prefetch(
        "provider__contracts",
        queryset=Contract.objects.select_related("lot__framework").order_by("lot__name"),
    )


def provider_kpis(month: Month, providers: QuerySet[Provider]) -> list[MonthlyKpi]:
    """The month's provider rows for the given providers, with their lots."""
    return list(
        MonthlyKpi.objects.filter(
            scope=KpiScope.PROVIDER, month=month.first, provider__in=providers
        )
        .select_related("provider")
        .prefetch_related(_contracts_with_lots())
        .order_by("provider__name")
    )


def provider_trend(provider: Provider, month: Month) -> dict[dt.date, MonthlyKpi]:
    """Up to twelve months of a provider's rows, ending with `month`."""
    first = trend_months(month)[0]
    rows = MonthlyKpi.objects.filter(
        scope=KpiScope.PROVIDER, provider=provider, month__gte=first, month__lte=month.first
    )
    return {row.month: row for row in rows}


def trend_months(month: Month) -> list[dt.date]:
    months = [month.first]
    for _ in range(TREND_MONTHS - 1):
        months.insert(0, Month.of(months[0] - dt.timedelta(days=1)).first)
    return months


def lot_kpis(lot: Lot, month: Month) -> tuple[MonthlyKpi | None, list[MonthlyKpi]]:
    """The lot's totals and the month's rows of every provider with a contract in it."""
    total = MonthlyKpi.objects.filter(scope=KpiScope.LOT, lot=lot, month=month.first).first()
    in_lot = Contract.objects.filter(lot=lot, provider_id=OuterRef("provider_id"))
    providers = list(
        MonthlyKpi.objects.filter(scope=KpiScope.PROVIDER, month=month.first)
        .filter(Exists(in_lot))
        .select_related("provider")
        .order_by("provider__name")
    )
    return total, providers


# --- visits behind the numbers --------------------------------------------------------

LATE, MISSED, SHORT = "late", "missed", "short"


def month_visits(provider: Provider, month: Month) -> QuerySet[Visit]:
    """A provider's scheduled visits in the month, as the KPIs count them."""
    return (
        Visit.objects.filter(
            provider=provider, planned_date__gte=month.first, planned_date__lte=month.last
        )
        .exclude(status=VisitStatus.CANCELLED)
        .select_related("person", "package")
        # Care workers by ref alone: their default ordering joins the provider.
        .prefetch_related(Prefetch("care_workers", queryset=CareWorker.objects.order_by("ref")))
        # The London date first lets PostgreSQL walk the (provider, planned_date)
        # index and sort only within each day, not the provider's whole month.
        .order_by("planned_date", "planned_start", "pk")
    )


def visit_kind(kind: str, month: Month) -> Q:
    """Late, missed or short exactly as the KPI engine counts them, with each
    visit's own contract thresholds (the engine's expressions, reused so the
    list behind a figure always matches it)."""
    plan = ThresholdPlan.for_month(month)
    late, missed = engine._timeliness(plan)
    if kind == LATE:
        return late
    if kind == MISSED:
        return missed
    groups = plan.groups(contract="package__contract_id", provider="provider_id")
    return Q(status=VisitStatus.COMPLETED) & engine._either(groups, engine._short)


def by_carer(carer_ref: str) -> Q:
    # Exists rather than a join: a double-handed visit would otherwise appear twice.
    return Q(
        Exists(
            VisitCarer.objects.filter(visit_id=OuterRef("pk"), care_worker__ref=carer_ref.strip())
        )
    )
