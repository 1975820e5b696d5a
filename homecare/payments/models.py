from __future__ import annotations

from django.db import models

from contracts.models import CarePackage


class TimeBankEntry(models.Model):
    """A line of time_bank.csv: minutes a person chose to defer (positive) or
    used later (negative). Deferred minutes must be used within 4 weeks of the
    visit they came from, or they expire."""

    package = models.ForeignKey(CarePackage, on_delete=models.CASCADE, related_name="time_bank")
    date = models.DateField()
    minutes = models.IntegerField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["package", "date"]
        verbose_name_plural = "time bank entries"
        constraints = [
            models.UniqueConstraint(fields=["package", "date"], name="timebank_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.package} {self.date}: {self.minutes:+d} min"
