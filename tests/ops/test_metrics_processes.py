"""As in the compose stack: several gunicorn workers share their counters
through PROMETHEUS_MULTIPROC_DIR, so one scrape counts every worker's requests."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest

from tests.ops.webserver import web_server
from tests.worker import _test_database_url

TOKEN = "processes-" + "y" * 30


@pytest.mark.django_db(transaction=True)
def test_one_scrape_counts_the_requests_of_every_web_worker(tmp_path: Path) -> None:
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {
        "DATABASE_URL": _test_database_url(),
        "PROMETHEUS_MULTIPROC_DIR": str(shared),
        "METRICS_TOKEN": TOKEN,
        "HOMECARE_VAR_DIR": str(tmp_path / "var"),
        # Tasks in-process: /health/ then checks the database and cache only
        # (with a broker it would want a live Celery worker too).
        "CELERY_BROKER_URL": "",
        "CELERY_RESULT_BACKEND": "",
    }
    with web_server(tmp_path / "web.log", env, workers=3) as base:
        for _ in range(30):
            with urllib.request.urlopen(f"{base}/health/") as response:
                assert response.status == 200
        scrape = urllib.request.Request(
            f"{base}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        with urllib.request.urlopen(scrape) as response:
            text = response.read().decode()

    # Each worker wrote its own file; the scrape added them up.
    assert len({path.name for path in shared.glob("counter_*.db")}) >= 2
    count = re.search(
        r'^django_http_requests_latency_seconds_by_view_method_count\{method="GET",view="health"\} '
        r"(\S+)$",
        text,
        re.M,
    )
    assert count is not None
    # The startup probe, and the thirty requests (the scrape's own is counted after it).
    assert float(count.group(1)) >= 30
    assert "homecare_database_up 1.0" in text
    assert 'homecare_imports_unfinished{outcome="queued"}' in text
