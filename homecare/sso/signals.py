"""A council account's sign-in: two-factor is the identity provider's job."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from homecare.accounts import twofactor

BACKEND = "homecare.sso.backends.CouncilOidcBackend"


@receiver(user_logged_in, dispatch_uid="sso.on_sign_in")
def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # Runs after accounts' receiver (this app is installed after it): the
    # council's identity provider applies its own multi-factor policy, so the
    # service's authenticator-app step is not asked for again.
    if request is not None and getattr(user, "backend", "") == BACKEND:
        request.session[twofactor.SESSION_KEY] = twofactor.NOTHING
