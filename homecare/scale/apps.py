from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """Growing by workers and PostgreSQL's own tools (issue 16): a month's KPIs
    and packs fanned out per provider, months of visits made ahead, reads from
    a replica. See docs/scale.md."""

    name = "homecare.scale"
    label = "scale"
    verbose_name = "Scale"
    default_auto_field = "django.db.models.BigAutoField"
