"""The ranking's settings (weights and cycle) and the cycles it has computed.

A cycle is kept with the weights it used and each provider's parts, so a
past ranking reads as it was even after the weights change."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from common.concurrency import Versioned
from contracts.models import Lot
from providers.models import Provider

# The parts of the score, in the order pages show them and ties are broken.
KPI, ASSESSMENT, CQC, PRICE = "kpi", "assessment", "cqc", "price"
PARTS = (KPI, ASSESSMENT, CQC, PRICE)
PART_LABELS = {
    KPI: "KPI performance",
    ASSESSMENT: "Latest quality assessment",
    CQC: "CQC rating",
    PRICE: "Price",
}


def _weight(label: str, default: str) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        default=Decimal(default),
        help_text="0 leaves this part out of the score.",
    )


class RankingSettings(Versioned):
    """One row: the weights of the four parts and how often the ranking is
    computed. Without a row the defaults below apply."""

    weight_kpi = _weight("KPI performance weight", "40")
    weight_assessment = _weight("Latest quality assessment weight", "25")
    weight_cqc = _weight("CQC rating weight", "20")
    weight_price = _weight("Price weight", "15")
    cycle_months = models.PositiveSmallIntegerField(
        "Months in a cycle",
        default=6,
        help_text="The ranking is computed again this many months after the last one.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ranking settings"
        verbose_name_plural = "ranking settings"

    def __str__(self) -> str:
        return "Ranking settings"

    def weights(self) -> dict[str, Decimal]:
        return {part: getattr(self, f"weight_{part}") for part in PARTS}


class RankingCycle(models.Model):
    """One computation of the ranking of every lot. `weights` are the
    normalised weights used (shares of 1); the KPI part reads the months
    from `first_month` to `last_month`."""

    computed_at = models.DateTimeField()
    as_of = models.DateField(help_text="The day the rates, ratings and assessments were read.")
    first_month = models.DateField()
    last_month = models.DateField()
    cycle_months = models.PositiveSmallIntegerField()
    weights = models.JSONField(default=dict)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"Ranking of {self.as_of:%Y-%m-%d}"


class ProviderRank(models.Model):
    """A provider's place in a lot in one cycle. Each part is 0-100 or null
    (no data: left out, the other weights renormalised); `notes` holds, per
    part, the plain sentence saying how it was scored."""

    cycle = models.ForeignKey(RankingCycle, on_delete=models.CASCADE, related_name="ranks")
    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    kpi = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    assessment = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    cqc = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    price = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    hourly_rate = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    notes = models.JSONField(default=dict)
    tie_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["cycle", "lot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "lot", "provider"], name="rank_once_per_lot"),
            models.UniqueConstraint(fields=["cycle", "lot", "position"], name="rank_position_once"),
        ]
        indexes = [models.Index(fields=["lot", "cycle"])]

    def __str__(self) -> str:
        return f"{self.provider_id} #{self.position} in lot {self.lot_id}"

    def part(self, name: str) -> Decimal | None:
        value: Decimal | None = getattr(self, name)
        return value
