from django.apps import AppConfig


class UiConfig(AppConfig):
    """GOV.UK Design System templates, form rendering and number formats."""

    name = "homecare.ui"
    label = "ui"
    verbose_name = "GOV.UK presentation"
    default_auto_field = "django.db.models.BigAutoField"
