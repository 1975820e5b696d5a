"""The ranking's beat job: a thin wrapper over services.run_if_due."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from homecare.ranking import services


@shared_task(name="ranking.run_if_due")
def run_if_due(day: str | None = None) -> int | None:
    """Compute a new ranking cycle when the last one is old enough (every
    6 months by default; commissioners set it). `day` (ISO) is for tests;
    the beat sends none and today in London is used."""
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    return services.run_if_due(today)
