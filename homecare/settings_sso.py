"""Single sign-on settings (homecare/sso, mozilla-django-oidc), read from the
environment; settings.py takes them all. On when a client id and the issuer
(or the endpoints one by one) are set. Roles come from the groups claim
through OIDC_ROLE_MAP, a JSON object of group -> role (docs/operations.md,
"Configure SSO")."""

import json
import os

from django.core.exceptions import ImproperlyConfigured

OIDC_OP_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
# Empty: found from the issuer's /.well-known/openid-configuration.
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_USERNAME_CLAIM = os.environ.get("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = int(os.environ.get("SSO_RECHECK_MINUTES", "15")) * 60
try:
    SSO_ROLE_MAP = json.loads(os.environ.get("OIDC_ROLE_MAP", "") or "{}")
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"OIDC_ROLE_MAP is not JSON: {error}") from error
if not isinstance(SSO_ROLE_MAP, dict) or not all(
    isinstance(k, str) and isinstance(v, str) for k, v in SSO_ROLE_MAP.items()
):
    raise ImproperlyConfigured('OIDC_ROLE_MAP must be a JSON object: {"group": "Role", ...}')
SSO_ENABLED = bool(
    OIDC_RP_CLIENT_ID
    and (OIDC_OP_ISSUER or (OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT))
)
# Council sign-ins are left out of django-axes's password lock-out (homecare/sso/lockout.py).
AXES_WHITELIST_CALLABLE = "homecare.sso.lockout.is_council_sign_in"
