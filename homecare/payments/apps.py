from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    """Hours and money (issue 13): commissioned, planned, delivered and paid
    hours per package and week; flex; banked time; the payment schedule."""

    name = "homecare.payments"
    label = "payments"
    verbose_name = "Hours and payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from homecare.payments.models import TimeBankEntry

        # Banked time edited in the admin leaves an audit row; the import
        # writes in bulk and is recorded by its ImportRecord.
        if not auditlog.contains(TimeBankEntry):
            auditlog.register(TimeBankEntry)
