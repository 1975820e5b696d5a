"""The import queue's bookkeeping, run in-process: duplicates, interrupted
runs, the sweep, and the button that runs a failed import again. (The same
paths through a real worker and Redis: test_queue_recovery.py.)"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from homecare.imports.locks import _key
from homecare.imports.queue import INTERRUPTED, run_queued
from homecare.imports.tasks import recover_interrupted, requeue_waiting
from providers.models import Provider
from tests.conftest import login
from tests.factories import CarePackageFactory
from tests.worker import _test_database_url
from visits.models import ImportKind, ImportOutcome, ImportRecord, Visit

pytestmark = pytest.mark.django_db

VISITS = (
    b"visit_id,package_ref,planned_start,planned_end,status\n"
    b"V1,K1,2026-10-05T07:00:00,2026-10-05T07:30:00,missed\n"
    b"V2,K1,2026-10-06T07:00:00,2026-10-06T07:30:00,missed\n"
)


@pytest.fixture(autouse=True)
def _media_and_eager(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def stored_visits(provider: Provider | None = None, **fields) -> ImportRecord:
    """A visits upload as the upload page leaves it: file stored, record queued."""
    from django.conf import settings

    CarePackageFactory(ref="K1", **({"provider": provider} if provider else {}))
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}.csv"
    path.write_bytes(VISITS)
    return ImportRecord.objects.create(
        kind=ImportKind.VISITS,
        file_name="visits.csv",
        stored_file=str(path),
        provider=provider,
        **fields,
    )


@pytest.fixture
def held_elsewhere() -> Iterator:
    """Take a record's run lock from another database session, as a worker
    that is busy with the import would hold it."""
    conn = psycopg2.connect(_test_database_url())
    conn.autocommit = True

    def hold(record: ImportRecord) -> None:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_key(record.pk)])

    yield hold
    conn.close()


def test_a_queued_import_runs_once_and_a_duplicate_message_changes_nothing() -> None:
    record = stored_visits()
    assert run_queued(record.pk) == ImportOutcome.SUCCEEDED
    record.refresh_from_db()
    finished = record.finished_at
    # The same message again (a re-queue crossing a redelivery): nothing happens.
    assert run_queued(record.pk) == ImportOutcome.SUCCEEDED
    record.refresh_from_db()
    assert record.attempts == 1 and record.finished_at == finished
    assert Visit.objects.count() == 2


def test_a_record_left_running_by_a_dead_worker_is_run_again() -> None:
    # What a worker killed mid-import leaves: running, started once, no lock.
    record = stored_visits(outcome=ImportOutcome.RUNNING, attempts=1)
    assert run_queued(record.pk) == ImportOutcome.SUCCEEDED
    record.refresh_from_db()
    assert record.attempts == 2 and record.rows == 2
    assert Visit.objects.count() == 2


def test_an_import_being_run_elsewhere_is_left_alone(held_elsewhere) -> None:
    record = stored_visits(outcome=ImportOutcome.RUNNING, attempts=1)
    held_elsewhere(record)
    assert run_queued(record.pk) == "running elsewhere"
    assert recover_interrupted() == {"requeued": [], "failed": []}
    record.refresh_from_db()
    assert record.outcome == ImportOutcome.RUNNING and not Visit.objects.exists()


def test_the_sweep_requeues_a_dead_run_and_it_completes() -> None:
    record = stored_visits(outcome=ImportOutcome.RUNNING, attempts=1)
    assert recover_interrupted() == {"requeued": [record.pk], "failed": []}
    record.refresh_from_db()
    # Eager here: the re-queued task has already run.
    assert record.outcome == ImportOutcome.SUCCEEDED and record.attempts == 2


def test_an_import_that_keeps_killing_its_worker_ends_failed_interrupted(
    client: Client, commissioner: User
) -> None:
    record = stored_visits(outcome=ImportOutcome.RUNNING, attempts=3)
    assert recover_interrupted() == {"requeued": [], "failed": [record.pk]}
    record.refresh_from_db()
    assert record.outcome == ImportOutcome.FAILED and record.interrupted
    assert record.summary == INTERRUPTED
    # Its file is kept, and the record page offers to run it again.
    assert Path(record.stored_file).exists()
    html = login(client, commissioner).get(reverse("import-record", args=[record.pk]))
    page = html.content.decode()
    assert "Failed: interrupted" in page
    assert "Run the import again" in page


def test_a_redelivered_message_past_the_attempt_limit_marks_it_interrupted() -> None:
    record = stored_visits(outcome=ImportOutcome.RUNNING, attempts=3)
    assert run_queued(record.pk) == ImportOutcome.FAILED
    record.refresh_from_db()
    assert record.interrupted and not Visit.objects.exists()


def test_run_again_button_imports_the_kept_file(
    client: Client, commissioner: User, django_capture_on_commit_callbacks
) -> None:
    record = stored_visits(
        outcome=ImportOutcome.FAILED, interrupted=True, attempts=3, summary=INTERRUPTED
    )
    login(client, commissioner)
    url = reverse("import-rerun", args=[record.pk])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("import-record", args=[record.pk])
    record.refresh_from_db()
    assert record.outcome == ImportOutcome.SUCCEEDED and not record.interrupted
    assert record.attempts == 1 and Visit.objects.count() == 2
    assert record.stored_file == ""


def test_run_again_is_for_uploaders_of_that_provider_only(
    client: Client, quality_officer: User, provider_a_user: User, provider_b: Provider
) -> None:
    record = stored_visits(provider=provider_b, outcome=ImportOutcome.FAILED, interrupted=True)
    url = reverse("import-rerun", args=[record.pk])
    assert login(client, quality_officer).post(url).status_code == 403
    assert login(client, provider_a_user).post(url).status_code == 404
    record.refresh_from_db()
    assert record.outcome == ImportOutcome.FAILED


def test_a_rejected_import_is_not_run_again(client: Client, commissioner: User) -> None:
    record = stored_visits(outcome=ImportOutcome.REJECTED)
    login(client, commissioner)
    page = client.get(reverse("import-record", args=[record.pk])).content.decode()
    assert "Run the import again" not in page
    client.post(reverse("import-rerun", args=[record.pk]))
    record.refresh_from_db()
    assert record.outcome == ImportOutcome.REJECTED and not Visit.objects.exists()


def test_the_sweep_sends_imports_the_queue_never_got(settings) -> None:
    never_sent = stored_visits()  # queued_at empty: the broker refused it
    assert never_sent.waiting_for_queue
    assert requeue_waiting() == [never_sent.pk]
    never_sent.refresh_from_db()
    assert never_sent.outcome == ImportOutcome.SUCCEEDED


def test_the_sweep_resends_only_imports_queued_too_long(settings) -> None:
    settings.IMPORT_REQUEUE_AFTER_MINUTES = 30
    settings.CELERY_TASK_ALWAYS_EAGER = True
    now = timezone.now()
    recent = stored_visits(queued_at=now - dt.timedelta(minutes=5))
    assert requeue_waiting() == []
    ImportRecord.objects.filter(pk=recent.pk).update(queued_at=now - dt.timedelta(minutes=31))
    assert requeue_waiting() == [recent.pk]
    recent.refresh_from_db()
    assert recent.outcome == ImportOutcome.SUCCEEDED
