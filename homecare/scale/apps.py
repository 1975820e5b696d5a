from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Growing by workers and PostgreSQL's own tools (issue 16): a month's KPIs
    and packs fanned out per provider, months of visits made ahead, reads from
    a replica. See docs/scale.md."""

    name = "homecare.scale"
    label = "scale"
    verbose_name = "Scale"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from celery.signals import task_postrun, task_prerun

        from homecare.scale.routers import task_finished, task_started

        task_prerun.connect(task_started, dispatch_uid="scale-replica-reads")
        task_postrun.connect(task_finished, dispatch_uid="scale-replica-reads")
