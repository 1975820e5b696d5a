"""The improvement tracker's records.

A plan is either the council's own (recommendations of a scrutiny review, a
market position statement, ...: `provider` empty) or a provider's action plan
from a quality assessment (`action_plan` set). For the second, the tracker
holds only links: the plan's and each action's words, owner and dates stay in
`reviews` (ActionPlan, PlanAction) and are read from there, never copied.

Every item is graded on each progress update, as councils grade scrutiny
recommendations: 1 Fully achieved, 2 On track, 3 Slipped, 4 Not achieved.
Updates are dated and never edited or deleted, so the grade an item had in any
quarter can always be read back.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from providers.models import Provider
from reviews.models import ActionPlan, Assessment, PlanAction


class Grade(models.IntegerChoices):
    FULLY_ACHIEVED = 1, "1 Fully achieved"
    ON_TRACK = 2, "2 On track"
    SLIPPED = 3, "3 Slipped"
    NOT_ACHIEVED = 4, "4 Not achieved"


# The grades that need attention: shown on the dashboards and to alerts.
OFF_TRACK = (Grade.SLIPPED, Grade.NOT_ACHIEVED)


class ImprovementPlan(models.Model):
    # A provider's action plan takes its name from its assessment (`label`).
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    agreed_on = models.DateField("date the plan was agreed", null=True, blank=True)
    lead_officer = models.CharField("link officer", max_length=200, blank=True)
    # A provider's action plan (set together with provider), or neither: council-wide.
    action_plan = models.OneToOneField(
        ActionPlan,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="improvement_plan",
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action_plan__isnull=True, provider__isnull=True)
                | Q(action_plan__isnull=False, provider__isnull=False),
                name="improvement_plan_council_or_provider",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def council_wide(self) -> bool:
        return self.action_plan_id is None

    @property
    def label(self) -> str:
        """Needs `action_plan__assessment` and `provider` loaded for a provider's plan."""
        if self.action_plan is None or self.provider is None:
            return self.title
        return f"{self.provider.name}: {self.short_label[0].lower()}{self.short_label[1:]}"

    @property
    def short_label(self) -> str:
        """The name where the provider is already said (a tracker row, a panel)."""
        if self.action_plan is None:
            return self.title
        assessment = self.action_plan.assessment
        when = assessment.end_date or assessment.start_date
        dated = f" of {when.day} {when:%B %Y}" if when else ""
        return f"Action plan from the assessment{dated}"


class ImprovementItem(models.Model):
    """A recommendation with its agreed action (council-wide), or the link to
    one action of a provider's action plan."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="items")
    action = models.OneToOneField(
        PlanAction,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="improvement_item",
    )
    number = models.PositiveIntegerField("recommendation number", null=True, blank=True)
    recommendation = models.TextField(blank=True)
    agreed_action = models.TextField(blank=True)
    success_measure = models.TextField("agreed success measure", blank=True)
    responsibility = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "number", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.action is not None:
            return f"{self.action.issue.question.code}: {self.action.description}"
        return f"Recommendation {self.number}" if self.number else f"Item {self.pk}"

    @property
    def what(self) -> str:
        return self.action.description if self.action is not None else self.agreed_action

    @property
    def owner(self) -> str:
        return self.action.owner if self.action is not None else self.responsibility

    @property
    def due(self) -> Any:
        return self.action.due_date if self.action is not None else self.due_date


class ProgressUpdate(models.Model):
    item = models.ForeignKey(ImprovementItem, on_delete=models.CASCADE, related_name="updates")
    as_of = models.DateField("date of the update")
    progress = models.TextField("evidence of progress")
    grade = models.PositiveSmallIntegerField("assessment of progress", choices=Grade.choices)
    impact = models.TextField("evidence of impact", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        indexes = [models.Index(fields=["item", "as_of"])]
        constraints = [
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=4), name="grade_1_to_4")
        ]

    def __str__(self) -> str:
        return f"Update {self.pk}: grade {self.grade}"


def evidence_path(evidence: EvidenceFile, filename: str) -> str:
    """Under MEDIA_ROOT/private (never served by the web server or whitenoise:
    only the download view, which checks who asks), named by a fresh UUID so
    nothing the user typed reaches the file system."""
    suffix = PurePath(filename).suffix.lower()
    return f"private/evidence/{uuid.uuid4()}{suffix}"


class EvidenceFile(models.Model):
    """A file of evidence, on a progress update or on a quality assessment: it
    is seen by whoever may see its update's plan or its assessment."""

    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_files"
    )
    file = models.FileField(upload_to=evidence_path, max_length=300)
    name = models.CharField("file name", max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(update__isnull=False, assessment__isnull=True)
                | Q(update__isnull=True, assessment__isnull=False),
                name="evidence_on_update_or_assessment",
            )
        ]

    def __str__(self) -> str:
        return self.name
