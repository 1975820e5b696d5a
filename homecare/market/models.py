from __future__ import annotations

from django.conf import settings
from django.db import models

from providers.models import Provider


class WaitingSnapshot(models.Model):
    """The waiting figures at Monday 00:00 Europe/London, kept for the trend.
    `by_band`, `by_source` and `by_lot` hold requests, people and hours per
    group, as measured then (a later import does not rewrite the past)."""

    taken_for = models.DateTimeField(unique=True)
    taken_at = models.DateTimeField(auto_now_add=True)
    people = models.PositiveIntegerField()
    requests = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=10, decimal_places=2)
    median_wait_hours = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    longest_wait_hours = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    by_band = models.JSONField(default=dict)
    by_source = models.JSONField(default=dict)
    by_lot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-taken_for"]

    def __str__(self) -> str:
        return f"Waiting at {self.taken_for:%Y-%m-%d}"


class RiskStatus(models.TextChoices):
    NO_CONCERNS = "no_concerns", "No concerns"
    MONITORING = "monitoring", "Monitoring"
    ENHANCED = "enhanced", "Enhanced monitoring"
    EMBARGO = "embargo", "Placement embargo"
    CONTRACT_ACTION = "contract_action", "Contract action"


class RiskEntry(models.Model):
    """A provider's place on the risk register. Every change adds a new entry;
    the newest is the provider's current one, the others its history."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="risk_entries")
    status = models.CharField(max_length=20, choices=RiskStatus.choices)
    reasons = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="risk_entries_owned"
    )
    next_review = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The suggestion it answers, if the register suggested the provider.
    suggestion = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name_plural = "risk entries"
        indexes = [models.Index(fields=["provider", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.provider.ref}: {self.get_status_display()}"
