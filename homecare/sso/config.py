"""The single sign-on settings, read when they are used (so tests and a
changed environment take effect without a restart of anything but the
process), with the identity provider's endpoints found from its issuer
(OpenID Connect discovery) unless given one by one."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from mozilla_django_oidc.utils import import_from_settings

# mozilla-django-oidc's setting -> the discovery document's key.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_SECONDS = 60 * 60
TIMEOUT_SECONDS = 5


class ProviderUnavailable(Exception):
    """The identity provider did not answer, or answered nonsense."""


def enabled() -> bool:
    return bool(getattr(settings, "SSO_ENABLED", False))


def issuer() -> str:
    return str(getattr(settings, "OIDC_OP_ISSUER", "") or "").rstrip("/")


def role_map() -> dict[str, str]:
    """The identity provider's group (name or id) -> this service's role."""
    return dict(getattr(settings, "SSO_ROLE_MAP", {}) or {})


def groups_claim() -> str:
    return str(getattr(settings, "OIDC_GROUPS_CLAIM", "groups"))


def username_claim() -> str:
    return str(getattr(settings, "OIDC_USERNAME_CLAIM", "preferred_username"))


def discovery(url: str) -> dict[str, Any]:
    """The issuer's discovery document, kept an hour."""
    key = f"sso:discovery:{url}"
    found = cache.get(key)
    if found is None:
        try:
            response = requests.get(
                f"{url}/.well-known/openid-configuration", timeout=TIMEOUT_SECONDS
            )
            response.raise_for_status()
            found = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailable(str(error)) from error
        # OpenID Connect Discovery 1.0, section 4.3: the document must name
        # the issuer it was fetched for, or anything could pose as it.
        if str(found.get("issuer", "")).rstrip("/") != url:
            raise ProviderUnavailable(f"discovery document names issuer {found.get('issuer')!r}")
        cache.set(key, found, DISCOVERY_SECONDS)
    return dict(found)


def get_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's `get_settings`, with endpoints from discovery."""
    if attr in ENDPOINTS:
        value = getattr(settings, attr, "") or ""
        if not value and enabled() and issuer():
            value = discovery(issuer()).get(ENDPOINTS[attr], "")
        return value or (default[0] if default else "")
    return import_from_settings(attr, *default)
