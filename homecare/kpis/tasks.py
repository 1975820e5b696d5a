"""Celery tasks of the KPI engine: thin wrappers over `services`."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from common.months import current_month
from homecare.kpis.services import compute_month_kpis
from homecare.kpis.signals import month_computed


# A dropped connection or a failover is worth retrying; anything else is a bug.
@shared_task(
    name="kpis.compute_month",
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
    then tell the listeners (the packs rebuild those whose results changed)."""
    summary = compute_month_kpis(month, provider_ref).as_dict()
    month_computed.send(sender=compute_month, month=summary["month"], provider_ref=provider_ref)
    return summary


@shared_task(name="kpis.compute_previous_month", acks_late=True, time_limit=5 * 60)
def compute_previous_month() -> str:
    """The scheduled run: last month, again each of the first seven days so late
    ECM exports and reviews are taken in."""
    month = current_month().previous().key
    compute_month.delay(month)
    return month
