"""A month's KPIs spread over workers: one task per provider reads only that
provider's visits (its rows of the month's partition, by the provider and date
index) and stores its result and its share of the month's rows; then the lots
and the market are rolled up from those stored shares, without reading a visit.

Both paths build the same MonthFigures rows and store them with the same
writers (homecare.kpis.services), so they store the same figures: the tests
compare every stored result.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from common.months import Month
from homecare.kpis.engine import MonthFigures, ThresholdPlan
from homecare.kpis.engine.reviews import package_rows
from homecare.kpis.engine.visits import COUNTS, Key, PersonRow, person_rows, provider_carers
from homecare.kpis.models import KpiScope, MonthlyKpi
from homecare.kpis.selectors import lots_for_month, providers_for_month
from homecare.kpis.services import (
    ComputeSummary,
    check_kept,
    store_lot,
    store_market,
    store_provider,
)
from homecare.scale.models import ProviderMonthPart
from providers.models import Provider
from visits.partitions import ensure_months

logger = logging.getLogger(__name__)
MICROSECOND = dt.timedelta(microseconds=1)


def _month(month: str | Month) -> Month:
    month = month if isinstance(month, Month) else Month.parse(month)
    check_kept(month)
    return month


def providers_to_compute(month: str | Month) -> list[str]:
    """The providers a month reports on: the single-process path's list."""
    return list(providers_for_month(_month(month)).values_list("ref", flat=True))


def _encode(rows: dict[Key, PersonRow]) -> list[list]:
    return [
        [lot, person, *(getattr(row, name) for name in COUNTS), row.planned // MICROSECOND,
         row.actual // MICROSECOND, row.carers]
        for (_provider, lot, person), row in rows.items()
    ]  # fmt: skip


def _decode(provider_id: int, data: list[list]) -> dict[Key, PersonRow]:
    rows: dict[Key, PersonRow] = {}
    width = len(COUNTS)
    for lot, person, *values in data:
        counts = dict(zip(COUNTS, values[:width], strict=True))
        planned, actual, carers = values[width:]
        rows[(provider_id, lot, person)] = PersonRow(
            **counts, planned=planned * MICROSECOND, actual=actual * MICROSECOND, carers=carers
        )
    return rows


def month_plan(month: str | Month) -> ThresholdPlan:
    """The month's thresholds, read once for all its provider tasks."""
    return ThresholdPlan.for_month(_month(month))


def compute_provider_part(
    month: str | Month, provider_ref: str, plan: ThresholdPlan | None = None
) -> None:
    """One provider's result of the month, and its share for the roll-up, in
    one transaction. `plan` is the month's thresholds when the caller has read
    them already (the fan-out reads them once, not once per provider: with
    hundreds of providers that reading was a fixed cost in every task)."""
    month = _month(month)
    provider = Provider.objects.get(ref=provider_ref)
    plan = plan or ThresholdPlan.for_month(month)
    rows = person_rows(month, plan, provider.pk)
    carers = provider_carers(month, rows, provider.pk)
    figures = MonthFigures(
        month=month,
        plan=plan,
        rows=rows,
        provider_carers=carers,
        packages=package_rows(month, plan, provider.pk),
    )
    with transaction.atomic():
        store_provider(month, provider, plan, figures)
        ProviderMonthPart.objects.update_or_create(
            month=month.first,
            provider=provider,
            defaults={
                "rows": _encode(rows),
                "carers": [[person, n] for (_pid, person), n in carers.items()],
                "computed_at": timezone.now(),
            },
        )


def roll_up_month(
    month: str | Month, provider_refs: list[str], plan: ThresholdPlan | None = None
) -> ComputeSummary:
    """The lots and the market from the providers' stored shares; providers no
    longer in the month drop out, as on the single-process path."""
    month = _month(month)
    plan = plan or ThresholdPlan.for_month(month)
    rows: dict[Key, PersonRow] = {}
    carers: dict[tuple[int, int], int] = {}
    parts = ProviderMonthPart.objects.filter(month=month.first, provider__ref__in=provider_refs)
    for part in parts:
        rows.update(_decode(part.provider_id, part.rows))
        carers.update({(part.provider_id, person): n for person, n in part.carers})
    figures = MonthFigures(
        month=month,
        plan=plan,
        rows=rows,
        provider_carers=carers,
        packages=package_rows(month, plan),
    )
    summary = ComputeSummary(month=month.key, providers=list(provider_refs))
    MonthlyKpi.objects.filter(month=month.first, scope=KpiScope.PROVIDER).exclude(
        provider__ref__in=provider_refs
    ).delete()
    ProviderMonthPart.objects.filter(month=month.first).exclude(
        provider__ref__in=provider_refs
    ).delete()
    for lot in lots_for_month(month):
        with transaction.atomic():
            store_lot(month, lot, plan, figures)
        summary.lots += 1
    with transaction.atomic():
        store_market(month, plan, figures)
    logger.info(
        "KPIs for %s rolled up: %d providers, %d lots", month, len(provider_refs), summary.lots
    )
    return summary


def compute_month_spread_here(month: str | Month) -> ComputeSummary:
    """The fanned-out path run in this process, one provider after another:
    what the workers do, for the command line and the tests."""
    refs = providers_to_compute(month)
    plan = month_plan(month)
    for ref in refs:
        compute_provider_part(month, ref, plan)
    return roll_up_month(month, refs, plan)


def ensure_months_ahead(ahead: int = 3, today: dt.date | None = None) -> list[str]:
    """This month's and the next `ahead` months' partitions of visits."""
    month = Month.of(today or timezone.localdate())
    months = [month]
    for _ in range(ahead):
        month = Month.of(month.last + dt.timedelta(days=1))
        months.append(month)
    return ensure_months(months)
