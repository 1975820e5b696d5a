"""HTTP as deployed (issue 10): with DEBUG off, HTTPS only (redirect, HSTS,
secure cookies), the proxy's HTTPS header honoured when configured, a Content
Security Policy with no inline script, Permissions-Policy and
Referrer-Policy; `check --deploy` is clean; pages with person-level data are
never stored by a browser or proxy."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.conftest import login
from tests.homecare.production import HOST, manage, production_env, run_python
from visits.models import ImportKind, ImportRecord

REQUESTS = f"""
import json
import django
django.setup()
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.test import Client, RequestFactory

client = Client(HTTP_HOST="{HOST}")
def seen(response):
    return {{
        "status": response.status_code,
        "location": response.get("Location", ""),
        "headers": dict(response.headers),
        "cookies": {{
            name: {{"secure": bool(c["secure"]), "httponly": bool(c["httponly"])}}
            for name, c in response.cookies.items()
        }},
    }}
print(json.dumps({{
    "plain": seen(client.get("/login/")),
    "secure": seen(client.get("/login/", secure=True)),
    "proxied": seen(client.get("/login/", HTTP_X_FORWARDED_PROTO="https")),
    "health": seen(client.get("/health/")),
}}))
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> dict:
    var_dir = tmp_path_factory.mktemp("production")
    env = production_env(var_dir, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto:https")
    done = run_python(REQUESTS, env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https(answers: dict) -> None:
    assert answers["plain"]["status"] == 301
    assert answers["plain"]["location"] == f"https://{HOST}/login/"


def test_the_proxys_https_header_is_believed_when_configured(answers: dict) -> None:
    assert answers["proxied"]["status"] == 200


def test_https_answers_carry_the_security_headers(answers: dict) -> None:
    headers = answers["secure"]["headers"]
    assert answers["secure"]["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_cookies_are_sent_over_https_only(answers: dict) -> None:
    cookies = answers["secure"]["cookies"]
    assert cookies["csrftoken"]["secure"]


def test_the_load_balancers_probe_is_not_redirected(answers: dict) -> None:
    # Plain http from inside the network; the database answers, no broker here.
    assert answers["health"]["status"] == 200
    assert "no-store" in answers["health"]["headers"]["Cache-Control"]


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    done = manage(["check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_reports_https_turned_off(tmp_path: Path) -> None:
    env = production_env(tmp_path, SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false")
    done = manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert done.returncode != 0
    assert "security.W008" in done.stderr and "security.W012" in done.stderr


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_with_person_level_data_are_never_stored(
    client: Client, commissioner: User, provider_a
) -> None:
    client = login(client, commissioner)
    record = ImportRecord.objects.create(kind=ImportKind.VISITS, file_name="visits.csv")
    for url in (
        reverse("provider-dashboard", args=["PA"]),
        reverse("provider-quality", args=["PA"]),
        reverse("package-review", args=["PA"]),
        reverse("import-record", args=[record.pk]),
        reverse("import-errors", args=[record.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert _no_store(response), url
        assert "private" in response["Cache-Control"], url
    # A page of market totals only may be kept by the browser's back button.
    assert not _no_store(client.get(reverse("market")))


def test_uploads_stream_to_a_temporary_file_on_disk(settings) -> None:
    # Even a small file: nothing is held in the web worker's memory.
    request = RequestFactory().post(
        "/imports/upload/", {"file": _named_file(b"provider_ref,name\nPX,Xeno\n")}
    )
    uploaded = request.FILES["file"]
    assert isinstance(uploaded, TemporaryUploadedFile)
    assert Path(uploaded.temporary_file_path()).read_bytes().startswith(b"provider_ref")
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 256 * 1024


def _named_file(content: bytes) -> BytesIO:
    file = BytesIO(content)
    file.name = "providers.csv"
    return file
