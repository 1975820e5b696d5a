"""Alerts and what each user has done with them.

An alert is raised once: its natural key (kind, provider, subject, day) is
unique, so a job that runs twice, or two workers at once, insert it once.
Whether a user has read an alert, and whether they want the daily e-mail,
is that user's own state, not council data (docs/decisions.md, issue 15)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from providers.models import Provider


class AlertKind(models.TextChoices):
    KPI_RED = "kpi_red", "Turned red on a KPI"
    CQC_DOWNGRADE = "cqc_downgrade", "CQC downgrade"
    RETURN_MISSED = "return_missed", "Monthly return missed"
    ECM_MISSED = "ecm_missed", "ECM visits file missed"
    RISK_REVIEW_OVERDUE = "risk_review_overdue", "Risk review overdue"
    VULNERABLE_VISIT_MISSED = "vulnerable_visit_missed", "Missed visit, lives alone, lacks capacity"


class Alert(models.Model):
    kind = models.CharField(max_length=32, choices=AlertKind.choices)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="alerts")
    # What within the provider it is about: a measure, a CQC location, a risk
    # entry, a visit; blank when the kind and month say it all.
    subject = models.CharField(max_length=100, blank=True)
    # The month (its first day) or the day the alert is about.
    on = models.DateField()
    message = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "provider", "subject", "on"], name="alert_raised_once"
            )
        ]
        indexes = [
            models.Index(fields=["provider", "-raised_at"]),
            models.Index(fields=["-raised_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.provider.ref} {self.subject} {self.on}"


class AlertRead(models.Model):
    """A user has read an alert (no row: unread)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts_read"
    )
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "alert"], name="alert_read_once_per_user")
        ]

    def __str__(self) -> str:
        return f"Alert {self.alert_id} read by user {self.user_id}"


class AlertPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference"
    )
    daily_digest = models.BooleanField(
        "Send me a daily e-mail of new alerts",
        default=False,
        help_text="One e-mail each morning listing the alerts raised since the last one.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Alert e-mail of user {self.user_id}: {'daily' if self.daily_digest else 'none'}"


class SentDigest(models.Model):
    """The daily e-mail sent to one user on one day: its unique key makes a
    second run of the job that day send nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_digests"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    alerts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"Alert e-mail to user {self.user_id} on {self.day}"
