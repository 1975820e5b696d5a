"""Writes for the improvement tracker. Each checks who may do it (the rules
of providers.permissions) whatever page called it; every row saved leaves an
audit row (homecare/audit/tracked.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from homecare.improvement.files import check_upload
from homecare.improvement.models import (
    EvidenceFile,
    Grade,
    ImprovementItem,
    ImprovementPlan,
    ProgressUpdate,
)
from reviews.models import Assessment, PlanStatus


class NotAllowed(Exception):
    """A step the record's state does not allow now; the message says why."""


def _require(user: Any, perm: str, obj: Any = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


@transaction.atomic
def create_plan(
    user: Any,
    title: str,
    description: str = "",
    agreed_on: dt.date | None = None,
    lead_officer: str = "",
) -> ImprovementPlan:
    """A council-wide plan: a scrutiny review's recommendations, say."""
    _require(user, "improvement.manage_plans")
    return ImprovementPlan.objects.create(
        title=title,
        description=description,
        agreed_on=agreed_on,
        lead_officer=lead_officer,
        created_by=user,
    )


@transaction.atomic
def add_item(
    plan: ImprovementPlan,
    user: Any,
    *,
    recommendation: str,
    agreed_action: str,
    number: int | None = None,
    success_measure: str = "",
    responsibility: str = "",
    due_date: dt.date | None = None,
) -> ImprovementItem:
    _require(user, "improvement.manage_plans")
    if not plan.council_wide:
        # A provider's actions are written in its action plan (quality pages).
        raise NotAllowed("A provider's actions are added on its action plan")
    return ImprovementItem.objects.create(
        plan=plan,
        number=number,
        recommendation=recommendation,
        agreed_action=agreed_action,
        success_measure=success_measure,
        responsibility=responsibility,
        due_date=due_date,
    )


def _store(upload: UploadedFile, user: Any, **on: Any) -> EvidenceFile:
    """Check the file again (a service is called by more than the form) and keep it."""
    checked = check_upload(upload)
    evidence = EvidenceFile(
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
        **on,
    )
    # Saved under a name of our making, with the extension the content has.
    # It is the last write of each service, so only its own row can fail after it.
    evidence.file.save(f"evidence.{checked.extension}", upload, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def add_update(
    item: ImprovementItem,
    user: Any,
    *,
    as_of: dt.date,
    progress: str,
    grade: int,
    impact: str = "",
    evidence: UploadedFile | None = None,
    today: dt.date | None = None,
) -> ProgressUpdate:
    """A dated progress update with its grade (1 to 4) and evidence of impact,
    and a file of evidence if one is given. Updates are never edited: the next
    one says what changed, so every quarter's grade is kept."""
    plan = item.plan
    _require(user, "improvement.update_item", plan)
    if plan.action_plan is not None and plan.action_plan.status not in (
        PlanStatus.ACCEPTED,
        PlanStatus.CLOSED,
    ):
        raise NotAllowed("Progress is reported once the quality officer has accepted the plan")
    if grade not in Grade.values:
        raise ValidationError("Select a grade from 1 to 4")
    if today is not None and as_of > today:
        raise ValidationError("The date of the update must be today or in the past")
    update = ProgressUpdate.objects.create(
        item=item, as_of=as_of, progress=progress, grade=grade, impact=impact, by=user
    )
    if evidence is not None:
        _store(evidence, user, update=update)
    return update


@transaction.atomic
def add_assessment_evidence(
    assessment: Assessment, user: Any, upload: UploadedFile, description: str = ""
) -> EvidenceFile:
    _require(user, "improvement.add_assessment_evidence", assessment)
    return _store(upload, user, assessment=assessment, description=description)


@transaction.atomic
def delete_plan(plan: ImprovementPlan, user: Any) -> None:
    """A council-wide plan, its items, updates and evidence files (the files
    leave the disk once the delete is committed: receivers.remove_file). A
    provider's plan goes only with its action plan."""
    _require(user, "improvement.manage_plans")
    if not plan.council_wide:
        raise NotAllowed("A provider's action plan is kept with its assessment")
    plan.delete()
