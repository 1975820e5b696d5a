"""At 2 a.m. the logs must say what happened: a request's log line is JSON with
its request id, and the import task it sent logs with the same id, in a real
gunicorn and a real Celery worker. The worker's metrics count the import."""

from __future__ import annotations

import json
import re
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from providers.access import COMMISSIONER
from tests.factories import UserFactory
from tests.ops.webserver import free_port, multipart, web_server
from tests.worker import REDIS_URL, _test_database_url, celery_worker
from visits.models import ImportOutcome, ImportRecord

PROVIDERS = b"provider_ref,name,cqc_rating\nPX,Xeno Home Care,Good\nPY,Yew Home Care,Good\n"


def json_lines(path: Path) -> list[dict]:
    lines = []
    for text in path.read_text().splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return lines


def wait_for(predicate, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.3)


@pytest.mark.django_db(transaction=True)
def test_request_id_follows_an_upload_into_the_worker(tmp_path: Path, monkeypatch) -> None:
    # An earlier transactional test may have emptied the tables the migrations filled.
    Group.objects.get_or_create(name=COMMISSIONER)
    user = UserFactory(username="ops-commissioner", role=COMMISSIONER)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    metrics_port = free_port()
    # Both processes share the folder uploads go to, and log JSON.
    monkeypatch.setenv("HOMECARE_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("CELERY_METRICS_PORT", str(metrics_port))
    web_env = {
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
    }
    with (
        celery_worker(tmp_path / "worker.log"),
        web_server(tmp_path / "web.log", web_env) as base,
    ):
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("Cookie", f"sessionid={session}")]
        with opener.open(f"{base}/imports/upload/") as page:
            form = page.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        body, content_type = multipart(
            {"csrfmiddlewaretoken": token, "kind": "providers"},
            {"file": ("providers.csv", PROVIDERS)},
        )
        request = urllib.request.Request(
            f"{base}/imports/upload/",
            data=body,
            headers={
                "Content-Type": content_type,
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
            },
            method="POST",
        )
        # The redirect to the import's page is followed; the id is the POST's.
        no_redirect = urllib.request.build_opener(_NoRedirect)
        with no_redirect.open(request) as response:
            assert response.status == 302
            request_id = response.headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)

        record = ImportRecord.objects.get(file_name="providers.csv")
        wait_for(lambda: ImportRecord.objects.get(pk=record.pk).outcome == ImportOutcome.SUCCEEDED)
        wait_for(
            lambda: any(
                line.get("message", "").startswith("Task imports.run_import succeeded")
                for line in json_lines(tmp_path / "worker.log")
            )
        )
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics") as scrape:
            worker_metrics = scrape.read().decode()

    web = [
        line for line in json_lines(tmp_path / "web.log") if line.get("request_id") == request_id
    ]
    access = next(line for line in web if line["logger"] == "homecare.requests")
    assert access["method"] == "POST"
    assert access["path"] == "/imports/upload/"
    assert access["status"] == 302
    assert access["user_id"] == user.pk
    assert access["duration_ms"] > 0

    task_lines = [
        line for line in json_lines(tmp_path / "worker.log") if line.get("request_id") == request_id
    ]
    imported = next(line for line in task_lines if line["logger"] == "homecare.imports")
    assert imported["import_id"] == record.pk
    assert imported["outcome"] == "succeeded"
    assert imported["rows"] == 2
    finished = next(line for line in task_lines if line["logger"] == "homecare.tasks")
    assert finished["task"] == "imports.run_import"
    assert finished["state"] == "succeeded"

    assert 'homecare_import_rows_total{kind="providers",outcome="succeeded"} 2.0' in worker_metrics
    assert (
        'homecare_celery_tasks_total{state="succeeded",task="imports.run_import"} 1.0'
        in worker_metrics
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None

    def http_error_302(self, req, fp, code, msg, headers):  # type: ignore[no-untyped-def]
        return fp
