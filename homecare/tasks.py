"""Celery tasks: thin wrappers over services."""

from __future__ import annotations

import logging
from pathlib import Path

from celery import shared_task
from django.db import InterfaceError, OperationalError

from homecare.imports import run_import
from homecare.kpis.months import current_month
from homecare.kpis.services import compute_month_kpis
from visits.models import ImportRecord

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, time_limit=60 * 60, soft_time_limit=55 * 60)
def run_import_task(record_id: int) -> str:
    record = ImportRecord.objects.get(pk=record_id)
    return run_import(record, Path(record.stored_file)).outcome


# A dropped connection or a failover is worth retrying; anything else is a bug.
@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    max_retries=5,
    time_limit=30 * 60,
    soft_time_limit=25 * 60,
)
def compute_month(month: str, provider_ref: str | None = None) -> dict:
    """Compute and store a month's KPIs ('YYYY-MM'), for one provider or all,
    then queue the month's packs (only those whose results changed are rebuilt)."""
    summary = compute_month_kpis(month, provider_ref).as_dict()
    queue_packs_after_kpis(summary["month"])
    return summary


@shared_task(acks_late=True, time_limit=5 * 60)
def compute_previous_month() -> str:
    """The scheduled run: last month, again each of the first seven days so late
    ECM exports and reviews are taken in."""
    month = current_month().previous().key
    compute_month.delay(month)
    return month


# --- monthly packs (homecare/packs) ---------------------------------------------------


@shared_task(
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
    from homecare.packs.services import build_month_packs

    return build_month_packs(month, provider_ref, force=force).as_dict()


def queue_packs_after_kpis(month: str) -> None:
    """Packs follow each computation of a month's KPIs. A separate task, so a
    slow or failing PDF never holds up or retries the KPIs themselves. Without
    a broker (the demo, most tests) tasks run inline, where a month of PDFs
    would slow every import: there packs are built on demand unless
    PACKS_BUILD_AFTER_KPIS says otherwise."""
    from django.conf import settings

    default = not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    if not getattr(settings, "PACKS_BUILD_AFTER_KPIS", default):
        return
    try:
        build_packs.delay(month)
    except Exception:
        # The KPIs are stored; the packs catch up on the next run or on demand.
        logger.exception("Could not queue the packs for %s", month)
