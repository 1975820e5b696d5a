"""Writes for an assessment, each step recorded in the event log with who and when.

Who is a "senior officer": a Commissioner, or a Quality officer given the
`reviews.settle_assessment` permission (directly or through a group). A senior
officer never settles a dispute about an assessment they recorded themselves,
so a second pair of eyes always looks at a disputed report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from common.concurrency import lock, stamp
from providers.models import Provider
from reviews import default_framework, rating
from reviews.framework_import import create_framework
from reviews.models import (
    ActionPlan,
    Assessment,
    AssessmentFramework,
    AssessmentStatus,
    PlanIssue,
    ProviderComment,
    QuestionRating,
    RatingOverride,
)
from reviews.selectors import assessment_report
from reviews.services.common import (
    COMMENT_DAYS,
    DETAIL_FIELDS,
    PLAN_DAYS,
    log_event,
    may,
    require,
)


def load_default_framework(user: Any = None) -> AssessmentFramework:
    """The default framework, loaded once: calling again changes nothing."""
    existing = AssessmentFramework.objects.filter(name=default_framework.NAME).first()
    if existing:
        return existing
    return create_framework(default_framework.NAME, list(default_framework.ROWS), user)


# --- the assessment ----------------------------------------------------------------


@transaction.atomic
def start_assessment(
    provider: Provider, framework: AssessmentFramework, officer: Any, assessment_type: str
) -> Assessment:
    require(
        may(officer, "quality.record_assessment"), "Only a quality officer can start an assessment"
    )
    assessment = Assessment.objects.create(
        provider=provider, framework=framework, officer=officer, assessment_type=assessment_type
    )
    log_event(assessment, officer, "Draft started")
    return assessment


@transaction.atomic
def save_draft(
    assessment: Assessment,
    user: Any,
    details: dict[str, Any],
    answers: dict[int, tuple[str, str]],
    version: int | None = None,
) -> None:
    """Save whatever has been filled in, complete or not: a long form never loses work.
    `answers` maps question ids to (rating, evidence notes); `version` is the one
    the form showed (EditConflict if someone saved since)."""
    require(may(user, "quality.record_assessment"), "Only a quality officer can edit an assessment")
    lock(assessment, version)
    require(may(user, "quality.edit_assessment", assessment), "Only a draft can be changed")
    for name in DETAIL_FIELDS:
        if name in details:
            setattr(assessment, name, details[name])
    stamp(assessment, user)
    assessment.save()
    existing = {a.question_id: a for a in assessment.answers.all()}
    valid = set(assessment.framework.questions.values_list("pk", flat=True))
    to_create, to_update = [], []
    for question_id, (value, evidence) in answers.items():
        if question_id not in valid:
            continue
        answer = existing.get(question_id)
        if answer is None:
            to_create.append(
                QuestionRating(
                    assessment=assessment, question_id=question_id, rating=value, evidence=evidence
                )
            )
        elif (answer.rating, answer.evidence) != (value, evidence):
            answer.rating, answer.evidence = value, evidence
            to_update.append(answer)
    QuestionRating.objects.bulk_create(to_create)
    QuestionRating.objects.bulk_update(to_update, ["rating", "evidence"])
    log_event(assessment, user, "Draft saved")


def missing_for_issue(assessment: Assessment) -> list[str]:
    """What must be filled in before the draft report can go to the provider."""
    missing = []
    if not assessment.start_date:
        missing.append("start_date")
    if not assessment.assessors.strip():
        missing.append("assessors")
    rated = set(assessment.answers.exclude(rating="").values_list("question_id", flat=True))
    for question_id in assessment.framework.questions.values_list("pk", flat=True):
        if question_id not in rated:
            missing.append(f"q{question_id}")
    return missing


@transaction.atomic
def issue_to_provider(assessment: Assessment, user: Any, today: dt.date) -> None:
    lock(assessment)  # one step at a time: a second waits, then sees the first
    require(
        may(user, "quality.record_assessment"), "Only a quality officer can issue a draft report"
    )
    require(may(user, "quality.edit_assessment", assessment), "Only a draft can be issued")
    require(not missing_for_issue(assessment), "Rate every question before issuing the report")
    assessment.status = AssessmentStatus.ISSUED
    assessment.issued_at = timezone.now()
    assessment.comments_due = today + dt.timedelta(days=COMMENT_DAYS)
    changed = stamp(assessment, user)
    assessment.save(update_fields=["status", "issued_at", "comments_due", *changed])
    log_event(
        assessment,
        user,
        "Draft report issued to the provider",
        f"Comments on factual accuracy due by {assessment.comments_due:%-d %B %Y}",
    )


def comment_window_open(assessment: Assessment, today: dt.date) -> bool:
    return (
        assessment.status == AssessmentStatus.ISSUED
        and assessment.comments_due is not None
        and today <= assessment.comments_due
    )


@transaction.atomic
def add_provider_comment(
    assessment: Assessment,
    user: Any,
    comment: str,
    evidence: str,
    disputes_accuracy: bool,
    today: dt.date,
) -> ProviderComment:
    lock(assessment)  # one step at a time: a second waits, then sees the first
    require(
        may(user, "quality.comment_on_assessment", assessment),
        "Only the provider's own users can comment on its draft report",
    )
    require(
        comment_window_open(assessment, today),
        "The 14 days for comments on this draft report have ended",
    )
    made = ProviderComment.objects.create(
        assessment=assessment,
        by=user,
        comment=comment,
        evidence=evidence,
        disputes_accuracy=disputes_accuracy,
    )
    if disputes_accuracy:
        assessment.status = AssessmentStatus.DISPUTED
        assessment.save(update_fields=["status", *stamp(assessment, user)])
    log_event(
        assessment,
        user,
        "Provider disputed factual accuracy" if disputes_accuracy else "Provider commented",
    )
    return made


@transaction.atomic
def override_rating(
    assessment: Assessment, user: Any, target: str, value: str, reason: str
) -> None:
    """Replace a rolled-up rating, with the reason on record. The officer may do
    it in the draft; a senior officer while settling a dispute."""
    lock(assessment)  # one step at a time: a second waits, then sees the first
    require(
        may(user, "quality.override_rating", assessment),
        "Only a quality officer can override a rating"
        if assessment.status == AssessmentStatus.DRAFT
        else "Ratings can only be overridden in a draft or by a senior officer settling a dispute",
    )
    require(bool(reason.strip()), "Give the reason for the override")
    require(value in rating.POINTS, "Choose a rating")
    RatingOverride.objects.update_or_create(
        assessment=assessment,
        target=target,
        defaults={"rating": value, "reason": reason, "by": user},
    )
    assessment.save(update_fields=stamp(assessment, user))
    log_event(assessment, user, f"Rating overridden ({target}) to {value}", reason)


@transaction.atomic
def settle_dispute(assessment: Assessment, user: Any, notes: str) -> None:
    lock(assessment)  # one step at a time: a second waits, then sees the first
    require(assessment.status == AssessmentStatus.DISPUTED, "There is no dispute to settle")
    require(
        may(user, "quality.settle_dispute", assessment),
        "A senior officer who did not record the assessment must settle the dispute",
    )
    require(bool(notes.strip()), "Say how the dispute was settled")
    assessment.status = AssessmentStatus.SETTLED
    assessment.settlement_notes = notes
    assessment.save(update_fields=["status", "settlement_notes", *stamp(assessment, user)])
    log_event(assessment, user, "Dispute settled by a senior officer", notes)


def may_publish(assessment: Assessment, today: dt.date) -> bool:
    """After a settled dispute, or once the provider has commented without
    disputing, or when its 14 days have passed in silence."""
    if assessment.status == AssessmentStatus.SETTLED:
        return True
    if assessment.status != AssessmentStatus.ISSUED:
        return False
    window_over = assessment.comments_due is not None and today > assessment.comments_due
    return window_over or assessment.provider_comments.exists()


@transaction.atomic
def publish(assessment: Assessment, user: Any, today: dt.date) -> None:
    lock(assessment)  # one step at a time: a second waits, then sees the first
    require(
        may(user, "quality.publish_assessment", assessment),
        "Only a quality officer can publish a report",
    )
    require(
        may_publish(assessment, today),
        "The report can be published once the provider has commented, its 14 days have "
        "passed, or a dispute is settled",
    )
    report = assessment_report(assessment)
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.published_at = timezone.now()
    assessment.overall_rating = report.overall or ""
    changed = stamp(assessment, user)
    assessment.save(update_fields=["status", "published_at", "overall_rating", *changed])
    log_event(assessment, user, "Report published", f"Overall: {report.overall_label}")
    shortfalls = [
        (row.question, row.rating)
        for row in report.question_rows
        if row.rating in (rating.REQUIRES_IMPROVEMENT, rating.POOR)
    ]
    if shortfalls:
        plan = ActionPlan.objects.create(
            assessment=assessment,
            provider_id=assessment.provider_id,
            due_date=today + dt.timedelta(days=PLAN_DAYS),
        )
        PlanIssue.objects.bulk_create(
            PlanIssue(plan=plan, question=question, rating=value) for question, value in shortfalls
        )
        log_event(
            assessment,
            user,
            "Action plan opened",
            f"{len(shortfalls)} issue(s); plan due by {plan.due_date:%-d %B %Y}",
        )
