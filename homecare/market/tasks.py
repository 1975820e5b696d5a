"""Celery tasks of the market oversight: thin wrappers over `services`."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from homecare.market.services import last_monday_midnight, take_snapshot


# Beat runs it every Monday at 00:00 Europe/London (homecare/celery.py); run
# late (a worker down over the weekend) it still records Monday 00:00.
@shared_task(name="market.weekly_waiting_snapshot", acks_late=True, time_limit=10 * 60)
def weekly_waiting_snapshot() -> str:
    at = last_monday_midnight(dt.datetime.now(dt.UTC))
    snapshot, created = take_snapshot(at)
    return f"{snapshot.taken_for.isoformat()} {'taken' if created else 'already kept'}"
