"""Imports that never vanish or hang, with the real pieces: a Celery worker
process killed with SIGKILL mid-import, and a Redis of the test's own stopped
while a file is uploaded through a real web server process."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from homecare.imports.locks import _key
from homecare.imports.queue import WAITING_FOR_QUEUE
from providers.access import COMMISSIONER, ROLES
from tests.factories import CarePackageFactory, UserFactory
from tests.redis_server import RedisServer, free_port, redis_server
from tests.worker import ROOT, _test_database_url, celery_worker, worker_pid
from visits.models import ImportKind, ImportOutcome, ImportRecord, Visit, VisitCarer

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "visit_id,package_ref,carer_ref,planned_start,planned_end,actual_start,actual_end,status,verification\n"  # noqa: E501
# Big enough that importing it takes a few seconds on PostgreSQL, so the
# worker can be killed part-way through.
BIG = 100_000


def visits_file(path: Path, rows: int, package_ref: str) -> Path:
    """`rows` completed October visits of one package, one care worker each."""
    with path.open("w") as out:
        out.write(HEADER)
        for i in range(rows):
            day, minute = 1 + i % 31, (i // 31) % (23 * 60)
            start = f"2026-10-{day:02d}T{minute // 60:02d}:{minute % 60:02d}:00"
            end = f"2026-10-{day:02d}T{minute // 60:02d}:{minute % 60:02d}:30"
            times = f"{start},{end},{start},{end}"
            out.write(f"V{i:07d},{package_ref},C{i % 50},{times},completed,ecm\n")
    return path


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {what}")
        time.sleep(0.1)


def outcome(record: ImportRecord) -> str:
    record.refresh_from_db()
    return record.outcome


def lock_is_free(record_id: int) -> bool:
    """What the sweep asks: does any session hold the record's run lock?"""
    url = _test_database_url()
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(record_id)])
        free = cursor.fetchone()[0]
        if free:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(record_id)])
    conn.close()
    return free


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    """The folder this process and the worker both see as MEDIA_ROOT."""
    var = tmp_path / "var"
    settings.MEDIA_ROOT = var / "media"
    (var / "media" / "imports").mkdir(parents=True)
    return var


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    with redis_server(tmp_path) as server:
        yield server


def queued_upload(media: Path, rows: int) -> ImportRecord:
    """A visits file as the upload page stores it, and its queued record."""
    CarePackageFactory(ref="K1")
    path = visits_file(media / "media" / "imports" / f"{uuid.uuid4()}.csv", rows, "K1")
    return ImportRecord.objects.create(
        kind=ImportKind.VISITS, file_name="october.csv", stored_file=str(path)
    )


def kill_mid_import(client, record: ImportRecord) -> None:
    pid = worker_pid(client)
    client.send_task("imports.run_import", args=[record.pk])
    wait_for(lambda: outcome(record) == ImportOutcome.RUNNING, 60, "the import to start")
    time.sleep(0.5)  # into the COPY of the file
    assert outcome(record) == ImportOutcome.RUNNING
    os.kill(pid, signal.SIGKILL)
    # PostgreSQL rolls the half-done import back and frees its lock once it
    # sees the worker's connection gone.
    wait_for(lambda: lock_is_free(record.pk), 60, "PostgreSQL to notice the dead worker")


def test_a_sigkilled_import_is_handed_out_again_and_ends_imported(media, own_redis, tmp_path):
    record = queued_upload(media, BIG)
    worker_env = {"HOMECARE_VAR_DIR": str(media)}
    with celery_worker(tmp_path / "first.log", redis_url=own_redis.url, env=worker_env) as client:
        kill_mid_import(client, record)
    # Killed mid-import: still "running", nothing half-written, file kept.
    record.refresh_from_db()
    assert record.outcome == ImportOutcome.RUNNING and record.attempts == 1
    assert not Visit.objects.exists()
    assert Path(record.stored_file).exists()

    # Acknowledged late, so Redis still holds the message: a new worker takes
    # it back once the visibility timeout (here a few seconds) has passed.
    time.sleep(3)
    second = {**worker_env, "CELERY_VISIBILITY_TIMEOUT": "2"}
    with celery_worker(tmp_path / "second.log", redis_url=own_redis.url, env=second, flush=False):
        wait_for(lambda: outcome(record) == ImportOutcome.SUCCEEDED, 120, "the re-run")
    record.refresh_from_db()
    assert record.attempts == 2 and record.rows == BIG
    # Every row once: the killed run left nothing behind.
    assert Visit.objects.count() == BIG
    assert VisitCarer.objects.count() == BIG
    assert record.stored_file == "" and not any((media / "media" / "imports").iterdir())


