"""Two-factor sign-in with an authenticator app: turning it on, the code
asked for after the password, and the setting that makes it compulsory for
council staff."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import login

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _quick_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app would show now (or a step later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time += steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def app_for(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def sign_in_with_password(client: Client, username: str) -> None:
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


# Turning it on ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["commissioner", "provider_a_user"])
def test_turning_on_two_factor_sign_in(
    client: Client, request: pytest.FixtureRequest, who: str
) -> None:
    user: User = request.getfixturevalue(who)
    login(client, user)
    assert "Turn on" in client.get("/account/").content.decode()

    page = client.get("/account/two-factor/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert '<svg role="img"' in html  # the QR code, drawn on the server
    assert "<title>QR code for your authenticator app</title>" in html
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = html.split("<code", 1)[1].split(">", 1)[1].split("</code>", 1)[0]
    assert shown.replace(" ", "") == secret  # the key to type in by hand
    main = html.split('<main class="govuk-main-wrapper"', 1)[1].split("</main>", 1)[0]
    assert "<script" not in main and "style=" not in main  # nothing the CSP would block
    # Reloading shows the same key.
    client.get("/account/two-factor/")
    assert TOTPDevice.objects.filter(user=user).count() == 1

    response = client.post("/account/two-factor/", {"code": code_for(device)}, follow=True)
    assert response.redirect_chain[-1][0] == "/account/"
    assert "Two-factor sign-in is on" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    # Confirming with the app counts as giving a code for this session.
    assert client.get("/").status_code == 200


def test_a_wrong_code_does_not_turn_it_on(client: Client, commissioner: User) -> None:
    login(client, commissioner)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=commissioner)
    response = client.post("/account/two-factor/", {"code": wrong_code(device)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The security code is not correct" in html
    assert 'href="#id_code"' in html
    device.refresh_from_db()
    assert not device.confirmed
    response = client.post("/account/two-factor/", {"code": "12ab"})
    assert "Enter the security code as 6 numbers" in response.content.decode()


# Signing in with it -----------------------------------------------------------


def test_sign_in_asks_for_the_code_and_a_valid_code_lets_them_in(
    client: Client, commissioner: User
) -> None:
    device = app_for(commissioner)
    sign_in_with_password(client, "commissioner")
    response = client.get("/providers/")
    assert response.status_code == 302
    assert response["Location"] == "/login/code/?next=/providers/"
    page = client.get(response["Location"]).content.decode()
    assert "Enter your security code" in page
    assert 'autocomplete="one-time-code"' in page

    code = code_for(device)
    spaced = f"{code[:3]} {code[3:]}"  # as some apps show it
    response = client.post("/login/code/", {"code": spaced, "next": "/providers/"})
    assert response.status_code == 302
    assert response["Location"] == "/providers/"
    assert client.get("/providers/").status_code == 200


def test_without_a_valid_code_nothing_opens(client: Client, commissioner: User) -> None:
    device = app_for(commissioner)
    sign_in_with_password(client, "commissioner")
    response = client.post("/login/code/", {"code": wrong_code(device), "next": "/"})
    assert response.status_code == 200
    assert "The security code is not correct" in response.content.decode()
    for url in ("/", "/providers/", "/account/", "/account/password/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/code/"), url
    # Straight after a wrong code the next one must wait (django-otp throttling).
    response = client.post("/login/code/", {"code": code_for(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_code_cannot_be_used_twice(commissioner: User) -> None:
    device = app_for(commissioner)
    first, second = Client(), Client()
    sign_in_with_password(first, "commissioner")
    sign_in_with_password(second, "commissioner")
    code = code_for(device)
    assert first.post("/login/code/", {"code": code})["Location"] == "/"
    assert second.post("/login/code/", {"code": code}).status_code == 200
    assert second.get("/").status_code == 302


def test_without_an_app_no_code_is_asked_for(client: Client, commissioner: User) -> None:
    sign_in_with_password(client, "commissioner")
    assert client.get("/providers/").status_code == 200


def test_turning_it_off_needs_a_code(client: Client, commissioner: User) -> None:
    device = app_for(commissioner)
    sign_in_with_password(client, "commissioner")
    client.post("/login/code/", {"code": code_for(device)})
    page = client.get("/account/two-factor/").content.decode()
    assert "Turn off two-factor sign-in" in page
    response = client.post("/account/two-factor/", {"code": code_for(device, 1)}, follow=True)
    assert "Two-factor sign-in is off" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=commissioner).exists()
    client.post("/logout/")
    sign_in_with_password(client, "commissioner")
    assert client.get("/").status_code == 200


# Compulsory for council staff ---------------------------------------------------


def test_off_by_default(settings) -> None:
    assert settings.OTP_REQUIRED_FOR_STAFF is False


def test_compulsory_setting_sends_council_staff_to_set_it_up_first(
    client: Client, commissioner: User, settings
) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    sign_in_with_password(client, "commissioner")
    for url in ("/", "/providers/", "/account/password/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/two-factor/?next="), url
    page = client.get("/account/two-factor/?next=/providers/").content.decode()
    assert "asks all council staff to use two-factor sign-in" in page
    assert "Your account</a>" not in page  # nothing else is open yet
    device = TOTPDevice.objects.get(user=commissioner)
    response = client.post(
        "/account/two-factor/", {"code": code_for(device), "next": "/providers/"}
    )
    assert response["Location"] == "/providers/"
    assert client.get("/providers/").status_code == 200
    # Compulsory means it cannot be turned off.
    page = client.get("/account/two-factor/").content.decode()
    assert "cannot be turned off" in page
    client.post("/account/two-factor/", {"code": code_for(device, 1)})
    device.refresh_from_db()
    assert device.confirmed


def test_compulsory_setting_does_not_apply_to_providers(
    client: Client, provider_a_user: User, settings
) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    sign_in_with_password(client, "alpha-user")
    assert client.get("/").status_code == 200


def test_compulsory_staff_with_an_app_give_a_code(
    client: Client, commissioner: User, settings
) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    device = app_for(commissioner)
    sign_in_with_password(client, "commissioner")
    assert client.get("/").headers["Location"] == "/login/code/?next=/"
    client.post("/login/code/", {"code": code_for(device)})
    assert client.get("/").status_code == 200
