from django.apps import AppConfig


class RetentionConfig(AppConfig):
    """Deleting what is no longer needed: old visits and failed uploads."""

    name = "homecare.retention"
    label = "retention"
    verbose_name = "Retention"
    default_auto_field = "django.db.models.BigAutoField"
