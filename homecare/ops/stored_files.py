"""Which stored files a backup takes: those the database names, as it stood
in the backup's snapshot, and still within their retention.

- Every FileField (the monthly packs), whatever app it is in.
- Uploaded import files (ImportRecord.stored_file) under MEDIA_ROOT, except
  those of imports rejected or failed longer ago than
  FAILED_UPLOAD_RETENTION_DAYS: past their retention they are not copied.
  A file no record names (a replaced pack, a deleted upload, an interrupted
  upload) is left out too, so a restore brings back nothing that retention
  or a user had already deleted. A file named on the command line outside
  MEDIA_ROOT is the user's own and is not copied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from visits.models import ImportOutcome, ImportRecord

DEFAULT_FAILED_UPLOAD_DAYS = 30


@dataclass
class StoredFiles:
    # Paths relative to MEDIA_ROOT.
    keep: set[str] = field(default_factory=set)
    # Named by the database but not copied, with the reason.
    left_out: list[str] = field(default_factory=list)


def _relative(path: str | Path, root: Path) -> str | None:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return None


def files_to_back_up() -> StoredFiles:
    """Run inside the backup's snapshot transaction, so the list matches the
    dumped rows."""
    root = Path(settings.MEDIA_ROOT).resolve()
    found = StoredFiles()
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if isinstance(model_field, models.FileField):
                names = (
                    model._default_manager.exclude(**{model_field.name: ""})
                    .exclude(**{f"{model_field.name}__isnull": True})
                    .values_list(model_field.name, flat=True)
                )
                found.keep.update(str(name) for name in names)
    days = getattr(settings, "FAILED_UPLOAD_RETENTION_DAYS", DEFAULT_FAILED_UPLOAD_DAYS)
    expired_before = timezone.now() - timedelta(days=days)
    uploads = ImportRecord.objects.exclude(stored_file="").values_list(
        "pk", "stored_file", "outcome", "finished_at"
    )
    for pk, stored, outcome, finished_at in uploads:
        relative = _relative(stored, root)
        if relative is None:
            continue
        failed = outcome in (ImportOutcome.REJECTED, ImportOutcome.FAILED)
        if failed and finished_at is not None and finished_at < expired_before:
            found.left_out.append(f"{relative}: import {pk} failed over {days} days ago")
            continue
        found.keep.add(relative)
    present = set()
    for relative in sorted(found.keep):
        if (root / relative).is_file():
            present.add(relative)
        else:
            found.left_out.append(f"{relative}: named in the database but not on disk")
    found.keep = present
    return found
