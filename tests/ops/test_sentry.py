"""Sentry is optional and sends nothing personal: an error logged inside a
request reaches a (local) Sentry with its request id and without the user,
cookies, request body or local variables."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A logged-in POST to a view that fails, as far as Sentry can see it.
SCRIPT = """
import sentry_sdk
from django.contrib.auth.models import User
from django.test import Client, override_settings

with override_settings(ROOT_URLCONF="tests.ops.broken_urls"):
    user = User.objects.create_user("sentry-person", "person@example.org", "a-long-password-1")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    print(client.post("/broken/", {"note": "Mrs Example at 1 High Street"}).content.decode())
    user.delete()
sentry_sdk.flush(5)
"""


class Collector(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli  # sentry-sdk compresses with it when it is installed

            body = brotli.decompress(body)
        Collector.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.django_db(transaction=True)
def test_an_error_reaches_sentry_with_its_request_id_and_nothing_personal() -> None:
    from tests.worker import _test_database_url

    server = HTTPServer(("127.0.0.1", 0), Collector)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Collector.received = []
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": _test_database_url(),
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_port}/1",
        "SENTRY_ENVIRONMENT": "test",
        "CONN_MAX_AGE": "0",
    }
    try:
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SCRIPT],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr
    request_id = next(
        line.split()[1] for line in done.stdout.splitlines() if line.startswith("REQUEST_ID")
    )

    events = []
    for envelope in Collector.received:
        for line in envelope.splitlines():
            item = json.loads(line)
            if item.get("level") == "error":
                events.append(item)
    assert len(events) == 1
    event = events[0]
    assert event["tags"]["request_id"] == request_id
    assert event["environment"] == "test"
    sent = json.dumps(event)
    assert "could not add up" in sent
    # Neither the form, the local variable nor the command line it ran from.
    assert "Mrs Example" not in sent
    assert "person@example.org" not in sent and "sentry-person" not in sent
    assert "sessionid" not in sent and "Cookie" not in sent
    assert "user" not in event or "id" not in event.get("user", {})
