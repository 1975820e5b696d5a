from django.apps import AppConfig


class RankingConfig(AppConfig):
    """Provider ranking per lot (issue 15, item 5): a weighted score of KPI
    performance, the latest quality assessment, the CQC rating and price,
    computed every few months and kept."""

    name = "homecare.ranking"
    label = "ranking"
    verbose_name = "Provider ranking"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from typing import cast

        from auditlog.registry import auditlog
        from django.apps import apps
        from django.db.models.base import ModelBase

        # The weights are council data a commissioner changes: every change
        # leaves an audit row. Computed cycles are written by the system and
        # never edited, so they are not tracked.
        model = cast(ModelBase, apps.get_model("ranking.RankingSettings"))
        if not auditlog.contains(model):
            auditlog.register(
                model, exclude_fields=["updated_at", "version", "changed_by", "changed_at"]
            )
