"""Signing in safely, in Chromium: the lock-out page after too many wrong
passwords, the account and change-password pages, and two-factor sign-in.
axe-core finds nothing on any of them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from providers.access import COMMISSIONER
from tests.browser.conftest import check_accessibility, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def commissioner() -> User:
    return UserFactory(username="commissioner", role=COMMISSIONER)


def code_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def type_password(page: Any, password: str) -> None:
    page.get_by_label("Username").fill("commissioner")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_the_sixth_wrong_password_shows_the_lock_out_page(page: Any, commissioner: User) -> None:
    page.goto("/login/")
    for _ in range(5):
        type_password(page, "not-the-right-password")
        page.locator(".govuk-error-summary").wait_for()
    type_password(page, "not-the-right-password")
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == "You cannot sign in at the moment"
    assert "You can try again after" in page.locator(".govuk-inset-text").inner_text()
    check_accessibility(page)
    screenshot(page, "lockout", phone=True)
    # Back to the sign-in page: even the right password is refused until then.
    page.get_by_role("link", name="Back to sign in").click()
    type_password(page, PASSWORD)
    page.get_by_role("heading", name="You cannot sign in at the moment").wait_for()


def test_account_and_change_password_pages(page: Any, live_server: Any, commissioner: User) -> None:
    sign_in(page, live_server, commissioner)
    page.goto("/")
    page.get_by_role("link", name="Your account").click()
    page.wait_for_url("**/account/")
    check_accessibility(page)
    screenshot(page, "account", phone=True)

    page.get_by_role("link", name="Change your password").click()
    page.wait_for_url("**/account/password/")
    check_accessibility(page)
    screenshot(page, "password-change", phone=True)

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("too-short")
    page.get_by_label("Enter the new password again").fill("too-short")
    page.get_by_role("button", name="Change password").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "at least 12 characters" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    check_accessibility(page)
    screenshot(page, "password-change-error", phone=True)

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill("kettle meadow lantern")
    page.get_by_label("Enter the new password again").fill("kettle meadow lantern")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url("**/account/")
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "Your password has been changed" in banner
    check_accessibility(page)
    screenshot(page, "password-changed")


def test_turning_on_two_factor_then_signing_in_with_a_code(
    page: Any, live_server: Any, commissioner: User
) -> None:
    sign_in(page, live_server, commissioner)
    page.goto("/account/two-factor/")
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    check_accessibility(page)
    screenshot(page, "two-factor-setup", phone=True)
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    screenshot(page, "two-factor-setup-error")

    device = TOTPDevice.objects.get(user=commissioner)
    page.get_by_label("Security code").fill(code_for(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_url("**/account/")
    assert "Two-factor sign-in is on" in page.locator(".govuk-notification-banner").inner_text()
    page.goto("/account/two-factor/")
    check_accessibility(page)
    screenshot(page, "two-factor-on")

    # Signing in again now asks for a code after the password.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")
    type_password(page, PASSWORD)
    page.wait_for_url("**/login/code/**")
    check_accessibility(page)
    screenshot(page, "two-factor-code", phone=True)
    page.get_by_label("Security code").fill("000000" if code_for(device) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    page.locator(".govuk-error-summary").wait_for()
    check_accessibility(page)
    screenshot(page, "two-factor-code-error")


def test_compulsory_two_factor_set_up_page(page: Any, live_server: Any, settings) -> None:
    settings.OTP_REQUIRED_FOR_STAFF = True
    sign_in(page, live_server, UserFactory(username="quality-lead", role=COMMISSIONER))
    page.goto("/providers/")
    assert "/account/two-factor/" in page.url
    assert page.get_by_role("link", name="Your account").count() == 0
    check_accessibility(page)
    screenshot(page, "two-factor-compulsory")
