"""Two-factor sign-in with an authenticator app (TOTP, django-otp).

Whether a signed-in person still owes a code, or must first set up an app, is
worked out once at sign-in and kept in their session (`SESSION_KEY`), so the
pages of the many who never turn it on run no extra query."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from providers.access import is_council_staff

SESSION_KEY = "accounts.two_factor"
# What stands between a signed-in person and the service.
NOTHING = "none"  # no app set up, and none required
CODE = "code"  # an app is set up: a code is asked for after the password
SET_UP = "set-up"  # required for them (OTP_REQUIRED_FOR_STAFF) but not set up yet

DEVICE_NAME = "Authenticator app"


def is_required_for(user: Any) -> bool:
    return bool(settings.OTP_REQUIRED_FOR_STAFF and is_council_staff(user))


def has_given_code(user: Any) -> bool:
    """True once a code has been given this session (OTPMiddleware's check)."""
    return bool(user.is_verified())


def has_app(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def state_for(user: Any) -> str:
    if has_app(user):
        return CODE
    return SET_UP if is_required_for(user) else NOTHING


def remember_state(request: HttpRequest, user: Any) -> str:
    state = state_for(user)
    request.session[SESSION_KEY] = state
    return state


def pending_device(user: Any) -> TOTPDevice:
    """The app being set up: one unconfirmed device kept until confirmed, so
    the QR code stays the same if the page is reloaded."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The set-up link as an inline SVG QR code, drawn on the server (no script,
    no image request carrying the secret)."""
    code = segno.make(device.config_url, error="m")
    svg = code.svg_inline(
        scale=4, dark="#0b0c0c", light="#ffffff", title="QR code for your authenticator app"
    )
    # role="img" lets screen readers announce the title as the image's name.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


@dataclass(frozen=True)
class CodeCheck:
    ok: bool
    wait_seconds: int = 0  # > 0 when too many wrong codes mean waiting first
    device: TOTPDevice | None = None


def _check(devices: list[TOTPDevice], token: str) -> CodeCheck:
    wait = 0
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed:
            until = (data or {}).get("locked_until")
            if until is not None:
                wait = max(wait, int((until - timezone.now()).total_seconds()) + 1)
            continue
        if device.verify_token(token):
            return CodeCheck(ok=True, device=device)
    return CodeCheck(ok=False, wait_seconds=wait)


def check_sign_in_code(user: Any, token: str) -> CodeCheck:
    """Match a code against the user's confirmed apps. Rows are locked so one
    code cannot be used twice by two requests at once; each wrong code makes
    the next try wait longer (django-otp's throttling: 1, 2, 4... seconds)."""
    with transaction.atomic():
        devices = list(devices_for_user(user, confirmed=True, for_verify=True))
        return _check(devices, token)


def confirm_app(request: HttpRequest, token: str) -> CodeCheck:
    """Turn two-factor sign-in on once the new app shows a right code; the
    person counts as having given a code for this session."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=request.user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            return CodeCheck(ok=False)
        result = _check([device], token)
        if result.ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    if result.ok:
        otp_login(request, device)
        request.session[SESSION_KEY] = CODE
    return result


def sign_in_with(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)


def turn_off(request: HttpRequest) -> None:
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    remember_state(request, request.user)
