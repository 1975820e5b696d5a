from django.apps import AppConfig


class MarketConfig(AppConfig):
    """Market oversight (issue 12): waiting for care, hospital discharges,
    capacity, CQC ratings, the provider risk register, concentration and exit."""

    name = "homecare.market"
    label = "market"
    verbose_name = "Market oversight"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from typing import cast

        from auditlog.registry import auditlog
        from django.apps import apps
        from django.db.models.base import ModelBase

        # Council data this issue adds: every change leaves an audit row (who,
        # when, before, after). Requests come in bulk through their import,
        # which its ImportRecord records; edits in the admin are tracked here.
        # CQC's published ratings are CQC's, not the council's: not tracked.
        for label in (
            "market.RiskEntry",
            "contracts.CareRequest",
            "contracts.CapacityDeclaration",
            "contracts.LotDistrict",
        ):
            # django-auditlog annotates models as ModelBase (their metaclass).
            model = cast(ModelBase, apps.get_model(label))
            if not auditlog.contains(model):
                auditlog.register(model)
