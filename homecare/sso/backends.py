"""The authentication backend: mozilla-django-oidc's code flow, with the
identity provider's subject (not the email address) naming the account, the
token's issuer and audience checked, and the account's roles set from the
groups claim at every sign-in (services.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from homecare.sso import config, services

NO_ROLE = (
    "Your council account does not give you a role in this service, so you "
    "cannot sign in. Ask your council's IT service desk to add you to the right group."
)
NAME_TAKEN = (
    "There is already an account called {name} in this service. Ask your "
    "administrator to link it to your council account."
)
TURNED_OFF = "This account is inactive. Ask your administrator to reactivate it."


class CouncilOidcBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(config.get_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Settings are read when a sign-in comes back, not here: Django makes
        # every backend for every password sign-in too, and those must not
        # wait on the identity provider's discovery document.
        self.UserModel = get_user_model()

    def _load(self) -> None:
        get = self.get_settings
        self.OIDC_OP_TOKEN_ENDPOINT = get("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = get("OIDC_OP_USER_ENDPOINT", "")
        self.OIDC_OP_JWKS_ENDPOINT = get("OIDC_OP_JWKS_ENDPOINT", None) or None
        self.OIDC_RP_CLIENT_ID = get("OIDC_RP_CLIENT_ID")
        self.OIDC_RP_CLIENT_SECRET = get("OIDC_RP_CLIENT_SECRET")
        self.OIDC_RP_SIGN_ALGO = get("OIDC_RP_SIGN_ALGO", "RS256")
        self.OIDC_RP_IDP_SIGN_KEY = get("OIDC_RP_IDP_SIGN_KEY", None)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or not config.enabled():
            return None
        if not (request.GET.get("code") and request.GET.get("state")):
            return None  # a password sign-in: not ours
        self._load()
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        # mozilla-django-oidc checks the signature and nonce only: a token
        # from another issuer, or made for another client, is refused here.
        if config.issuer() and str(payload.get("iss", "")).rstrip("/") != config.issuer():
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_userinfo(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> dict[str, Any]:
        """The ID token's claims, with the userinfo endpoint's where there is
        one: Entra ID sends groups in the ID token only, others in userinfo."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if str(info.get("sub")) != str(payload.get("sub")):
                raise SuspiciousOperation("userinfo for another subject")
            claims.update(info)
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("Claims verification failed")
        issuer = str(payload.get("iss", "")).rstrip("/")
        try:
            result = services.sign_in(issuer, claims)
        except services.NameTaken as taken:
            messages.error(self.request, NAME_TAKEN.format(name=taken))
            return None
        if not result.user.is_active:
            by_provider = result.account.deactivated_by_provider
            messages.error(self.request, NO_ROLE if by_provider else TURNED_OFF)
        return result.user

    # It signs in only: permissions are answered by the other backends (the
    # stored ones and the rules), so this one adds no query to a page.
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False

    def get_user(self, user_id: Any) -> User | None:
        # mozilla-django-oidc would return an inactive user too: a session of
        # an account deactivated since must end, as Django's ModelBackend does.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
