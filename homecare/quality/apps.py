from django.apps import AppConfig


class QualityConfig(AppConfig):
    """Pages and forms over reviews: assessments, action plans, package reviews."""

    name = "homecare.quality"
    label = "quality"
    verbose_name = "Quality monitoring"
    default_auto_field = "django.db.models.BigAutoField"
