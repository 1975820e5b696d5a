from django.apps import AppConfig


class SsoConfig(AppConfig):
    """Single sign-on for council staff by OpenID Connect (mozilla-django-oidc):
    accounts made at first sign-in, roles from the identity provider's groups
    at every sign-in (docs/operations.md, "Configure SSO")."""

    name = "homecare.sso"
    label = "sso"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from homecare.sso import checks, signals  # noqa: F401
        from homecare.sso.models import SsoAccount

        # Which council account a user is tied to, and when the identity
        # provider turned it off, in the audit trail; not every sign-in's time.
        if not auditlog.contains(SsoAccount):
            auditlog.register(SsoAccount, exclude_fields=["last_sign_in"])
