"""Reads for the dashboards: stored monthly results and visits. Every function
runs a fixed number of queries whatever the number of providers or visits."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from common.months import Month
from contracts.models import Contract, Lot
from homecare.kpis import engine
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.payments.hours import Layers, monthly_layers
from homecare.payments.selectors import MonthSpend, monthly_spend
from providers.models import Provider
from visits.models import CareWorker, ImportOutcome, ImportRecord, Visit, VisitCarer, VisitStatus

TREND_MONTHS = 12

# The year of money figures are keyed by when data last came in, so they can be
# kept a day: the first view after an import works a year of visits out again
# (seconds on SQLite, a minute and more at 10M visits a month), later ones do not.
MONEY_CACHE_SECONDS = 24 * 60 * 60

MoneyFigures = tuple[list[MonthSpend], dict[str, Layers]]


def computed_months() -> list[dt.date]:
    """Months with stored results, newest first (the market row marks a finished run)."""
    return list(
        MonthlyKpi.objects.filter(scope=KpiScope.MARKET)
        .order_by("-month")
        .values_list("month", flat=True)
    )


def pick_month(asked: Month | None, months: list[dt.date]) -> Month | None:
    """The month asked for (validated by the page's query form), else the
    latest month with results."""
    if asked is not None:
        return asked
    return Month.of(months[0]) if months else None


def _rated(queryset: QuerySet[MonthlyKpi]) -> QuerySet[MonthlyKpi]:
    # Each row with its stored RAG rating, in the same query.
    return queryset.select_related("rag_result")


def market_trend(first: dt.date, month: Month) -> dict[dt.date, MonthlyKpi]:
    """The market rows from `first` to `month`, in one query. Without their
    `details` (the month's lists of people and packages, which nothing of the
    market's reads): at 10M visits a month they are 29 MB of JSON a row, and
    decoding them was most of every market page view (docs/benchmarks.md)."""
    rows = _rated(
        MonthlyKpi.objects.filter(scope=KpiScope.MARKET, month__gte=first, month__lte=month.first)
    ).defer("details")
    return {row.month: row for row in rows}


def _contracts_with_lots() -> Prefetch:
    return Prefetch(
        "provider__contracts",
        queryset=Contract.objects.select_related("lot__framework").order_by("lot__name"),
    )


def provider_kpis(month: Month, providers: QuerySet[Provider]) -> list[MonthlyKpi]:
    """The month's provider rows for the given providers, with their lots
    (without their lists of people and packages, which the market's table
    does not show)."""
    return list(
        _rated(
            MonthlyKpi.objects.filter(
                scope=KpiScope.PROVIDER, month=month.first, provider__in=providers
            )
        )
        .defer("details")
        .select_related("provider")
        .prefetch_related(_contracts_with_lots())
        .order_by("provider__name")
    )


def provider_trend(provider: Provider, month: Month) -> dict[dt.date, MonthlyKpi]:
    """Up to twelve months of a provider's rows, ending with `month`."""
    first = trend_months(month)[0]
    rows = _rated(
        MonthlyKpi.objects.filter(
            scope=KpiScope.PROVIDER, provider=provider, month__gte=first, month__lte=month.first
        )
    )
    return {row.month: row for row in rows}


def provider_contracts(provider: Provider) -> QuerySet[Contract]:
    return provider.contracts.select_related("lot__framework").order_by("ref")


def trend_months(month: Month) -> list[dt.date]:
    months = [month.first]
    for _ in range(TREND_MONTHS - 1):
        months.insert(0, Month.of(months[0] - dt.timedelta(days=1)).first)
    return months


def lot_kpis(lot: Lot, month: Month) -> tuple[MonthlyKpi | None, list[MonthlyKpi]]:
    """The lot's totals and the month's rows of every provider with a contract in it."""
    total = _rated(
        MonthlyKpi.objects.filter(scope=KpiScope.LOT, lot=lot, month=month.first)
    ).first()
    in_lot = Contract.objects.filter(lot=lot, provider_id=OuterRef("provider_id"))
    providers = list(
        _rated(MonthlyKpi.objects.filter(scope=KpiScope.PROVIDER, month=month.first))
        .filter(Exists(in_lot))
        .select_related("provider")
        .order_by("provider__name")
    )
    return total, providers


def lot_totals(month: Month) -> list[MonthlyKpi]:
    """Every lot's totals for the month, by framework and lot name."""
    return list(
        _rated(MonthlyKpi.objects.filter(scope=KpiScope.LOT, month=month.first))
        .select_related("lot__framework")
        .order_by("lot__framework__name", "lot__name")
    )


# --- what a pack shows, for its stamp ------------------------------------------------


def _stamps(rows: QuerySet[MonthlyKpi]) -> list[tuple[int, dt.datetime, dt.datetime | None]]:
    return list(rows.values_list("pk", "computed_at", "rag_result__rated_at"))


def provider_trend_stamps(provider: Provider, month: Month) -> list[tuple]:
    """Each row of a provider's twelve months: id, when computed, when rated."""
    first = trend_months(month)[0]
    return _stamps(
        MonthlyKpi.objects.filter(
            scope=KpiScope.PROVIDER, provider=provider, month__gte=first, month__lte=month.first
        )
    )


def market_stamps(month: Month) -> list[tuple]:
    """The market's twelve months and every provider and lot row of the month."""
    first = trend_months(month)[0]
    trend = MonthlyKpi.objects.filter(
        scope=KpiScope.MARKET, month__gte=first, month__lte=month.first
    )
    month_rows = MonthlyKpi.objects.filter(month=month.first).exclude(scope=KpiScope.MARKET)
    return _stamps(trend) + _stamps(month_rows)


# --- visits behind the numbers --------------------------------------------------------

LATE, MISSED, SHORT = "late", "missed", "short"
# Care standards (issue 15).
TIME_CRITICAL_OUTSIDE = "time_critical_outside"
UP_TO_15 = "up_to_15"
MISSED_ALONE_NO_CAPACITY = "missed_alone_no_capacity"


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
    """Late, missed, short or a care-standards kind exactly as the KPI engine
    counts them, with each visit's own contract thresholds (the engine's own conditions, so the list
    behind a figure always matches it)."""
    return engine.visit_conditions(month)[kind]


def short_visits_by_package(provider: Provider, month: Month) -> list[dict]:
    """The provider's visits planned for 15 minutes or less, counted per care
    package (one grouped query): how many, and how many were delivered."""
    return list(
        Visit.objects.filter(
            provider=provider, planned_date__gte=month.first, planned_date__lte=month.last
        )
        .exclude(status=VisitStatus.CANCELLED)
        # Planned length alone, no thresholds: no need for the month's plan.
        .filter(engine.up_to_15())
        .values("package__ref", "person__ref")
        .annotate(visits=Count("pk"), delivered=Count("pk", filter=Q(status=VisitStatus.COMPLETED)))
        .order_by("-visits", "package__ref")
    )


def by_carer(carer_ref: str) -> Q:
    # Exists rather than a join: a double-handed visit would otherwise appear twice.
    return Q(
        Exists(
            VisitCarer.objects.filter(visit_id=OuterRef("pk"), care_worker__ref=carer_ref.strip())
        )
    )


# --- what changed since last month ----------------------------------------------------


def provider_rows_of(months: list[dt.date]) -> list[MonthlyKpi]:
    """Every provider's rows of the given months, each with its stored rating
    and provider (one query), for comparing one month with another."""
    return list(
        _rated(MonthlyKpi.objects.filter(scope=KpiScope.PROVIDER, month__in=months))
        .select_related("provider")
        .order_by("provider__name", "month")
    )


# --- cache stamps and the year of money (issue 13) -------------------------------


def data_stamp() -> Any:
    """When data last came in: an import can rename a provider or move a
    package without a month being computed again."""
    return ImportRecord.objects.filter(outcome=ImportOutcome.SUCCEEDED).aggregate(
        last=Max("finished_at")
    )["last"]


def kpi_stamp(kpi: MonthlyKpi | None) -> str:
    """What a cached rendering of this row depends on: its figures and its rating."""
    if kpi is None:
        return "none"
    try:
        rated = kpi.rag_result.rated_at.isoformat()
    except ObjectDoesNotExist:
        rated = ""
    return f"{kpi.pk}@{kpi.computed_at.isoformat()}/{rated}"


def market_money_stamp(month: Month) -> tuple[Any, str]:
    """The stamp the market page gives the month's money figures: the last
    import and the market row's (two queries). The page reads the same row
    through `market_trend`, so both sides make the same key."""
    row = _rated(MonthlyKpi.objects.filter(scope=KpiScope.MARKET, month=month.first)).defer(
        "details"
    )
    return (data_stamp(), kpi_stamp(row.first()))


def year_to(month: Month) -> list[Month]:
    """The twelve months ending with `month`, oldest first."""
    months = [month]
    while len(months) < 12:
        months.insert(0, months[0].previous())
    return months


def money_key(month: Month, provider_id: int | None, lot_id: int | None, stamp: Any) -> str:
    """A short key, valid for any cache backend (memcached allows no spaces or
    control characters and 250 bytes at most): the variable part hashed. Any
    change of month, scope or stamp still gives another key."""
    material = f"{month.key}|{provider_id}|{lot_id}|{stamp}"
    return f"money-year:{hashlib.sha256(material.encode()).hexdigest()}"


def compute_money_year(
    month: Month, *, provider_id: int | None = None, lot_id: int | None = None
) -> MoneyFigures:
    """Two queries over a year of visits (and two small ones): the heavy part."""
    months = year_to(month)
    return (
        monthly_spend(months, provider_id=provider_id, lot_id=lot_id),
        monthly_layers(months, provider_id=provider_id, lot_id=lot_id),
    )


def money_year(
    month: Month,
    *,
    provider_id: int | None = None,
    lot_id: int | None = None,
    stamp: Any = None,
) -> MoneyFigures:
    """The year of money figures from the cache, worked out and kept on a miss."""

    def compute() -> MoneyFigures:
        return compute_money_year(month, provider_id=provider_id, lot_id=lot_id)

    key = money_key(month, provider_id, lot_id, stamp)
    found = cache.get_or_set(key, compute, MONEY_CACHE_SECONDS)
    return found if found is not None else compute()
