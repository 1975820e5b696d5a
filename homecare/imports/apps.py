from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Upload pages and the running of every CSV import."""

    name = "homecare.imports"
    label = "imports"
    verbose_name = "Imports"
    default_auto_field = "django.db.models.BigAutoField"
