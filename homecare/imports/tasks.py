"""Celery tasks of imports, and sending them: a send must never lose an upload."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone
from kombu.exceptions import KombuError

from homecare.imports.queue import (
    IMPORT_SOFT_TIME_LIMIT,
    IMPORT_TIME_LIMIT,
    claim_dead_runs,
    reset_for_rerun,
    run_queued,
    waiting_for_queue,
)
from visits.models import ImportOutcome, ImportRecord

logger = logging.getLogger(__name__)


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


def queue_import(record: ImportRecord) -> bool:
    """Send the record's import to the queue. If the broker cannot be reached
    (the publish is bounded by the broker settings, about a second), the record
    stays queued with its file, the page says so, and the sweep sends it later.
    True if sent."""
    sent_at = timezone.now()
    # Stamped first: in-process (eager) the task runs inside delay().
    ImportRecord.objects.filter(pk=record.pk).update(queued_at=sent_at)
    try:
        run_import_task.delay(record.pk)
    except (KombuError, OSError):
        # Celery raises kombu's OperationalError for a broker that is down or
        # unreachable: the file is kept and the sweep will try again.
        logger.exception("Could not queue import %s; it waits for the queue", record.pk)
        ImportRecord.objects.filter(pk=record.pk, outcome=ImportOutcome.QUEUED).update(
            queued_at=None
        )
        record.queued_at = None
        return False
    record.queued_at = sent_at
    return True


def requeue_waiting() -> list[int]:
    """Send the imports still waiting for the queue; stop at the first refusal
    (the broker is still down: the next sweep tries again)."""
    sent = []
    for record in waiting_for_queue():
        if not queue_import(record):
            break
        sent.append(record.pk)
    return sent


def recover_interrupted() -> dict[str, list[int]]:
    """Re-queue the imports whose worker died, or mark them failed: interrupted."""
    to_send, failed = claim_dead_runs()
    # Sent after their locks are released, or an in-process run would find them taken.
    for record in to_send:
        queue_import(record)
    return {"requeued": [r.pk for r in to_send], "failed": [r.pk for r in failed]}


def rerun(record: ImportRecord) -> None:
    reset_for_rerun(record)
    queue_import(record)


# Every two minutes (homecare/celery.py): nothing stays queued or running for ever.
@shared_task(name="imports.sweep_queue", ignore_result=True, time_limit=5 * 60)
def sweep_queue_task() -> dict[str, list[int]]:
    found = recover_interrupted()
    found["sent"] = requeue_waiting()
    return found
