from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Hours and money (issue 13): commissioned, planned, delivered and paid
    hours per package and week; flex; banked time; the payment schedule."""

    name = "homecare.payments"
    label = "payments"
    verbose_name = "Hours and payments"
    default_auto_field = "django.db.models.BigAutoField"
