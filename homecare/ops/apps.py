from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the service: backups and restores, request logs, metrics and
    the health check (docs/operations.md)."""

    name = "homecare.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from homecare.ops import metrics, tasklog

        tasklog.connect()
        metrics.connect()