def test_the_sweep_requeues_an_import_whose_worker_died(media, own_redis, tmp_path):
    record = queued_upload(media, BIG)
    worker_env = {"HOMECARE_VAR_DIR": str(media)}
    with celery_worker(tmp_path / "first.log", redis_url=own_redis.url, env=worker_env) as client:
        kill_mid_import(client, record)
    # The new worker keeps the default visibility timeout (two hours), so the
    # killed message stays parked: the beat's sweep is what brings it back.
    with celery_worker(
        tmp_path / "second.log", redis_url=own_redis.url, env=worker_env, flush=False
    ) as client:
        client.send_task("imports.sweep_queue")
        wait_for(lambda: outcome(record) == ImportOutcome.SUCCEEDED, 120, "the re-queued run")
    record.refresh_from_db()
    assert record.attempts == 2 and record.rows == BIG
    assert Visit.objects.count() == BIG


# Redis down at upload --------------------------------------------------------


class WebServer:
    """gunicorn serving the app on the test database, with its own broker."""

    def __init__(self, var: Path, broker_url: str, log: Path) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": _test_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_RESULT_BACKEND": broker_url,
            "HOMECARE_VAR_DIR": str(var),
            "CONN_MAX_AGE": "0",
        }
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "homecare.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self._answers, 60, "the web server to start")

    def _answers(self) -> bool:
        assert self.process.poll() is None, "the web server exited"
        try:
            return self.request("GET", "/login/")[0] == 200
        except OSError:
            return False

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def multipart(fields: dict[str, str], file_field: str, name: str, content: bytes):
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_an_upload_while_redis_is_down_waits_and_is_imported_when_it_is_back(
    media, own_redis, tmp_path
):
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    CarePackageFactory(ref="K1")
    content = visits_file(tmp_path / "october.csv", 500, "K1").read_bytes()
    # Signed in as a commissioner: a session in the database, as after the log-in page.
    browser = Client()
    browser.force_login(UserFactory(username="commissioner", role=COMMISSIONER))
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value

    web = WebServer(media, own_redis.url, tmp_path / "web.log")
    try:
        cookies = f"{settings.SESSION_COOKIE_NAME}={session}"
        status, headers, page = web.request("GET", "/imports/upload/", headers={"Cookie": cookies})
        assert status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
        cookies += f"; csrftoken={csrf_cookie}"

        own_redis.stop()
        body, content_type = multipart(
            {"csrfmiddlewaretoken": token, "kind": "visits"}, "file", "october.csv", content
        )
        began = time.monotonic()
        status, headers, _ = web.request(
            "POST",
            "/imports/upload/",
            body=body,
            headers={"Cookie": cookies, "Content-Type": content_type},
        )
        answered_in = time.monotonic() - began
        assert status == 302, (tmp_path / "web.log").read_text()
        assert answered_in < 3, f"the upload page took {answered_in:.1f} s with Redis down"

        record = ImportRecord.objects.get()
        assert headers["Location"] == f"/imports/{record.pk}/"
        # Saved, not lost: queued, never sent, the file on disk.
        assert record.outcome == ImportOutcome.QUEUED and record.queued_at is None
        assert Path(record.stored_file).read_bytes() == content
        status, _, page = web.request("GET", headers["Location"], headers={"Cookie": cookies})
        assert status == 200 and WAITING_FOR_QUEUE.encode() in page
    finally:
        web.stop()

    # Redis comes back; the beat's sweep (sent here as beat would) queues it.
    own_redis.start()
    worker_env = {"HOMECARE_VAR_DIR": str(media)}
    with celery_worker(tmp_path / "worker.log", redis_url=own_redis.url, env=worker_env) as client:
        client.send_task("imports.sweep_queue")
        wait_for(lambda: outcome(record) == ImportOutcome.SUCCEEDED, 60, "the waiting import")
    record.refresh_from_db()
    assert record.rows == 500 and Visit.objects.count() == 500
    assert record.stored_file == "" and not any((media / "media" / "imports").iterdir())
