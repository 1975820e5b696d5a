"""Celery tasks of the packs: thin wrappers over `services`."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from homecare.packs.services import build_month_packs

logger = logging.getLogger(__name__)


@shared_task(
    name="packs.build_packs",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    max_retries=5,
    time_limit=60 * 60,
    soft_time_limit=55 * 60,
)
def build_packs(month: str, provider_ref: str | None = None, force: bool = False) -> dict:
    """Build a month's PDF packs ('YYYY-MM') whose KPI results changed since
    they were last built: all of them, or one provider's."""
    return build_month_packs(month, provider_ref, force=force).as_dict()


def queue_packs_after_kpis(
    sender: Any = None, *, month: str, provider_ref: str | None = None, **kwargs: Any
) -> None:
    """Packs follow each computation of a month's KPIs (connected to
    `kpis.signals.month_computed` in PacksConfig.ready). A separate task, so a
    slow or failing PDF never holds up or retries the KPIs themselves. Without
    a broker (the demo, most tests) tasks run inline, where a month of PDFs
    would slow every import: there packs are built on demand unless
    PACKS_BUILD_AFTER_KPIS says otherwise.

    After one provider's recompute (its own upload) only its pack is built at
    once; the rest of the month (the market pack above all, seconds of CPU)
    follows PACKS_MONTH_DELAY_SECONDS later, so a burst of uploads rebuilds the
    market pack once: the first delayed run builds it, the others find it up
    to date."""
    default = not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    if not getattr(settings, "PACKS_BUILD_AFTER_KPIS", default):
        return
    try:
        if provider_ref:
            build_packs.delay(month, provider_ref)
            delay = int(getattr(settings, "PACKS_MONTH_DELAY_SECONDS", 600))
            build_packs.apply_async((month,), countdown=delay)
        else:
            build_packs.delay(month)
    except Exception:
        # The KPIs are stored; the packs catch up on the next run or on demand.
        logger.exception("Could not queue the packs for %s", month)
