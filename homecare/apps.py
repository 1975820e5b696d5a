from django.apps import AppConfig


class HomecareConfig(AppConfig):
    """The frame: settings, root URLs, the Celery app. It keeps the label
    `homecare` only for its migration history, which moved its models to the
    feature apps (kpis, dashboards, packs) without touching their rows."""

    name = "homecare"
    verbose_name = "Home care commissioning"
