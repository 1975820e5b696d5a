"""Sessions end after SESSION_IDLE_MINUTES without a request."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import User
from django.test import Client

from homecare.accounts.signals import LAST_SEEN
from tests.conftest import login

pytestmark = pytest.mark.django_db


def last_seen(client: Client, minutes_ago: float) -> None:
    session = client.session
    session[LAST_SEEN] = int(time.time() - minutes_ago * 60)
    session.save()


def test_an_idle_session_ends_and_the_sign_in_page_says_why(
    client: Client, commissioner: User
) -> None:
    login(client, commissioner)
    last_seen(client, 31)
    response = client.get("/providers/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/providers/"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not used the service for 30 minutes" in page
    assert client.get("/").status_code == 302  # the session is gone for good


def test_a_session_in_use_carries_on(client: Client, commissioner: User) -> None:
    login(client, commissioner)
    last_seen(client, 29)
    assert client.get("/").status_code == 200
    # The request counts as activity: the clock starts again.
    assert time.time() - client.session[LAST_SEEN] < 5
    assert client.get("/providers/").status_code == 200


def test_the_idle_limit_is_a_setting(client: Client, commissioner: User, settings) -> None:
    settings.SESSION_IDLE_MINUTES = 5
    login(client, commissioner)
    last_seen(client, 4)
    assert client.get("/").status_code == 200
    last_seen(client, 6)
    assert client.get("/").status_code == 302


def test_signing_in_starts_the_clock(client: Client, commissioner: User) -> None:
    response = client.post(
        "/login/", {"username": "commissioner", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert time.time() - client.session[LAST_SEEN] < 60
