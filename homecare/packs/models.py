"""A built monthly pack: the PDF and the stored KPI results it was built from."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from providers.models import Provider


class PackKind(models.TextChoices):
    PROVIDER = "provider", "Provider pack"
    MARKET = "market", "Market pack"


def pack_upload_to(pack: Pack, filename: str) -> str:
    return f"packs/{pack.month:%Y-%m}/{filename}"


class Pack(models.Model):
    kind = models.CharField(max_length=16, choices=PackKind.choices)
    # Blank for the market pack; `providers.access.scope` then hides it from
    # provider users, who must never see other providers' figures.
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="packs"
    )
    month = models.DateField(help_text="First day of the month.")
    file = models.FileField(upload_to=pack_upload_to, max_length=300)
    pages = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0, help_text="Bytes.")
    built_at = models.DateTimeField()
    # Which stored results the PDF shows ({MonthlyKpi id: computed_at}, RAG
    # limits), and a hash of them: a pack is rebuilt only when the hash changes.
    sources = models.JSONField(default=dict)
    source_stamp = models.CharField(max_length=64)

    class Meta:
        ordering = ["-month", "kind", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "month"],
                condition=Q(kind="provider"),
                name="pack_unique_provider_month",
            ),
            models.UniqueConstraint(
                fields=["month"], condition=Q(kind="market"), name="pack_unique_market_month"
            ),
            models.CheckConstraint(
                condition=Q(kind="provider", provider__isnull=False)
                | Q(kind="market", provider__isnull=True),
                name="pack_kind_matches",
            ),
        ]

    def __str__(self) -> str:
        who = self.provider.ref if self.provider else "market"
        return f"Pack {self.month:%Y-%m} {who}"

    @property
    def filename(self) -> str:
        who = self.provider.ref if self.provider else "market"
        return f"{who}-{self.month:%Y-%m}.pdf"
