"""/metrics for Prometheus: closed unless a token or an address lets the
scraper in, and naming what the alerts in docs/operations.md watch."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.test import Client

from homecare.imports.services import import_path
from homecare.kpis.tasks import compute_month
from tests.worker import REDIS_URL
from visits.models import ImportKind

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scrape-" + "x" * 32


def scrape(client: Client, **headers: str):  # type: ignore[no-untyped-def]
    return client.get("/metrics", **headers)


def value(text: str, series: str) -> float:
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


@pytest.fixture
def closed(settings):  # type: ignore[no-untyped-def]
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    return settings


def test_metrics_are_closed_to_everyone_by_default(db, closed) -> None:
    assert scrape(Client(), REMOTE_ADDR="127.0.0.1").status_code == 403
    assert scrape(Client(), REMOTE_ADDR="203.0.113.9").status_code == 403


def test_production_settings_log_json_and_open_metrics_to_no_address() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "METRICS_ALLOWED_IPS", "METRICS_TOKEN", "LOG_FORMAT"}
    }
    env["SECRET_KEY"] = "only-for-this-test"
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from homecare import settings as s;"
            " print(s.METRICS_ALLOWED_IPS, repr(s.METRICS_TOKEN), s.LOG_FORMAT)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert shown == "[] '' json"


def test_a_bearer_token_lets_the_scraper_in(db, closed) -> None:
    closed.METRICS_TOKEN = TOKEN
    client = Client(REMOTE_ADDR="198.51.100.7")
    missing = scrape(client)
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert scrape(client, HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    allowed = scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert allowed.status_code == 200
    assert allowed["Content-Type"].startswith("text/plain")


def test_an_allowed_network_lets_the_scraper_in(db, closed) -> None:
    closed.METRICS_ALLOWED_IPS = ["10.20.0.0/16"]
    assert scrape(Client(), REMOTE_ADDR="10.20.3.4").status_code == 200
    assert scrape(Client(), REMOTE_ADDR="10.21.3.4").status_code == 403
    # A forwarded address is the client's word, not the connection's.
    assert (
        scrape(Client(), REMOTE_ADDR="10.21.3.4", HTTP_X_FORWARDED_FOR="10.20.3.4").status_code
        == 403
    )


def test_metrics_name_requests_imports_tasks_kpis_and_the_queue(
    db, closed, settings, tmp_path: Path
) -> None:
    closed.METRICS_TOKEN = TOKEN
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
    before = scrape(Client(), **auth).content.decode()

    # An import, a failing task and three tasks waiting in the queue.
    upload = tmp_path / "providers.csv"
    upload.write_text("provider_ref,name,cqc_rating\nPX,Xeno Home Care,Good\n")
    import_path(ImportKind.PROVIDERS, upload, recompute_kpis=False)
    assert compute_month.apply(args=["not-a-month"], throw=False).failed()
    queue = f"ops-test-{uuid.uuid4().hex}"
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    broker = redis.Redis.from_url(REDIS_URL)
    broker.rpush(queue, "a", "b", "c")
    try:
        Client().get("/health/")
        text = scrape(Client(), **auth).content.decode()
    finally:
        broker.delete(queue)

    assert "django_http_requests_latency_seconds_by_view_method_bucket" in text
    assert 'view="health"' in text
    rows = 'homecare_import_rows_total{kind="providers",outcome="succeeded"}'
    assert value(text, rows) == value(before, rows) + 1
    assert "homecare_import_duration_seconds_bucket" in text
    failures = 'homecare_celery_task_failures_total{task="kpis.compute_month"}'
    assert value(text, failures) == value(before, failures) + 1
    assert f'homecare_celery_queue_length{{queue="{queue}"}} 3.0' in text
    assert 'homecare_celery_queue_length{queue="packs"}' in text  # routed queues too
    assert "homecare_celery_broker_up 1.0" in text
    assert "homecare_database_up 1.0" in text
    assert "homecare_kpis_previous_month_computed 0.0" in text
    assert 'homecare_imports_unfinished{outcome="queued"} 0.0' in text
    assert "homecare_media_disk_free_bytes" in text


def test_the_health_check_answers_without_a_log_in(db, settings) -> None:
    # The demo: tasks run in-process, so there is no broker or worker to check.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
