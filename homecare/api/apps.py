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
        from auditlog.registry import auditlog

        from homecare.api import schema  # noqa: F401
        from homecare.api.models import ApiToken

        # Made and revoked, by whom: audited. The digest (a hash of the secret)
        # stays out of the rows; last use is written by an update that sends no
        # signal, so reading the API leaves no audit row.
        auditlog.register(ApiToken, exclude_fields=["digest", "last_used_at"])
