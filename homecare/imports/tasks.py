"""Celery tasks of imports: thin wrappers over `services`."""

from __future__ import annotations

from pathlib import Path

from celery import shared_task

from homecare.imports.services import run_import
from visits.models import ImportRecord


@shared_task(name="imports.run_import", acks_late=True, time_limit=60 * 60, soft_time_limit=55 * 60)
def run_import_task(record_id: int) -> str:
    record = ImportRecord.objects.get(pk=record_id)
    return run_import(record, Path(record.stored_file)).outcome
