"""A commissioner's RAG limits for one dashboard measure. Without a row the
defaults in `homecare/dashboards/rag.py` apply. The model knows nothing of the
measures (rag.py reads it): the form checks the limits against the measure."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from common.concurrency import Versioned


class RagThreshold(Versioned):
    # The measure's key in rag.MEASURES; choices are set there to keep one list.
    measure = models.CharField(max_length=64, unique=True)
    green_limit = models.DecimalField(
        "Green limit",
        max_digits=10,
        decimal_places=2,
        help_text="The worst figure that is still green.",
    )
    red_limit = models.DecimalField(
        "Red limit",
        max_digits=10,
        decimal_places=2,
        help_text="A figure worse than this is red; between the limits is amber.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["measure"]
        verbose_name = "RAG threshold"

    def __str__(self) -> str:
        return f"RAG limits for {self.measure}"


class RagResult(models.Model):
    """A stored month's RAG rating: each measure's figure, status, the limits
    it was rated against and the reason in words. Written when the month's
    figures are stored (services.rate_kpi), so changing a limit later does
    not re-colour earlier months; pages and packs read it through the
    presenters."""

    kpi = models.OneToOneField(
        "kpis.MonthlyKpi", on_delete=models.CASCADE, primary_key=True, related_name="rag_result"
    )
    # {measure key: {value, status, green, red, lower_is_better, reason}}
    measures = models.JSONField(default=dict)
    overall = models.CharField(max_length=8)
    rated_at = models.DateTimeField()

    class Meta:
        verbose_name = "RAG result"

    def __str__(self) -> str:
        return f"RAG {self.kpi}: {self.overall}"
