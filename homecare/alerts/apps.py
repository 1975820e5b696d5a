from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Alerts for commissioners and providers (issue 15): a provider turning red,
    a CQC downgrade, a missed return or ECM file, an overdue risk review, a
    missed visit of someone living alone who lacks capacity."""

    name = "homecare.alerts"
    label = "alerts"
    verbose_name = "Alerts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Alerts follow each computation of a month's KPIs, as packs do.
        from homecare.alerts.tasks import raise_after_kpis
        from homecare.kpis.signals import month_computed

        month_computed.connect(raise_after_kpis, dispatch_uid="alerts-after-kpis")
