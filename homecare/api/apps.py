from django.apps import AppConfig


class ApiConfig(AppConfig):
    """/api/v1/: providers' ECM systems post visits files and returns;
    commissioners read every provider's figures. Bearer tokens, hashed at rest."""

    name = "homecare.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the token's description with drf-spectacular.
        from homecare.api import schema  # noqa: F401

        try:
            from auditlog.registry import auditlog  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            return
        from homecare.api.models import ApiToken

        # The digest is a hash of a secret: it stays out of the audit rows.
        auditlog.register(ApiToken, exclude_fields=["digest"])
