from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """The improvement tracker (issue 15): council-wide recommendations and the
    providers' action plans, graded 1 to 4 each quarter, with evidence files."""

    name = "homecare.improvement"
    label = "improvement"
    verbose_name = "Improvement tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A provider's action plan (reviews) shows in the tracker as a link row,
        # made when its first action is; an evidence file leaves the disk with its row.
        from homecare.improvement import receivers

        receivers.connect()
