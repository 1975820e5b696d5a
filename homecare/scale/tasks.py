"""Celery tasks of scale: thin wrappers over `services`.

`scale.compute_month` fans a month out: a chord of one `scale.provider_part`
per provider (as many at once as there are worker processes), then
`scale.roll_up` for the lots and the market, then the packs, again one task
per provider before the month's own pack.
"""

from __future__ import annotations

import logging

from celery import chord, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from common.months import current_month
from homecare.dashboards.tasks import warm_money_after_kpis
from homecare.kpis.engine import ThresholdPlan
from homecare.kpis.signals import month_computed
from homecare.packs.tasks import build_packs
from homecare.scale.services import (
    compute_provider_part,
    ensure_months_ahead,
    month_plan,
    providers_to_compute,
    roll_up_month,
)

logger = logging.getLogger(__name__)


@shared_task(name="scale.compute_month", acks_late=True, time_limit=5 * 60)
def compute_month(month: str) -> dict:
    """Fan a month's KPIs out over the workers: the providers queued, and the
    id of the roll-up task that follows them."""
    refs = providers_to_compute(month)
    # The thresholds are read here once and travel with every task (a few
    # hundred bytes a contract), rather than read again by each provider's.
    plan = month_plan(month).as_data()
    rolled = chord(provider_part.si(month, ref, plan) for ref in refs)(
        roll_up.si(month, refs, plan)
    )
    return {"month": month, "providers": refs, "roll_up": rolled.id}


@shared_task(name="scale.compute_previous_month", acks_late=True, time_limit=5 * 60)
def compute_previous_month() -> str:
    """The scheduled run, fanned out (KPI_FAN_OUT; see homecare/celery.py)."""
    month = current_month().previous().key
    compute_month.delay(month)
    return month


@shared_task(
    name="scale.provider_part",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    max_retries=5,
    time_limit=30 * 60,
)
def provider_part(month: str, provider_ref: str, plan: dict | None = None) -> str:
    # Without a plan (a task queued before plans travelled), it reads its own.
    compute_provider_part(month, provider_ref, ThresholdPlan.from_data(plan) if plan else None)
    return provider_ref


@shared_task(
    name="scale.roll_up",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    max_retries=5,
    time_limit=30 * 60,
)
def roll_up(month: str, provider_refs: list[str], plan: dict | None = None) -> dict:
    summary = roll_up_month(
        month, provider_refs, ThresholdPlan.from_data(plan) if plan else None
    ).as_dict()
    queue_packs(month, provider_refs)
    return summary


def queue_packs(month: str, provider_refs: list[str]) -> None:
    """The month's packs, one task per provider, then the month's own (market
    and lots) once they are done; without workers, the same rule as after a
    single-process run (homecare.packs.tasks.queue_packs_after_kpis)."""
    default = not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    if not getattr(settings, "PACKS_BUILD_AFTER_KPIS", default):
        month_computed.send(sender=roll_up, month=month, provider_ref=None)
        return
    # Not the signal here (its packs listener would queue the month's packs a
    # second time), but the market's money figures follow a fanned-out month too.
    warm_money_after_kpis(sender=roll_up, month=month, provider_ref=None)
    try:
        chord(build_packs.si(month, ref) for ref in provider_refs)(build_packs.si(month))
    except Exception:
        logger.exception("Could not queue the packs for %s", month)


@shared_task(name="scale.months_ahead", acks_late=True, time_limit=10 * 60)
def months_ahead() -> list[str]:
    """Daily: this month's and the next three months' partitions of visits."""
    return ensure_months_ahead()
