from django.apps import AppConfig


class KpisConfig(AppConfig):
    """The monthly KPI engine, its stored results and thresholds."""

    name = "homecare.kpis"
    label = "kpis"
    verbose_name = "Monthly KPIs"
    default_auto_field = "django.db.models.BigAutoField"
