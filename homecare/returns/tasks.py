"""Celery tasks of returns: thin, the work is in reminders.py."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from homecare.returns.reminders import send_due_reminders


# Every morning (homecare/celery.py). Safe to run twice: each reminder is sent once.
# Its result (how many were sent) is small and kept, for whoever runs it by hand.
@shared_task(name="returns.send_reminders", time_limit=10 * 60)
def send_reminders_task(today: str | None = None) -> int:
    return send_due_reminders(dt.date.fromisoformat(today) if today else None)
