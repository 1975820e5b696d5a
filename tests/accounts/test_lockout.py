"""Log-in protection: wrong passwords lock a username from an address, the
lock-out page says when to try again, every sign-in is recorded, and an
administrator can lift a lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from homecare.accounts.lockout import clock_time, try_again_text
from tests.conftest import login

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@pytest.fixture(autouse=True)
def _quick_hashing(settings) -> None:
    # Many sign-ins per test: a fast hasher keeps them quick. What is tested
    # is the counting and locking, not the hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client: Client, password: str, username: str = "commissioner"):
    return client.post("/login/", {"username": username, "password": password})


def test_five_wrong_passwords_are_answered_the_sixth_locks(
    client: Client, commissioner: User
) -> None:
    assert settings.LOGIN_FAILURE_LIMIT == 5
    for _ in range(5):
        response = sign_in(client, "wrong-password-here")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()

    response = sign_in(client, "wrong-password-here")
    html = response.content.decode()
    assert response.status_code == 429
    assert "You cannot sign in at the moment" in html
    assert "Enter a correct username and password" not in html
    # The page names the time the lock ends: the locking failure plus 30 minutes.
    attempt = AccessAttempt.objects.get(username="commissioner")
    until = attempt.attempt_time + timedelta(minutes=30)
    assert try_again_text(until, timezone.now()) in html
    assert attempt.failures_since_start == 6


def test_while_locked_even_the_right_password_is_refused_and_the_time_holds(
    client: Client, commissioner: User
) -> None:
    for _ in range(6):
        sign_in(client, "wrong-password-here")
    until_before = AccessAttempt.objects.get(username="commissioner").attempt_time

    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert client.get("/").status_code == 302  # not signed in
    # Trying again while locked does not push the end of the lock back.
    assert AccessAttempt.objects.get(username="commissioner").attempt_time == until_before


def test_the_lock_is_for_that_username_from_that_address_only(
    client: Client, commissioner: User, quality_officer: User
) -> None:
    for _ in range(6):
        sign_in(client, "wrong-password-here")
    assert sign_in(client, PASSWORD).status_code == 429

    other_address = Client(REMOTE_ADDR="192.0.2.44")
    assert sign_in(other_address, PASSWORD).status_code == 302
    assert sign_in(Client(), PASSWORD, username="quality").status_code == 302


def test_the_lock_ends_after_the_cool_off_time(client: Client, commissioner: User) -> None:
    for _ in range(6):
        sign_in(client, "wrong-password-here")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_a_successful_sign_in_starts_the_count_again(client: Client, commissioner: User) -> None:
    for _ in range(4):
        sign_in(client, "wrong-password-here")
    assert sign_in(client, PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(5):
        assert sign_in(client, "wrong-password-here").status_code == 200


def test_successful_and_failed_sign_ins_are_recorded(client: Client, commissioner: User) -> None:
    sign_in(client, "wrong-password-here")
    sign_in(client, "another-wrong-one")
    sign_in(client, PASSWORD)
    client.post("/logout/")

    failures = AccessFailureLog.objects.filter(username="commissioner")
    assert failures.count() == 2
    assert set(failures.values_list("ip_address", flat=True)) == {"127.0.0.1"}
    success = AccessLog.objects.get(username="commissioner")
    assert success.ip_address == "127.0.0.1"
    assert success.logout_time is not None
    # No password is kept in the records.
    for attempt in AccessAttempt.objects.all():
        assert "wrong-password-here" not in attempt.post_data


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("root", password="a-long-admin-password")


def test_an_administrator_unlocks_from_the_admin(
    client: Client, commissioner: User, admin_user: User
) -> None:
    locked = Client()
    for _ in range(6):
        sign_in(locked, "wrong-password-here")
    attempt = AccessAttempt.objects.get(username="commissioner")

    admin = login(Client(), admin_user)
    page = admin.get("/admin/axes/accessattempt/?locked_out=yes")
    assert page.status_code == 200
    assert "commissioner" in page.content.decode()
    response = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "unlock", "_selected_action": [attempt.pk]},
        follow=True,
    )
    assert "Unlocked commissioner" in response.content.decode()
    assert sign_in(locked, PASSWORD).status_code == 302


def test_sign_in_records_are_read_only_in_the_admin(
    client: Client, commissioner: User, admin_user: User
) -> None:
    sign_in(client, "wrong-password-here")
    sign_in(client, PASSWORD)
    admin = login(Client(), admin_user)
    for model, record in (
        ("accesslog", AccessLog.objects.get(username="commissioner")),
        ("accessfailurelog", AccessFailureLog.objects.get(username="commissioner")),
    ):
        assert admin.get(f"/admin/axes/{model}/").status_code == 200
        change = admin.get(f"/admin/axes/{model}/{record.pk}/change/")
        assert change.status_code == 200
        assert 'name="_save"' not in change.content.decode()  # view only
        assert admin.post(f"/admin/axes/{model}/{record.pk}/delete/").status_code == 403
    assert AccessLog.objects.filter(username="commissioner").count() == 1


def test_the_admin_signs_in_through_the_service(client: Client, commissioner: User) -> None:
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/?next=%2Fadmin%2F"
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in response.content.decode()
    # Someone signed in without admin access is refused, not sent round in a loop.
    login(client, commissioner)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


# The lock-out time as people read it --------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "text"),
    [
        (9, 5, "9:05am"),
        (14, 30, "2:30pm"),
        (12, 0, "midday"),
        (0, 0, "midnight"),
        (0, 20, "12:20am"),
    ],
)
def test_clock_times_are_written_as_gov_uk_writes_them(hour: int, minute: int, text: str) -> None:
    assert clock_time(datetime(2026, 3, 6, hour, minute)) == text


def test_the_try_again_time_is_london_time() -> None:
    # 13:05 UTC in July is 2:05pm in London (British Summer Time).
    until = datetime(2026, 7, 1, 13, 5, tzinfo=UTC)
    assert try_again_text(until, datetime(2026, 7, 1, 12, 40, tzinfo=UTC)) == "2:05pm today"
    # A lock that runs past midnight gives the date.
    until = datetime(2026, 1, 9, 0, 10, tzinfo=UTC)
    now = datetime(2026, 1, 8, 23, 50, tzinfo=UTC)
    assert try_again_text(until, now) == "12:10am on Friday 9 January 2026"


# Settings from the environment ----------------------------------------------------

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from axes.helpers import get_client_ip_address
request = RequestFactory().get(
    "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 81.2.69.160"
)
print(json.dumps({
    "failure_limit": settings.AXES_FAILURE_LIMIT,
    "cool_off_minutes": settings.AXES_COOLOFF_TIME.total_seconds() / 60,
    "idle_minutes": settings.SESSION_IDLE_MINUTES,
    "otp_required": settings.OTP_REQUIRED_FOR_STAFF,
    "client_ip": get_client_ip_address(request),
}))
"""


def probe(**env: str) -> dict:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LOGIN_", "SESSION_", "OTP_", "TRUSTED_", "AXES_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**base, "DJANGO_SETTINGS_MODULE": "homecare.settings", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_defaults_and_settings_from_the_environment() -> None:
    defaults = probe()
    assert defaults == {
        "failure_limit": 6,  # five wrong passwords allowed; the sixth locks
        "cool_off_minutes": 30,
        "idle_minutes": 30,
        "otp_required": False,
        "client_ip": "10.0.0.1",  # no proxy trusted: the forwarded header is ignored
    }
    configured = probe(
        LOGIN_FAILURE_LIMIT="3",
        LOGIN_LOCKOUT_MINUTES="60",
        SESSION_IDLE_MINUTES="15",
        OTP_REQUIRED_FOR_STAFF="true",
        TRUSTED_PROXY_COUNT="1",
    )
    assert configured == {
        "failure_limit": 4,
        "cool_off_minutes": 60,
        "idle_minutes": 15,
        "otp_required": True,
        # Behind one proxy the client is the address it appended, not what the
        # client wrote in front of it.
        "client_ip": "81.2.69.160",
    }
