"""Writes for an action plan: the provider adds actions and reports progress,
the officer reviews the plan and verifies each action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from common.concurrency import lock, stamp
from reviews.models import (
    ActionPlan,
    ActionStatus,
    PlanAction,
    PlanIssue,
    PlanStatus,
)
from reviews.services.common import (
    log_event,
    may,
    require,
)


def _require_provider_editing(plan: ActionPlan, user: Any) -> None:
    require(
        may(user, "quality.update_actions", plan),
        "Only the provider's own users can write its action plan",
    )
    require(
        plan.status in (PlanStatus.OPEN, PlanStatus.RETURNED),
        "The plan has been submitted; it can be changed only if the officer returns it",
    )


@transaction.atomic
def add_action(
    plan: ActionPlan,
    user: Any,
    issue: PlanIssue,
    description: str,
    owner: str,
    due: dt.date,
    version: int | None = None,
) -> PlanAction:
    """`version` is the plan's, as the form showed it (EditConflict if it changed since)."""
    lock(plan, version)
    _require_provider_editing(plan, user)
    require(issue.plan_id == plan.pk, "That issue is not in this plan")
    action = PlanAction.objects.create(
        issue=issue, description=description, owner=owner, due_date=due
    )
    plan.save(update_fields=stamp(plan, user))
    log_event(plan.assessment, user, f"Action added for {issue.question.code}", description)
    return action


@transaction.atomic
def submit_plan(plan: ActionPlan, user: Any, today: dt.date, version: int | None = None) -> None:
    lock(plan, version)
    _require_provider_editing(plan, user)
    empty = [
        i.question.code for i in plan.issues.select_related("question") if not i.actions.exists()
    ]
    require(not empty, "Add at least one action for " + ", ".join(empty))
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_late = today > plan.due_date
    plan.save(update_fields=["status", "submitted_at", "submitted_late", *stamp(plan, user)])
    log_event(
        plan.assessment,
        user,
        "Action plan submitted" + (" late" if plan.submitted_late else ""),
        f"Due by {plan.due_date:%-d %B %Y}",
    )


@transaction.atomic
def review_plan(
    plan: ActionPlan, user: Any, accept: bool, reason: str = "", version: int | None = None
) -> None:
    lock(plan, version)
    require(
        may(user, "quality.verify_actions", plan),
        "Only a quality officer can accept or return a plan",
    )
    require(plan.status == PlanStatus.SUBMITTED, "Only a submitted plan can be reviewed")
    if accept:
        plan.status = PlanStatus.ACCEPTED
        plan.return_reason = ""
    else:
        require(bool(reason.strip()), "Say why the plan is returned")
        plan.status = PlanStatus.RETURNED
        plan.return_reason = reason
    plan.save(update_fields=["status", "return_reason", *stamp(plan, user)])
    log_event(
        plan.assessment, user, "Action plan accepted" if accept else "Action plan returned", reason
    )


@transaction.atomic
def update_action(action: PlanAction, user: Any, status: str, progress: str, evidence: str) -> None:
    plan = lock(action.issue.plan)  # the plan's actions change one at a time
    action.refresh_from_db()
    require(
        may(user, "quality.update_actions", plan),
        "Only the provider's own users can update its actions",
    )
    require(plan.status == PlanStatus.ACCEPTED, "Actions are updated once the plan is accepted")
    require(action.status != ActionStatus.VERIFIED, "This action has been verified")
    require(
        status in (ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED), "Choose the action's progress"
    )
    action.status, action.progress, action.evidence = status, progress, evidence
    action.save(update_fields=["status", "progress", "evidence"])
    log_event(plan.assessment, user, f"Action updated: {action.get_status_display()}", progress)


@transaction.atomic
def verify_action(action: PlanAction, user: Any, verified: bool, note: str = "") -> None:
    """The officer confirms a completed action, or reopens it; when every action
    is verified the plan is closed."""
    plan = lock(action.issue.plan)
    action.refresh_from_db()
    require(may(user, "quality.verify_actions", plan), "Only a quality officer can verify actions")
    require(action.status == ActionStatus.COMPLETED, "Only a completed action can be checked")
    if verified:
        action.status, action.verified_at = ActionStatus.VERIFIED, timezone.now()
    else:
        require(bool(note.strip()), "Say why the action is reopened")
        action.status = ActionStatus.REOPENED
    action.save(update_fields=["status", "verified_at"])
    log_event(plan.assessment, user, "Action verified" if verified else "Action reopened", note)
    if (
        not PlanAction.objects.filter(issue__plan=plan)
        .exclude(status=ActionStatus.VERIFIED)
        .exists()
    ):
        plan.status = PlanStatus.CLOSED
        plan.save(update_fields=["status", *stamp(plan, user)])
        log_event(plan.assessment, user, "Action plan closed: every action verified")
