"""Bearer-token authentication, the API's permission and its per-token throttle."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from homecare.api.models import ApiToken
from homecare.api.services import find_active, touch


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as: Authorization: Bearer <token>"
            )
        try:
            secret = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("The token is not valid") from None
        token = find_active(secret)
        if token is None:
            # Unknown, revoked and expired tokens get the same answer.
            raise exceptions.AuthenticationFailed(
                "The token is not valid, or has expired or been revoked"
            )
        touch(token)
        return token.created_by, token

    def authenticate_header(self, request: Request) -> str:
        # Makes a missing or bad token a 401 (with WWW-Authenticate), not a 403.
        return 'Bearer realm="api"'


def token_of(request: Request) -> ApiToken:
    token = request.auth
    if not isinstance(token, ApiToken):
        raise exceptions.NotAuthenticated()
    return token


class HasApiToken(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated("Send a token: Authorization: Bearer <token>")
        return True


class ProviderTokenForWrites(BasePermission):
    """Writes (a visits file, a return) come from a provider's token; a
    council token reads."""

    message = "A council token reads; only a provider's token can send files and returns."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        token = request.auth
        return isinstance(token, ApiToken) and not token.is_council


class PerTokenThrottle(SimpleRateThrottle):
    """Each token has its own allowance (API_THROTTLE_RATE), counted in the
    cache; requests without a token are refused before they get here."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
