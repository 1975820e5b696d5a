"""Uploaded files are kept no longer than needed: gone once imported; kept
FAILED_UPLOAD_RETENTION_DAYS after a rejection or failure, then deleted."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homecare.imports.services import import_path
from homecare.imports.uploads import delete_expired_uploads
from tests.conftest import login
from visits.models import ImportKind, ImportOutcome, ImportRecord

pytestmark = pytest.mark.django_db

GOOD = b"provider_ref,name,cqc_rating,notes\nPX,Xeno Home Care,Good,private note\n"
BAD = b"provider_ref,name,cqc_rating\nPY,Yew Home Care,Brilliant\n"


@pytest.fixture(autouse=True)
def _media_and_eager(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    return settings.MEDIA_ROOT


def upload(client: Client, content: bytes, capture) -> ImportRecord:
    with capture(execute=True):
        client.post(
            reverse("upload"),
            {"kind": "providers", "file": SimpleUploadedFile("p.csv", content, "text/csv")},
        )
    return ImportRecord.objects.latest("pk")


def uploads_folder(settings) -> list[Path]:
    return sorted((Path(settings.MEDIA_ROOT) / "imports").iterdir())


def test_an_imported_file_is_gone_and_ignored_columns_are_named_only(
    client: Client, commissioner: User, django_capture_on_commit_callbacks, settings
) -> None:
    login(client, commissioner)
    record = upload(client, GOOD, django_capture_on_commit_callbacks)
    assert record.outcome == ImportOutcome.SUCCEEDED
    assert uploads_folder(settings) == [] and record.stored_file == ""
    # The column outside the format is named on the record; its values are
    # nowhere: not on the record, not in the database's providers.
    assert record.ignored_columns == ["notes"]
    stored = " ".join(str(v) for v in ImportRecord.objects.values().get(pk=record.pk).values())
    assert "private note" not in stored
    page = client.get(reverse("import-record", args=[record.pk])).content.decode()
    assert "Deleted" in page and "once imported" in page


def test_a_rejected_file_is_kept_then_deleted_with_its_report(
    client: Client, commissioner: User, django_capture_on_commit_callbacks, settings
) -> None:
    settings.FAILED_UPLOAD_RETENTION_DAYS = 30
    login(client, commissioner)
    record = upload(client, BAD, django_capture_on_commit_callbacks)
    assert record.outcome == ImportOutcome.REJECTED
    assert Path(record.stored_file).read_bytes() == BAD
    page = client.get(reverse("import-record", args=[record.pk])).content.decode()
    kept_until = timezone.localtime(record.finished_at + dt.timedelta(days=30))
    assert f"Kept until {kept_until.day} {kept_until:%B %Y}" in page

    # 29 days on: still there.
    ImportRecord.objects.filter(pk=record.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=29)
    )
    assert delete_expired_uploads().records == []
    assert Path(record.stored_file).exists()

    # 31 days on: a dry run says so and deletes nothing; the real run deletes.
    ImportRecord.objects.filter(pk=record.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=31)
    )
    assert delete_expired_uploads(dry_run=True).records == [record.pk]
    assert Path(record.stored_file).exists()
    assert delete_expired_uploads().records == [record.pk]
    assert uploads_folder(settings) == []
    record.refresh_from_db()
    assert record.stored_file == "" and record.error_report == ""
    assert record.outcome == ImportOutcome.REJECTED and record.error_count == 1
    page = client.get(reverse("import-record", args=[record.pk])).content.decode()
    assert "30 days after the import was rejected, with its list of problems" in page


def test_the_retention_period_is_a_setting(
    client: Client, commissioner: User, django_capture_on_commit_callbacks, settings
) -> None:
    settings.FAILED_UPLOAD_RETENTION_DAYS = 7
    login(client, commissioner)
    record = upload(client, BAD, django_capture_on_commit_callbacks)
    ImportRecord.objects.filter(pk=record.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=8)
    )
    assert delete_expired_uploads().records == [record.pk]


def test_a_file_named_on_the_command_line_is_never_deleted(tmp_path: Path, settings) -> None:
    own = tmp_path / "providers.csv"
    own.write_bytes(BAD)
    record = import_path(ImportKind.PROVIDERS, own)
    ImportRecord.objects.filter(pk=record.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=365)
    )
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD)
    assert import_path(ImportKind.PROVIDERS, good).outcome == ImportOutcome.SUCCEEDED
    assert delete_expired_uploads().records == []
    assert own.exists() and good.exists()


def test_a_stray_upload_with_no_record_is_deleted_after_a_day(settings) -> None:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True)
    stray, fresh = folder / "stray.csv", folder / "fresh.csv"
    stray.write_bytes(GOOD)
    fresh.write_bytes(GOOD)
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(stray, (two_days_ago, two_days_ago))
    assert delete_expired_uploads().orphans == ["stray.csv"]
    assert uploads_folder(settings) == [fresh]
