"""What a fanned-out provider task leaves for the month's roll-up."""

from __future__ import annotations

from django.db import models

from providers.models import Provider


class ProviderMonthPart(models.Model):
    """One provider's share of a month's KPI read: its visits summed per
    (lot, person) and its care workers per person, exactly the rows the
    single-process engine reads for it. The lots and the market are rolled up
    from these, so they never read a visit again."""

    month = models.DateField()
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    # [[lot id, person id, scheduled, delivered, late, missed, short, under_30,
    #   up_to_15, ecm, planned µs, actual µs, carers], ...]
    rows = models.JSONField(default=list)
    # [[person id, distinct care workers across the provider's lots], ...]
    carers = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "provider"], name="provider_month_part_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.month:%Y-%m}"
