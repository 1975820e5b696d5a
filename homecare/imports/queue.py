"""The import queue's bookkeeping on the records; the sending is in tasks.py.

An import must never vanish or hang:
- The upload page never waits long on the broker: a send that fails (Redis
  down) leaves the record queued with its file kept (`queued_at` empty), and
  the sweep (a beat task every few minutes) sends it once the queue is back.
- A worker killed mid-import leaves its message unacknowledged (acks_late), so
  Redis hands it out again, and its record "running" with nobody holding its
  lock (`locks.import_lock`). The redelivered task runs it again (imports are
  idempotent); the sweep re-queues it sooner than Redis would, and after
  IMPORT_MAX_ATTEMPTS starts it is marked "failed: interrupted" with a button
  to run it again, so a file that kills its worker each time cannot loop for
  ever.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from homecare.imports.locks import import_lock, locks_tell_liveness
from homecare.imports.services import run_import_locked
from homecare.imports.uploads import is_stored_upload
from visits.models import ImportOutcome, ImportRecord

logger = logging.getLogger(__name__)

# The import task's limits (tasks.py). A run older than the hard limit plus a
# margin cannot still be going: Celery would have killed it.
IMPORT_TIME_LIMIT = 60 * 60
IMPORT_SOFT_TIME_LIMIT = 55 * 60
STALE_AFTER = timedelta(seconds=IMPORT_TIME_LIMIT) + timedelta(minutes=10)

WAITING_FOR_QUEUE = "The file is saved and will be imported when the task queue is back."
INTERRUPTED = (
    "Interrupted: the import stopped before it finished (the worker running it was stopped)."
    " Nothing was changed."
)


def max_attempts() -> int:
    return int(getattr(settings, "IMPORT_MAX_ATTEMPTS", 3))


def requeue_after() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "IMPORT_REQUEUE_AFTER_MINUTES", 30)))


def run_queued(record_id: int) -> str:
    """The import task's body: run the record unless it is done, running
    elsewhere, or has been started too often."""
    with import_lock(record_id) as held:
        if not held:
            # Someone is running it; if they die, the sweep finds it.
            return "running elsewhere"
        record = ImportRecord.objects.filter(pk=record_id).first()
        if record is None:
            return "no such import"
        if record.outcome not in (ImportOutcome.QUEUED, ImportOutcome.RUNNING):
            # Already done: a duplicate message (a re-queue that crossed a
            # redelivery) changes nothing.
            return record.outcome
        if record.attempts >= max_attempts():
            mark_interrupted(record)
            return record.outcome
        return run_import_locked(record, Path(record.stored_file)).outcome


def mark_interrupted(record: ImportRecord) -> None:
    record.outcome = ImportOutcome.FAILED
    record.interrupted = True
    record.summary = INTERRUPTED
    record.finished_at = timezone.now()
    record.save(update_fields=["outcome", "interrupted", "summary", "finished_at"])
    logger.warning("Import %s interrupted %s times; left for a re-run", record.pk, record.attempts)


def waiting_for_queue() -> list[ImportRecord]:
    """Imports still queued that should be sent (again): those the broker
    refused at upload, and those sent long ago whose message was lost (a Redis
    restart without persistence). A duplicate of one under way is harmless."""
    stale = timezone.now() - requeue_after()
    waiting = ImportRecord.objects.filter(outcome=ImportOutcome.QUEUED).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=stale)
    )
    return list(waiting.order_by("created_at"))


def claim_dead_runs() -> tuple[list[ImportRecord], list[ImportRecord]]:
    """Imports left "running" by a worker that died: each is put back to
    queued, to be sent again, or once started IMPORT_MAX_ATTEMPTS times (or
    with no kept file to run from) marked failed: interrupted. Returns (to
    send, failed)."""
    to_send: list[ImportRecord] = []
    failed: list[ImportRecord] = []
    running = ImportRecord.objects.filter(outcome=ImportOutcome.RUNNING)
    if not locks_tell_liveness():
        running = running.filter(started_at__lt=timezone.now() - STALE_AFTER)
    for record_id in running.values_list("pk", flat=True):
        with import_lock(record_id) as held:
            if not held:
                continue  # alive
            record = ImportRecord.objects.get(pk=record_id)
            if record.outcome != ImportOutcome.RUNNING:
                continue  # finished meanwhile
            if record.attempts >= max_attempts() or not is_stored_upload(record.stored_file):
                mark_interrupted(record)
                failed.append(record)
                continue
            record.outcome = ImportOutcome.QUEUED
            record.save(update_fields=["outcome"])
            to_send.append(record)
    return to_send, failed


def can_rerun(record: ImportRecord) -> bool:
    """A failed import (interrupted, or a system error) runs again from its
    kept file; a rejected one needs a corrected file."""
    return record.outcome == ImportOutcome.FAILED and is_stored_upload(record.stored_file)


def reset_for_rerun(record: ImportRecord) -> None:
    """Back to queued, as if just uploaded; the caller sends it."""
    record.outcome = ImportOutcome.QUEUED
    record.interrupted = False
    record.attempts = 0
    record.summary = ""
    record.started_at = record.finished_at = None
    record.save(
        update_fields=["outcome", "interrupted", "attempts", "summary", "started_at", "finished_at"]
    )
