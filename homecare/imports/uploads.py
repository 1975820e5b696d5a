"""Uploaded files: stored until imported, then deleted.

A file is kept only while it is needed: until its import succeeds, or for
FAILED_UPLOAD_RETENTION_DAYS after it was rejected or failed, so whoever sent
it can be helped with it; then it goes, and the list of problems (which quotes
cells of the file) with it. Only files this module stored (under
MEDIA_ROOT/imports) are ever deleted: a file named on the command line is the
user's own.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from visits.models import ImportOutcome, ImportRecord

logger = logging.getLogger(__name__)

DEFAULT_FAILED_DAYS = 30
# A file with no record is from an upload whose record was never saved (the
# request failed part-way); it is left a day in case an upload is mid-flight.
ORPHAN_AFTER = timedelta(days=1)


def upload_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def failed_upload_days() -> int:
    return int(getattr(settings, "FAILED_UPLOAD_RETENTION_DAYS", DEFAULT_FAILED_DAYS))


def store_upload(upload: UploadedFile) -> Path:
    """Write the upload under MEDIA_ROOT in chunks: a visits file can be
    hundreds of megabytes and must never be read into memory whole. The name
    is a fresh UUID so nothing from the user reaches the file system."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}.csv"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def is_stored_upload(path: str | Path) -> bool:
    if not path:
        return False
    resolved = Path(path).resolve()
    return resolved.parent == upload_folder().resolve()


def discard_upload(record: ImportRecord, *, with_report: bool = False) -> bool:
    """Delete the record's uploaded file (and, after a failure, its list of
    problems); the record keeps its outcome and counts. False if there was no
    stored upload to delete."""
    if not is_stored_upload(record.stored_file):
        return False
    Path(record.stored_file).unlink(missing_ok=True)
    record.stored_file = ""
    record.file_deleted_at = timezone.now()
    fields = ["stored_file", "file_deleted_at"]
    if with_report and record.error_report:
        record.error_report = ""
        fields.append("error_report")
    record.save(update_fields=fields)
    return True


def file_kept_until(record: ImportRecord) -> datetime | None:
    """When a rejected or failed import's file will be deleted; None if it is
    not such a file."""
    if (
        record.outcome in (ImportOutcome.REJECTED, ImportOutcome.FAILED)
        and record.finished_at
        and is_stored_upload(record.stored_file)
    ):
        return record.finished_at + timedelta(days=failed_upload_days())
    return None


@dataclass
class ExpiredUploads:
    days: int
    records: list[int] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    def lines(self, dry_run: bool) -> list[str]:
        verb = "Would delete" if dry_run else "Deleted"
        return [
            f"{verb} the files of {len(self.records):,} rejected or failed imports "
            f"older than {self.days} days, with their lists of problems, "
            f"and {len(self.orphans):,} uploaded files with no import record."
        ]


def delete_expired_uploads(days: int | None = None, *, dry_run: bool = False) -> ExpiredUploads:
    """Delete the files of imports rejected or failed more than `days` ago, and
    any uploaded file no record names."""
    days = failed_upload_days() if days is None else days
    result = ExpiredUploads(days=days)
    cutoff = timezone.now() - timedelta(days=days)
    expired = ImportRecord.objects.filter(
        outcome__in=[ImportOutcome.REJECTED, ImportOutcome.FAILED], finished_at__lt=cutoff
    ).exclude(stored_file="")
    for record in expired.only("pk", "stored_file", "error_report"):
        if not is_stored_upload(record.stored_file):
            continue
        result.records.append(record.pk)
        if not dry_run:
            discard_upload(record, with_report=True)
    folder = upload_folder()
    if folder.is_dir():
        named = {
            Path(name).name
            for name in ImportRecord.objects.exclude(stored_file="").values_list(
                "stored_file", flat=True
            )
        }
        too_old = time.time() - ORPHAN_AFTER.total_seconds()
        for path in folder.glob("*.csv"):
            if path.name not in named and path.stat().st_mtime < too_old:
                result.orphans.append(path.name)
                if not dry_run:
                    path.unlink(missing_ok=True)
    if not dry_run and (result.records or result.orphans):
        logger.info(" ".join(result.lines(dry_run)))
    return result
