"""Celery tasks of the dashboards: thin wrappers over `services`."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from common.months import Month
from homecare.dashboards import services

logger = logging.getLogger(__name__)


@shared_task(
    name="dashboards.warm_money",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    max_retries=3,
    time_limit=30 * 60,
    soft_time_limit=25 * 60,
)
def warm_money(month: str) -> bool:
    """Work out the market's year of money figures for a month ('YYYY-MM') and
    keep them in the shared cache for the market page."""
    return services.warm_market_money(Month.parse(month))


def warm_money_after_kpis(
    sender: Any = None, *, month: str, provider_ref: str | None = None, **kwargs: Any
) -> None:
    """After a month's KPIs are stored (kpis.signals.month_computed, connected in
    DashboardsConfig.ready), as packs and alerts follow them. A task of its own
    so the minute it takes at scale never holds up or retries the KPIs. Only
    where the cache is shared (MONEY_WARM_AFTER_KPIS, on with CACHE_URL): a
    worker's memory cache would help no web process. One provider's recompute
    changes the market row too, so it warms the market as a whole run does."""
    if not getattr(settings, "MONEY_WARM_AFTER_KPIS", False):
        return
    try:
        warm_money.delay(month)
    except Exception:
        # The KPIs are stored; the page works the figures out on its first view.
        logger.exception("Could not queue the money figures of %s", month)
