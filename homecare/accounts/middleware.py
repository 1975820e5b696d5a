"""Sessions that end when left idle, and the two-factor step after the password.

Idle time is kept in the session rather than by saving the session on every
request (SESSION_SAVE_EVERY_REQUEST): the last-seen time is rewritten at most
once a minute, so a page costs no extra write, at the price of the idle limit
being kept to within a minute."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from homecare.accounts import twofactor
from homecare.accounts.signals import LAST_SEEN

REFRESH_SECONDS = 60

# Pages open to a signed-in person who still owes a code or an app set-up.
OPEN_BEFORE_CODE = {"two-factor-code", "logout"}
OPEN_BEFORE_SET_UP = {"two-factor", "logout"}


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            minutes = settings.SESSION_IDLE_MINUTES
            if last_seen is not None and now - last_seen > minutes * 60:
                # Signed out before the view runs, so LoginRequiredMiddleware
                # sends them to sign in and back to this page afterwards.
                logout(request)
                messages.info(
                    request,
                    f"You were signed out because you had not used the service for "
                    f"{minutes} minutes. Sign in again to carry on.",
                )
            elif last_seen is None or now - last_seen >= REFRESH_SECONDS:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """Sends a signed-in person who owes a code (or, where it is compulsory,
    an app set-up) to that page before anything else, the admin included."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        state = request.session.get(twofactor.SESSION_KEY)
        if state is None:  # a session from before two-factor sign-in existed
            state = twofactor.remember_state(request, user)
        if state == twofactor.CODE and not twofactor.has_given_code(user):
            target, open_pages = "two-factor-code", OPEN_BEFORE_CODE
        elif state == twofactor.SET_UP:
            target, open_pages = "two-factor", OPEN_BEFORE_SET_UP
        else:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in open_pages:
            return None
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        return redirect_to_login(next_url, reverse(target))
