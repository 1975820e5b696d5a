import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homecare.settings")

app = Celery("homecare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# crontab is read in CELERY_TIMEZONE (Europe/London): 02:00 London time, on the
# 1st and each of the next six days, as kpi-definitions.md asks.
# KPI_FAN_OUT=1 (docs/scale.md): the month is fanned out per provider over the
# workers (homecare.scale) instead of computed by one worker.
FAN_OUT = os.environ.get("KPI_FAN_OUT", "").lower() in {"1", "true", "yes"}

app.conf.beat_schedule = {
    "kpis-previous-month": {
        "task": "scale.compute_previous_month" if FAN_OUT else "kpis.compute_previous_month",
        "schedule": crontab(minute=0, hour=2, day_of_month="1-7"),
    },
    # Imports stuck queued (the broker was down) or left running by a worker
    # that died are sent again or marked interrupted.
    "imports-sweep-queue": {
        "task": "imports.sweep_queue",
        "schedule": crontab(minute="*/2"),
    },
    # Old visits and expired failed uploads go every night, before the KPI run.
    "retention-apply": {
        "task": "retention.apply",
        "schedule": crontab(minute=30, hour=1),
    },
    # Reminders of ECM files and returns due soon or overdue (issue 14).
    "returns-reminders": {
        "task": "returns.send_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
    # This month's and the next three months' partitions of visits (PostgreSQL).
    "visits-months-ahead": {
        "task": "scale.months_ahead",
        "schedule": crontab(minute=15, hour=1),
    },
    # Who is waiting for care, every Monday 00:00 London time (issue 12).
    "market-weekly-waiting-snapshot": {
        "task": "market.weekly_waiting_snapshot",
        "schedule": crontab(minute=0, hour=0, day_of_week=1),
    },
    # Provider ranking (issue 15): looked at every day at 03:00, computed when
    # the last cycle is as old as the commissioners' cycle (6 months by default).
    "ranking-cycle": {
        "task": "ranking.run_if_due",
        "schedule": crontab(minute=0, hour=3),
    },
    # Alerts (issue 15): raised at 07:00 London time, the day's e-mail at 07:30.
    "alerts-raise": {
        "task": "alerts.raise_alerts",
        "schedule": crontab(minute=0, hour=7),
    },
    "alerts-daily-email": {
        "task": "alerts.send_digests",
        "schedule": crontab(minute=30, hour=7),
    },
}
