"""The monthly provider return, its history, and the reminders sent about
what is due.

A return belongs to one provider and one month. It is a draft while the
provider fills it in, locked once submitted, and editable again only after a
commissioner reopens it with a reason; every step is a ReturnEvent, so the
history says who did what, when and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from contracts.models import Lot
from providers.models import Provider


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    REOPENED = "reopened", "Reopened"


def _count(label: str, help_text: str = "") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True, help_text=help_text)


def _money(label: str, help_text: str = "") -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=6, decimal_places=2, null=True, blank=True, help_text=help_text
    )


def _percent(label: str, help_text: str = "") -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=5, decimal_places=2, null=True, blank=True, help_text=help_text
    )


class ProviderReturn(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="returns")
    month = models.DateField(help_text="First day of the month the return is for.")
    status = models.CharField(
        max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )

    # Complaints and safeguarding. Every answer is blank until given, so a draft
    # can be saved part-done; submitting needs them all (services.missing_answers).
    complaints_received = _count("Complaints received")
    complaints_upheld = _count("Complaints upheld")
    compliments = _count("Compliments received")
    safeguarding_concerns = _count("Safeguarding concerns raised")
    incidents = _count("Incidents reported")
    # Workforce.
    care_workers_headcount = _count("Care workers (headcount)", "People employed as care workers")
    care_workers_fte = models.DecimalField(
        "Care workers (full-time equivalent)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For example 42.5",
    )
    starters = _count("Care workers who started")
    leavers = _count("Care workers who left")
    vacancies = _count("Care worker vacancies", "Posts vacant at the end of the month")
    agency_hours_share = _percent(
        "Share of care hours delivered by agency staff", "A percentage, for example 5 for 5%"
    )
    # Pay and conditions.
    lowest_hourly_pay = _money("Lowest hourly pay of a care worker", "In pounds, for example 12.60")
    median_hourly_pay = _money("Median hourly pay of care workers", "In pounds, for example 13.10")
    zero_hours_share = _percent(
        "Share of care workers on zero-hours contracts", "A percentage, for example 20 for 20%"
    )
    travel_time_paid = models.BooleanField("Is travel time paid?", null=True, blank=True)
    care_certificate_completions = _count("Care Certificate completions")
    comment = models.TextField("Anything else to tell the council", blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The first submission decides "on time" or "late"; a resubmission after a
    # commissioner reopened the return does not make it late.
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-month", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "month"], name="return_unique_provider_month"
            )
        ]

    def __str__(self) -> str:
        return f"Return of {self.provider.ref} for {self.month:%Y-%m}"

    @property
    def locked(self) -> bool:
        return self.status == ReturnStatus.SUBMITTED


class ReturnCapacity(models.Model):
    """Spare capacity a provider declares in its return: hours a week it could
    take on in a lot, as at the date the return was submitted."""

    provider_return = models.ForeignKey(
        ProviderReturn, on_delete=models.CASCADE, related_name="capacity"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    spare_hours_per_week = models.DecimalField(max_digits=8, decimal_places=1)

    class Meta:
        ordering = ["lot__name"]
        constraints = [
            models.UniqueConstraint(fields=["provider_return", "lot"], name="capacity_unique_lot")
        ]

    def __str__(self) -> str:
        return f"{self.spare_hours_per_week} spare hours a week in {self.lot}"


class ReturnAction(models.TextChoices):
    STARTED = "started", "Started"
    SAVED = "saved", "Saved as draft"
    SUBMITTED = "submitted", "Submitted"
    REOPENED = "reopened", "Reopened"
    RESUBMITTED = "resubmitted", "Submitted again"


class ReturnEvent(models.Model):
    """One step in a return's history."""

    provider_return = models.ForeignKey(
        ProviderReturn, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=16, choices=ReturnAction.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where the change came from: a page or the API.
    via = models.CharField(max_length=8, default="page")
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


class DueKind(models.TextChoices):
    ECM_FILE = "ecm", "ECM visits file"
    RETURN = "return", "Monthly return"


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", "Due soon"
    OVERDUE = "overdue", "Overdue"


class SentReminder(models.Model):
    """A reminder e-mail that was sent. The unique constraint is what makes a
    reminder go once: the sender inserts the row before sending, in the same
    transaction, so a second worker (or a second beat tick) fails to insert it
    and sends nothing."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    kind = models.CharField(max_length=8, choices=DueKind.choices)
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "month", "kind", "stage"], name="reminder_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.kind} {self.month:%Y-%m} {self.provider_id}"
