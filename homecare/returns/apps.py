from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    """The monthly provider return, what is due and who is late, and reminders."""

    name = "homecare.returns"
    label = "returns"
    verbose_name = "Provider returns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every change to a return leaves an audit row (django-auditlog, issue
        # 10), beside the return's own history (ReturnEvent) that the pages show.
        from auditlog.registry import auditlog

        from homecare.returns.models import (
            ProviderReturn,
            ReturnCapacity,
            ReturnEvent,
            SentReminder,
        )

        # Who saved it and when are the audit row's own actor and time.
        auditlog.register(ProviderReturn, exclude_fields=["updated_at", "updated_by"])
        for model in (ReturnCapacity, ReturnEvent, SentReminder):
            auditlog.register(model)
