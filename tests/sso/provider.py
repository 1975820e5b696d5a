"""Run the test OpenID Connect provider (tests/oidc_provider) as a process of
its own, with an RS256 key made for the run, and sign in through it the way
a browser would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from benchmarks.common import free_port, stop

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "homecare-test"
CLIENT_SECRET = "a-client-secret-for-the-test-only"


def rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@dataclass
class Provider:
    url: str
    env: dict[str, str]

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def directory(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "django", "directory", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            timeout=60,
        )

    def set_user(self, name: str, password: str, *groups: str, inactive: bool = False) -> None:
        self.directory("user", name, password, *groups, *(["--inactive"] if inactive else []))


@contextmanager
def oidc_provider(work: Path, redirect_uri: str) -> Iterator[Provider]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "PYTHONPATH": str(ROOT),
        "OIDC_PROVIDER_DB": str(work / "provider.sqlite3"),
        "OIDC_PROVIDER_RSA_KEY": rsa_key(),
    }
    port = free_port()
    provider = Provider(f"http://127.0.0.1:{port}", env)
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    provider.directory("client", CLIENT_ID, CLIENT_SECRET, redirect_uri)
    log = (work / "provider.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                if requests.get(
                    f"{provider.issuer}/.well-known/openid-configuration", timeout=2
                ).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.25)
        else:
            raise RuntimeError((work / "provider.log").read_text())
        yield provider
    finally:
        stop(server, timeout=10)
        log.close()


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def sign_in(
    session: requests.Session, service_url: str, name: str, password: str
) -> requests.Response:
    """Press "Sign in with your council account" and sign in at the provider:
    the response is the page the service lands on."""
    login_page = session.get(f"{service_url}/login/")
    login_page.raise_for_status()
    start = re.search(r'href="([^"]*)"[^>]*>Sign in with your council account', login_page.text)
    assert start, "no council sign-in button"
    at_provider = session.get(service_url + start.group(1).replace("&amp;", "&"))
    if "Council directory" not in at_provider.text:
        return at_provider  # still signed in at the provider: straight back
    token = CSRF.search(at_provider.text)
    assert token
    return session.post(
        at_provider.url,
        data={"csrfmiddlewaretoken": token.group(1), "username": name, "password": password},
        headers={"Referer": at_provider.url},
    )
