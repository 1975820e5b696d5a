"""A real Celery worker for tests about the queue: a separate process, as in
production, consuming from Redis and writing to the test database."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import redis
from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
BROKER_VARIABLES = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
# The run's own broker (make test's TEST_BROKER_URL), so two runs on one machine
# never take each other's messages; CELERY_TEST_REDIS_URL overrides it.
REDIS_URL = (
    os.environ.get("CELERY_TEST_REDIS_URL")
    or os.environ.get("CELERY_BROKER_URL")
    or "redis://127.0.0.1:6379/14"
)


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextlib.contextmanager
def celery_worker(
    log_path: Path,
    *,
    redis_url: str = REDIS_URL,
    env: dict[str, str] | None = None,
    flush: bool = True,
) -> Iterator[Celery]:
    """Start `celery -A homecare worker` on the test database; yield a client app
    that sends to it. The Redis database is emptied first (unless flush=False:
    a second worker taking over the first one's messages) so no stale message
    from another run reaches this worker. `env` adds to the worker's settings."""
    if flush:
        redis.Redis.from_url(redis_url).flushdb()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": redis_url,
        "CELERY_RESULT_BACKEND": redis_url,
        "CONN_MAX_AGE": "0",
        **(env or {}),
    }
    log = log_path.open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "homecare",
            "worker",
            "-Q",
            "celery,packs",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Celery prefers these variables to any configuration, so the client would
    # otherwise send to the suite's broker instead of this worker's.
    saved = {name: os.environ.pop(name, None) for name in BROKER_VARIABLES}
    client = Celery("tests", broker=redis_url, backend=redis_url)
    try:
        deadline = time.monotonic() + 60
        while not client.control.ping(timeout=1):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Celery worker did not start:\n{log_path.read_text()}")
        yield client
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.close()
        client.close()
        os.environ.update({name: value for name, value in saved.items() if value is not None})


def worker_pid(client: Celery) -> int:
    """The process id of the (solo pool) worker the client reaches: the process
    that runs its tasks."""
    stats = client.control.inspect(timeout=5).stats() or {}
    (only,) = stats.values()
    return int(only["pid"])
