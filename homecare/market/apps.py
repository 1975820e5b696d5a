from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "homecare.market"
    label = "market"
    verbose_name = "Market oversight"
    default_auto_field = "django.db.models.BigAutoField"
