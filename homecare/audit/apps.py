from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit trail: what is tracked (django-auditlog), how a history reads
    on the pages people use, who looked at a person's visits, and the read-only
    admin of the rows."""

    name = "homecare.audit"
    label = "audit"
    verbose_name = "Audit trail"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from homecare.audit import tracked

        tracked.register_all()
