"""The page a locked-out person sees, saying when they may try again.

django-axes counts failed sign-ins per username and IP address and calls
`lockout_response` (settings.AXES_LOCKOUT_CALLABLE) in place of the sign-in
page while the lock lasts."""

from __future__ import annotations

from datetime import datetime

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from common.months import LONDON

LOCKED_STATUS = 429  # Too Many Requests: the client is asked to wait


def locked_until(request: HttpRequest, username: str) -> datetime:
    """The end of the lock: the failure that set it plus the cool-off time.
    Tries while locked are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT
    is off), so this time does not move once shown."""
    # axes puts the client's address on the request (AxesMiddleware).
    address = getattr(request, "axes_ip_address", None)
    last_failure = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        last=Max("attempt_time")
    )["last"]
    return (last_failure or timezone.now()) + get_cool_off(request)


def clock_time(moment: datetime) -> str:
    """A time as GOV.UK writes it: 9:05am, 2:30pm, midday, midnight."""
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d}{'am' if moment.hour < 12 else 'pm'}"


def try_again_text(until: datetime, now: datetime) -> str:
    """'2:35pm today', or with the date when the lock runs past midnight."""
    until, now = until.astimezone(LONDON), now.astimezone(LONDON)
    if until.date() == now.date():
        return f"{clock_time(until)} today"
    return f"{clock_time(until)} on {until:%A} {until.day} {until:%B %Y}"


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    username = get_client_username(request, credentials) or ""
    until = locked_until(request, username)
    context = {
        "try_again": try_again_text(until, timezone.now()),
        "until": until,
        "username": username,
    }
    return render(request, "accounts/lockout.html", context, status=LOCKED_STATUS)
