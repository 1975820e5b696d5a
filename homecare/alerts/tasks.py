"""Celery tasks of alerts: thin, the work is in services.py."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from celery import shared_task
from django.conf import settings

from common.months import Month
from homecare.alerts import services

logger = logging.getLogger(__name__)


# Every morning (homecare/celery.py), and after each month's KPIs. Safe to run
# twice: each alert is raised once.
@shared_task(name="alerts.raise_alerts", time_limit=10 * 60)
def raise_alerts_task(today: str | None = None, month: str | None = None) -> int:
    return services.raise_alerts(
        dt.date.fromisoformat(today) if today else None,
        month=Month.parse(month) if month else None,
    )


# Every morning after the alerts are raised; each user's e-mail goes once a day.
@shared_task(name="alerts.send_digests", time_limit=10 * 60)
def send_digests_task(today: str | None = None) -> int:
    return services.send_digests(dt.date.fromisoformat(today) if today else None)


def raise_after_kpis(
    sender: Any = None, *, month: str, provider_ref: str | None = None, **kwargs: Any
) -> None:
    """After a month's KPIs are stored (kpis.signals.month_computed): look for
    providers turning red in that month. Without a broker (the demo, most
    tests) it would run inline inside the import, so it waits for the daily
    run there unless ALERTS_AFTER_KPIS says otherwise."""
    default = not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    if not getattr(settings, "ALERTS_AFTER_KPIS", default):
        return
    try:
        raise_alerts_task.delay(None, month)
    except Exception:
        logger.exception("Could not queue the alerts after the KPIs of %s", month)
