"""/health/ for the load balancer (issue 10), on django-health-check: the
database, the cache, Redis and a live Celery worker, with a real worker
process; it needs no log-in and gives away nothing but ok or unavailable."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.test import Client

from homecare.ops import health
from tests.worker import REDIS_URL, celery_worker


@pytest.fixture
def with_broker(settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = REDIS_URL


def test_healthy_with_a_live_worker(
    db, with_broker: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with celery_worker(tmp_path / "worker.log") as app:
        # The check pings through the app that reaches this worker's broker.
        monkeypatch.setattr(health, "app_or_default", lambda: app)
        response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "redis": "ok",
        "celery": "ok",
    }
    assert "no-store" in response["Cache-Control"]


def test_no_worker_is_unhealthy_and_says_no_more(
    db, with_broker: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A broker no worker listens on: the ping goes unanswered.
    lonely = Celery("lonely", broker=REDIS_URL)
    lonely.conf.control_exchange = f"health-test-{uuid.uuid4().hex}"
    monkeypatch.setattr(health, "app_or_default", lambda: lonely)
    try:
        response = Client().get("/health/")
    finally:
        lonely.close()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["celery"] == "unavailable"
    assert body["database"] == "ok" and body["redis"] == "ok"
    text = response.content.decode()
    for secret in ("127.0.0.1", "6379", "redis://", "postgres", "Traceback"):
        assert secret not in text


def test_redis_down_is_unhealthy(db, settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    unreachable = Celery("unreachable", broker="redis://127.0.0.1:1/0")
    unreachable.conf.broker_connection_retry = False
    unreachable.conf.broker_transport_options = {"socket_connect_timeout": 1, "max_retries": 0}
    monkeypatch.setattr(health, "app_or_default", lambda: unreachable)
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["redis"] == "unavailable"
    assert response.json()["celery"] == "unavailable"


def test_the_health_check_needs_no_log_in_and_takes_no_post(db, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert Client().get("/health/").status_code == 200
    assert Client().post("/health/").status_code == 405
