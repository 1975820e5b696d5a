"""What signing in leaves in the session: when the person was last seen (for
the idle limit) and what two-factor step they still owe."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from homecare.accounts import twofactor

LAST_SEEN = "accounts.last_seen"


@receiver(user_logged_in, dispatch_uid="accounts.on_sign_in")
def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[LAST_SEEN] = int(time.time())
    twofactor.remember_state(request, user)
