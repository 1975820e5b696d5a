"""Making and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from homecare.api.models import ApiToken
from providers.models import Provider

TOKEN_PREFIX = "hc_"


def digest_of(secret: str) -> str:
    """A token is 32 random bytes, so a single SHA-256 is enough to keep it
    (a slow password hash protects guessable secrets, which these are not)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def default_days() -> int:
    return int(getattr(settings, "API_TOKEN_DAYS", 90))


@transaction.atomic
def create_token(
    *, user: User, name: str, provider: Provider | None, days: int | None = None
) -> NewToken:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name.strip()[:100] or "API token",
        provider=provider,
        created_by=user,
        prefix=secret[:10],
        digest=digest_of(secret),
        expires_at=timezone.now() + timedelta(days=days or default_days()),
    )
    return NewToken(token, secret)


@transaction.atomic
def revoke_token(*, token: ApiToken, user: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def find_active(secret: str) -> ApiToken | None:
    """The live token with that secret, or None (unknown, revoked, expired)."""
    token = (
        ApiToken.objects.select_related("provider", "created_by")
        .filter(digest=digest_of(secret))
        .first()
    )
    if token is None or not token.active or not token.created_by.is_active:
        return None
    return token


def touch(token: ApiToken) -> None:
    """Record use at most once a minute, so reading the API is not a write per call."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
