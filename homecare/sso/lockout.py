"""django-axes counts failed password sign-ins by username and address. A
council-account sign-in has no password to guess (the identity provider
checks it, with its own lock-out) and no username in its credentials, so if
axes counted it, a few refused council sign-ins from one office's address
would lock every council sign-in from that office. It is left out."""

from __future__ import annotations

from typing import Any


def is_council_sign_in(request: Any, credentials: dict[str, Any] | None = None) -> bool:
    """axes's AXES_WHITELIST_CALLABLE: true for the single sign-on callback's
    authenticate() (mozilla-django-oidc passes the nonce, never a password)."""
    if not credentials:
        return False
    return "nonce" in credentials and "password" not in credentials
