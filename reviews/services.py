"""Writes for quality monitoring: every step of an assessment and its action
plan, each recorded in the event log with who and when.

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

from contracts.models import CarePackage
from providers.access import COMMISSIONER, QUALITY_OFFICER, has_role, user_provider
from providers.models import Provider
from reviews import default_framework, rating
from reviews.framework_import import create_framework
from reviews.models import (
    ActionPlan,
    ActionStatus,
    Assessment,
    AssessmentEvent,
    AssessmentFramework,
    AssessmentStatus,
    PackageReview,
    PlanAction,
    PlanIssue,
    PlanStatus,
    ProviderComment,
    QuestionRating,
    RatingOverride,
)
from reviews.selectors import assessment_report

COMMENT_DAYS = 14  # the provider's factual-accuracy window
PLAN_DAYS = 14  # to submit an action plan after publication
DETAIL_FIELDS = (
    "assessment_type",
    "start_date",
    "end_date",
    "assessors",
    "files_sampled",
    "people_spoken_with",
    "staff_spoken_with",
    "evidence_notes",
)


class NotAllowed(Exception):
    """The step is not open to this user, or not at this stage; the message says why."""


def is_quality_officer(user: Any) -> bool:
    return bool(user.is_superuser or has_role(user, QUALITY_OFFICER))


def is_senior_officer(user: Any) -> bool:
    return bool(
        user.is_superuser
        or has_role(user, COMMISSIONER)
        or (has_role(user, QUALITY_OFFICER) and user.has_perm("reviews.settle_assessment"))
    )


def _log(assessment: Assessment, user: Any, action: str, note: str = "") -> None:
    AssessmentEvent.objects.create(assessment=assessment, by=user, action=action, note=note)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def _is_providers_user(user: Any, provider_id: int) -> bool:
    provider = user_provider(user)
    return provider is not None and provider.pk == provider_id


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
    _require(is_quality_officer(officer), "Only a quality officer can start an assessment")
    assessment = Assessment.objects.create(
        provider=provider, framework=framework, officer=officer, assessment_type=assessment_type
    )
    _log(assessment, officer, "Draft started")
    return assessment


@transaction.atomic
def save_draft(
    assessment: Assessment,
    user: Any,
    details: dict[str, Any],
    answers: dict[int, tuple[str, str]],
) -> None:
    """Save whatever has been filled in, complete or not: a long form never loses work.
    `answers` maps question ids to (rating, evidence notes)."""
    _require(is_quality_officer(user), "Only a quality officer can edit an assessment")
    _require(assessment.status == AssessmentStatus.DRAFT, "Only a draft can be changed")
    for name in DETAIL_FIELDS:
        if name in details:
            setattr(assessment, name, details[name])
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
    _log(assessment, user, "Draft saved")


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
    _require(is_quality_officer(user), "Only a quality officer can issue a draft report")
    _require(assessment.status == AssessmentStatus.DRAFT, "Only a draft can be issued")
    _require(not missing_for_issue(assessment), "Rate every question before issuing the report")
    assessment.status = AssessmentStatus.ISSUED
    assessment.issued_at = timezone.now()
    assessment.comments_due = today + dt.timedelta(days=COMMENT_DAYS)
    assessment.save(update_fields=["status", "issued_at", "comments_due"])
    _log(
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
    _require(
        _is_providers_user(user, assessment.provider_id),
        "Only the provider's own users can comment on its draft report",
    )
    _require(
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
        assessment.save(update_fields=["status"])
    _log(
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
    if assessment.status == AssessmentStatus.DRAFT:
        _require(is_quality_officer(user), "Only a quality officer can override a rating")
    else:
        _require(
            assessment.status == AssessmentStatus.DISPUTED and may_settle(assessment, user),
            "Ratings can only be overridden in a draft or by a senior officer settling a dispute",
        )
    _require(bool(reason.strip()), "Give the reason for the override")
    _require(value in rating.POINTS, "Choose a rating")
    RatingOverride.objects.update_or_create(
        assessment=assessment,
        target=target,
        defaults={"rating": value, "reason": reason, "by": user},
    )
    _log(assessment, user, f"Rating overridden ({target}) to {value}", reason)


def may_settle(assessment: Assessment, user: Any) -> bool:
    return is_senior_officer(user) and assessment.officer_id != user.pk


@transaction.atomic
def settle_dispute(assessment: Assessment, user: Any, notes: str) -> None:
    _require(assessment.status == AssessmentStatus.DISPUTED, "There is no dispute to settle")
    _require(
        may_settle(assessment, user),
        "A senior officer who did not record the assessment must settle the dispute",
    )
    _require(bool(notes.strip()), "Say how the dispute was settled")
    assessment.status = AssessmentStatus.SETTLED
    assessment.settlement_notes = notes
    assessment.save(update_fields=["status", "settlement_notes"])
    _log(assessment, user, "Dispute settled by a senior officer", notes)


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
    _require(
        is_quality_officer(user) or may_settle(assessment, user),
        "Only a quality officer can publish a report",
    )
    _require(
        may_publish(assessment, today),
        "The report can be published once the provider has commented, its 14 days have "
        "passed, or a dispute is settled",
    )
    report = assessment_report(assessment)
    assessment.status = AssessmentStatus.PUBLISHED
    assessment.published_at = timezone.now()
    assessment.overall_rating = report.overall or ""
    assessment.save(update_fields=["status", "published_at", "overall_rating"])
    _log(assessment, user, "Report published", f"Overall: {report.overall_label}")
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
        _log(
            assessment,
            user,
            "Action plan opened",
            f"{len(shortfalls)} issue(s); plan due by {plan.due_date:%-d %B %Y}",
        )


# --- the action plan ------------------------------------------------------------------


def _require_provider_editing(plan: ActionPlan, user: Any) -> None:
    _require(
        _is_providers_user(user, plan.provider_id),
        "Only the provider's own users can write its action plan",
    )
    _require(
        plan.status in (PlanStatus.OPEN, PlanStatus.RETURNED),
        "The plan has been submitted; it can be changed only if the officer returns it",
    )


@transaction.atomic
def add_action(
    plan: ActionPlan, user: Any, issue: PlanIssue, description: str, owner: str, due: dt.date
) -> PlanAction:
    _require_provider_editing(plan, user)
    _require(issue.plan_id == plan.pk, "That issue is not in this plan")
    action = PlanAction.objects.create(
        issue=issue, description=description, owner=owner, due_date=due
    )
    _log(plan.assessment, user, f"Action added for {issue.question.code}", description)
    return action


@transaction.atomic
def submit_plan(plan: ActionPlan, user: Any, today: dt.date) -> None:
    _require_provider_editing(plan, user)
    empty = [
        i.question.code for i in plan.issues.select_related("question") if not i.actions.exists()
    ]
    _require(not empty, "Add at least one action for " + ", ".join(empty))
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_late = today > plan.due_date
    plan.save(update_fields=["status", "submitted_at", "submitted_late"])
    _log(
        plan.assessment,
        user,
        "Action plan submitted" + (" late" if plan.submitted_late else ""),
        f"Due by {plan.due_date:%-d %B %Y}",
    )


@transaction.atomic
def review_plan(plan: ActionPlan, user: Any, accept: bool, reason: str = "") -> None:
    _require(is_quality_officer(user), "Only a quality officer can accept or return a plan")
    _require(plan.status == PlanStatus.SUBMITTED, "Only a submitted plan can be reviewed")
    if accept:
        plan.status = PlanStatus.ACCEPTED
        plan.return_reason = ""
    else:
        _require(bool(reason.strip()), "Say why the plan is returned")
        plan.status = PlanStatus.RETURNED
        plan.return_reason = reason
    plan.save(update_fields=["status", "return_reason"])
    _log(
        plan.assessment, user, "Action plan accepted" if accept else "Action plan returned", reason
    )


@transaction.atomic
def update_action(action: PlanAction, user: Any, status: str, progress: str, evidence: str) -> None:
    plan = action.issue.plan
    _require(
        _is_providers_user(user, plan.provider_id),
        "Only the provider's own users can update its actions",
    )
    _require(plan.status == PlanStatus.ACCEPTED, "Actions are updated once the plan is accepted")
    _require(action.status != ActionStatus.VERIFIED, "This action has been verified")
    _require(
        status in (ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED), "Choose the action's progress"
    )
    action.status, action.progress, action.evidence = status, progress, evidence
    action.save(update_fields=["status", "progress", "evidence"])
    _log(plan.assessment, user, f"Action updated: {action.get_status_display()}", progress)


@transaction.atomic
def verify_action(action: PlanAction, user: Any, verified: bool, note: str = "") -> None:
    """The officer confirms a completed action, or reopens it; when every action
    is verified the plan is closed."""
    plan = action.issue.plan
    _require(is_quality_officer(user), "Only a quality officer can verify actions")
    _require(action.status == ActionStatus.COMPLETED, "Only a completed action can be checked")
    if verified:
        action.status, action.verified_at = ActionStatus.VERIFIED, timezone.now()
    else:
        _require(bool(note.strip()), "Say why the action is reopened")
        action.status = ActionStatus.REOPENED
    action.save(update_fields=["status", "verified_at"])
    _log(plan.assessment, user, "Action verified" if verified else "Action reopened", note)
    if (
        not PlanAction.objects.filter(issue__plan=plan)
        .exclude(status=ActionStatus.VERIFIED)
        .exists()
    ):
        plan.status = PlanStatus.CLOSED
        plan.save(update_fields=["status"])
        _log(plan.assessment, user, "Action plan closed: every action verified")


# --- package reviews ------------------------------------------------------------------


@transaction.atomic
def record_package_review(
    package: CarePackage, user: Any, review_date: dt.date, review_type: str, notes: str = ""
) -> PackageReview:
    # The ref must be unique before the id exists: save under a placeholder,
    # then give it the APP-<id> ref that marks it as made in the app.
    review = PackageReview.objects.create(
        ref=f"APP-pending-{timezone.now().timestamp()}-{package.pk}",
        package=package,
        review_date=review_date,
        review_type=review_type,
        recorded_by=user,
        notes=notes,
    )
    review.ref = f"APP-{review.pk}"
    review.save(update_fields=["ref"])
    return review
