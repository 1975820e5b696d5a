"""Celery tasks: thin wrappers over services."""

from __future__ import annotations

from pathlib import Path

from celery import shared_task
from django.db import InterfaceError, OperationalError

from homecare.imports import run_import
from homecare.kpis.months import current_month
from homecare.kpis.services import compute_month_kpis
from visits.models import ImportRecord


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
    """Compute and store a month's KPIs ('YYYY-MM'), for one provider or all."""
    return compute_month_kpis(month, provider_ref).as_dict()


@shared_task(acks_late=True, time_limit=5 * 60)
def compute_previous_month() -> str:
    """The scheduled run: last month, again each of the first seven days so late
    ECM exports and reviews are taken in."""
    month = current_month().previous().key
    compute_month.delay(month)
    return month
