from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo market: providers, people, visits and quality records."""

    name = "homecare.demo"
    label = "demo"
    verbose_name = "Demo market"
    default_auto_field = "django.db.models.BigAutoField"
