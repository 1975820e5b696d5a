from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Market, lot and provider dashboards, their RAG limits and the stored ratings."""

    name = "homecare.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from homecare.dashboards.services import rate_on_save
        from homecare.dashboards.tasks import warm_money_after_kpis
        from homecare.kpis.models import MonthlyKpi
        from homecare.kpis.signals import month_computed

        # Each stored month's figures are rated at once, in the same transaction.
        post_save.connect(rate_on_save, sender=MonthlyKpi, dispatch_uid="dashboards-rate-kpi")
        # The market's year of money figures follow each month's KPIs, as packs do.
        month_computed.connect(warm_money_after_kpis, dispatch_uid="dashboards-warm-money")
