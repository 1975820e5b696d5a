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
        from django.db.models.signals import post_save

        from homecare.audit import ratings, tracked

        tracked.register_all()
        post_save.connect(
            ratings.record_rating_changes,
            sender="reviews.AssessmentEvent",
            dispatch_uid="audit-question-ratings",
        )
