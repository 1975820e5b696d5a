"""Celery tasks of retention: thin wrappers over `services`."""

from __future__ import annotations

from celery import shared_task

from homecare.retention.services import apply_retention


# Nightly (homecare/celery.py). Each month of visits goes in its own
# transaction, so an interrupted run leaves whole months and the next finishes.
@shared_task(name="retention.apply", acks_late=True, time_limit=2 * 60 * 60)
def apply_retention_task() -> list[str]:
    return apply_retention()
