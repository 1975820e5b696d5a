from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    """The monthly provider return, what is due and who is late, and reminders."""

    name = "homecare.returns"
    label = "returns"
    verbose_name = "Provider returns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # django-auditlog (issue 10) records every change to council data when
        # it is installed; until it lands on main the returns keep their own
        # history (ReturnEvent), which the pages show.
        try:
            from auditlog.registry import auditlog  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            return
        from homecare.returns.models import ProviderReturn, ReturnCapacity, SentReminder

        for model in (ProviderReturn, ReturnCapacity, SentReminder):
            auditlog.register(model)
