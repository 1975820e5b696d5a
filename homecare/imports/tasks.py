"""Celery tasks of imports: thin wrappers over `queue`."""

from __future__ import annotations

from celery import shared_task

from homecare.imports.queue import (
    IMPORT_SOFT_TIME_LIMIT,
    IMPORT_TIME_LIMIT,
    recover_interrupted,
    requeue_waiting,
    run_queued,
)


# Acknowledged only once it has run, and given back to the queue if the worker
# process dies under it, so a killed import runs again (it is idempotent). Its
# outcome lives on the import record, so no result is stored: a web process
# sending it then never touches the result backend, which could hang it while
# Redis is down.
@shared_task(
    name="imports.run_import",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=IMPORT_TIME_LIMIT,
    soft_time_limit=IMPORT_SOFT_TIME_LIMIT,
)
def run_import_task(record_id: int) -> str:
    return run_queued(record_id)


# Every few minutes (homecare/celery.py): nothing stays queued or running for ever.
@shared_task(name="imports.sweep_queue", ignore_result=True, time_limit=5 * 60)
def sweep_queue_task() -> dict[str, list[int]]:
    found = recover_interrupted()
    found["sent"] = requeue_waiting()
    return found
