from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Market, lot and provider dashboards and their RAG limits."""

    name = "homecare.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
    default_auto_field = "django.db.models.BigAutoField"
