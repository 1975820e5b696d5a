"""Writes of the dashboards: storing each month's RAG rating and changing the
limits.

A month is rated when its figures are stored (a MonthlyKpi row saved, by the
KPI service or anyone else), with the limits in force at that moment, in the
same transaction. Changing a limit re-rates the latest computed month only:
that is the month commissioners are acting on, while earlier months keep the
colours they were reported with (issue 10). Computing an earlier month again
rates it afresh with the limits then in force, like its figures.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from common.concurrency import lock, stamp
from common.months import Month
from homecare.dashboards import rag, selectors
from homecare.dashboards.models import RagResult, RagThreshold
from homecare.kpis.models import KpiScope, MonthlyKpi

logger = logging.getLogger(__name__)


def rate_kpi(kpi: MonthlyKpi, limits: dict[str, rag.Limits] | None = None) -> RagResult:
    """Rate one stored set of figures and store the result beside it."""
    ratings = rag.rate(kpi.figures, limits or rag.current_limits())
    result, _ = RagResult.objects.update_or_create(
        kpi=kpi,
        defaults={
            "measures": {key: rating.as_stored() for key, rating in ratings.items()},
            "overall": rag.overall(ratings),
            "rated_at": timezone.now(),
        },
    )
    kpi.rag_result = result
    return result


def rate_on_save(sender: Any, instance: MonthlyKpi, raw: bool = False, **kwargs: Any) -> None:
    """post_save of MonthlyKpi (connected in DashboardsConfig.ready)."""
    if not raw:  # not while loading fixtures
        rate_kpi(instance)


def latest_computed_month() -> Any:
    row = MonthlyKpi.objects.filter(scope=KpiScope.MARKET).order_by("-month").first()
    return row.month if row else None


def rerate_latest_month() -> int:
    """After a change of limits: rate every stored row of the latest computed
    month again. Returns how many rows were rated."""
    month = latest_computed_month()
    if month is None:
        return 0
    limits = rag.current_limits()
    rows = list(MonthlyKpi.objects.filter(month=month))
    with transaction.atomic():
        for kpi in rows:
            rate_kpi(kpi, limits)
    logger.info("RAG limits changed: %d results of %s rated again", len(rows), month)
    return len(rows)


def save_limits(
    measure: rag.Measure,
    *,
    green: Any,
    red: Any,
    user: Any,
    row: RagThreshold | None = None,
    version: int | None = None,
) -> RagThreshold:
    """Set a measure's limits and re-rate the latest computed month with them.
    `version` is the one the form showed (0 before the first change):
    EditConflict if someone saved since. `row` is accepted for callers that
    have it; the row is read again, locked, inside the transaction."""
    with transaction.atomic():
        # Made with the new limits, or found and locked: two first saves of a
        # measure meet at its unique key, and the second sees the first's version.
        made = RagThreshold(measure=measure.key, green_limit=green, red_limit=red, updated_by=user)
        fields = ["green_limit", "red_limit", "updated_by", *stamp(made, user)]
        row, created = RagThreshold.objects.select_for_update().get_or_create(
            measure=measure.key, defaults={name: getattr(made, name) for name in fields}
        )
        if not created:
            lock(row, version)
            row.green_limit, row.red_limit, row.updated_by = green, red, user
            stamp(row, user)
            row.save()
        rerate_latest_month()
    return row


def warm_market_money(month: Month) -> bool:
    """Work the market's year of money figures out ahead of the market page and
    keep them under the key the page will ask for (the last import and the
    market row's stamp), so its first view after an import reads the cache.
    Nothing is done when they are there already (a burst of provider uploads).
    Returns whether they were worked out."""
    key = selectors.money_key(month, None, None, selectors.market_money_stamp(month))
    if cache.get(key) is not None:
        return False
    cache.set(key, selectors.compute_money_year(month), selectors.MONEY_CACHE_SECONDS)
    return True
