"""Checking a council sign-in again with the identity provider while the
session is in use, so a leaver's open session ends within minutes, not when
they next sign in (mozilla-django-oidc's SessionRefresh, limited to sessions
that single sign-on started)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import cached_property
from mozilla_django_oidc.middleware import SessionRefresh

from homecare.sso import config

EXPIRY_KEY = "oidc_id_token_expiration"  # set by the callback view at sign-in


class SsoSessionRefresh(SessionRefresh):
    get_settings = staticmethod(config.get_setting)

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        # Settings are read per request (see process_request), not at start-up.
        MiddlewareMixin.__init__(self, get_response)

    @cached_property
    def exempt_urls(self) -> set[str]:
        # Signing in and out are never interrupted by a check.
        names = ("oidc_authentication_init", "oidc_authentication_callback", "logout", "login")
        return {reverse(name) for name in names}

    def process_request(self, request: HttpRequest) -> Any:
        if not config.enabled() or EXPIRY_KEY not in request.session:
            return None  # a password sign-in, or no sign-in at all
        get = self.get_settings
        self.OIDC_EXEMPT_URLS: list[str] = []
        self.OIDC_RP_CLIENT_ID = get("OIDC_RP_CLIENT_ID")
        self.OIDC_STATE_SIZE = get("OIDC_STATE_SIZE", 32)
        self.OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
        self.OIDC_RP_SCOPES = get("OIDC_RP_SCOPES", "openid email")
        self.OIDC_USE_NONCE = get("OIDC_USE_NONCE", True)
        self.OIDC_NONCE_SIZE = get("OIDC_NONCE_SIZE", 32)
        try:
            self.OIDC_OP_AUTHORIZATION_ENDPOINT = get("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except config.ProviderUnavailable:
            return None  # keep the session rather than fail every page
        return super().process_request(request)
