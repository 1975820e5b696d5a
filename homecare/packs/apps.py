from django.apps import AppConfig


class PacksConfig(AppConfig):
    """Monthly PDF packs for boards and contract meetings."""

    name = "homecare.packs"
    label = "packs"
    verbose_name = "Monthly packs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from homecare.kpis.signals import month_computed
        from homecare.packs.tasks import queue_packs_after_kpis

        month_computed.connect(queue_packs_after_kpis, dispatch_uid="packs-after-kpis")
