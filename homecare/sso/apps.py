from django.apps import AppConfig


class SsoConfig(AppConfig):
    """Single sign-on for council staff by OpenID Connect (mozilla-django-oidc):
    accounts made at first sign-in, roles from the identity provider's groups
    at every sign-in (docs/operations.md, "Configure SSO")."""

    name = "homecare.sso"
    label = "sso"
    verbose_name = "Single sign-on"

    def ready(self) -> None:
        from homecare.sso import checks, signals  # noqa: F401
