from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from common.concurrency import Versioned
from contracts.models import CarePackage
from providers.models import Provider


class ReviewType(models.TextChoices):
    SIX_WEEK = "six_week", "Six-week review"
    ANNUAL = "annual", "Annual review"
    CHANGE_OF_NEED = "change_of_need", "Change of need"
    OTHER = "other", "Other"


class PackageReview(models.Model):
    """A review of a person's care package (not a quality assessment of a provider)."""

    ref = models.CharField("review ref", max_length=64, unique=True)
    package = models.ForeignKey(CarePackage, on_delete=models.PROTECT, related_name="reviews")
    review_date = models.DateField()
    review_type = models.CharField(max_length=16, choices=ReviewType.choices)
    # Reviews recorded in the app (rather than imported) get the ref APP-<id>.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-review_date"]
        indexes = [models.Index(fields=["package", "review_date"])]

    def __str__(self) -> str:
        return self.ref


# --- Quality monitoring -----------------------------------------------------------
# A framework (domains > standards > coded questions) is versioned: loading a
# framework under a name already in use makes a new version, and an assessment
# points at the version it was made with, so changing the questions never
# rewrites an old report.


class Rating(models.TextChoices):
    EXCELLENT = "excellent", "Excellent"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    POOR = "poor", "Poor"


class AssessmentFramework(models.Model):
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The roll-up bands (percent of the best possible score) belong to the
    # framework so that a council can set its own: see reviews/rating.py.
    band_excellent = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("90"))
    band_good = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("65"))
    band_requires_improvement = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("40")
    )
    poor_caps_parent = models.BooleanField(
        "any Poor caps its parent at Requires improvement", default=True
    )

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="framework_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class Domain(models.Model):
    framework = models.ForeignKey(
        AssessmentFramework, on_delete=models.CASCADE, related_name="domains"
    )
    name = models.CharField(max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "position"]

    def __str__(self) -> str:
        return self.name


class Standard(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="standards")
    name = models.CharField(max_length=300)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["domain__position", "position"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    framework = models.ForeignKey(
        AssessmentFramework, on_delete=models.CASCADE, related_name="questions"
    )
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=16)
    text = models.TextField()
    guidance = models.TextField(blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="question_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class AssessmentType(models.TextChoices):
    ROUTINE = "routine", "Routine"
    FOLLOW_UP = "follow_up", "Follow-up"
    RESPONSIVE = "responsive", "Responsive to concerns"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Draft report with provider"
    DISPUTED = "disputed", "Awaiting senior officer review"
    SETTLED = "settled", "Dispute settled"
    PUBLISHED = "published", "Published"


class Assessment(Versioned):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="assessments")
    framework = models.ForeignKey(
        AssessmentFramework, on_delete=models.PROTECT, related_name="assessments"
    )
    assessment_type = models.CharField(
        max_length=16, choices=AssessmentType.choices, default=AssessmentType.ROUTINE
    )
    status = models.CharField(
        max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quality_assessments"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    assessors = models.CharField(max_length=300, blank=True)
    # Evidence sampled: counts and notes only. No names of people receiving care.
    files_sampled = models.PositiveIntegerField(null=True, blank=True)
    people_spoken_with = models.PositiveIntegerField(null=True, blank=True)
    staff_spoken_with = models.PositiveIntegerField(null=True, blank=True)
    evidence_notes = models.TextField(blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    comments_due = models.DateField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    overall_rating = models.CharField(max_length=24, choices=Rating.choices, blank=True)
    settlement_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["provider", "status"])]
        permissions = [("settle_assessment", "Can settle a disputed quality assessment")]

    def __str__(self) -> str:
        return f"Assessment {self.pk} of {self.provider.ref}"


class QuestionRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=24, choices=Rating.choices, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="one_rating_a_question")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating or 'not rated'}"


class RatingOverride(models.Model):
    """An officer's (or senior officer's) replacement for a rolled-up rating.
    `target` is "overall", "domain:<id>" or "standard:<id>"."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="overrides")
    target = models.CharField(max_length=32)
    rating = models.CharField(max_length=24, choices=Rating.choices)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "target"], name="one_override_a_target")
        ]

    def __str__(self) -> str:
        return f"{self.target} overridden to {self.rating}"


class ProviderComment(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="provider_comments"
    )
    comment = models.TextField()
    evidence = models.TextField(blank=True)
    disputes_accuracy = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"Comment by {self.by_id} on {self.assessment_id}"


class EventsAreKept(Exception):
    """An assessment's events are its record: none is ever deleted (issue 10)."""


class AssessmentEventQuerySet(models.QuerySet["AssessmentEvent"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise EventsAreKept("An assessment's events are never deleted.")


class AssessmentEvent(models.Model):
    """Who did what, and when: every step of an assessment and its action plan.
    Kept for good: deleting one raises, and an assessment with events cannot be
    deleted (PROTECT), so the record of a disputed report cannot be lost."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.action

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise EventsAreKept("An assessment's events are never deleted.")


class PlanStatus(models.TextChoices):
    OPEN = "open", "Not submitted"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned to the provider"
    ACCEPTED = "accepted", "Accepted"
    CLOSED = "closed", "Closed"


class ActionPlan(Versioned):
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="action_plan"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="action_plans")
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    due_date = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_late = models.BooleanField(default=False)
    return_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Action plan for assessment {self.assessment_id}"


class PlanIssue(models.Model):
    """One Requires improvement or Poor item from the published report."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="issues")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=24, choices=Rating.choices)

    class Meta:
        ordering = ["question__position"]

    def __str__(self) -> str:
        return f"Issue {self.pk} ({self.rating})"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed, to verify"
    VERIFIED = "verified", "Verified"
    REOPENED = "reopened", "Reopened"


class PlanAction(models.Model):
    issue = models.ForeignKey(PlanIssue, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField("named owner", max_length=200)
    due_date = models.DateField()
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    progress = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description[:60]
