"""The import record page in the states issue 10 adds, in a real browser:
waiting for the task queue, interrupted with its re-run button, a rejected
file kept for a while and one deleted."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from homecare.imports.queue import INTERRUPTED
from providers.access import COMMISSIONER
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import CarePackageFactory, UserFactory
from visits.models import ImportKind, ImportOutcome, ImportRecord, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISITS = (
    b"visit_id,package_ref,planned_start,planned_end,status\n"
    b"V1,K1,2026-10-05T07:00:00,2026-10-05T07:30:00,missed\n"
)


def kept_upload(**fields: Any) -> ImportRecord:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}.csv"
    path.write_bytes(VISITS)
    return ImportRecord.objects.create(
        kind=ImportKind.VISITS, file_name="october-visits.csv", stored_file=str(path), **fields
    )


def show(page: Any, record: ImportRecord, name: str) -> str:
    response = page.goto(f"/imports/{record.pk}/")
    assert response is not None and response.status == 200
    check_accessibility(page)
    screenshot(page, name, phone=True)
    return page.inner_text("main")


def test_import_states(page: Any, live_server: Any) -> None:
    CarePackageFactory(ref="K1")
    sign_in(page, live_server, UserFactory(username="commissioner", role=COMMISSIONER))
    now = timezone.now()

    waiting = kept_upload()
    text = show(page, waiting, "import-waiting-for-queue")
    assert "The file is saved and will be imported when the task queue is back." in text

    rejected = kept_upload(
        outcome=ImportOutcome.REJECTED,
        finished_at=now,
        error_count=1,
        error_report="line 2, package_ref: no care package 'K9'",
    )
    text = show(page, rejected, "import-rejected-kept")
    assert "Kept until" in text

    deleted = ImportRecord.objects.create(
        kind=ImportKind.VISITS,
        file_name="old.csv",
        outcome=ImportOutcome.REJECTED,
        finished_at=now - dt.timedelta(days=31),
        file_deleted_at=now,
        error_count=1,
    )
    text = show(page, deleted, "import-file-deleted")
    assert "after the import was rejected, with its list of problems" in text
    assert "The list of problems was deleted with the file." in text

    interrupted = kept_upload(
        outcome=ImportOutcome.FAILED,
        interrupted=True,
        attempts=3,
        summary=INTERRUPTED,
        started_at=now,
        finished_at=now,
    )
    text = show(page, interrupted, "import-interrupted")
    assert "Failed: interrupted" in text
    page.get_by_role("button", name="Run the import again").click()
    page.wait_for_url(f"**/imports/{interrupted.pk}/")
    assert "Imported" in page.inner_text("main")
    assert Visit.objects.count() == 1
